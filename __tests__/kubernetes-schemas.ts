import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * Validates Kubernetes objects against the API's OpenAPI schemas with `kubernetes-models` (its
 * generated AJV validators: types, required fields, enums, formats). It ships ES modules only, which
 * jest's CommonJS runtime cannot load, so the validation runs in one `node` child process that
 * imports them natively. Returns one line per problem (`<kind>/<name>: <error>`), or one per object
 * whose kind has no model (CRDs: check those another way). Unknown fields are not reported (the
 * schemas allow them, as a non-strict `kubectl apply` does): assert the fields that matter.
 */
export function kubernetesSchemaProblems(objects: ReadonlyArray<Record<string, any>>): string[] {
  const script = `
    import { readFileSync } from 'node:fs';
    const objects = JSON.parse(readFileSync(0, 'utf8'));
    const problems = [];
    for (const o of objects) {
      const [group, version] = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/') : ['', o.apiVersion];
      const id = o.kind + '/' + (o.metadata?.name ?? '?');
      let Model;
      try {
        Model = (await import('kubernetes-models/' + (group ? group + '/' : '') + version + '/' + o.kind))[o.kind];
      } catch {
        problems.push(id + ': no kubernetes-models schema for ' + o.apiVersion);
        continue;
      }
      try {
        new Model(o).validate();
      } catch (e) {
        problems.push(id + ': ' + e.message);
      }
    }
    process.stdout.write(JSON.stringify(problems));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: path.resolve(__dirname, '..'),
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`kubernetes-models validation failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}
