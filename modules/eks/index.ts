export * from './irsa-role';
