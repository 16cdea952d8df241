export * from './irsa-role';
export * from './names';
export * from './addon-versions';
export * from './eks-cluster';
export * from './node-role';
export * from './managed-node-group';
export * from './eks-addons';
export * from './fargate-profile';
