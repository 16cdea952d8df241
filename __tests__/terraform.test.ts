/**
 * Real Terraform: every stack whose providers are all `aws`, of every environment, must pass
 * `terraform init`, `validate` and an offline `plan` (mock credentials, local state, stub upstream
 * outputs). Synth assertions alone miss wrong attribute combinations; this does not.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../main';
import { environments } from '../environments';
import { OfflinePlanResult, isAwsOnly, listStacks, offlineTerraformEnv, planAllOffline } from '../modules/testing';

const root = path.resolve(__dirname, '..');
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-platform-plan-'));
buildApp(outdir, { PLATFORM_OFFLINE: '1' }).synth();
const stacks = listStacks(outdir);
const awsStacks = stacks.filter(isAwsOnly);
const results = new Map<string, OfflinePlanResult | Error>();

beforeAll(async () => {
  const planned = await planAllOffline(awsStacks, offlineTerraformEnv(root));
  planned.forEach((r, i) => results.set(awsStacks[i].id, r));
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function plan(id: string): OfflinePlanResult {
  const r = results.get(id);
  if (!r) throw new Error(`${id} was not planned`);
  if (r instanceof Error) throw r;
  return r;
}

function planned(id: string, type: string): Array<Record<string, any>> {
  return (plan(id).plan.resource_changes ?? []).filter((c) => c.type === type).map((c) => c.change.after ?? {});
}

test('every environment has its network and state stacks planned with real terraform', () => {
  for (const env of Object.keys(environments)) {
    expect(awsStacks.map((s) => s.id)).toEqual(expect.arrayContaining([`${env}-state`, `${env}-network`]));
  }
});

test.each(awsStacks.map((s) => s.id))('%s: terraform validate and offline plan succeed', (id) => {
  const r = plan(id);
  expect(r.add).toBeGreaterThan(0);
  expect(r.change + r.destroy).toBe(0);
});

test('network plans show real, non-overlapping subnet CIDRs and one NAT in dev, one per AZ in prod', () => {
  const devSubnets = planned('dev-network', 'aws_subnet').map((s) => s.cidr_block);
  expect(devSubnets.sort()).toEqual(['10.0.0.0/20', '10.0.128.0/24', '10.0.129.0/24', '10.0.16.0/20', '10.0.192.0/24', '10.0.193.0/24']);
  expect(planned('dev-network', 'aws_nat_gateway')).toHaveLength(1);
  expect(planned('prod-network', 'aws_nat_gateway')).toHaveLength(3);
  expect(planned('prod-network', 'aws_subnet').every((s) => s.map_public_ip_on_launch === false)).toBe(true);
});

test('the state bucket plan is versioned, KMS-encrypted and fully private', () => {
  expect(planned('dev-state', 'aws_s3_bucket_versioning')[0].versioning_configuration[0].status).toBe('Enabled');
  expect(planned('dev-state', 'aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm).toBe('aws:kms');
  const pab = planned('dev-state', 'aws_s3_bucket_public_access_block')[0];
  expect([pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls, pab.restrict_public_buckets]).toEqual([true, true, true, true]);
});
