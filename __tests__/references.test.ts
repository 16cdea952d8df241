/**
 * Over every synthesized stack of every environment: a resource that needs another resource of the
 * same stack references it (`${...}`), never its name typed again; and every data source that calls
 * AWS at plan time is a plan-time lookup with an offline stand-in.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { buildApp } from '../main';
import { SynthesizedJson, listStacks, literalReferences, synthesize } from '../modules/testing';

/**
 * Literals allowed to name another resource of the same stack, each with its reason. None today: keep
 * every entry justified.
 */
const ALLOWED: Array<{ stack: RegExp; resource: RegExp; attribute: RegExp; why: string }> = [];

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-platform-refs-'));
buildApp(outdir, {}).synth();
const stacks = listStacks(outdir).map((s) => ({ id: s.id, json: JSON.parse(fs.readFileSync(path.join(s.dir, 'cdk.tf.json'), 'utf8')) as SynthesizedJson }));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('the app synthesizes stacks of both environments, Helm/Kubernetes ones included', () => {
  expect(stacks.map((s) => s.id)).toEqual(expect.arrayContaining(['dev-state', 'dev-batch', 'dev-addons', 'prod-cluster', 'prod-frontend']));
});

test.each(stacks.map((s) => [s.id, s.json] as const))('%s: no attribute spells out the name or ARN of another resource of the stack', (id, json) => {
  const found = literalReferences(json).filter((f) => !ALLOWED.some((a) => a.stack.test(id) && a.resource.test(f.resource) && a.attribute.test(f.attribute)));
  expect(found).toEqual([]);
});

test.each(stacks.map((s) => [s.id, s.json] as const))('%s: every data source is a plan-time lookup (read only when offline_lookups is false)', (_id, json) => {
  const sources = Object.entries(json.data ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, attrs]) => ({ address: `data.${type}.${name}`, count: attrs.count })));
  expect(sources.filter((s) => s.count !== '${var.offline_lookups ? 0 : 1}').map((s) => s.address)).toEqual([]);
  if (sources.length) expect((json.variable as any)?.offline_lookups).toMatchObject({ default: false });
});

describe('literalReferences', () => {
  function stack(): TerraformStack {
    const s = new TerraformStack(Testing.app(), 'refs');
    new AwsProvider(s, 'aws', { region: 'ap-northeast-2' });
    return s;
  }

  test('finds a bucket name typed again (the S3 logging case) and an ARN naming a resource inside a policy', () => {
    const s = stack();
    new S3Bucket(s, 'logs', { bucket: 'my-logs-bucket' });
    const site = new S3Bucket(s, 'site', { bucket: 'my-site-bucket' });
    new S3BucketLoggingA(s, 'logging', { bucket: site.id, targetBucket: 'my-logs-bucket', targetPrefix: 'x/' });
    const role = new IamRole(s, 'role', { name: 'my-role', assumeRolePolicy: '{}' });
    new IamRolePolicy(s, 'policy', { role: role.id, policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-site-bucket/*' }] }) });
    expect(literalReferences(synthesize(s)).map((f) => [f.resource, f.attribute, f.value, f.refersTo]).sort()).toEqual([
      ['aws_iam_role_policy.policy', 'policy', 'arn:aws:s3:::my-site-bucket/*', 'aws_s3_bucket.site'],
      ['aws_s3_bucket_logging.logging', 'target_bucket', 'my-logs-bucket', 'aws_s3_bucket.logs'],
    ]);
  });

  test('references, shared own names, tags and descriptions are not findings', () => {
    const s = stack();
    const logs = new S3Bucket(s, 'logs', { bucket: 'my-logs-bucket' });
    const site = new S3Bucket(s, 'site', { bucket: 'my-site-bucket', tags: { Logs: 'my-logs-bucket' } });
    new S3BucketLoggingA(s, 'logging', { bucket: site.id, targetBucket: logs.bucket, targetPrefix: 'x/' });
    const role = new IamRole(s, 'role', { name: 'bastion', description: 'for my-site-bucket', assumeRolePolicy: '{}' });
    new IamInstanceProfile(s, 'profile', { name: 'bastion', role: role.name });
    expect(literalReferences(synthesize(s))).toEqual([]);
  });
});
