/**
 * `npm run plan [-- <env> ...] [--stack <id>]... [--verbose]`: the newcomer's command. Synthesizes
 * the environments (default all) in offline mode into `offline-plan/` (never `cdktf.out/`, the
 * directory cdktf deploy and diff initialise with the real backends), then runs a real `terraform
 * plan` of every stack whose providers are all `aws` (mock credentials, local throwaway state, stub
 * upstream outputs: no AWS account needed), one per core at a time.
 *
 * It prints one line per stack as soon as that stack is done (adds/changes/destroys and seconds, or
 * the first error line), then a summary naming every failed stack; the full plans go to
 * `offline-plan/plans/<stack>.txt` (`--verbose` prints them too) and their `terraform show -json` to
 * `offline-plan/plans/<stack>.json` (what `npm run cost` reads). Exit code 1 when any stack fails.
 * Stacks with other providers (helm, kubernetes) are synthesized and listed but not planned.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../environments';
import { buildApp } from '../main';
import { unknownStacksError } from './lib/stack-selection';
import { OFFLINE_PLAN_DIR, SynthesizedStack, StackPlanText, defaultConcurrency, firstErrorLine, inDependencyOrder, isAwsOnly, listStacks, offlineTerraformEnv, planAllOfflineText, summaryTable } from '../modules/testing';

export interface PlanArgs {
  readonly environments: string[];
  readonly stacks: string[];
  readonly verbose: boolean;
}

const USAGE = 'usage: npm run plan -- [<env> ...] [--stack <id>]... [--verbose]';

export function parsePlanArgs(argv: string[]): PlanArgs {
  const environments: string[] = [];
  const stacks: string[] = [];
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--stack' || a.startsWith('--stack=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`--stack needs a stack id\n${USAGE}`);
      stacks.push(...v.split(',').filter(Boolean));
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else environments.push(a);
  }
  return { environments, stacks, verbose };
}

const rel = (p: string) => path.relative(process.cwd(), p) || '.';
const counts = (r: StackPlanText) => `+${r.add} ~${r.change} -${r.destroy}`;

export interface ReportOptions {
  /** Project root (shared init, CLI config). */
  readonly root: string;
  /** Where `<stack>.txt` plans are written. */
  readonly plansDir: string;
  readonly verbose: boolean;
  readonly concurrency: number;
  /** Plans the stacks, calling `onResult` as each finishes. @default planAllOfflineText */
  readonly planAll?: typeof planAllOfflineText;
  readonly log?: (line: string) => void;
  readonly logError?: (line: string) => void;
}

/**
 * Plans the AWS stacks, printing one line per stack as it finishes and writing its full plan (or
 * error) to `<plansDir>/<stack>.txt`, then the summary; returns the exit code (1 if any failed).
 */
export async function planAndReport(aws: SynthesizedStack[], skipped: SynthesizedStack[], opts: ReportOptions): Promise<number> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const logError = opts.logError ?? ((l: string) => console.error(l));
  fs.mkdirSync(opts.plansDir, { recursive: true });
  log(`Planning ${aws.length} AWS stack(s) offline, ${opts.concurrency} at a time; full plans in ${rel(opts.plansDir)}/`);
  const width = Math.max(0, ...aws.map((s) => s.id.length));
  const start = Date.now();
  const planAll = opts.planAll ?? planAllOfflineText;
  const results = await planAll(aws, offlineTerraformEnv(opts.root), {
    root: opts.root,
    concurrency: opts.concurrency,
    // The planned values for `npm run cost`: one more provider start-up per stack, here rather than
    // one per stack on every estimate.
    json: true,
    onResult: (s, r, seconds) => {
      const file = path.join(opts.plansDir, `${s.id}.txt`);
      fs.writeFileSync(file, r instanceof Error ? `${r.message}\n` : r.text);
      const jsonFile = path.join(opts.plansDir, `${s.id}.json`);
      if (!(r instanceof Error) && 'plan' in r) fs.writeFileSync(jsonFile, JSON.stringify(r.plan));
      else fs.rmSync(jsonFile, { force: true });
      const what = r instanceof Error ? `FAILED  ${firstErrorLine(r.message)}` : `${counts(r).padEnd(14)} ${rel(file)}`;
      log(`  ${s.id.padEnd(width)}  ${seconds.toFixed(1).padStart(5)} s  ${what}`);
      if (opts.verbose) log(`\n${r instanceof Error ? r.message : r.text}`);
    },
  });

  const failed = aws.map((s, i) => [s, results[i]] as const).filter((x): x is readonly [SynthesizedStack, Error] => x[1] instanceof Error);
  const rows = aws.map((s, i) => {
    const r = results[i];
    return r instanceof Error ? { stack: s.id, add: 0, change: 0, destroy: 0, status: 'failed' } : { stack: s.id, add: r.add, change: r.change, destroy: r.destroy, status: r.changed ? 'changes' : 'no changes' };
  });
  log(`\nOffline plan summary: ${aws.length - failed.length} of ${aws.length} AWS stacks planned in ${((Date.now() - start) / 1000).toFixed(0)} s\n`);
  log(summaryTable(rows));
  if (skipped.length) log(`\nSynthesized, not planned here (providers ${[...new Set(skipped.flatMap((s) => s.providers))].join(', ')}): ${skipped.map((s) => s.id).join(', ')}`);
  if (aws.length) log(`\nFull plans: ${rel(opts.plansDir)}/<stack>.txt (JSON: <stack>.json, for npm run cost); saved plans and Terraform working directories: ${rel(path.dirname(aws[0].dir))}/<stack>/`);
  if (!failed.length) return 0;
  logError(`\n${failed.length} stack(s) failed to plan:`);
  for (const [s, e] of failed) logError(`  ${s.id}: ${firstErrorLine(e.message)} (see ${rel(path.join(opts.plansDir, `${s.id}.txt`))})`);
  return 1;
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..');
  let args: PlanArgs;
  try {
    args = parsePlanArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 64;
  }
  const outdir = path.join(root, OFFLINE_PLAN_DIR);
  const env = { ...process.env, PLATFORM_OFFLINE: '1', ...(args.environments.length ? { PLATFORM_ENVIRONMENTS: args.environments.join(',') } : {}) };
  buildApp(outdir, env).synth();
  const stacks = inDependencyOrder(listStacks(outdir));
  const unknown = unknownStacksError(args.stacks, stacks);
  if (unknown) {
    console.error(unknown);
    return 64;
  }
  const selected = args.stacks.length ? stacks.filter((s) => args.stacks.includes(s.id)) : stacks;
  return planAndReport(selected.filter(isAwsOnly), selected.filter((s) => !isAwsOnly(s)), { root, plansDir: path.join(outdir, 'plans'), verbose: args.verbose, concurrency: defaultConcurrency() });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : e);
      process.exit(1);
    },
  );
}
