/**
 * `npm run apps:render [-- --check]`: writes the backend-app's Kustomize layout, `apps/backend-app/`
 * (a base, and an overlay per environment: namespace, ECR image, JSON 6902 patches for what differs),
 * from the environments' config. `--check` writes nothing and exits 1 when the files differ (a test
 * runs it). Argo CD, or `kubectl apply -k apps/backend-app/overlays/<env>`, applies an overlay.
 */
import * as fs from 'fs';
import * as path from 'path';
import { environments, resolveEnvironment, validateEnvironments } from '../environments';
import { applicationManifests } from '../modules';
import { BACKEND_APP, BACKEND_APP_DIR, backendAppManifests, backendAppProps } from '../stacks/application';
import { kustomizeLayout } from './lib/kustomize';
import { exitOnConfigError } from '../main';

export const APP_DIR = BACKEND_APP_DIR;

/** The layout's files (relative path -> content) for the given environments. */
export function renderBackendApp(all = environments, dir = APP_DIR): Record<string, string> {
  validateEnvironments(all);
  const envs = Object.values(all).map(resolveEnvironment);
  const props = envs.map((env) => backendAppProps(env, dir));
  // The base: an environment's objects with a placeholder image and without its identifiers.
  const base = applicationManifests({ ...props[0], image: BACKEND_APP, host: undefined, secret: { ...props[0].secret!, secretName: `${BACKEND_APP}-db` }, region: 'REGION' });
  const overlays = Object.fromEntries(
    envs.map((env, i) => {
      const p = props[i];
      const at = p.image.lastIndexOf(':');
      return [env.name, { objects: backendAppManifests(env, p), namespace: p.namespace, image: { name: BACKEND_APP, newName: p.image.slice(0, at), newTag: p.image.slice(at + 1) } }];
    }),
  );
  return kustomizeLayout(base, overlays);
}

/** Paths under `dir` that differ from `files` (missing, changed, or extra). */
export function differences(dir: string, files: Record<string, string>): string[] {
  const out = Object.entries(files).filter(([p, c]) => !fs.existsSync(path.join(dir, p)) || fs.readFileSync(path.join(dir, p), 'utf8') !== c).map(([p]) => p);
  const walk = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.relative(dir, path.join(d, e.name))])) : []);
  return [...out, ...walk(dir).filter((p) => !(p in files))];
}

if (require.main === module) {
  exitOnConfigError(() => {
    const files = renderBackendApp();
    if (process.argv.includes('--check')) {
      const diff = differences(APP_DIR, files);
      if (diff.length) {
        console.error(`apps/${BACKEND_APP} is not what the config renders (${diff.join(', ')}): run npm run apps:render`);
        process.exit(1);
      }
      return;
    }
    fs.rmSync(APP_DIR, { recursive: true, force: true });
    for (const [p, c] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(APP_DIR, p)), { recursive: true });
      fs.writeFileSync(path.join(APP_DIR, p), c);
    }
    console.log(`Wrote ${Object.keys(files).length} files into apps/${BACKEND_APP}/`);
  });
}
