/**
 * The project's cdktf CLI with a working Terraform setup:
 *   npm run deploy  -- dev-state            # then: npm run deploy -- 'dev-*'
 *   npm run diff    -- dev-network
 *   npm run destroy -- 'dev-!(state)'
 *   npm run cdktf   -- synth | list | output dev-network | ...
 *
 * cdktf (and terraform under it) fails when TF_CLI_CONFIG_FILE names a file that does not exist. This
 * keeps TF_CLI_CONFIG_FILE when it names an existing file and otherwise points it at the project's
 * generated config (`npm run -s setup:terraform`: provider mirror when one is found, plugin cache in
 * `.terraform-plugin-cache/`). It also turns off HashiCorp's update check and cdktf's telemetry
 * (`CHECKPOINT_DISABLE=1`) unless set, and runs the cdktf binary of node_modules (the version in
 * package.json, not a global one). Every other argument and variable (PLATFORM_ENVIRONMENTS,
 * PLATFORM_OFFLINE, PLATFORM_BACKEND, AWS_PROFILE...) passes through unchanged.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { terraformEnv } from '../modules/testing/terraform';

/** The environment cdktf runs in. */
export function cdktfEnv(root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // Interactive use: cdktf asks for approval itself, so Terraform's automation switches stay as the user has them.
  const { TF_IN_AUTOMATION: _automation, TF_INPUT: _input, ...rest } = terraformEnv(root, base);
  const env: NodeJS.ProcessEnv = { ...rest };
  if (base.TF_IN_AUTOMATION !== undefined) env.TF_IN_AUTOMATION = base.TF_IN_AUTOMATION;
  if (base.TF_INPUT !== undefined) env.TF_INPUT = base.TF_INPUT;
  // cdktf points TF_PLUGIN_CACHE_DIR at ~/.terraform.d/plugin-cache unless told not to; the generated
  // config has its own plugin_cache_dir (which symlinks mirrored providers instead of copying them).
  if (env.TF_CLI_CONFIG_FILE !== base.TF_CLI_CONFIG_FILE && !base.TF_PLUGIN_CACHE_DIR) env.CDKTF_DISABLE_PLUGIN_CACHE_ENV ??= '1';
  return env;
}

/** Path of the project's cdktf binary. */
export function cdktfBin(root: string): string {
  const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'cdktf.cmd' : 'cdktf');
  if (!fs.existsSync(bin)) throw new Error(`${bin} not found; run npm install (cdktf-cli is a devDependency)`);
  return bin;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const args = process.argv.slice(2);
  if (args.length === 0) {
    console.error('usage: npm run cdktf -- <cdktf command> [args...]   (or npm run deploy|diff|destroy -- <stack> ...)');
    process.exit(64);
  }
  const child = spawn(cdktfBin(root), args, { cwd: root, env: cdktfEnv(root), stdio: 'inherit' });
  // Ctrl-C reaches cdktf through the terminal; let it stop Terraform cleanly rather than dying first.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (e) => {
    console.error(`cannot run cdktf: ${e.message}`);
    process.exit(1);
  });
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
