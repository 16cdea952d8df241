export * from './github-oidc-deploy-role';
export * from './deploy-role-names';
