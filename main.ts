import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { environments, validateEnvironments, ConfigError, EnvironmentConfig } from './environments';
import { plainCreationStacks } from './modules/core/creation-stacks';
import { createEnvironment, settingsFromEnv } from './stacks';

/**
 * Builds one App with every environment, or the comma-separated subset in `PLATFORM_ENVIRONMENTS`.
 * Settings: `PLATFORM_OFFLINE=1` (offline plan mode), `PLATFORM_BACKEND=local` (local state).
 * A mistake throws a ConfigError and leaves nothing on disk: cdktf's App creates its outdir and
 * `stacks/` when constructed, so the ones it created are removed again if building fails.
 * cdktf's token creation stacks are formatted without source maps (`plainCreationStacks`).
 */
export function buildApp(outdir?: string, env: NodeJS.ProcessEnv = process.env, all: Record<string, EnvironmentConfig> = environments): App {
  plainCreationStacks();
  validateEnvironments(all);
  const wanted = (env.PLATFORM_ENVIRONMENTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const w of wanted) {
    if (!(w in all)) throw new ConfigError(w, `PLATFORM_ENVIRONMENTS names an unknown environment; allowed: ${Object.keys(all).join(', ')}`);
  }
  // The App's own default, made explicit so we know which directories it is about to create.
  const dir = outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const created = [dir, path.join(dir, 'stacks')].filter((d) => !fs.existsSync(d));
  const app = new App({ outdir: dir });
  try {
    const settings = settingsFromEnv(env);
    for (const config of Object.values(all)) {
      if (wanted.length === 0 || wanted.includes(config.name)) createEnvironment(app, config, settings);
    }
  } catch (e) {
    removeEmptyDirectories(created.reverse());
    throw e;
  }
  return app;
}

/** Removes directories that are still empty (never anything someone wrote into). */
function removeEmptyDirectories(dirs: string[]): void {
  for (const d of dirs) {
    try {
      fs.rmdirSync(d);
    } catch {
      // Not empty or already gone: leave it.
    }
  }
}

/**
 * Runs a command's body: a ConfigError prints one line, `Configuration error: environment "dev": <field>: ...`,
 * and exits 1 (no stack trace); any other error propagates.
 */
export function exitOnConfigError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

/** `main.ts` as cdktf's app command: synthesizes every selected environment into `outdir`. */
export function main(outdir?: string, env: NodeJS.ProcessEnv = process.env, all: Record<string, EnvironmentConfig> = environments): void {
  exitOnConfigError(() => buildApp(outdir, env, all).synth());
}

if (require.main === module) main();
