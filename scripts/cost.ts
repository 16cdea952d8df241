/**
 * `npm run cost [-- <env> ...] [--json] [--plans <dir>]`: the monthly estimate of each environment
 * from its offline plans (`npm run plan` first), per stack with its top items, totals, and the
 * difference between environments (prod − dev). Prices come from the dated tables in
 * scripts/cost/prices/, usage assumptions from scripts/cost/assumptions.ts (docs/cost.md).
 *
 * `npm run cost -- --compare <base.json> <head.json>`: the markdown a pull request gets, from two
 * `--json` reports (base branch and head).
 *
 * Exit code 0, or 1 with one line on stderr (no plans, unknown environment, unreadable report).
 */
import * as fs from 'fs';
import * as path from 'path';
import { OFFLINE_PLAN_DIR, defaultConcurrency } from '../modules/testing';
import { DEFAULT_ASSUMPTIONS } from './cost/assumptions';
import { environmentEstimate, estimateStack } from './cost/estimate';
import { loadStacks } from './cost/plans';
import { Prices, loadPriceTables } from './cost/prices';
import { CostReport, buildReport, formatComparison, formatReport } from './cost/report';

export interface CostArgs {
  readonly environments: string[];
  readonly json: boolean;
  readonly plans?: string;
  readonly compare?: { base: string; head: string };
}

const USAGE = 'usage: npm run cost -- [<env> ...] [--json] [--plans <dir>] | --compare <base.json> <head.json>';

export function parseCostArgs(argv: string[]): CostArgs {
  const environments: string[] = [];
  let json = false;
  let plans: string | undefined;
  let compare: CostArgs['compare'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--plans' || a.startsWith('--plans=')) {
      plans = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!plans) throw new Error(`--plans needs a directory\n${USAGE}`);
    } else if (a === '--compare') {
      const [base, head] = [argv[++i], argv[++i]];
      if (!base || !head) throw new Error(`--compare needs two reports (base and head)\n${USAGE}`);
      compare = { base, head };
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else environments.push(a);
  }
  return { environments, json, plans, compare };
}

/** The report of the environments planned in `planDir`, in the order asked (else the directory's). */
export async function costReport(planDir: string, environments: string[], opts: { root: string; prices?: Prices; concurrency?: number }): Promise<CostReport> {
  const prices = opts.prices ?? new Prices(loadPriceTables());
  const loaded = await loadStacks(planDir, environments, { root: opts.root, concurrency: opts.concurrency });
  const order = environments.length ? environments : [...new Set(loaded.map((s) => s.environment))];
  const estimates = order.map((env) =>
    environmentEstimate(
      env,
      loaded.filter((s) => s.environment === env).map((s) => estimateStack(s.stack, env, s.resources, prices, { source: s.source, plannedAt: s.plannedAt, assumptions: DEFAULT_ASSUMPTIONS })),
    ),
  );
  const regions = [...new Set(estimates.flatMap((e) => e.regions))];
  const warnings = loaded.filter((s) => s.warning).map((s) => ({ stack: s.stack, warning: s.warning! }));
  return buildReport(estimates, prices.dates(regions), DEFAULT_ASSUMPTIONS, warnings);
}

function readReport(file: string): CostReport | undefined {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CostReport;
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..');
  let args: CostArgs;
  try {
    args = parseCostArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 64;
  }
  if (args.compare) {
    const head = readReport(args.compare.head);
    if (!head) {
      console.error(`--compare: no report in ${args.compare.head}`);
      return 1;
    }
    console.log(formatComparison(readReport(args.compare.base), head));
    return 0;
  }
  const planDir = path.resolve(args.plans ?? path.join(root, OFFLINE_PLAN_DIR));
  const report = await costReport(planDir, args.environments, { root, concurrency: defaultConcurrency() });
  console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`cost: ${(e as Error).message.split('\n')[0]}`);
      process.exit(1);
    },
  );
}
