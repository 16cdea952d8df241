/**
 * `npm run synth [-- <env> ...]`: synthesizes the selected environments (default all) into cdktf.out/,
 * and writes each environment's application objects (the backend-app overlay, built) to
 * cdktf.out/apps/<env>/backend-app.yaml. Honors PLATFORM_OFFLINE and PLATFORM_BACKEND like main.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { buildApp, exitOnConfigError } from '../main';
import { environments, resolveEnvironment } from '../environments';
import { backendAppManifests } from '../stacks/application';

const envs = process.argv.slice(2);
exitOnConfigError(() => {
  const app = buildApp(undefined, envs.length ? { ...process.env, PLATFORM_ENVIRONMENTS: envs.join(',') } : process.env);
  app.synth();
  console.log(`Synthesized ${app.node.children.length} stacks into ${app.outdir}/stacks/`);
  for (const config of Object.values(environments).filter((e) => envs.length === 0 || envs.includes(e.name))) {
    const objects = backendAppManifests(resolveEnvironment(config));
    const file = path.join(app.outdir, 'apps', config.name, 'backend-app.yaml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
    console.log(`Application objects of ${config.name} (${objects.map((o) => o.kind).join(', ')}) in ${path.relative(process.cwd(), file)}`);
  }
});
