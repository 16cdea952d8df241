// The add-on catalogue (definitions, chart versions, values), its IAM roles and identities: AWS only,
// exported by the package root and by `cdktf-eks-platform/addons` alike. A new add-on definition goes
// here; anything that imports the Helm or Kubernetes binding goes in index.ts only (a test walks the imports).
export * from './addon';
export * from './versions';
export * from './cloudwatch-metrics';
export * from './cloudwatch-observability';
export * from './fluentd';
export * from './fluent-bit';
export * from './cluster-autoscaler';
export * from './metrics-server';
export * from './load-balancer-controller';
export * from './load-balancer-controller-policy';
export * from './argo-cd';
export * from './registry';
export * from './pod-identity-role';
export * from './addon-identities';
