/**
 * The ready-to-copy GitHub Actions workflows: valid YAML (parsed by the `yaml` package, YAML 1.2, so
 * `on` stays a key), the triggers, OIDC permissions, no AWS keys, the approval environment on apply,
 * and that they call npm scripts that exist.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseDocument } from 'yaml';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { listedStacks, parseArgs } from '../scripts/pipeline-plan';
import { parsePlanArgs } from '../scripts/plan';
import { parseCostArgs } from '../scripts/cost';
import { codebuildRunnerLabel } from '../modules';
import type { SynthesizedStack } from '../modules/testing';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.github', 'workflows');
const text = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  'runs-on'?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
  if?: string;
}
interface Workflow {
  on: Record<string, any>;
  permissions: Record<string, string>;
  jobs: Record<string, Job & { permissions?: Record<string, string> }>;
  env?: Record<string, string>;
}
const load = (f: string) => parse(text(f)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));
const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Job status functions of `if:` expressions, as GitHub evaluates them for a run in this state. */
const statusFunctions = (cancelled: boolean) =>
  new Map(
    Object.entries({ always: true, cancelled, success: !cancelled, failure: false }).map(([name, value]) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) }]),
  );

/**
 * Evaluates a workflow expression (`${{ ... }}`, or an `if:` without the braces) with GitHub's own
 * expression engine (`@actions/expressions`), as plain JSON.
 */
function evaluate(expression: string, contexts: Record<string, unknown>, cancelled = false): unknown {
  const text = /^\$\{\{([\s\S]*)\}\}$/.exec(expression.trim())?.[1] ?? expression;
  const functions = statusFunctions(cancelled);
  const tree = new Parser(new Lexer(text).lex().tokens, Object.keys(contexts), [...functions.values()]).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return JSON.parse(JSON.stringify(new Evaluator(tree, context, functions).evaluate(), data.replacer));
}

