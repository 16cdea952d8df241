export * from './quantity';
export * from './app-namespace';
export * from './read-only-access';
export * from './irsa-service-account';
export * from './fargate-log-router';
export * from './rbac-read-access';
