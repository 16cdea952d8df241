import type { EnvironmentConfig } from '../environments';

/**
 * A deep copy of `base` with `value` set at a dotted path (`cluster.nodeGroups.0.minSize`);
 * `undefined` deletes the field. Missing objects on the way are created.
 */
export function configWith(base: EnvironmentConfig, path: string, value: unknown): EnvironmentConfig {
  const copy = JSON.parse(JSON.stringify(base));
  const keys = path.split('.');
  let o = copy;
  keys.slice(0, -1).forEach((k) => (o = o[k] ??= {}));
  if (value === undefined) delete o[keys[keys.length - 1]];
  else o[keys[keys.length - 1]] = value;
  return copy;
}
