import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeCliConfig } from './cli-config';

/** One stack of a synthesized app (read from `<outdir>/manifest.json`). */
export interface SynthesizedStack {
  readonly id: string;
  /** Absolute working directory (holds `cdk.tf.json`). */
  readonly dir: string;
  /** Provider names from `required_providers`, e.g. `["aws"]`. */
  readonly providers: string[];
  /** Ids of the stacks this one deploys after. */
  readonly dependencies: string[];
  /** Backend type from `terraform.backend` (`s3`, `local`...); `local` when none is set (Terraform's default). */
  readonly backend?: string;
}

export interface PlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

export interface OfflinePlanResult extends PlanSummary {
  /** Human-readable plan. */
  readonly text: string;
  /** `terraform show -json` of the saved plan. */
  readonly plan: TerraformPlanJson;
}

/** The parts of Terraform's JSON plan representation the helpers use. */
export interface TerraformPlanJson {
  readonly resource_changes?: Array<{ address: string; type: string; name: string; change: { actions: string[]; after?: Record<string, unknown> } }>;
  readonly planned_values?: { outputs?: Record<string, { value?: unknown; sensitive?: boolean }> };
}

/** Stacks of a synthesized app, in the manifest's order. */
export function listStacks(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { name: string; workingDirectory: string; synthesizedStackPath: string; dependencies: string[] }>;
  };
  return Object.values(manifest.stacks).map((s) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')) as { terraform?: { required_providers?: Record<string, unknown>; backend?: Record<string, unknown> } };
    const backend = Object.keys(json.terraform?.backend ?? {})[0] ?? 'local';
    return { id: s.name, dir: path.resolve(outdir, s.workingDirectory), providers: Object.keys(json.terraform?.required_providers ?? {}), dependencies: s.dependencies, backend };
  });
}

/** Stacks Terraform can run here: every provider is `aws` (helm/kubernetes binaries may be absent). */
export function isAwsOnly(stack: SynthesizedStack): boolean {
  return stack.providers.length > 0 && stack.providers.every((p) => p === 'aws');
}

/** Orders stacks so each comes after its dependencies. */
export function inDependencyOrder(stacks: SynthesizedStack[]): SynthesizedStack[] {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const done = new Set<string>();
  const out: SynthesizedStack[] = [];
  const visit = (s: SynthesizedStack) => {
    if (done.has(s.id)) return;
    done.add(s.id);
    s.dependencies.forEach((d) => byId.has(d) && visit(byId.get(d)!));
    out.push(s);
  };
  stacks.forEach(visit);
  return out;
}

/**
 * Environment for Terraform with real credentials (CI, deploys): keeps `TF_CLI_CONFIG_FILE` when it
 * names an existing file, else uses the project's generated config (a missing file is an error for
 * Terraform); no prompts, no update check.
 */