/** A workflow value: literal text, or the result of the one `${{ ... }}` expression it is. */
const value = (v: string, contexts: Record<string, unknown>): unknown => (/^\s*\$\{\{/.test(v) ? evaluate(v, contexts) : v);

const PROJECT = 'eks-work-dev-cluster-runner';
const github = { run_id: '987654321', run_attempt: '2' };
/** The label CodeBuild documents (`codebuildRunnerLabel`), for this run. */
const codebuildLabel = codebuildRunnerLabel(PROJECT).replace('${{ github.run_id }}', github.run_id).replace('${{ github.run_attempt }}', github.run_attempt);
/** Repository variables with the runner configured, and unset (GitHub gives unset variables as ''). */
const withRunner = { CLUSTER_RUNNER_PROJECT: PROJECT };
const noRunner = {};

test.each(['plan.yml', 'apply.yml'])('%s is valid YAML without errors or warnings', (f) => {
  const doc = parseDocument(text(f));
  expect(doc.errors).toEqual([]);
  expect(doc.warnings).toEqual([]);
});

test.each(['plan.yml', 'apply.yml'])('%s pins every action to a full commit SHA, with the release it is in a comment', (f) => {
  const lines = text(f).split('\n').filter((l) => /^\s*-?\s*uses:/.test(l));
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  // Dependabot keeps the pins current.
  expect(parse(text('../dependabot.yml')).updates).toContainEqual(expect.objectContaining({ 'package-ecosystem': 'github-actions' }));
});

test.each(['plan.yml', 'apply.yml'])('%s uses no long-lived AWS keys anywhere', (f) => {
  const t = text(f);
  expect(t).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/i);
  expect(t).not.toMatch(/secrets\.AWS/i);
  expect(t).not.toMatch(/AKIA[0-9A-Z]{16}/);
});

test.each(['plan.yml', 'apply.yml'])('%s authenticates with OIDC: id-token write exactly on the jobs that assume a role, role-to-assume on every credentials step', (f) => {
  const w = load(f);
  expect(w.permissions).toEqual({ contents: 'read' });
  for (const [name, job] of Object.entries(w.jobs)) {
    const assumes = uses(job, 'aws-actions/configure-aws-credentials').length > 0;
    expect([name, job.permissions?.['id-token']]).toEqual([name, assumes ? 'write' : undefined]);
  }
  const creds = steps(w).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
  expect(creds.length).toBeGreaterThan(0);
  for (const c of creds) {
    expect(Object.keys(c.with ?? {}).sort()).toEqual(expect.arrayContaining(['aws-region', 'role-to-assume']));
    expect(String(c.with?.['role-to-assume'])).toMatch(/^\$\{\{ vars\.AWS_(PLAN|APPLY)_ROLE_ARN \}\}$/);
  }
  // terraform's exit codes reach the pipeline script unchanged.
  for (const tf of steps(w).filter((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))) expect(tf.with?.terraform_wrapper).toBe(false);
});

test('plan.yml: pull requests, a matrix over the listed stacks, the pipeline script, the job summary', () => {
  const w = load('plan.yml');
  expect(Object.keys(w.on)).toEqual(['pull_request']);
  expect(w.jobs.plan.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
  // Only the comment job writes to the pull request, and it holds no OIDC token.
  expect(w.jobs.comment.permissions).toEqual({ 'pull-requests': 'write' });
  expect(Object.entries(w.jobs).filter(([, j]) => j.permissions?.['pull-requests']).map(([n]) => n)).toEqual(['comment']);
  const list = w.jobs.stacks.steps.find((s) => s.run?.includes('--list'))!;
  expect(list.run).toContain('npm run -s pipeline:plan --');
  const plan = w.jobs.plan;
  expect(plan.needs).toBe('stacks');
  expect(plan.strategy?.matrix.include).toBe('${{ fromJSON(needs.stacks.outputs.stacks) }}');
  expect(uses(plan, 'actions/setup-node')).toHaveLength(1);
  expect(uses(plan, 'hashicorp/setup-terraform')).toHaveLength(1);
  expect(uses(plan, 'aws-actions/configure-aws-credentials')[0].with?.['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
  const run = plan.steps.find((s) => s.run?.includes('pipeline:plan'))!;
  expect(run.run).toContain('--stack "$STACK"');
  const summary = plan.steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'))!;
  expect(summary.run).toContain('plan-summary/plan-summary.md');
  expect(summary.if).toBe('always()');
  // Plans of pull requests never apply.
  expect(text('plan.yml')).not.toContain('pipeline:apply');
  expect(text('plan.yml')).not.toMatch(/terraform apply/);
});

test('plan.yml: the cost job estimates head and base from offline plans, without AWS access, and the comment carries the difference', () => {
  const w = load('plan.yml');
  const cost = w.jobs.cost;
  expect(cost.permissions).toBeUndefined();
  expect(uses(cost, 'aws-actions/configure-aws-credentials')).toEqual([]);
  const checkouts = uses(cost, 'actions/checkout');
  expect(checkouts.map((c) => c.with ?? {})).toEqual([{}, { ref: '${{ github.event.pull_request.base.sha }}', path: '.base' }]);
  const run = cost.steps.map((s) => s.run ?? '').join('\n');
  // Offline plans of both checkouts; the head's estimator prices both; the comparison for the comment.
  expect(run).toMatch(/^npm run plan -- "\$PLATFORM_ENVIRONMENT"$/m);
  expect(run).toMatch(/^\(cd \.base && npm run plan -- "\$PLATFORM_ENVIRONMENT"\)/m);
  expect(run).toContain('npm run -s cost -- "$PLATFORM_ENVIRONMENT" --json > cost-head.json');
  expect(run).toContain('npm run -s cost -- "$PLATFORM_ENVIRONMENT" --plans .base/offline-plan --json > cost-base.json');
  expect(run).toContain('npm run -s cost -- --compare cost-base.json cost-head.json > cost-summary.md');
  expect(uses(cost, 'actions/upload-artifact')[0].with).toMatchObject({ name: 'cost-summary', path: 'cost-summary.md' });
  const comment = w.jobs.comment;
  expect(comment.needs).toEqual(['plan', 'cost']);
  expect(uses(comment, 'actions/download-artifact').map((d) => d.with?.name ?? d.with?.pattern)).toEqual(['plan-summary-*', 'cost-summary']);
  expect(comment.steps.find((s) => s.run?.includes('comment.md'))!.run).toContain('cost/cost-summary.md');
  // The comment goes out when either half has something to say, even if the other failed.
  const posts = (plan: string, costResult: string) => evaluate(comment.if!, { needs: { plan: { result: plan }, cost: { result: costResult } } }) === true;
  expect([posts('failure', 'success'), posts('success', 'failure'), posts('skipped', 'success'), posts('skipped', 'failure')]).toEqual([true, true, true, false]);
});

test('apply.yml: push to main, plan then apply behind the environment approval with the apply role', () => {
  const w = load('apply.yml');
  expect(w.on.push.branches).toEqual(['main']);
  expect(Object.keys(w.on)).not.toContain('pull_request');
  expect(w.permissions['pull-requests']).toBeUndefined();
  expect(Object.values(w.jobs).some((j) => j.permissions?.['pull-requests'])).toBe(false);
  const { plan, apply } = w.jobs;
  expect(plan.environment).toBeUndefined();
  expect(uses(plan, 'aws-actions/configure-aws-credentials')[0].with?.['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
  expect(plan.steps.find((s) => s.run?.includes('pipeline:plan'))!.run).toContain('--detailed-exitcode');
  expect(apply.needs).toBe('plan');
  expect(apply.environment).toBe(w.env?.PLATFORM_ENVIRONMENT);
  expect(uses(apply, 'aws-actions/configure-aws-credentials')[0].with?.['role-to-assume']).toBe('${{ vars.AWS_APPLY_ROLE_ARN }}');
  expect(apply.steps.find((s) => s.run?.includes('pipeline:apply'))).toBeDefined();
  expect(apply.steps.some((s) => s.run?.includes('GITHUB_STEP_SUMMARY'))).toBe(true);
});

test('the workflows call npm scripts that exist, with options the pipeline script accepts', () => {
  const code = (f: string) => text(f).split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
  const calls = ['plan.yml', 'apply.yml'].flatMap((f) => [...code(f).matchAll(/npm run (?:-s )?([\w:]+) -- (.*)$/gm)].map((m) => [m[1], m[2]] as const));
  expect(calls.length).toBeGreaterThanOrEqual(4);
  // Each script's own argument parser (redirections and `|| ...` are the shell's).
  const parsers: Record<string, (argv: string[]) => unknown> = {
    'pipeline:plan': (argv) => parseArgs(argv, root),
    'pipeline:apply': (argv) => parseArgs([...argv, '--apply'], root),
    plan: parsePlanArgs,
    cost: parseCostArgs,
  };
  for (const [script, args] of calls) {
    expect(scripts[script]).toBeDefined();
    const argv = args.replace(/"\$PLATFORM_ENVIRONMENT"/, 'dev').replace(/"\$STACK"/, 'dev-network').replace(/\)".*$/, '').replace(/\s*(>|\|\|).*$/, '').replace(/\)$/, '').split(/\s+/);
    expect([script, Object.keys(parsers).includes(script)]).toEqual([script, true]);
    expect(() => parsers[script](argv)).not.toThrow();
  }
});

describe('runs-on: the cluster stacks on the CodeBuild runner when one is configured, the rest on ubuntu-latest', () => {
  const st = (id: string, providers: string[]): SynthesizedStack => ({ id, dir: `/x/${id}`, providers, dependencies: [], backend: 's3' });
  // What the `stacks` job prints for the dev environment's kinds of stacks (the real --list code).
  const listed = JSON.stringify(listedStacks({ stacks: [], clusterStacks: 'all', offline: false }, [st('dev-network', ['aws']), st('dev-cluster', ['aws']), st('dev-addons', ['aws', 'helm', 'kubernetes'])]));

  test('plan.yml: each matrix entry of --list runs where its stack can reach what it plans', () => {
    const job = load('plan.yml').jobs.plan;
    const matrix = evaluate(String(job.strategy?.matrix.include), { needs: { stacks: { outputs: { stacks: listed } } } }) as Array<{ stack: string; cluster: boolean }>;
    const runsOn = (vars: object) => Object.fromEntries(matrix.map((m) => [m.stack, value(job['runs-on']!, { matrix: m, vars, github })]));
    expect(runsOn(withRunner)).toEqual({ 'dev-network': 'ubuntu-latest', 'dev-cluster': 'ubuntu-latest', 'dev-addons': codebuildLabel });
    expect(runsOn(noRunner)).toEqual({ 'dev-network': 'ubuntu-latest', 'dev-cluster': 'ubuntu-latest', 'dev-addons': 'ubuntu-latest' });
    expect(codebuildLabel).toBe(`codebuild-${PROJECT}-987654321-2`);
  });

  test('apply.yml: the AWS stacks plan and apply on ubuntu-latest, the cluster stacks on the runner, each job with its own extra label', () => {
    const w = load('apply.yml');
    const runsOn = (job: string, vars: object) => value(w.jobs[job]['runs-on']!, { vars, github });
    expect(['plan', 'plan-cluster', 'apply', 'apply-cluster'].map((j) => [j, runsOn(j, withRunner)])).toEqual([
      ['plan', 'ubuntu-latest'],
      ['plan-cluster', [codebuildLabel, 'plan-cluster']],
      ['apply', 'ubuntu-latest'],
      ['apply-cluster', [codebuildLabel, 'apply-cluster']],
    ]);
    expect(['plan', 'plan-cluster', 'apply', 'apply-cluster'].map((j) => runsOn(j, noRunner))).toEqual(['ubuntu-latest', 'ubuntu-latest', 'ubuntu-latest', 'ubuntu-latest']);
    const selection = (job: string, script: string) => w.jobs[job].steps.find((s) => s.run?.includes(script))!.run!.match(/--cluster-stacks (\w+)/)?.[1];
    expect([selection('plan', 'pipeline:plan'), selection('plan-cluster', 'pipeline:plan'), selection('apply', 'pipeline:apply'), selection('apply-cluster', 'pipeline:apply')]).toEqual(['exclude', 'only', 'exclude', 'only']);
    expect(w.jobs['plan-cluster'].steps.find((s) => s.run?.includes('pipeline:plan'))!.run).toContain('--detailed-exitcode');
    expect(w.jobs['apply-cluster'].environment).toBe(w.env?.PLATFORM_ENVIRONMENT);
    expect(uses(w.jobs['apply-cluster'], 'aws-actions/configure-aws-credentials')[0].with?.['role-to-assume']).toBe('${{ vars.AWS_APPLY_ROLE_ARN }}');
    expect(uses(w.jobs['plan-cluster'], 'aws-actions/configure-aws-credentials')[0].with?.['role-to-assume']).toBe('${{ vars.AWS_PLAN_ROLE_ARN }}');
  });

  test('apply.yml: the AWS stacks apply whatever the cluster plan did; the cluster stacks apply after them, or alone when only they changed', () => {
    const w = load('apply.yml');
    expect(w.jobs.apply.needs).toBe('plan');
    expect(w.jobs['apply-cluster'].needs).toEqual(['plan', 'plan-cluster', 'apply']);
    type Result = 'success' | 'failure' | 'skipped';
    const needs = (plan: [Result, string], planCluster: [Result, string], apply: Result) => ({
      plan: { result: plan[0], outputs: { changes: plan[1] } },
      'plan-cluster': { result: planCluster[0], outputs: { changes: planCluster[1] } },
      apply: { result: apply, outputs: {} },
    });
    const runs = (job: string, n: ReturnType<typeof needs>, cancelled = false) => evaluate(w.jobs[job].if!, { needs: n }, cancelled) === true;
    expect(runs('apply', needs(['success', 'true'], ['failure', ''], 'skipped'))).toBe(true);
    expect(runs('apply', needs(['success', 'false'], ['success', 'true'], 'skipped'))).toBe(false);
    expect(
      [
        ['both changed, AWS applied', needs(['success', 'true'], ['success', 'true'], 'success'), true],
        ['cluster plan failed (unreachable, first deploy), AWS applied: re-plan against fresh outputs', needs(['success', 'true'], ['failure', ''], 'success'), true],
        ['only the cluster stacks changed', needs(['success', 'false'], ['success', 'true'], 'skipped'), true],
        ['nothing changed', needs(['success', 'false'], ['success', 'false'], 'skipped'), false],
        ['AWS apply failed', needs(['success', 'true'], ['success', 'true'], 'failure'), false],
        ['AWS plan failed', needs(['failure', ''], ['success', 'true'], 'skipped'), false],
      ].map(([why, n]) => [why, runs('apply-cluster', n as ReturnType<typeof needs>)]),
    ).toEqual([
      ['both changed, AWS applied', true],
      ['cluster plan failed (unreachable, first deploy), AWS applied: re-plan against fresh outputs', true],
      ['only the cluster stacks changed', true],
      ['nothing changed', false],
      ['AWS apply failed', false],
      ['AWS plan failed', false],
    ]);
    expect(runs('apply-cluster', needs(['success', 'true'], ['success', 'true'], 'success'), true)).toBe(false);
  });
});
