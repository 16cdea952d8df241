import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initInputs, initKey, linkSharedInit, sharedInit } from './shared-init';
import { OfflinePlanResult, StackPlanResult, StackPlanText, SynthesizedStack, initStack, mapLimit, planStack, planStackText } from './terraform';

/**
 * The project directory offline plans are synthesized and planned in (`npm run plan`,
 * `pipeline:plan --offline`): never `cdktf.out/`, whose stacks cdktf deploy and diff initialise with
 * their real backends (an offline init there breaks them with "Backend configuration changed", and
 * theirs breaks the next offline plan).
 */
export const OFFLINE_PLAN_DIR = 'offline-plan';

const EMPTY_STATE = JSON.stringify({ version: 4, terraform_version: '1.10.0', serial: 0, lineage: 'offline-plan', outputs: {}, resources: [] });

/** Where offline helpers keep the CLI config, plugin cache and shared inits by default. */
export function defaultOfflineRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'cdktf-eks-platform');
}

/** Terraform runs at once by default: one per core (each plan is one provider process busy on a core). */
export function defaultConcurrency(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * Gives each offline stack an empty local state, so downstream stacks' remote-state reads find a
 * state and fall back to the stub outputs the upstream stack published.
 */
export function prepareOfflineState(stacks: SynthesizedStack[]): void {
  for (const s of stacks) {
    const file = path.join(s.dir, 'terraform.tfstate');
    if (!fs.existsSync(file)) fs.writeFileSync(file, EMPTY_STATE);
  }
}

/**
 * Initialises offline stacks without a `terraform init` each: stacks with the same providers and
 * backend share one init under `<root>/.terraform-shared/` (see `sharedInit`). Returns the stacks
 * that could not be initialised, with Terraform's error; the others are ready to plan.
 */
export async function initOffline(stacks: SynthesizedStack[], root: string, env: NodeJS.ProcessEnv): Promise<Map<string, Error>> {
  const errors = new Map<string, Error>();
  const shared = new Map<string, string | Error>();
  for (const s of stacks) {
    try {
      const inputs = initInputs(s.dir);
      const key = initKey(inputs);
      // One init per distinct key, one after the other (they share the plugin cache).
      if (!shared.has(key)) shared.set(key, await sharedInit(root, inputs, env).catch((e: Error) => e));
      const dir = shared.get(key)!;
      if (dir instanceof Error) throw dir;
      // A stack calling modules needs its own init to install them (its providers are cached by now).
      if (inputs.modules) await initStack(s, env);
      else linkSharedInit(s.dir, dir);
    } catch (e) {
      errors.set(s.id, e instanceof Error ? e : new Error(String(e)));
    }
  }
  return errors;
}

/** An offline `plan` and `show -json` of one initialised stack (synthesized in offline mode). */
export async function planOffline(stack: SynthesizedStack, env: NodeJS.ProcessEnv, color = false): Promise<OfflinePlanResult> {
  const { changed: _changed, planFile: _planFile, ...result } = await planStack(stack, env, { color });
  return result;
}

export interface PlanAllOfflineOptions {
  /** Plans at once. @default one per core */
  readonly concurrency?: number;
  /** Keep Terraform's colours in the plan text. @default false */
  readonly color?: boolean;
  /** Where the shared inits live (`<root>/.terraform-shared/`). @default `defaultOfflineRoot()` */
  readonly root?: string;
  /** Called as each stack finishes (in completion order), with its result or error and the seconds it took. */
  readonly onResult?: (stack: SynthesizedStack, result: OfflinePlanResult | Error, seconds: number) => void;
}

async function planEach<R>(stacks: SynthesizedStack[], env: NodeJS.ProcessEnv, opts: Omit<PlanAllOfflineOptions, 'onResult'> & { onResult?: (s: SynthesizedStack, r: R | Error, seconds: number) => void }, plan: (s: SynthesizedStack) => Promise<R>): Promise<Array<R | Error>> {
  prepareOfflineState(stacks);
  const start = Date.now();
  const initErrors = await initOffline(stacks, opts.root ?? defaultOfflineRoot(env), env);
  return mapLimit(stacks, opts.concurrency ?? defaultConcurrency(), async (s) => {
    const t0 = initErrors.has(s.id) ? start : Date.now();
    const r = initErrors.get(s.id) ?? (await plan(s).catch((e: Error) => e));
    opts.onResult?.(s, r, (Date.now() - t0) / 1000);
    return r;
  });
}

/**
 * Plans every stack offline (`plan` and `show -json`: the planned values): one shared init, then
 * `concurrency` plans at a time. A stack that fails yields its Error in its place; the others still run.
 */
export async function planAllOffline(stacks: SynthesizedStack[], env: NodeJS.ProcessEnv, opts: PlanAllOfflineOptions = {}): Promise<Array<OfflinePlanResult | Error>> {
  return planEach(stacks, env, opts, (s) => planOffline(s, env, opts.color));
}

/**
 * Like `planAllOffline`, without `show -json` unless `json` is set: Terraform's text and counts of
 * each stack, one Terraform run per stack (two with `json`: the result then carries the JSON plan).
 * The saved plan is `<stack dir>/offline.tfplan`.
 */
export async function planAllOfflineText(
  stacks: SynthesizedStack[],
  env: NodeJS.ProcessEnv,
  opts: Omit<PlanAllOfflineOptions, 'onResult'> & { json?: boolean; onResult?: (s: SynthesizedStack, r: StackPlanText | StackPlanResult | Error, seconds: number) => void } = {},
): Promise<Array<StackPlanText | StackPlanResult | Error>> {
  return planEach(stacks, env, opts, (s) => (opts.json ? planStack(s, env, { color: opts.color }) : planStackText(s, env, { color: opts.color })));
}
