// Test and pipeline helpers: synthesize, list stacks, plan offline with real Terraform.
export * from './cli-config';
export * from './terraform';
export * from './shared-init';
export * from './offline-plan';
export * from './synth';
export * from './plan-stack';
export * from './references';
