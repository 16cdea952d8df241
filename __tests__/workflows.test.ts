/**
 * The ready-to-copy GitHub Actions workflows: valid YAML (parsed by the `yaml` package, YAML 1.2, so
 * `on` stays a key), the triggers, OIDC permissions, no AWS keys, the approval environment on apply,
 * and that they call npm scripts that exist.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseDocument } from 'yaml';
import { parseArgs } from '../scripts/pipeline-plan';

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
  expect(plan.strategy?.matrix.stack).toBe('${{ fromJSON(needs.stacks.outputs.stacks) }}');
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
  for (const [script, args] of calls) {
    expect(scripts[script]).toBeDefined();
    const argv = args.replace(/"\$PLATFORM_ENVIRONMENT"/, 'dev').replace(/"\$STACK"/, 'dev-network').replace(/\)".*$/, '').split(/\s+/);
    const extra = scripts[script].includes('--apply') ? ['--apply'] : [];
    expect(() => parseArgs([...argv, ...extra], root)).not.toThrow();
  }
});
