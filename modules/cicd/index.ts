export * from './github-oidc-deploy-role';
export * from './deploy-role-names';
export * from './deploy-boundary';
export * from './deploy-policies';
export * from './codebuild-github-runner';
export * from './github-image-push-role';
