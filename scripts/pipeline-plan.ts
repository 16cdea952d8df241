/**
 * What a CI job runs:
 *
 *   npm run pipeline:plan  -- <env> [--offline] [--detailed-exitcode] [--out <dir>] [--stack <id>]... [--cluster-stacks only|exclude]
 *   npm run pipeline:apply -- <env> [--out <dir>] [--stack <id>]... [--cluster-stacks only|exclude]
 *   npm run -s pipeline:plan -- <env> --list            # JSON array of the stacks it would plan (CI matrix):
 *                                                        # [{"stack":"dev-network","cluster":false},...]
 *
 * Synthesizes the environment, then for each of its stacks Terraform can run here: `terraform init`
 * (the stack's S3 backend; with `--offline` a local throwaway backend and one init shared by every
 * stack), `terraform plan -input=false -lock-timeout=5m -out=<out>/<stack>.tfplan` (which validates
 * the configuration; the counts are those of Terraform's summary line), and writes
 * `<out>/plan-summary.json` and `<out>/plan-summary.md` (stack, add, change, destroy, status).
 *
 * Which stacks: with `--offline` (PLATFORM_OFFLINE=1: mock credentials, stub upstream outputs, no
 * account) those whose providers are all `aws`; otherwise every stack with a remote backend. Stacks
 * with local state (the `<env>-state` bootstrap stack: state bucket, CI roles) are applied by hand and
 * listed as skipped.
 *
 * Exit code: 1 when synthesis or any stack fails (the others still plan), else 2 with
 * `--detailed-exitcode` when any stack has changes (drift checks), else 0.
 *
 * `--apply` (pipeline:apply): in dependency order, plans each stack and applies that saved plan before
 * planning the next, so downstream plans read the outputs upstream stacks just wrote; stops at the
 * first failure. Not with `--offline`.
 *
 * Cluster stacks are those with a `kubernetes` or `helm` provider: they talk to the Kubernetes API, so CI
 * runs them on a runner that can reach the cluster's endpoint. `--cluster-stacks only` selects just
 * them, `--cluster-stacks exclude` all the others (with `--stack`, within those named); `--list` marks
 * each stack with `cluster`. A split is refused when a non-cluster stack depends on a cluster stack
 * (it would be applied before its upstream).
 *
 * Other options: `--synth-dir <dir>` (default cdktf.out; offline-plan with `--offline`, so offline
 * inits never touch the directory deploys use), `--lock-timeout <d>` (default 5m), `--concurrency <n>`
 * plans at once (default 2), `--app <module>` a module exporting `buildApp(outdir, env)` like main.ts
 * (default main.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { App } from 'cdktf';
import {
  OFFLINE_PLAN_DIR,
  SynthesizedStack,
  applyPlan,
  inDependencyOrder,
  initOffline,
  initStack,
  isAwsOnly,
  listStacks,
  mapLimit,
  offlineTerraformEnv,
  planStackText,
  prepareOfflineState,
  summaryTable,
  terraformEnv,
} from '../modules/testing';
import { unknownStacksError } from './lib/stack-selection';

/**
 * `waiting`: the plan needs an upstream stack's state (or an output) that its first apply writes; not a
 * failure in a plan run. `unreachable`: the stack talks to the cluster's API and this runner cannot
 * reach it (a private endpoint, an allowlist); the other stacks still run.
 */
export type StackStatus = 'changes' | 'no-changes' | 'applied' | 'waiting' | 'unreachable' | 'error' | 'skipped';

export interface StackReport {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly status: StackStatus;
  /** Saved plan, relative to the out dir. */
  readonly planFile?: string;
  /** Why a stack was skipped, waits or could not reach the cluster: one line. */
  readonly reason?: string;
  /** Terraform's error output. */
  readonly error?: string;
}

