import { App } from 'cdktf';
import { environments, validateEnvironments, ConfigError, EnvironmentConfig } from './environments';
import { createEnvironment, settingsFromEnv } from './stacks';

/**
 * Builds one App with every environment, or the comma-separated subset in `PLATFORM_ENVIRONMENTS`.
 * Settings: `PLATFORM_OFFLINE=1` (offline plan mode), `PLATFORM_BACKEND=local` (local state).
 */
export function buildApp(outdir?: string, env: NodeJS.ProcessEnv = process.env, all: Record<string, EnvironmentConfig> = environments): App {
  validateEnvironments(all);
  const wanted = (env.PLATFORM_ENVIRONMENTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const w of wanted) {
    if (!(w in all)) throw new ConfigError(w, `PLATFORM_ENVIRONMENTS names an unknown environment; allowed: ${Object.keys(all).join(', ')}`);
  }
  const app = new App(outdir ? { outdir } : {});
  const settings = settingsFromEnv(env);
  for (const config of Object.values(all)) {
    if (wanted.length === 0 || wanted.includes(config.name)) createEnvironment(app, config, settings);
  }
  return app;
}

if (require.main === module) {
  try {
    buildApp().synth();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}
