// Public API of the library (`cdktf-eks-platform`): every construct and its props that needs only the
// AWS provider binding. Nothing here knows an environment, and nothing here may load
// @cdktf/provider-helm or @cdktf/provider-kubernetes (optional peers): the constructs that use them are
// the entry points `cdktf-eks-platform/addons` (modules/addons/index.ts) and
// `cdktf-eks-platform/kubernetes` (modules/kubernetes/index.ts). A test walks the imports.
import './core/needs-aws';
export * from './core/bindings';
export * from './core/validation';
export * from './core/creation-stacks';
export * from './core/aws-catalog';
export * from './core/iam';
export * from './core/encryption-key';
export * from './core/plan-time-lookup';
export * from './core/ephemeral-resource';
export * from './core/private-bucket';
export * from './core/managed-rules-web-acl';
export * from './core/dns-validated-certificate';
export * from './core/stable-address';
export * from './network/subnet-layout';
export * from './network/network';
export * from './state/state-bucket';
export * from './eks';
export * from './data';
export * from './registry';
export * from './frontend';
export * from './batch';
// The add-on catalogue, its IAM roles and values: AWS only (the Helm releases are in ./addons).
export * from './addons/catalog';
export * from './observability';
export * from './kubernetes/quantity';
export * from './cicd';
export * from './apps';
