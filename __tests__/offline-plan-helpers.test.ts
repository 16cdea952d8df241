/**
 * The pieces that make offline plans cheap and their output readable: the shared `terraform init`
 * (key, linking, lock taken over from a dead process), Terraform's summary line and first error line,
 * and what `npm run plan` prints as stacks finish (with a stand-in for Terraform).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StackPlanText, SynthesizedStack, countsFromPlanText, firstErrorLine, initKey, initOffline, linkSharedInit, offlineTerraformEnv, planAllOfflineText, planStackText, sharedInit, withoutHashes } from '../modules/testing';
import { parsePlanArgs, planAndReport } from '../scripts/plan';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-init-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LOCK = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "5.100.0"
  hashes = [
    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
    "zh:054b8dd49f0549c9a7cc27d159e45327b7b65cf404da5e5a20da154b90b8a644",
  ]
}
`;

describe('shared init', () => {
  const aws = { aws: { source: 'aws', version: '5.100.0' } };
  const local = { local: { path: 'terraform.tfstate' } };

  test('stacks with the same providers and backend share a key, whatever the key order; others do not', () => {
    expect(initKey({ required_providers: aws, backend: local })).toBe(initKey({ backend: local, required_providers: { aws: { version: '5.100.0', source: 'aws' } } }));
    expect(initKey({ required_providers: aws, backend: local })).not.toBe(initKey({ required_providers: { ...aws, random: { source: 'hashicorp/random' } }, backend: local }));
    expect(initKey({ required_providers: aws, backend: local })).not.toBe(initKey({ required_providers: aws, backend: { local: { path: 'other.tfstate' } } }));
  });

  test('lock files keep versions and constraints, not hashes', () => {
    const out = withoutHashes(LOCK);
    expect(out).not.toContain('hashes');
    expect(out).not.toContain('h1:');
    expect(out).toContain('provider "registry.terraform.io/hashicorp/aws" {\n  version     = "5.100.0"\n  constraints = "5.100.0"\n}\n');
  });

  test('a stack gets the lock file, the backend settings and a link to the shared providers', () => {
    const shared = path.join(tmp, 'shared');
    fs.mkdirSync(path.join(shared, '.terraform', 'providers'), { recursive: true });
    fs.writeFileSync(path.join(shared, '.terraform.lock.hcl'), LOCK);
    fs.writeFileSync(path.join(shared, '.terraform', 'terraform.tfstate'), '{"backend":{"type":"local"}}');
    const stack = path.join(tmp, 'stack');
    fs.mkdirSync(path.join(stack, '.terraform', 'providers'), { recursive: true }); // a previous own init is replaced
    linkSharedInit(stack, shared);
    expect(fs.readFileSync(path.join(stack, '.terraform.lock.hcl'), 'utf8')).toBe(withoutHashes(LOCK));
    expect(fs.readFileSync(path.join(stack, '.terraform', 'terraform.tfstate'), 'utf8')).toBe('{"backend":{"type":"local"}}');
    expect(fs.readlinkSync(path.join(stack, '.terraform', 'providers'))).toBe(path.join(shared, '.terraform', 'providers'));
  });

  test('a lock left by a process that died is taken over; an initialised directory is reused, not re-initialised', async () => {
    const root = path.join(tmp, 'root');
    const inputs = { required_providers: {}, backend: local }; // no provider: terraform init is instant and offline
    const dir = path.join(root, '.terraform-shared', initKey(inputs));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.mkdirSync(`${dir}.lock`, { recursive: true });
    fs.writeFileSync(path.join(`${dir}.lock`, 'pid'), dead);
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(`${dir}.lock`, past, past);
    const env = offlineTerraformEnv(root);
    const [a, b] = await Promise.all([sharedInit(root, inputs, env), sharedInit(root, inputs, env)]);
    expect([a, b]).toEqual([dir, dir]);
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    expect(fs.existsSync(path.join(dir, '.terraform', 'terraform.tfstate'))).toBe(true);
    const ready = fs.statSync(path.join(dir, '.ready')).mtimeMs;
    await sharedInit(root, inputs, env);
    expect(fs.statSync(path.join(dir, '.ready')).mtimeMs).toBe(ready);
  });
});

test('a stack that calls modules gets its own init (which installs them) and plans', async () => {
  // Built-ins only (terraform_data), so no provider and no network.
  const dir = path.join(tmp, 'with-module');
  fs.mkdirSync(path.join(dir, 'mod'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'mod', 'main.tf.json'), JSON.stringify({ resource: { terraform_data: { x: { input: 'in-module' } } } }));
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } }, module: { m: { source: './mod' } } }));
  const stack: SynthesizedStack = { id: 'with-module', dir, providers: [], dependencies: [] };
  const env = offlineTerraformEnv(tmp);
  expect(await initOffline([stack], tmp, env)).toEqual(new Map());
  expect(fs.existsSync(path.join(dir, '.terraform', 'modules', 'modules.json'))).toBe(true);
  expect(await planStackText(stack, env)).toMatchObject({ add: 1, change: 0, destroy: 0 });
});

describe("Terraform's summary and error lines", () => {
  test('counts come from the Plan: line, imports aside, colours or not', () => {
    expect(countsFromPlanText('...\nPlan: 31 to add, 0 to change, 0 to destroy.\n')).toEqual({ add: 31, change: 0, destroy: 0 });
    expect(countsFromPlanText('Plan: 1 to import, 2 to add, 3 to change, 4 to destroy.')).toEqual({ add: 2, change: 3, destroy: 4 });
    expect(countsFromPlanText('\u001b[1mPlan:\u001b[0m 5 to add, 0 to change, 1 to destroy.')).toEqual({ add: 5, change: 0, destroy: 1 });
  });

  test('no changes, or changes to outputs only, count zero; text that is no plan counts nothing', () => {
    expect(countsFromPlanText('\nNo changes. Your infrastructure matches the configuration.\n')).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(countsFromPlanText('\nChanges to Outputs:\n  + x = "y"\n')).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(countsFromPlanText('Error: something')).toBeUndefined();
  });

  test("the first error line is Terraform's first Error: summary without its frame, else the first line", () => {
    const message = [
      'terraform plan failed for dev-data (exit 1):',
      '╷',
      '│ Error: expected max_session_duration to be in the range (3600 - 43200), got 60',
      '│ ',
      '│   with aws_iam_role.r,',
      '╵',
      '╷',
      '│ Error: second',
    ].join('\n');
    expect(firstErrorLine(message)).toBe('Error: expected max_session_duration to be in the range (3600 - 43200), got 60');
    expect(firstErrorLine('\ncannot run terraform (spawn terraform ENOENT)\nmore')).toBe('cannot run terraform (spawn terraform ENOENT)');
  });
});

test('npm run plan arguments: environments, --stack (repeated or comma-separated), --verbose; unknown options refused', () => {
  expect(parsePlanArgs([])).toEqual({ environments: [], stacks: [], verbose: false });
  expect(parsePlanArgs(['dev', 'prod', '--stack', 'dev-state,dev-network', '--stack=prod-data', '-v'])).toEqual({ environments: ['dev', 'prod'], stacks: ['dev-state', 'dev-network', 'prod-data'], verbose: true });
  expect(() => parsePlanArgs(['--stack'])).toThrow('--stack needs a stack id');
  expect(() => parsePlanArgs(['--frobnicate'])).toThrow('unknown option --frobnicate');
});

describe('npm run plan output', () => {
  const stack = (id: string, providers = ['aws']): SynthesizedStack => ({ id, dir: path.join(tmp, 'synth', 'stacks', id), providers, dependencies: [] });
  const ok = (id: string, add: number): StackPlanText => ({ stack: id, add, change: 0, destroy: 0, text: `Plan: ${add} to add, 0 to change, 0 to destroy.\n`, changed: true, planFile: '' });
  const error = new Error('terraform plan failed for dev-data (exit 1):\n╷\n│ Error: Invalid combination of arguments\n│ \n│   with aws_db_instance.db,');
  // Stands in for terraform: dev-data fails first, then dev-network finishes, then dev-state.
  const fakePlanAll: typeof planAllOfflineText = async (stacks, _env, opts = {}) => {
    const results: Record<string, StackPlanText | Error> = { 'dev-data': error, 'dev-network': ok('dev-network', 31), 'dev-state': ok('dev-state', 16) };
    for (const id of ['dev-data', 'dev-network', 'dev-state']) opts.onResult?.(stacks.find((s) => s.id === id)!, results[id], 1.25);
    return stacks.map((s) => results[s.id]);
  };

  async function report(verbose = false) {
    const out: string[] = [];
    const err: string[] = [];
    const plansDir = path.join(tmp, 'plans');
    const code = await planAndReport([stack('dev-state'), stack('dev-network'), stack('dev-data')], [stack('dev-addons', ['aws', 'helm'])], { root: tmp, plansDir, verbose, concurrency: 2, planAll: fakePlanAll, log: (l) => out.push(l), logError: (l) => err.push(l) });
    return { code, out, err, plansDir };
  }

  test('one line per stack in the order they finish, the full plans in files, a failure named with its first error line; exit 1', async () => {
    const r = await report();
    expect(r.code).toBe(1);
    const lines = r.out.filter((l) => l.startsWith('  dev-'));
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['dev-data', 'dev-network', 'dev-state']);
    expect(lines[0]).toMatch(/^ {2}dev-data\s+1\.3 s {2}FAILED {2}Error: Invalid combination of arguments$/);
    expect(lines[1]).toMatch(/^ {2}dev-network\s+1\.3 s {2}\+31 ~0 -0\s+\S*plans\/dev-network\.txt$/);
    expect(fs.readFileSync(path.join(r.plansDir, 'dev-network.txt'), 'utf8')).toBe('Plan: 31 to add, 0 to change, 0 to destroy.\n');
    expect(fs.readFileSync(path.join(r.plansDir, 'dev-data.txt'), 'utf8')).toContain('│ Error: Invalid combination of arguments');
    expect(r.out.join('\n')).not.toContain('Plan: 31 to add');
    const all = r.out.join('\n');
    expect(all).toContain('2 of 3 AWS stacks planned');
    expect(all).toContain('| dev-state | 16 | 0 | 0 | changes |\n| dev-network | 31 | 0 | 0 | changes |\n| dev-data | 0 | 0 | 0 | failed |');
    expect(all).toContain('not planned here (providers aws, helm): dev-addons');
    expect(r.err.join('\n')).toMatch(/1 stack\(s\) failed to plan:\n {2}dev-data: Error: Invalid combination of arguments \(see \S*plans\/dev-data\.txt\)/);
  });

  test('--verbose prints each full plan after its line', async () => {
    const r = await report(true);
    const i = r.out.findIndex((l) => l.startsWith('  dev-network'));
    expect(r.out[i + 1]).toBe('\nPlan: 31 to add, 0 to change, 0 to destroy.\n');
  });
});
