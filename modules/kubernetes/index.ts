// `cdktf-eks-platform/kubernetes`: in-cluster objects (needs the optional peer @cdktf/provider-kubernetes).
import './needs-kubernetes';
export * from './quantity';
export * from './app-namespace';
export * from './read-only-access';
export * from './irsa-service-account';
export * from './fargate-log-router';
export * from './rbac-read-access';
