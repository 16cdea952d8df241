import { spawnSync } from 'child_process';
import * as path from 'path';
import type { KubernetesObject } from '../../modules/apps/application-manifests';

/** One object's verdict from the Kubernetes OpenAPI schema. */
export interface SchemaResult {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** `no-schema`: a custom resource the built-in API does not know (e.g. SecretProviderClass). */
  readonly status: 'valid' | 'invalid' | 'no-schema';
  readonly errors: string[];
}

/**
 * Validates objects against the Kubernetes API's OpenAPI schemas as packaged by `kubernetes-models`
 * (5.1.0: the built-in API of Kubernetes 1.34+, `resource.k8s.io/v1` included), with its AJV validator.
 * The package is ES-module only, so it runs in a child Node process (`scripts/validate-k8s.mjs`).
 * A development-time check: `kubernetes-models` is a devDependency of this repository.
 */
export function validateKubernetesObjects(objects: readonly KubernetesObject[]): SchemaResult[] {
  const script = path.resolve(__dirname, '..', 'validate-k8s.mjs');
  const r = spawnSync(process.execPath, [script], { input: JSON.stringify(objects), encoding: 'utf8', cwd: path.dirname(script) });
  if (r.status !== 0) throw new Error(`validate-k8s.mjs failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as SchemaResult[];
}
