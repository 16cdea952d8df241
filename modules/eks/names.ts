import { createHash } from 'crypto';
import { Token } from 'cdktf';
import { check, show } from '../core/validation';

/** EKS cluster names: 1-100 letters, digits, '-' and '_', starting with a letter or digit. */
export const CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;

export function checkClusterName(name: string, field: string): void {
  check(
    typeof name === 'string' && name.length >= 1 && name.length <= 100 && CLUSTER_NAME_PATTERN.test(name),
    field,
    `${show(name)} is not a valid EKS cluster name${typeof name === 'string' && name.length > 100 ? ` (${name.length} characters)` : ''}; allowed: 1-100 characters of letters, digits, "-" and "_", starting with a letter or digit`,
  );
}

export function checkKubernetesVersion(version: string, field: string): void {
  check(typeof version === 'string' && /^1\.\d{1,3}$/.test(version), field, `${show(version)} is not a Kubernetes minor version; allowed: "1.N" such as "1.35"`);
}

/**
 * A name that fits `max` characters: `full` when it fits, else a truncation plus 8 hex digits of
 * its hash, so long cluster names still give unique, stable IAM role names (64 characters at most).
 */
export function boundedName(full: string, max: number): string {
  if (Token.isUnresolved(full) || full.length <= max) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, max - 9).replace(/[-_.]+$/, '')}-${hash}`;
}

/** IAM role names are at most 64 characters. */
export function iamRoleName(base: string, suffix: string): string {
  return boundedName(`${base}-${suffix}`, 64);
}

/** Short stable id for a construct keyed by an arbitrary string (e.g. an ARN). */
export function stableId(prefix: string, key: string): string {
  return `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}
