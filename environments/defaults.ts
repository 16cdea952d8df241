import type { EnvironmentConfig } from './types';

/** An environment with the top-level defaults filled in. */
export interface ResolvedEnvironment extends EnvironmentConfig {
  readonly project: string;
  readonly region: string;
  /** `<project>-<name>`: prefix of every resource name, so two environments never collide. */
  readonly prefix: string;
  /** Tags every taggable resource gets through the provider's default tags. */
  readonly defaultTags: Record<string, string>;
}

export const DEFAULT_PROJECT = 'eks-work';
export const DEFAULT_REGION = 'ap-northeast-2';

export function resolveEnvironment(config: EnvironmentConfig): ResolvedEnvironment {
  const project = config.project ?? DEFAULT_PROJECT;
  return {
    ...config,
    project,
    region: config.region ?? DEFAULT_REGION,
    prefix: `${project}-${config.name}`,
    defaultTags: { ...config.tags, project, environment: config.name, 'managed-by': 'cdktf' },
  };
}
