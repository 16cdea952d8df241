/**
 * `npm run synth [-- <env> ...]`: synthesizes the selected environments (default all) into cdktf.out/.
 * Honors PLATFORM_OFFLINE and PLATFORM_BACKEND like main.ts.
 */
import { ConfigError } from '../environments';
import { buildApp } from '../main';

const envs = process.argv.slice(2);
try {
  const app = buildApp(undefined, envs.length ? { ...process.env, PLATFORM_ENVIRONMENTS: envs.join(',') } : process.env);
  app.synth();
  console.log(`Synthesized ${app.node.children.length} stacks into ${app.outdir}/stacks/`);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`Configuration error: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