export interface PipelineSummary {
  readonly environment: string;
  readonly mode: 'offline' | 'remote';
  readonly action: 'plan' | 'apply';
  readonly stacks: StackReport[];
  readonly totals: { add: number; change: number; destroy: number; changed: number; errors: number; skipped: number; waiting: number; unreachable: number };
  readonly exitCode: number;
}

export interface PipelineOptions {
  readonly environment: string;
  readonly offline: boolean;
  readonly detailedExitcode: boolean;
  readonly apply: boolean;
  readonly list: boolean;
  readonly out: string;
  readonly synthDir: string;
  readonly stacks: string[];
  readonly lockTimeout: string;
  readonly concurrency: number;
  readonly app: string;
  /** Which stacks by cluster access: `all`, `only` the cluster stacks, or `exclude` them. */
  readonly clusterStacks: ClusterStackSelection;
}

export const CLUSTER_STACK_SELECTIONS = ['all', 'only', 'exclude'] as const;
export type ClusterStackSelection = (typeof CLUSTER_STACK_SELECTIONS)[number];

/** Providers whose stacks talk to the Kubernetes API (and need a runner that reaches the endpoint). */
export const CLUSTER_PROVIDERS = ['kubernetes', 'helm'] as const;

/** Whether a stack talks to the Kubernetes API: it uses the kubernetes or helm provider. */
export function isClusterStack(stack: Pick<SynthesizedStack, 'providers'>): boolean {
  return stack.providers.some((p) => (CLUSTER_PROVIDERS as readonly string[]).includes(p));
}

const USAGE =
  'usage: npm run pipeline:plan -- <env> [--offline] [--detailed-exitcode] [--out <dir>] [--stack <id>]... [--cluster-stacks only|exclude] [--list] [--apply] [--synth-dir <dir>] [--lock-timeout <d>] [--concurrency <n>] [--app <module>]';

export class UsageError extends Error {}

export function parseArgs(argv: string[], root: string): PipelineOptions {
  const positional: string[] = [];
  const stacks: string[] = [];
  const flags = { offline: false, detailedExitcode: false, apply: false, list: false };
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--offline': flags.offline = true; break;
      case '--detailed-exitcode': flags.detailedExitcode = true; break;
      case '--apply': flags.apply = true; break;
      case '--list': flags.list = true; break;
      case '--stack': stacks.push(...value().split(',').filter(Boolean)); break;
      case '--out': case '--synth-dir': case '--lock-timeout': case '--concurrency': case '--app': case '--cluster-stacks':
        values[flag] = value();
        break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}\n${USAGE}`);
        positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError(`name exactly one environment\n${USAGE}`);
  if (flags.apply && flags.offline) throw new UsageError('--apply cannot be combined with --offline: offline plans use mock credentials and stub outputs');
  const concurrency = Number(values['--concurrency'] ?? 2);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency: ${values['--concurrency']} is not a whole number >= 1`);
  const lockTimeout = values['--lock-timeout'] ?? '5m';
  if (!/^\d+(ms|s|m|h)$/.test(lockTimeout)) throw new UsageError(`--lock-timeout: ${lockTimeout} is not a duration such as 30s or 5m`);
  const clusterStacks = values['--cluster-stacks'] ?? 'all';
  if (!(CLUSTER_STACK_SELECTIONS as readonly string[]).includes(clusterStacks)) throw new UsageError(`--cluster-stacks: ${clusterStacks} is not a selection; allowed: only, exclude`);
  return {
    environment: positional[0],
    ...flags,
    out: path.resolve(values['--out'] ?? path.join(root, 'plan-summary')),
    // Offline stacks are initialised with a local backend: never in the directory deploys use.
    synthDir: path.resolve(values['--synth-dir'] ?? path.join(root, flags.offline ? OFFLINE_PLAN_DIR : 'cdktf.out')),
    stacks,
    lockTimeout,
    concurrency,
    app: path.resolve(values['--app'] ?? path.join(root, 'main')),
    clusterStacks: clusterStacks as ClusterStackSelection,
  };
}

