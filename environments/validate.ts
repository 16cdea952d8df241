import { ValidationError } from '../modules';
import { describeIssue, environmentSchema } from './schema';
import { checkProduction } from './production';
import type { EnvironmentConfig } from './types';

/** A configuration mistake: one line naming the environment, the field and what is allowed. */
export class ConfigError extends Error {
  constructor(readonly environment: string, readonly detail: string) {
    super(`environment "${environment}": ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Checks one environment's shape, then a production environment's guardrails; throws a ConfigError on the first problem. */
export function validateEnvironment(config: EnvironmentConfig, label = (config as { name?: string })?.name ?? '?'): void {
  const result = environmentSchema.safeParse(config);
  if (!result.success) throw new ConfigError(label, describeIssue(result.error.issues[0]));
  try {
    checkProduction(config);
  } catch (e) {
    if (e instanceof ValidationError) throw new ConfigError(label, e.message);
    throw e;
  }
}

/** Checks every environment and that their names (and record keys) are unique. */
export function validateEnvironments(envs: Record<string, EnvironmentConfig> | EnvironmentConfig[]): void {
  const entries = Array.isArray(envs) ? envs.map((e) => [e?.name, e] as const) : Object.entries(envs);
  const seen = new Set<string>();
  for (const [key, config] of entries) {
    validateEnvironment(config, key ?? '?');
    if (key !== config.name) throw new ConfigError(key, `name: ${JSON.stringify(config.name)} differs from its key ${JSON.stringify(key)}; allowed: the same name`);
    if (seen.has(config.name)) throw new ConfigError(config.name, 'name: duplicate environment name; allowed: a name no other environment uses');
    seen.add(config.name);
  }
}

/**
 * Runs `fn` (which builds constructs), turning a construct's ValidationError into this
 * environment's ConfigError. `renames` maps a construct's prop name to its config field name where
 * they differ (e.g. `{ bucketName: 'bucket' }`), or is a function of the field.
 */
export function forEnvironment<T>(env: string, fieldPrefix: string, fn: () => T, renames: Record<string, string> | ((field: string) => string) = {}): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) {
      const field = typeof renames === 'function' ? renames(e.field) : renames[e.field] ?? e.field;
      throw new ConfigError(env, new ValidationError(field, e.problem).under(fieldPrefix).message);
    }
    throw e;
  }
}
