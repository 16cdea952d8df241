/**
 * Offline plans and deploys keep out of each other's way: `npm run plan` initialises its stacks with
 * a local throwaway backend in offline-plan/, while cdktf deploy and diff initialise theirs with the
 * real backends in cdktf.out/, so plan -> diff -> plan works without deleting anything by hand. Run in
 * a copy of the project (its own cdktf.out/ and offline-plan/), without AWS credentials: the diff may
 * fail only on the missing credentials, never with "Backend configuration changed".
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-plan-dir-'));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

beforeAll(() => {
  // Everything but dependencies, history and what commands generate (the copy makes its own).
  const skip = new Set(['node_modules', '.git', 'dist', 'cdktf.out', 'offline-plan', 'plan-summary', '.terraform-plugin-cache', '.terraform-shared', '.terraformrc.generated', 'coverage']);
  for (const f of fs.readdirSync(root)) if (!skip.has(f) && !f.endsWith('.tfstate')) fs.cpSync(path.join(root, f), path.join(project, f), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  // The offline stacks' shared `terraform init` (locked, keyed by providers and backend) is the
  // project's, as node_modules is: what is tested is where plans and deploys initialise their stacks.
  fs.mkdirSync(path.join(root, '.terraform-shared'), { recursive: true });
  fs.symlinkSync(path.join(root, '.terraform-shared'), path.join(project, '.terraform-shared'), 'dir');
});

/**
 * The environment of someone with no AWS account configured. Go's garbage collector waits until
 * 512 MiB, as for the offline plans (`offlineTerraformEnv`): cdktf diff runs Terraform without it.
 */
function withoutAws(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('TF_')));
  return { ...env, GOGC: 'off', GOMEMLIMIT: '512MiB', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: path.join(project, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(project, 'no-aws-credentials'), PLATFORM_ENVIRONMENTS: 'dev', CI: '1', FORCE_COLOR: '0', NO_COLOR: '1' };
}

function script(file: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--require', './scripts/register.js', file, ...args], { cwd: project, env: withoutAws(), encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const plan = () => script('scripts/plan.ts', ['dev', '--stack', 'dev-state']);

test('plan, then diff (fails on credentials only), then plan again', () => {
  const first = plan();
  expect([first.code, first.out]).toEqual([0, expect.stringMatching(/dev-state\s+[\d.]+ s\s+\+\d+ ~0 -0/)]);
  expect(fs.existsSync(path.join(project, 'offline-plan', 'plans', 'dev-state.txt'))).toBe(true);

  // --skip-provider-lock: `terraform providers lock` asks the public registry, which this test cannot assume.
  const diff = script('scripts/cdktf.ts', ['diff', 'dev-state', '--skip-provider-lock']);
  expect(diff.code).not.toBe(0);
  expect(diff.out).not.toContain('Backend configuration changed');
  expect(diff.out).toMatch(/No valid credential sources found/);

  const again = plan();
  expect([again.code, again.out]).toEqual([0, expect.stringContaining('1 of 1 AWS stacks planned')]);
});
