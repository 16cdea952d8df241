// Validates Kubernetes objects against the OpenAPI schemas in `kubernetes-models` (ESM-only, hence this
// small ES module run as a child process by `modules/apps/kubernetes-schema.ts`). Reads a JSON array of
// objects on stdin; prints a JSON array of { apiVersion, kind, name, status: 'valid'|'invalid'|'no-schema', errors }.
const input = JSON.parse(await new Promise((resolve) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => resolve(s));
}));
const out = [];
for (const o of input) {
  const base = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata?.name };
  let Model;
  try {
    Model = (await import(`kubernetes-models/${o.apiVersion}`))[o.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    out.push({ ...base, status: 'no-schema', errors: [] });
    continue;
  }
  try {
    new Model(o).validate();
    out.push({ ...base, status: 'valid', errors: [] });
  } catch (e) {
    out.push({ ...base, status: 'invalid', errors: String(e.message ?? e).split('\n').filter(Boolean) });
  }
}
process.stdout.write(JSON.stringify(out));
