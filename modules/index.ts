// Public API of the library: every construct and its props. Nothing here knows an environment.
export * from './core/validation';
export * from './core/aws-catalog';
export * from './core/iam';
export * from './core/encryption-key';
export * from './core/private-bucket';
export * from './network/subnet-layout';
export * from './network/network';
export * from './state/state-bucket';
export * from './eks';
export * from './data';
export * from './registry';
export * from './frontend';
export * from './batch';
export * from './addons';
export * from './observability';
export * from './kubernetes';
export * from './cicd';
