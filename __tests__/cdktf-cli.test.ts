/**
 * `npm run cdktf|deploy|diff|destroy` run the project's cdktf CLI through scripts/cdktf.ts, which gives
 * it a Terraform CLI config that exists. Here: `cdktf synth` through the wrapper, offline, no account,
 * with TF_CLI_CONFIG_FILE naming a missing file (which breaks a bare `npx cdktf`), and the stack
 * dependencies `cdktf deploy '<env>-*'` orders by.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdktfEnv } from '../scripts/cdktf';
import { SynthesizedStack, inDependencyOrder, listStacks } from '../modules/testing';

const root = path.resolve(__dirname, '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cli-test-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test('cdktfEnv replaces a missing TF_CLI_CONFIG_FILE, keeps an existing one, and turns off the update check', () => {
  const missing = cdktfEnv(root, { TF_CLI_CONFIG_FILE: '/nonexistent/terraformrc' });
  expect(missing.TF_CLI_CONFIG_FILE).toBe(path.join(root, '.terraformrc.generated'));
  expect(fs.existsSync(missing.TF_CLI_CONFIG_FILE!)).toBe(true);
  expect(missing.CHECKPOINT_DISABLE).toBe('1');
  expect(missing.CDKTF_DISABLE_PLUGIN_CACHE_ENV).toBe('1');
  expect(missing.TF_IN_AUTOMATION).toBeUndefined();

  const own = path.join(out, 'my.terraformrc');
  fs.writeFileSync(own, '# mine\n');
  const kept = cdktfEnv(root, { TF_CLI_CONFIG_FILE: own, CHECKPOINT_DISABLE: '' });
  expect(kept.TF_CLI_CONFIG_FILE).toBe(own);
  expect(kept.CHECKPOINT_DISABLE).toBe('');
  expect(kept.CDKTF_DISABLE_PLUGIN_CACHE_ENV).toBeUndefined();
});

describe('cdktf synth through the wrapper', () => {
  let stacks: SynthesizedStack[] = [];
  beforeAll(() => {
    const r = spawnSync('npm', ['run', '-s', 'cdktf', '--', 'synth', '--output', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/nonexistent/terraformrc', PLATFORM_ENVIRONMENTS: 'dev', CI: '1', FORCE_COLOR: '0' },
    });
    if (r.status !== 0) throw new Error(`cdktf synth failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    stacks = listStacks(out);
  }, 300000);

  test('synthesizes every stack of the environment', () => {
    expect(stacks.map((s) => s.id)).toEqual(expect.arrayContaining(['dev-state', 'dev-network']));
    expect(stacks.every((s) => s.id.startsWith('dev-'))).toBe(true);
  });

  test("deploy order: state first, every stack after it, Kubernetes stacks after the cluster (what cdktf deploy 'dev-*' follows)", () => {
    const byId = new Map(stacks.map((s) => [s.id, s]));
    const upstream = (id: string, seen = new Set<string>()): Set<string> => {
      for (const d of byId.get(id)?.dependencies ?? []) if (!seen.has(d)) upstream(d, seen.add(d));
      return seen;
    };
    expect(inDependencyOrder(stacks)[0].id).toBe('dev-state');
    for (const s of stacks.filter((x) => x.id !== 'dev-state')) expect([s.id, upstream(s.id).has('dev-state')]).toEqual([s.id, true]);
    expect(upstream('dev-network')).toEqual(new Set(['dev-state']));
    if (byId.has('dev-cluster')) {
      for (const s of stacks.filter((x) => x.providers.some((p) => p === 'kubernetes' || p === 'helm'))) expect([s.id, upstream(s.id).has('dev-cluster')]).toEqual([s.id, true]);
    }
  });

  test('the bootstrap stack keeps local state at the project root; the others use the S3 bucket', () => {
    const json = (id: string) => JSON.parse(fs.readFileSync(path.join(out, 'stacks', id, 'cdk.tf.json'), 'utf8'));
    expect(json('dev-state').terraform.backend.local.path).toBe('../../../terraform.dev-state.tfstate');
    expect(json('dev-network').terraform.backend.s3).toMatchObject({ bucket: 'eks-work-dev-tfstate-111111111111', key: 'dev/network/terraform.tfstate', use_lockfile: true });
  });
});
