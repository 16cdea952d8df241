import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../environments/types';
import { resolveEnvironment } from '../environments/defaults';
import { validateEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';
import { StateStack } from './state-stack';
import { NetworkStack } from './network-stack';
import { ClusterStack } from './cluster-stack';
import { DataStack } from './data-stack';
import { RegistryStack } from './registry-stack';
import { FrontendStack } from './frontend-stack';
import { BatchStack } from './batch-stack';
import { ObservabilityStack } from './observability-stack';
import { AddonsStack } from './addons-stack';
import { RunnerStack } from './runner-stack';

export * from './platform-stack';
export { StateStack } from './state-stack';
export { NetworkStack } from './network-stack';
export { ClusterStack } from './cluster-stack';
export { DataStack, DEFAULT_APP_DB_NAME, DEFAULT_APP_DB_USER, DEFAULT_DB_ADMIN_SERVICE_ACCOUNT } from './data-stack';
export { RegistryStack } from './registry-stack';
export { FrontendStack } from './frontend-stack';
export { BatchStack, DEFAULT_BATCH_NAMESPACE, DEFAULT_BATCH_SERVICE_ACCOUNT } from './batch-stack';
export { ObservabilityStack, addonRoleOutput, logGroupOutput } from './observability-stack';
export { AddonsStack } from './addons-stack';
export { DEFAULT_APP_NAMESPACE } from './application';
export { RunnerStack, clusterRunnerName } from './runner-stack';
export { DEFAULT_VIEWER_GROUP, DEPLOY_PLAN_GROUP, deployRoleAccessEntries, helmReleaseNamespaces, viewerGroup } from './cluster-access';

/** The stacks of one environment, in deploy order. */
export interface EnvironmentStacks {
  readonly state: StateStack;
  readonly network: NetworkStack;
  /** The CodeBuild GitHub Actions runner in the VPC, with `cicd.clusterRunner` only. */
  readonly runner?: RunnerStack;
  readonly cluster: ClusterStack;
  readonly data: DataStack;
  readonly registry: RegistryStack;
  readonly frontend: FrontendStack;
  readonly batch: BatchStack;
  readonly observability: ObservabilityStack;
  /** Helm add-ons and the Kubernetes baseline; last, after the node groups exist. */
  readonly addons: AddonsStack;
  /** Every stack, in dependency order. */
  readonly all: PlatformStack[];
}

/**
 * Adds every stack of one environment to `scope` (an App). The config's shape is validated before
 * any stack exists and each construct checks its props before creating resources, so a mistake
 * throws a ConfigError naming the environment and field before anything is synthesized (discard the
 * App then: it may hold the stacks built before the mistake).
 */
export function createEnvironment(scope: Construct, config: EnvironmentConfig, settings: StackSettings = {}): EnvironmentStacks {
  validateEnvironment(config);
  const env = resolveEnvironment(config);
  const state = new StateStack(scope, env, settings);
  const network = new NetworkStack(scope, env, settings);
  network.addDependency(state);
  const runner = env.cicd?.clusterRunner ? new RunnerStack(scope, env, network, settings) : undefined;
  const cluster = new ClusterStack(scope, env, network, settings, runner);
  const data = new DataStack(scope, env, network, cluster, settings);
  const registry = new RegistryStack(scope, env, settings);
  const frontend = new FrontendStack(scope, env, settings);
  // No upstream outputs, but their state lives in the state stack's bucket.
  registry.addDependency(state);
  frontend.addDependency(state);
  const batch = new BatchStack(scope, env, cluster, settings);
  const observability = new ObservabilityStack(scope, env, cluster, settings);
  const addons = new AddonsStack(scope, env, { cluster, observability, batch }, settings);
  return {
    state, network, runner, cluster, data, registry, frontend, batch, observability, addons,
    all: [state, network, ...(runner ? [runner] : []), cluster, data, registry, frontend, batch, observability, addons],
  };
}
