import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/types';
import { resolveEnvironment } from '../environments/defaults';
import { validateEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';
import { StateStack } from './state-stack';
import { NetworkStack } from './network-stack';

export * from './platform-stack';
export { StateStack } from './state-stack';
export { NetworkStack } from './network-stack';

/** The stacks of one environment, in deploy order. */
export interface EnvironmentStacks {
  readonly state: StateStack;
  readonly network: NetworkStack;
  /** Every stack, in dependency order. */
  readonly all: PlatformStack[];
}

/**
 * Adds every stack of one environment to `scope` (an App). Validates the config first: a mistake
 * throws a ConfigError naming the environment and field before any stack exists.
 */
export function createEnvironment(scope: Construct, config: EnvironmentConfig, settings: StackSettings = {}): EnvironmentStacks {
  validateEnvironment(config);
  const env = resolveEnvironment(config);
  const state = new StateStack(scope, env, settings);
  const network = new NetworkStack(scope, env, settings);
  network.addDependency(state);
  return { state, network, all: [state, network] };
}