/** Synthesizes the environment with the app module's `buildApp(outdir, env)`; returns its stacks in dependency order. */
export function synthesizeEnvironment(opts: PipelineOptions, base: NodeJS.ProcessEnv = process.env): SynthesizedStack[] {
  const mod = require(opts.app) as { buildApp?: (outdir: string, env: NodeJS.ProcessEnv) => App };
  if (typeof mod.buildApp !== 'function') throw new Error(`${opts.app} exports no buildApp(outdir, env)`);
  fs.mkdirSync(opts.synthDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...base, PLATFORM_ENVIRONMENTS: opts.environment, ...(opts.offline ? { PLATFORM_OFFLINE: '1' } : {}) };
  mod.buildApp(opts.synthDir, env).synth();
  const stacks = inDependencyOrder(listStacks(opts.synthDir).filter((s) => s.id.startsWith(`${opts.environment}-`)));
  if (stacks.length === 0) throw new UsageError(`the app synthesized no stack of environment "${opts.environment}"`);
  const unknown = unknownStacksError(opts.stacks, stacks);
  if (unknown) throw new UsageError(unknown);
  return stacks;
}

/** The stacks `--stack` names (or all of them), narrowed by `--cluster-stacks`. */
export function selectStacks(opts: Pick<PipelineOptions, 'stacks' | 'clusterStacks'>, stacks: SynthesizedStack[]): SynthesizedStack[] {
  const named = opts.stacks.length ? stacks.filter((s) => opts.stacks.includes(s.id)) : stacks;
  const mode = opts.clusterStacks ?? 'all';
  return mode === 'all' ? named : named.filter((s) => isClusterStack(s) === (mode === 'only'));
}

/**
 * Why the stacks cannot be split into non-cluster stacks first and cluster stacks after, or undefined:
 * a non-cluster stack that depends on a cluster stack would be applied before it.
 */
export function clusterSplitProblem(stacks: SynthesizedStack[]): string | undefined {
  const cluster = new Set(stacks.filter(isClusterStack).map((s) => s.id));
  const bad = stacks.filter((s) => !cluster.has(s.id) && s.dependencies.some((d) => cluster.has(d)));
  if (bad.length === 0) return undefined;
  return `--cluster-stacks: ${bad.map((s) => `${s.id} (no ${CLUSTER_PROVIDERS.join('/')} provider) depends on ${s.dependencies.filter((d) => cluster.has(d)).join(', ')}`).join('; ')}; allowed: run without --cluster-stacks`;
}

/** One entry of `--list`: a stack of the CI matrix and whether it needs a runner that reaches the cluster. */
export interface ListedStack {
  readonly stack: string;
  readonly cluster: boolean;
}

/** What `--list` prints: the stacks this run would plan, in dependency order. */
export function listedStacks(opts: Pick<PipelineOptions, 'stacks' | 'clusterStacks' | 'offline'>, stacks: SynthesizedStack[]): ListedStack[] {
  return selectStacks(opts, stacks)
    .filter((s) => !skipReason(s, opts.offline))
    .map((s) => ({ stack: s.id, cluster: isClusterStack(s) }));
}

/** Why Terraform cannot (or should not) run a stack in this mode, or undefined when it can. */
export function skipReason(stack: SynthesizedStack, offline: boolean): string | undefined {
  if (offline && !isAwsOnly(stack)) return `providers ${stack.providers.join(', ') || '(none)'}: only aws-only stacks plan offline`;
  if (!offline && stack.backend === 'local') return 'local state (bootstrap stack): apply it by hand, see docs/usage.md';
  return undefined;
}

/**
 * The pipeline's exit code for these reports: 1 for an error, an unreachable cluster, nothing run at
 * all, or (applying) a stack still waiting for its upstream; else 2 with `detailedExitcode` when
 * something would change (a stack waiting for an upstream apply counts: it has changes to come); else 0.
 */
