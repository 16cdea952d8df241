/**
 * The CI pipeline script end to end, offline (local backend, mock credentials), on a tiny fixture app
 * (`fixtures/pipeline-app.ts`: three cheap stacks, one with a helm provider, and on demand one that
 * only `terraform validate` rejects), so the real Terraform work stays at three small stacks.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  classifyFailure, clusterSplitProblem, exitCodeFor, isClusterStack, listedStacks, parseArgs, renderMarkdown, runPipeline, selectStacks, skipReason, summarize, StackReport, PipelineSummary,
} from '../scripts/pipeline-plan';
import type { SynthesizedStack } from '../modules/testing';

const root = path.resolve(__dirname, '..');
const fixture = path.join(__dirname, 'fixtures', 'pipeline-app.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-plan-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function pipeline(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = path.join(tmp, name);
  const r = spawnSync(
    process.execPath,
    ['--require', './scripts/register.js', 'scripts/pipeline-plan.ts', ...args, '--app', fixture, '--synth-dir', path.join(dir, 'synth'), '--out', path.join(dir, 'out')],
    { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  const read = (f: string) => fs.readFileSync(path.join(dir, 'out', f), 'utf8');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: path.join(dir, 'out'), json: () => JSON.parse(read('plan-summary.json')) as PipelineSummary, md: () => read('plan-summary.md') };
}

test('--list prints the stacks an offline run would plan, as JSON for a CI matrix', () => {
  const r = pipeline('list', ['pipe', '--offline', '--list']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual([
    { stack: 'pipe-base', cluster: false },
    { stack: 'pipe-app', cluster: false },
  ]);
});

test('--list of a remote run (synthesis only, no credentials) marks the stack with a helm provider as a cluster stack', () => {
  const all = pipeline('list-remote', ['pipe', '--list']);
  expect([all.code, all.stderr]).toEqual([0, '']);
  expect(JSON.parse(all.stdout)).toEqual([
    { stack: 'pipe-base', cluster: false },
    { stack: 'pipe-app', cluster: false },
    { stack: 'pipe-addons', cluster: true },
  ]);
});

test('an unknown --stack is an error naming the stacks there are', () => {
  const r = pipeline('unknown', ['pipe', '--offline', '--list', '--stack', 'pipe-nope']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('--stack pipe-nope: no such stack; allowed: pipe-base, pipe-app, pipe-addons');
});

test('offline plan: saved plans, JSON and markdown summaries with real counts, exit 2 with --detailed-exitcode', () => {
  const r = pipeline('ok', ['pipe', '--offline', '--detailed-exitcode']);
  expect(r.code).toBe(2);
  const s = r.json();
  expect(s).toMatchObject({ environment: 'pipe', mode: 'offline', action: 'plan', exitCode: 2 });
  expect(s.stacks).toEqual([
    { stack: 'pipe-base', add: 1, change: 0, destroy: 0, status: 'changes', planFile: 'pipe-base.tfplan' },
    { stack: 'pipe-app', add: 2, change: 0, destroy: 0, status: 'changes', planFile: 'pipe-app.tfplan' },
    { stack: 'pipe-addons', add: 0, change: 0, destroy: 0, status: 'skipped', reason: expect.stringContaining('helm') },
  ]);
  expect(s.totals).toEqual({ add: 3, change: 0, destroy: 0, changed: 2, errors: 0, skipped: 1, waiting: 0, unreachable: 0 });
  expect(fs.existsSync(path.join(r.out, 'pipe-base.tfplan'))).toBe(true);
  expect(fs.existsSync(path.join(r.out, 'pipe-app.tfplan'))).toBe(true);
  const md = r.md();
  expect(md).toContain('| stack | add | change | destroy | status |');
  expect(md).toContain('| pipe-base | 1 | 0 | 0 | changes |');
  expect(md).toContain('| pipe-app | 2 | 0 | 0 | changes |');
  expect(md).toContain('| pipe-addons | 0 | 0 | 0 | skipped |');
  // The downstream plan read the upstream's stub output through terraform_remote_state.
  expect(r.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
});

test('a stack only terraform validate rejects fails the run (exit 1) while the others still plan', () => {
  const r = pipeline('broken', ['pipe', '--offline', '--detailed-exitcode', '--stack', 'pipe-base', '--stack', 'pipe-broken'], { PIPELINE_FIXTURE: 'broken' });
  expect(r.code).toBe(1);
  const s = r.json();
  expect(s.exitCode).toBe(1);
  expect(s.stacks.map((x) => [x.stack, x.status])).toEqual([
    ['pipe-base', 'changes'],
    ['pipe-broken', 'error'],
  ]);
  expect(s.stacks[1].error).toContain('conflicts with bucket_prefix');
  expect(r.md()).toContain('| pipe-broken | 0 | 0 | 0 | error |');
  expect(r.md()).toContain('<details><summary>pipe-broken failed</summary>');
});

describe('exit codes and options', () => {
  const rep = (status: StackReport['status']): StackReport => ({ stack: status, add: 0, change: 0, destroy: 0, status });
  test.each([
    [['no-changes'], false, 0],
    [['changes'], false, 0],
    [['changes'], true, 2],
    [['no-changes', 'skipped'], true, 0],
    [['changes', 'error'], true, 1],
    [['skipped'], false, 1],
    [['applied'], true, 0],
    [['changes', 'waiting'], false, 0],
    [['no-changes', 'waiting'], true, 2],
    [['changes', 'unreachable'], false, 1],
  ] as Array<[StackReport['status'][], boolean, number]>)('%j with detailed-exitcode %s -> %i', (statuses, detailed, code) => {
    expect(exitCodeFor(statuses.map(rep), detailed)).toBe(code);
  });

  test('defaults, and refusals', () => {
    const o = parseArgs(['dev'], root);
    expect(o).toMatchObject({ environment: 'dev', offline: false, lockTimeout: '5m', concurrency: 2, out: path.join(root, 'plan-summary'), synthDir: path.join(root, 'cdktf.out'), clusterStacks: 'all' });
    expect(parseArgs(['dev', '--cluster-stacks', 'only'], root).clusterStacks).toBe('only');
    expect(parseArgs(['dev', '--cluster-stacks=exclude', '--apply'], root).clusterStacks).toBe('exclude');
    expect(() => parseArgs(['dev', '--cluster-stacks', 'helm'], root)).toThrow('--cluster-stacks: helm is not a selection; allowed: only, exclude');
    expect(parseArgs(['dev', '--stack=dev-network,dev-cluster'], root).stacks).toEqual(['dev-network', 'dev-cluster']);
    expect(() => parseArgs(['dev', '--apply', '--offline'], root)).toThrow('--apply cannot be combined with --offline');
    expect(() => parseArgs(['dev', 'prod'], root)).toThrow('name exactly one environment');
    expect(() => parseArgs(['dev', '--lock-timeout', '5 minutes'], root)).toThrow('--lock-timeout');
    expect(() => parseArgs(['dev', '--frobnicate'], root)).toThrow('unknown option --frobnicate');
  });

  test('with real credentials, local-state (bootstrap) stacks are skipped; offline, non-aws stacks are', () => {
    const s = { id: 'dev-state', dir: '/x', providers: ['aws'], dependencies: [], backend: 'local' };
    expect(skipReason(s, false)).toContain('bootstrap');
    expect(skipReason(s, true)).toBeUndefined();
    expect(skipReason({ ...s, backend: 's3', providers: ['aws', 'kubernetes'] }, true)).toContain('kubernetes');
    expect(skipReason({ ...s, backend: 's3', providers: ['aws', 'kubernetes'] }, false)).toBeUndefined();
  });

  test('cluster stacks are those with a kubernetes or helm provider; --cluster-stacks and --stack select together', () => {
    const st = (id: string, providers: string[], dependencies: string[] = []): SynthesizedStack => ({ id, dir: `/x/${id}`, providers, dependencies, backend: 's3' });
    const stacks = [st('dev-state', ['aws']), st('dev-network', ['aws']), st('dev-cluster', ['aws'], ['dev-network']), st('dev-addons', ['aws', 'helm', 'kubernetes'], ['dev-cluster']), st('dev-k8s', ['kubernetes'])];
    expect(stacks.map(isClusterStack)).toEqual([false, false, false, true, true]);
    const pick = (clusterStacks: 'all' | 'only' | 'exclude', named: string[] = []) => selectStacks({ stacks: named, clusterStacks }, stacks).map((s) => s.id);
    expect(pick('all')).toEqual(['dev-state', 'dev-network', 'dev-cluster', 'dev-addons', 'dev-k8s']);
    expect(pick('only')).toEqual(['dev-addons', 'dev-k8s']);
    expect(pick('exclude')).toEqual(['dev-state', 'dev-network', 'dev-cluster']);
    expect(pick('only', ['dev-network', 'dev-addons'])).toEqual(['dev-addons']);
    // The bootstrap stack (local state) is not listed for a remote run.
    expect(listedStacks({ stacks: [], clusterStacks: 'exclude', offline: false }, [{ ...stacks[0], backend: 'local' }, ...stacks.slice(1)])).toEqual([
      { stack: 'dev-network', cluster: false },
      { stack: 'dev-cluster', cluster: false },
    ]);
    expect(clusterSplitProblem(stacks)).toBeUndefined();
    expect(clusterSplitProblem([...stacks, st('dev-dns', ['aws'], ['dev-addons'])])).toBe(
      '--cluster-stacks: dev-dns (no kubernetes/helm provider) depends on dev-addons; allowed: run without --cluster-stacks',
    );
  });

  test('markdown escapes nothing it should not and lists skip reasons', () => {
    const md = renderMarkdown(summarize({ environment: 'dev', offline: false, apply: false, detailedExitcode: false }, [{ ...rep('skipped'), stack: 'dev-state', reason: 'local state' }]));
    expect(md).toContain('### Terraform plan: dev\n');
    expect(md).toContain('- dev-state skipped: local state');
  });

  test('waiting and unreachable: failures of the pipeline, not of the stack, told apart from real errors', () => {
    const s = { id: 'dev-addons', dir: '/x', providers: ['aws', 'helm'], dependencies: ['dev-cluster', 'dev-observability'], backend: 's3' };
    const noState = '│ Error: Unable to find remote state\n│\n│   with data.terraform_remote_state.cluster-outputs[0],\n│\n│ No stored state was found for the given workspace in the given backend.\n';
    expect(classifyFailure(s, noState)).toEqual({ status: 'waiting', reason: 'waits for the first apply of dev-cluster (its state or output is not there yet)' });
    const noOutput = '│ Error: Unsupported attribute\n│\n│   on cdk.tf.json line 9, in locals:\n│    9: one(data.terraform_remote_state.observability-outputs[*].outputs.new_thing)\n│\n│ This object does not have an attribute named "new_thing".\n';
    expect(classifyFailure(s, noOutput)?.reason).toBe('waits for an apply of dev-observability (its state or output is not there yet)');
    // A real error beside it is an error.
    expect(classifyFailure(s, `${noState}│ Error: Invalid reference\n`)).toBeUndefined();
    const timeout = 'Error: Kubernetes cluster unreachable: Get "https://ABC.gr7.ap-northeast-2.eks.amazonaws.com/version": dial tcp 10.0.1.5:443: i/o timeout\n';
    expect(classifyFailure(s, timeout)).toMatchObject({ status: 'unreachable', reason: expect.stringContaining('Kubernetes cluster unreachable') });
    // An aws-only stack's network trouble is an error (the AWS API, not the cluster).
    expect(classifyFailure({ ...s, providers: ['aws'] }, timeout)).toBeUndefined();
    expect(classifyFailure(s, 'Error: Unauthorized\n')).toBeUndefined();
  });
});

describe('--apply: plan, then apply the saved plan, stack by stack in dependency order', () => {
  // Stacks of Terraform built-ins only (terraform_data, terraform_remote_state, local-exec): no provider
  // and no account, so the apply path runs for real. Their state is local; they are labelled `s3` here
  // because the pipeline applies only remote-state stacks.
  let dir = '';
  const stack = (id: string, deps: string[], config: Record<string, unknown>): SynthesizedStack => {
    fs.mkdirSync(path.join(dir, id), { recursive: true });
    fs.writeFileSync(path.join(dir, id, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } }, ...config }));
    return { id, dir: path.join(dir, id), providers: [], dependencies: deps, backend: 's3' };
  };
  const upstream = () => stack('t-up', [], { resource: { terraform_data: { v: { input: 'from-upstream' } } }, output: { value: { value: '${terraform_data.v.output}' } } });
  // Planning this before t-up is applied fails: the upstream state would have no output `value`.
  const downstream = () =>
    stack('t-down', ['t-up'], {
      data: { terraform_remote_state: { up: { backend: 'local', config: { path: '../t-up/terraform.tfstate' } } } },
      resource: { terraform_data: { copy: { input: '${data.terraform_remote_state.up.outputs.value}' } } },
    });
  const failing = () => stack('t-fail', ['t-up'], { resource: { terraform_data: { boom: { provisioner: [{ 'local-exec': { command: 'exit 3' } }] } } } });
  const quiet = () => undefined;

  test('downstream plans see what upstream applies wrote; a second run has nothing to do', async () => {
    dir = path.join(tmp, 'apply-order');
    const opts = parseArgs(['t', '--apply', '--out', path.join(dir, 'out1')], root);
    const stacks = [upstream(), downstream()];
    const first = await runPipeline(opts, stacks, root, quiet);
    expect(first.map((r) => [r.stack, r.status, r.add])).toEqual([
      ['t-up', 'applied', 1],
      ['t-down', 'applied', 1],
    ]);
    const state = JSON.parse(fs.readFileSync(path.join(dir, 't-down', 'terraform.tfstate'), 'utf8'));
    const copy = state.resources.find((r: { mode: string }) => r.mode === 'managed');
    expect(copy.instances[0].attributes.output.value).toBe('from-upstream');
    const again = await runPipeline({ ...opts, out: path.join(dir, 'out2') }, stacks, root, quiet);
    expect(again.map((r) => r.status)).toEqual(['no-changes', 'no-changes']);
    expect(exitCodeFor(again, false)).toBe(0);
  });

  test('first deploy: the plan run reports the downstream stack as waiting, not failed; the apply run deploys both', async () => {
    dir = path.join(tmp, 'first-deploy');
    const stacks = [upstream(), downstream()];
    const plan = parseArgs(['t', '--detailed-exitcode', '--out', path.join(dir, 'plan')], root);
    const planned = await runPipeline(plan, stacks, root, quiet);
    expect(planned).toEqual([
      { stack: 't-up', add: 1, change: 0, destroy: 0, status: 'changes', planFile: 't-up.tfplan' },
      { stack: 't-down', add: 0, change: 0, destroy: 0, status: 'waiting', reason: 'waits for the first apply of t-up (its state or output is not there yet)' },
    ]);
    // Green, with changes: the apply job of the workflow runs.
    expect(summarize(plan, planned).exitCode).toBe(2);
    const md = renderMarkdown(summarize(plan, planned));
    expect(md).toContain('| t-down | 0 | 0 | 0 | waiting |');
    expect(md).toContain('- t-down waiting: waits for the first apply of t-up');
    expect(md).not.toContain('<details>');
    const applied = await runPipeline(parseArgs(['t', '--apply', '--out', path.join(dir, 'apply')], root), stacks, root, quiet);
    expect(applied.map((r) => [r.stack, r.status])).toEqual([
      ['t-up', 'applied'],
      ['t-down', 'applied'],
    ]);
    // Applying a stack whose upstream is not applied in the same run (not selected) fails the run.
    fs.rmSync(path.join(dir, 't-up', 'terraform.tfstate'));
    const alone = parseArgs(['t', '--apply', '--stack', 't-down', '--out', path.join(dir, 'alone')], root);
    const reports = await runPipeline(alone, stacks, root, quiet);
    expect(reports.map((r) => r.status)).toEqual(['waiting']);
    expect(summarize(alone, reports).exitCode).toBe(1);
  });

  test('a cluster stack that cannot reach the API says so in one line; the stacks not depending on it still apply', async () => {
    dir = path.join(tmp, 'unreachable');
    // What the helm provider prints from a runner outside the endpoint's reach, raised at plan time.
    const clusterError = 'Kubernetes cluster unreachable: Get \\"https://ABC.gr7.ap-northeast-2.eks.amazonaws.com/version\\": dial tcp 10.0.1.5:443: i/o timeout';
    const addons = { ...stack('t-addons', ['t-up'], { variable: { reachable: { default: false } }, resource: { terraform_data: { release: { lifecycle: { precondition: [{ condition: '${var.reachable}', error_message: clusterError }] } } } } }), providers: ['helm'] };
    const apps = stack('t-apps', ['t-addons'], { resource: { terraform_data: { app: { input: 'x' } } } });
    const lines: string[] = [];
    const opts = parseArgs(['t', '--apply', '--out', path.join(dir, 'out')], root);
    const reports = await runPipeline(opts, [upstream(), addons, apps, downstream()], root, (l) => lines.push(l));
    expect(reports.map((r) => [r.stack, r.status])).toEqual([
      ['t-up', 'applied'],
      ['t-addons', 'unreachable'],
      ['t-apps', 'skipped'],
      ['t-down', 'applied'],
    ]);
    expect(reports[1].reason).toMatch(/^the cluster's API endpoint cannot be reached from this runner \(Kubernetes cluster unreachable\): run this stack's job on a runner inside the VPC/);
    expect(reports[1].error).toBeUndefined();
    expect(reports[2].reason).toBe('not run: t-addons could not reach the cluster');
    // The log holds one line for it, not Terraform's diagnostics.
    const logged = lines.find((l) => l.includes('t-addons ===='))!;
    expect(logged.trim().split('\n')).toHaveLength(2);
    expect(summarize(opts, reports).exitCode).toBe(1);
  });

  test('split apply (CI): the other stacks first, then the cluster stacks, which read what the first run wrote', async () => {
    dir = path.join(tmp, 'apply-split');
    // t-down stands for a helm stack: only its provider list makes it a cluster stack.
    const stacks = [upstream(), { ...downstream(), providers: ['helm'] }];
    const first = await runPipeline(parseArgs(['t', '--apply', '--cluster-stacks', 'exclude', '--out', path.join(dir, 'out1')], root), stacks, root, quiet);
    expect(first.map((r) => [r.stack, r.status])).toEqual([['t-up', 'applied']]);
    expect(fs.existsSync(path.join(dir, 't-down', 'terraform.tfstate'))).toBe(false);
    const second = await runPipeline(parseArgs(['t', '--apply', '--cluster-stacks', 'only', '--out', path.join(dir, 'out2')], root), stacks, root, quiet);
    expect(second.map((r) => [r.stack, r.status])).toEqual([['t-down', 'applied']]);
    expect(exitCodeFor(second, false)).toBe(0);
  });

  test('the first failing apply stops the stacks after it', async () => {
    dir = path.join(tmp, 'apply-failure');
    const opts = parseArgs(['t', '--apply', '--out', path.join(dir, 'out3')], root);
    const reports = await runPipeline(opts, [upstream(), failing(), downstream()], root, quiet);
    expect(reports.map((r) => [r.stack, r.status])).toEqual([
      ['t-up', 'applied'],
      ['t-fail', 'error'],
      ['t-down', 'skipped'],
    ]);
    expect(reports[1].error).toContain('terraform apply failed for t-fail');
    expect(reports[2].reason).toBe('not run: t-fail failed first');
    expect(exitCodeFor(reports, false)).toBe(1);
  });
});
