/**
 * `npm run synth [-- <env> ...]`: synthesizes the selected environments (default all) into cdktf.out/.
 * Honors PLATFORM_OFFLINE and PLATFORM_BACKEND like main.ts.
 */
import { buildApp, exitOnConfigError } from '../main';

const envs = process.argv.slice(2);
exitOnConfigError(() => {
  const app = buildApp(undefined, envs.length ? { ...process.env, PLATFORM_ENVIRONMENTS: envs.join(',') } : process.env);
  app.synth();
  console.log(`Synthesized ${app.node.children.length} stacks into ${app.outdir}/stacks/`);
});
