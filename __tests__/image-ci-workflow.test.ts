/**
 * The image CI template (examples/image-ci/.github/workflows/image.yml) against GitHub's own
 * workflow parser and schema (@actions/workflow-parser, what GitHub's editor tooling validates
 * with), and what it must do: OIDC only in the build job, actions pinned to the SHAs the platform's
 * workflows use, the commit SHA as the only tag, the scan gate before the GitOps update.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

const root = path.resolve(__dirname, '..');
const FILE = path.join(root, 'examples', 'image-ci', '.github', 'workflows', 'image.yml');
const content = fs.readFileSync(FILE, 'utf8');
const errorsOf = (text: string, name = 'image.yml') => parseWorkflow({ name, content: text }, new NoOperationTraceWriter()).context.errors.getErrors().map((e) => e.message);
const wf = parse(content) as any;

test('passes GitHub\'s workflow schema', () => {
  expect(errorsOf(content)).toEqual([]);
});

test('the schema check fails on a broken workflow (unknown key, bad permission value)', () => {
  expect(errorsOf(content.replace('timeout-minutes: 30', 'timeout-minute: 30')).length).toBeGreaterThan(0);
  expect(errorsOf(content.replace('id-token: write', 'id-token: push')).length).toBeGreaterThan(0);
});

test('actions are pinned to the full SHAs the platform\'s own workflows use', () => {
  const platform = new Set(
    fs.readdirSync(path.join(root, '.github', 'workflows')).flatMap((f) => [...fs.readFileSync(path.join(root, '.github', 'workflows', f), 'utf8').matchAll(/uses: (\S+@[0-9a-f]{40})/g)].map((m) => m[1])),
  );
  const uses = Object.values(wf.jobs).flatMap((j: any) => j.steps.filter((s: any) => s.uses).map((s: any) => s.uses));
  expect(uses.length).toBeGreaterThan(0);
  for (const u of uses) expect([u, platform.has(u)]).toEqual([u, true]);
});

test('OIDC (id-token) only for the build job, no AWS keys; the update job uses the GitOps token only', () => {
  expect(wf.permissions).toEqual({ contents: 'read' });
  expect(wf.jobs.build.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  expect(wf.jobs['update-manifests'].permissions).toEqual({ contents: 'read' });
  expect(content).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  const creds = wf.jobs.build.steps.find((s: any) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'));
  expect(creds.with['role-to-assume']).toBe('${{ vars.AWS_ROLE_ARN }}');
  expect(wf.on.push.branches).toEqual(['main']);
});

test('pushes only the commit SHA tag, gates on the scan, then updates the overlay by pull request', () => {
  const run = (job: string) => wf.jobs[job].steps.map((s: any) => s.run ?? '').join('\n');
  expect(run('build')).toContain('docker push "${REGISTRY}/${ECR_REPOSITORY}:${GITHUB_SHA}"');
  expect([...run('build').matchAll(/docker push (\S+)/g)].map((m) => m[1])).toEqual(['"${REGISTRY}/${ECR_REPOSITORY}:${GITHUB_SHA}"']);
  expect(run('build')).toMatch(/aws ecr wait image-scan-complete[\s\S]+CRITICAL[\s\S]+exit 1/);
  expect(wf.jobs['update-manifests'].needs).toBe('build');
  expect(run('update-manifests')).toContain('.newTag = strenv(GITHUB_SHA)');
  expect(run('update-manifests')).toContain('gh pr create');
  // No ${{ }} inside run scripts: values reach the shell as environment variables (no injection).
  for (const job of Object.keys(wf.jobs)) expect(run(job)).not.toContain('${{');
});

test('the default overlay it updates exists and names the image it sets', () => {
  const overlay = parse(fs.readFileSync(path.join(root, wf.env.GITOPS_OVERLAY, 'kustomization.yaml'), 'utf8'));
  expect(overlay.images.map((i: any) => i.name)).toContain(wf.env.IMAGE_NAME);
  expect(overlay.images.find((i: any) => i.name === wf.env.IMAGE_NAME).newName).toMatch(new RegExp(`/${wf.env.ECR_REPOSITORY}$`));
});