export function exitCodeFor(reports: StackReport[], detailedExitcode: boolean, apply = false): number {
  if (reports.some((r) => r.status === 'error' || r.status === 'unreachable' || (apply && r.status === 'waiting'))) return 1;
  if (reports.every((r) => r.status === 'skipped')) return 1; // nothing planned at all: a misconfigured job
  return detailedExitcode && reports.some((r) => r.status === 'changes' || r.status === 'waiting') ? 2 : 0;
}

/** Terraform's diagnostics in an error message, one string per `Error:` block. */
function errorBlocks(message: string): string[] {
  return message.split(/^[│\s]*Error: /m).slice(1);
}

// Reading an upstream stack's state before its first apply (the S3 object or local file is missing),
// or an output its next apply adds.
const NO_UPSTREAM_STATE = /^Unable to find remote state/;
const NO_UPSTREAM_OUTPUT = /^Unsupported attribute[\s\S]*terraform_remote_state/;
// What the Kubernetes and Helm providers (client-go) report when the API endpoint does not answer.
const CLUSTER_UNREACHABLE = /Kubernetes cluster unreachable|dial tcp[^\n]*(i\/o timeout|connection refused|no such host|network is unreachable)|TLS handshake timeout|Client\.Timeout exceeded|context deadline exceeded/;

/**
 * A failed plan that is not a failure of the stack itself: `waiting` when every error is a read of an
 * upstream stack's state or output that is not there yet (first deploy, or an output added upstream in
 * the same change), naming the upstream stacks; `unreachable` when every error is the cluster's API not
 * answering (only for stacks with a kubernetes or helm provider). Undefined for real errors.
 */
export function classifyFailure(stack: SynthesizedStack, message: string): { status: 'waiting' | 'unreachable'; reason: string } | undefined {
  const blocks = errorBlocks(message);
  if (blocks.length === 0) return undefined;
  if (blocks.every((b) => NO_UPSTREAM_STATE.test(b) || NO_UPSTREAM_OUTPUT.test(b))) {
    // Our stacks name their reads `<part>-outputs` (PlatformStack.consume); otherwise name every upstream.
    const parts = [...message.matchAll(/data\.terraform_remote_state\.([\w-]+?)(?:-outputs)?\b(?![\w-])/g)].map((m) => m[1]);
    const named = stack.dependencies.filter((d) => parts.some((p) => d.endsWith(`-${p}`) || d === p));
    const upstream = (named.length ? named : stack.dependencies).join(', ') || 'an upstream stack';
    const what = blocks.every((b) => NO_UPSTREAM_STATE.test(b)) ? 'the first apply of' : 'an apply of';
    return { status: 'waiting', reason: `waits for ${what} ${upstream} (its state or output is not there yet)` };
  }
  if (isClusterStack(stack) && blocks.every((b) => CLUSTER_UNREACHABLE.test(b))) {
    const detail = (blocks[0].match(CLUSTER_UNREACHABLE) ?? [''])[0];
    return { status: 'unreachable', reason: `the cluster's API endpoint cannot be reached from this runner (${detail}): run this stack's job on a runner inside the VPC (docs/usage.md)` };
  }
  return undefined;
}

export function summarize(opts: Pick<PipelineOptions, 'environment' | 'offline' | 'apply' | 'detailedExitcode'>, reports: StackReport[]): PipelineSummary {
  const sum = (k: 'add' | 'change' | 'destroy') => reports.reduce((n, r) => n + r[k], 0);
  return {
    environment: opts.environment,
    mode: opts.offline ? 'offline' : 'remote',
    action: opts.apply ? 'apply' : 'plan',
    stacks: reports,
    totals: {
      add: sum('add'),
      change: sum('change'),
      destroy: sum('destroy'),
      changed: reports.filter((r) => r.status === 'changes' || r.status === 'applied').length,
      errors: reports.filter((r) => r.status === 'error').length,
      skipped: reports.filter((r) => r.status === 'skipped').length,
      waiting: reports.filter((r) => r.status === 'waiting').length,
      unreachable: reports.filter((r) => r.status === 'unreachable').length,
    },
    exitCode: exitCodeFor(reports, opts.detailedExitcode && !opts.apply, opts.apply),
  };
}

