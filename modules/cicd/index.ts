export * from './github-oidc-deploy-role';
