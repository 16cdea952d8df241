/**
 * Reads what `npm run plan` leaves in `offline-plan/`: the JSON plan of each AWS stack
 * (`plans/<stack>.json`, `terraform show -json` of its saved plan), and the synthesized JSON of the
 * stacks it does not plan (helm, kubernetes). A saved plan without its JSON (an older `npm run plan`,
 * or a plan directory of another checkout) is shown with `terraform show -json` here, in parallel,
 * and its JSON kept for next time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SynthesizedStack, TerraformPlanJson, defaultConcurrency, inDependencyOrder, isAwsOnly, listStacks, mapLimit, mustRun, offlineTerraformEnv } from '../../modules/testing';
import { PlannedResource, resourcesOfPlan, resourcesOfSynthesized } from './resource';

export interface LoadedStack {
  readonly stack: string;
  readonly environment: string;
  readonly source: 'plan' | 'synthesized';
  readonly plannedAt?: string;
  readonly resources: PlannedResource[];
  /** Something the reader should know (a stack estimated from its synthesized JSON, a stale plan). */
  readonly warning?: string;
}

/** The environment of a stack id `<env>-<part>` (parts have no dash). */
export const environmentOf = (stackId: string) => stackId.slice(0, stackId.lastIndexOf('-'));

/** The file `npm run plan` writes a stack's JSON plan to. */
export const planJsonFile = (planDir: string, stack: string) => path.join(planDir, 'plans', `${stack}.json`);

const mtime = (f: string) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : undefined);

export interface LoadOptions {
  /** Project root for the Terraform CLI config (`terraform show -json` fallback). */
  readonly root: string;
  readonly concurrency?: number;
}

/**
 * The stacks of `environments` (all in the directory when empty) in `planDir`, each with its
 * resources. Throws one line when the directory holds no plans, or no stack of an environment.
 */
export async function loadStacks(planDir: string, environments: string[], opts: LoadOptions): Promise<LoadedStack[]> {
  const rel = path.relative(process.cwd(), planDir) || '.';
  if (!fs.existsSync(path.join(planDir, 'manifest.json'))) throw new Error(`no offline plans in ${rel}/: run \`npm run plan${environments.length ? ` -- ${environments.join(' ')}` : ''}\` first`);
  const all = inDependencyOrder(listStacks(planDir));
  const known = [...new Set(all.map((s) => environmentOf(s.id)))];
  const missing = environments.filter((e) => !known.includes(e));
  if (missing.length) throw new Error(`no offline plan of environment ${missing.join(', ')} in ${rel}/ (it has: ${known.join(', ') || 'none'}): run \`npm run plan -- ${missing.join(' ')}\``);
  const stacks = all.filter((s) => !environments.length || environments.includes(environmentOf(s.id)));

  const toShow: SynthesizedStack[] = [];
  for (const s of stacks.filter(isAwsOnly)) {
    const json = mtime(planJsonFile(planDir, s.id));
    const saved = mtime(path.join(s.dir, 'offline.tfplan'));
    if (saved !== undefined && (json === undefined || json < saved)) toShow.push(s);
  }
  if (toShow.length) {
    const env = offlineTerraformEnv(opts.root);
    fs.mkdirSync(path.join(planDir, 'plans'), { recursive: true });
    await mapLimit(toShow, opts.concurrency ?? defaultConcurrency(), async (s) => {
      const shown = await mustRun(['show', '-json', 'offline.tfplan'], s, env);
      fs.writeFileSync(planJsonFile(planDir, s.id), shown.stdout);
    });
  }

  return stacks.map((s): LoadedStack => {
    const environment = environmentOf(s.id);
    const synthesizedFile = path.join(s.dir, 'cdk.tf.json');
    const jsonFile = planJsonFile(planDir, s.id);
    if (isAwsOnly(s) && fs.existsSync(jsonFile)) {
      const plan = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as TerraformPlanJson & { timestamp?: string };
      const stale = (mtime(synthesizedFile) ?? 0) > (mtime(jsonFile) ?? 0) + 1000;
      return { stack: s.id, environment, source: 'plan', plannedAt: plan.timestamp, resources: resourcesOfPlan(plan), ...(stale ? { warning: 'synthesized again after its last plan: run `npm run plan` for a current estimate' } : {}) };
    }
    const synthesized = JSON.parse(fs.readFileSync(synthesizedFile, 'utf8')) as Record<string, any>;
    const why = isAwsOnly(s) ? 'no saved plan (did its plan fail?): estimated from its synthesized JSON' : `not planned here (providers ${s.providers.join(', ')}): estimated from its synthesized JSON`;
    return { stack: s.id, environment, source: 'synthesized', resources: resourcesOfSynthesized(synthesized), warning: why };
  });
}