/** The markdown summary (a table, then skip reasons and errors), for `$GITHUB_STEP_SUMMARY` or a PR comment. */
export function renderMarkdown(s: PipelineSummary): string {
  const title = `### Terraform ${s.action}: ${s.environment}${s.mode === 'offline' ? ' (offline)' : ''}`;
  const t = s.totals;
  const more = [t.waiting ? `${t.waiting} waiting for an upstream apply` : '', t.unreachable ? `${t.unreachable} could not reach the cluster` : ''].filter(Boolean);
  const lines = [title, '', summaryTable(s.stacks), '', `**${t.add} to add, ${t.change} to change, ${t.destroy} to destroy** in ${t.changed} stack(s); ${[`${t.errors} error(s)`, ...more, `${t.skipped} skipped`].join(', ')}.`];
  const explained = s.stacks.filter((r) => r.reason);
  if (explained.length) lines.push('', ...explained.map((r) => `- ${r.stack} ${r.status}: ${r.reason}`));
  for (const r of s.stacks.filter((x) => x.status === 'error')) {
    const text = (r.error ?? '').split('\n').slice(0, 80).join('\n').replace(/```/g, "'''");
    lines.push('', `<details><summary>${r.stack} failed</summary>`, '', '```', text, '```', '', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

export function writeSummary(out: string, summary: PipelineSummary): { json: string; md: string } {
  fs.mkdirSync(out, { recursive: true });
  const json = path.join(out, 'plan-summary.json');
  const md = path.join(out, 'plan-summary.md');
  fs.writeFileSync(json, `${JSON.stringify(summary, null, 2)}\n`);
  fs.writeFileSync(md, renderMarkdown(summary));
  return { json, md };
}

const zero = { add: 0, change: 0, destroy: 0 };
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Plans (or plans and applies) the stacks; never throws for a stack's failure, which becomes its report. */
export async function runPipeline(opts: PipelineOptions, stacks: SynthesizedStack[], root: string, log: (s: string) => void = (s) => process.stdout.write(s)): Promise<StackReport[]> {
  const env = opts.offline ? offlineTerraformEnv(root) : terraformEnv(root);
  const selected = selectStacks(opts, stacks);
  const runnable = selected.filter((s) => !skipReason(s, opts.offline));
  fs.mkdirSync(opts.out, { recursive: true });
  if (opts.offline) prepareOfflineState(stacks.filter((s) => !skipReason(s, true)));
  const banner = (s: SynthesizedStack, text: string) => log(`\n==================== ${s.id} ====================\n${text}`);
  const planOne = async (s: SynthesizedStack): Promise<StackReport> => {
    const planFile = `${s.id}.tfplan`;
    try {
      const r = await planStackText(s, env, { out: path.join(opts.out, planFile), lock: true, lockTimeout: opts.lockTimeout });
      banner(s, r.text);
      return { stack: s.id, add: r.add, change: r.change, destroy: r.destroy, status: r.changed ? 'changes' : 'no-changes', planFile };
    } catch (e) {
      const known = classifyFailure(s, message(e));
      if (known) {
        // One line, not Terraform's diagnostics: it is a state of the pipeline, not a fault of the stack.
        banner(s, `${s.id} ${known.status}: ${known.reason}\n`);
        return { stack: s.id, ...zero, ...known };
      }
      banner(s, `${message(e)}\n`);
      return { stack: s.id, ...zero, status: 'error', error: message(e) };
    }
  };

  const reports = new Map<string, StackReport>();
  for (const s of selected) {
    const reason = skipReason(s, opts.offline);
    if (reason) reports.set(s.id, { stack: s.id, ...zero, status: 'skipped', reason });
  }
  // Offline stacks share one init; the others init one at a time (parallel inits race to fill the plugin cache).
  const ready: SynthesizedStack[] = [];
  const initErrors = opts.offline ? await initOffline(runnable, root, env) : new Map<string, Error>();
  for (const s of runnable) {
    try {
      const offlineError = initErrors.get(s.id);
      if (offlineError) throw offlineError;
      if (!opts.offline) await initStack(s, env);
      ready.push(s);
    } catch (e) {
      banner(s, `${message(e)}\n`);
      reports.set(s.id, { stack: s.id, ...zero, status: 'error', error: message(e) });
    }
  }
  if (!opts.apply) {
    const planned = await mapLimit(ready, opts.concurrency, planOne);
    planned.forEach((r) => reports.set(r.stack, r));
  } else {
    // An error stops every stack after it (a deploy half done is reviewed before it goes on); a stack
    // that cannot reach the cluster stops only the stacks that depend on it.
    let failed: string | undefined;
    const blocked = new Map<string, string>();
    const blocker = (s: SynthesizedStack) => s.dependencies.map((d) => blocked.get(d)).find(Boolean);
    for (const s of runnable) {
      const upstream = blocker(s);
      if (failed || upstream || !ready.includes(s)) {
        if (!failed && !upstream) failed = s.id;
        if (upstream) blocked.set(s.id, upstream);
        if (!reports.has(s.id)) reports.set(s.id, { stack: s.id, ...zero, status: 'skipped', reason: upstream ? `not run: ${upstream} could not reach the cluster` : `not run: ${failed} failed first` });
        continue;
      }
      const r = await planOne(s);
      if (r.status === 'changes') {
        try {
          const applied = await applyPlan(s, env, path.join(opts.out, r.planFile!), { lockTimeout: opts.lockTimeout });
          log(applied.stdout);
          reports.set(s.id, { ...r, status: 'applied' });
        } catch (e) {
          const known = classifyFailure(s, message(e));
          reports.set(s.id, known?.status === 'unreachable' ? { ...r, ...known } : { ...r, status: 'error', error: message(e) });
          if (known?.status === 'unreachable') blocked.set(s.id, s.id);
          else failed = s.id;
        }
      } else {
        reports.set(s.id, r);
        if (r.status === 'unreachable') blocked.set(s.id, s.id);
        // Waiting while applying: its upstream was not applied in this run (not selected, or failed).
        else if (r.status === 'error' || r.status === 'waiting') failed = s.id;
      }
    }
  }
  return selected.map((s) => reports.get(s.id)!);
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..');
  let opts: PipelineOptions;
  try {
    opts = parseArgs(process.argv.slice(2), root);
  } catch (e) {
    console.error(message(e));
    return 64;
  }
  // Nothing run: the error on stderr and, for a plan or apply job, a summary saying so.
  const refuse = (text: string) => {
    console.error(text);
    if (!opts.list) writeSummary(opts.out, { ...summarize(opts, []), exitCode: 1 });
    return 1;
  };
  let stacks: SynthesizedStack[];
  try {
    stacks = synthesizeEnvironment(opts);
  } catch (e) {
    const err = e as Error;
    return refuse(err.name === 'ConfigError' ? `Configuration error: ${err.message}` : err instanceof UsageError ? err.message : `Synthesis failed: ${err.stack ?? err.message}`);
  }
  const split = opts.clusterStacks === 'all' ? undefined : clusterSplitProblem(stacks);
  if (split) return refuse(split);
  if (opts.list) {
    process.stdout.write(`${JSON.stringify(listedStacks(opts, stacks))}\n`);
    return 0;
  }
  const reports = await runPipeline(opts, stacks, root);
  const summary = summarize(opts, reports);
  const files = writeSummary(opts.out, summary);
  process.stdout.write(`\n${renderMarkdown(summary)}\nWrote ${path.relative(process.cwd(), files.json)} and ${path.relative(process.cwd(), files.md)}\n`);
  return summary.exitCode;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
