import { Testing, TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from '../environments';
import { createEnvironment, EnvironmentStacks, StackSettings } from '../stacks';
import { synthesize, SynthesizedJson } from '../modules/testing';

/*
 * A test file's environments, built once each: several tests of a file read the same environment
 * (`dev` or `prod` as they are, or one variant), and building all its stacks is most of their time.
 * What these return is shared by the tests of the file (each file has its own module registry):
 * read it, never change it. A build that throws is not kept, so each call throws again.
 */

const builds = new WeakMap<EnvironmentConfig, Map<string, EnvironmentStacks>>();
const synths = new WeakMap<TerraformStack, SynthesizedJson>();

/** `createEnvironment(Testing.app(), config, settings)`, once per config object and settings. */
export function builtEnvironment(config: EnvironmentConfig, settings: StackSettings = {}): EnvironmentStacks {
  const bySettings = builds.get(config) ?? new Map<string, EnvironmentStacks>();
  builds.set(config, bySettings);
  const key = JSON.stringify(settings, Object.keys(settings).sort());
  const cached = bySettings.get(key);
  if (cached) return cached;
  const stacks = createEnvironment(Testing.app(), config, settings);
  bySettings.set(key, stacks);
  return stacks;
}

/** `synthesize(stack)`, once per stack. */
export function synthesizedOnce(stack: TerraformStack): SynthesizedJson {
  const cached = synths.get(stack);
  if (cached) return cached;
  const json = synthesize(stack);
  synths.set(stack, json);
  return json;
}