export function terraformEnv(projectRoot: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const configured = base.TF_CLI_CONFIG_FILE;
  const keep = !!configured && fs.existsSync(configured);
  return {
    ...base,
    TF_CLI_CONFIG_FILE: keep ? configured : writeCliConfig(projectRoot, base),
    CHECKPOINT_DISABLE: base.CHECKPOINT_DISABLE ?? '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
}

/**
 * Environment for offline Terraform: project CLI config, mock credentials, no metadata service.
 * Terraform and the AWS provider are short-lived Go processes whose heaps stay well under 512 MiB
 * here: collecting garbage only near that limit (unless GOGC or GOMEMLIMIT is set) saves about a
 * third of their CPU time.
 */
export function offlineTerraformEnv(projectRoot: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const gc = base.GOGC === undefined && base.GOMEMLIMIT === undefined ? { GOGC: 'off', GOMEMLIMIT: '512MiB' } : {};
  return {
    ...base,
    ...gc,
    TF_CLI_CONFIG_FILE: writeCliConfig(projectRoot, base),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    AWS_ACCESS_KEY_ID: 'AKIAOFFLINEMOCK00000',
    AWS_SECRET_ACCESS_KEY: 'offline-mock-secret',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform with arguments in `cwd`; resolves with its exit code and output. */
export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => reject(new Error(`cannot run terraform (${e.message}); install Terraform >= 1.10 and put it on PATH`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Runs terraform in the stack's directory; throws with its output unless the exit code is one of `ok`. */
export async function mustRun(args: string[], stack: SynthesizedStack, env: NodeJS.ProcessEnv, ok: number[] = [0]): Promise<RunResult> {
  const r = await terraform(args, stack.dir, env);
  if (!ok.includes(r.code)) throw new Error(`terraform ${args[0]} failed for ${stack.id} (exit ${r.code}):\n${r.stderr || r.stdout}`);
  return r;
}

/** Counts planned actions the way `terraform plan` summarises them (a replace is one add and one destroy). */
export function summarise(stack: string, plan: TerraformPlanJson): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change.actions;
    if (a.includes('create')) add++;
    if (a.includes('delete')) destroy++;
    if (a.includes('update')) change++;
  }
  return { stack, add, change, destroy };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * The counts of Terraform's own summary line in a plan's text: `Plan: 1 to import, 2 to add, 0 to
 * change, 1 to destroy.`, or zeros for `No changes.` (or a plan that changes outputs only).
 * Undefined when the text has neither (not a plan's output).
 */
export function countsFromPlanText(text: string): { add: number; change: number; destroy: number } | undefined {
  const plain = text.replace(ANSI, '');
  const m = /^Plan: (?:\d+ to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy/m.exec(plain);
  if (m) return { add: Number(m[1]), change: Number(m[2]), destroy: Number(m[3]) };
  if (/^No changes\.|^Changes to Outputs:|You can apply this plan to save these new output values/m.test(plain)) return { add: 0, change: 0, destroy: 0 };
  return undefined;
}

/**
 * `terraform init` of one stack (plus `extraArgs`, e.g. `-backend=false`). Run the first init of a
 * plugin cache alone: parallel inits race to fill it. Offline stacks share one init (`initOffline`).
 */
export async function initStack(stack: SynthesizedStack, env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<void> {
  await mustRun(['init', '-input=false', '-no-color', ...extraArgs], stack, env);
}

/** How `planStack` runs `terraform plan`. */
export interface PlanOptions {
  /** Saved plan file, relative to the stack directory or absolute. @default "offline.tfplan" */
  readonly out?: string;
  /** Take the state lock; offline plans of throwaway local state need none. @default false */
  readonly lock?: boolean;
  /** `-lock-timeout` when locking (CI jobs queue behind each other instead of failing). @default "0s" */
  readonly lockTimeout?: string;
  /**
   * Run `terraform validate` before planning. `terraform plan` validates the configuration itself
   * and reports the same errors, so this only costs one more provider start-up. @default false
   */
  readonly validate?: boolean;
  /** Keep Terraform's colours in the plan text. @default false */
  readonly color?: boolean;
}

/** A saved plan, its text and Terraform's own counts (no JSON: see `planStack`). */
export interface StackPlanText extends PlanSummary {
  /** Human-readable plan. */
  readonly text: string;
  /** Terraform's own verdict (`-detailed-exitcode` 2): resources or outputs would change. */
  readonly changed: boolean;
  /** Absolute path of the saved plan. */
  readonly planFile: string;
}

export interface StackPlanResult extends OfflinePlanResult, StackPlanText {}

/**
 * `terraform plan -detailed-exitcode -out=<file>` of one initialised stack (after `validate` if
 * asked), counts from Terraform's summary line. Exit code 2 (changes present) is success; anything
 * else but 0 throws. One Terraform run: use it when the counts and text are all you need.
 */
export async function planStackText(stack: SynthesizedStack, env: NodeJS.ProcessEnv, opts: PlanOptions = {}): Promise<StackPlanText> {
  const nc = opts.color ? [] : ['-no-color'];
  if (opts.validate) await mustRun(['validate', ...nc], stack, env);
  const planFile = path.resolve(stack.dir, opts.out ?? 'offline.tfplan');
  const lock = opts.lock ? [`-lock-timeout=${opts.lockTimeout ?? '0s'}`] : ['-lock=false'];
  const args = ['plan', '-input=false', ...lock, '-detailed-exitcode', `-out=${planFile}`, ...nc];
  const planned = await mustRun(args, stack, env, [0, 2]);
  const counts = countsFromPlanText(planned.stdout);
  if (!counts) throw new Error(`terraform plan for ${stack.id} printed no summary line:\n${planned.stdout}`);
  return { stack: stack.id, ...counts, text: planned.stdout, changed: planned.code === 2, planFile };
}

/**
 * `planStackText`, then `show -json` of the saved plan for the planned values (one more provider
 * start-up); the counts come from the JSON.
 */
export async function planStack(stack: SynthesizedStack, env: NodeJS.ProcessEnv, opts: PlanOptions = {}): Promise<StackPlanResult> {
  const planned = await planStackText(stack, env, opts);
  const shown = await mustRun(['show', '-json', planned.planFile], stack, env);
  const plan = JSON.parse(shown.stdout) as TerraformPlanJson;
  return { ...planned, ...summarise(stack.id, plan), plan };
}

/** `terraform apply` of a saved plan (no new plan, no prompt), holding the state lock up to `lockTimeout`. */
export async function applyPlan(stack: SynthesizedStack, env: NodeJS.ProcessEnv, planFile: string, opts: { lockTimeout?: string; color?: boolean } = {}): Promise<RunResult> {
  const nc = opts.color ? [] : ['-no-color'];
  return mustRun(['apply', '-input=false', `-lock-timeout=${opts.lockTimeout ?? '0s'}`, ...nc, path.resolve(stack.dir, planFile)], stack, env);
}

/** Runs `fn` over `items` with at most `limit` running at once, keeping the input order in the results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The line of an error message worth showing on its own: Terraform's first `Error: <summary>`
 * (without the `│ ` frame of its diagnostics), else the first non-empty line.
 */
export function firstErrorLine(message: string): string {
  const lines = message.replace(ANSI, '').split('\n').map((l) => l.replace(/^[\s│╷╵]+/, '').trimEnd());
  return lines.find((l) => l.startsWith('Error: ')) ?? lines.find((l) => l.length > 0) ?? '';
}

/** Markdown table of plan summaries. */
export function summaryTable(rows: Array<PlanSummary & { status?: string }>): string {
  // A status column when the rows carry one (the pipeline's: changes, no-changes, error, skipped...).
  if (rows.some((r) => r.status !== undefined)) {
    const head = ['| stack | add | change | destroy | status |', '| --- | ---: | ---: | ---: | --- |'];
    return [...head, ...rows.map((r) => `| ${r.stack} | ${r.add} | ${r.change} | ${r.destroy} | ${r.status ?? ''} |`)].join('\n');
  }
  const lines = ['| stack | add | change | destroy |', '| --- | ---: | ---: | ---: |', ...rows.map((r) => `| ${r.stack} | ${r.add} | ${r.change} | ${r.destroy} |`)];
  return lines.join('\n');
}
