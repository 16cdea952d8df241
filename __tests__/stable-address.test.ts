import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import type { EnvironmentConfig } from '../environments';
import { createEnvironment } from '../stacks';
import { PrivateBucket, stableAddress } from '../modules';
import { SynthesizedStack, awsTestStack, initOffline, mustRun, offlineCopy, offlineTerraformEnv, planStack, synthesize } from '../modules/testing';

const root = path.resolve(__dirname, '..');

describe('stableAddress', () => {
  test('a nested resource gets its construct path below the stack without the hash, and a moved block from the hashed address', () => {
    const stack = awsTestStack();
    const group = new Construct(stack, 'web');
    const bucket = stableAddress(new S3Bucket(group, 'assets', { bucket: 'web-assets-123' }));
    const hashed = stack.getLogicalId(bucket);
    expect(hashed).toMatch(/^web_assets_[0-9A-F]{8}$/);
    const json = synthesize(stack);
    expect(Object.keys(json.resource!.aws_s3_bucket)).toEqual(['web_assets']);
    expect(json.moved).toEqual([{ from: `aws_s3_bucket.${hashed}`, to: 'aws_s3_bucket.web_assets' }]);
    // References use the stable address too.
    new S3BucketPolicy(group, 'policy', { bucket: bucket.id, policy: '{}' });
    expect(Object.values(synthesize(stack).resource!.aws_s3_bucket_policy)[0].bucket).toBe('${aws_s3_bucket.web_assets.id}');
  });

  test('HCL output carries the moved block too', () => {
    const stack = awsTestStack();
    new PrivateBucket(stack, 'assets', { bucketName: 'my-assets-bucket', accountId: '123456789012', region: 'eu-west-1' });
    expect(String(Testing.synthHcl(stack))).toMatch(/moved \{\s*from = aws_s3_bucket\.assets_bucket_[0-9A-F]{8}\s*to\s*= aws_s3_bucket\.assets_bucket\s*\}/);
  });

  test('a resource made directly in the stack has no hash to drop: unchanged, no moved block', () => {
    const stack = awsTestStack();
    stableAddress(new S3Bucket(stack, 'assets', { bucket: 'web-assets-123' }));
    const json = synthesize(stack);
    expect(Object.keys(json.resource!.aws_s3_bucket)).toEqual(['assets']);
    expect(json.moved).toBeUndefined();
  });

  test('refuses two resources one address, and a call after an attribute was read', () => {
    const stack = awsTestStack();
    stableAddress(new S3Bucket(new Construct(stack, 'site.logs'), 'bucket', { bucket: 'a-bucket-123' }));
    expect(() => stableAddress(new S3Bucket(new Construct(stack, 'sitelogs'), 'bucket', { bucket: 'b-bucket-123' }))).toThrow(
      'test/sitelogs/bucket: address aws_s3_bucket.sitelogs_bucket is already used by test/site.logs/bucket in stack test; give one of the constructs another id',
    );
    const late = new S3Bucket(new Construct(stack, 'late'), 'bucket', { bucket: 'c-bucket-123' });
    void late.arn;
    expect(() => stableAddress(late)).toThrow(/test\/late\/bucket: stableAddress\(\) must be called before any attribute of the resource is read \(its address is already aws_s3_bucket\.late_bucket_[0-9A-F]{8}\)/);
  });

  test('synthesis refuses a resource made directly in the stack under a stable name', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'stable-address-')) });
    const stack = new TerraformStack(app, 'test');
    stableAddress(new S3Bucket(new Construct(stack, 'site'), 'bucket', { bucket: 'a-bucket-123' }));
    new S3Bucket(stack, 'site_bucket', { bucket: 'b-bucket-123' });
    expect(() => app.synth()).toThrow('test/site_bucket and test/site/bucket both have the address aws_s3_bucket.site_bucket; give one of them another construct id');
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });
});

/** The stacks of an environment, synthesized: stack id → Terraform JSON. */
function synthEnvironment(config: EnvironmentConfig, settings = {}): Map<string, ReturnType<typeof synthesize>> {
  const stacks = createEnvironment(Testing.app(), config, settings);
  return new Map(stacks.all.map((s) => [s.node.id, synthesize(s)]));
}

/** `<stack> <address>` of every resource with an address without hash (every target of a moved block). */
function stableAddresses(env: Map<string, ReturnType<typeof synthesize>>): string[] {
  return [...env].flatMap(([id, json]) => ((json.moved as Array<{ to: string }> | undefined) ?? []).map((m) => `${id} ${m.to}`)).sort();
}

/** Addresses the docs' table lists, for an environment. */
function documentedAddresses(config: EnvironmentConfig): string[] {
  const doc = fs.readFileSync(path.join(root, 'docs', 'usage.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Resource addresses: import and move'), doc.indexOf('## Plan and apply in a pipeline'));
  const rows = [...section.matchAll(/^\| `<env>-(\w+)` \| [^|]+ \| `([^`]+)` \|/gm)];
  expect(rows.length).toBeGreaterThan(0);
  return rows
    .flatMap(([, part, address]) => (address.includes('<name>') ? (config.cluster.nodeGroups ?? []).map((g) => address.replace('<name>', g.name)) : [address]).map((a) => `${config.name}-${part} ${a}`))
    .sort();
}

const withLockTable = (c: EnvironmentConfig): EnvironmentConfig => ({ ...c, state: { ...c.state, locking: 'dynamodb' } });

describe('the addresses users import or move', () => {
  const envs = [withLockTable(dev), withLockTable(prod)];

  test.each(envs.map((c) => [c.name, c] as const))('%s: exactly the addresses docs/usage.md documents, each moved from its hashed address', (_name, config) => {
    const env = synthEnvironment(config);
    expect(stableAddresses(env)).toEqual(documentedAddresses(config));
    // Every resource of these types has a stable address (no `_<HASH>` suffix).
    for (const [id, json] of env) {
      for (const type of ['aws_eks_cluster', 'aws_eks_node_group', 'aws_db_instance', 'aws_s3_bucket', 'aws_dynamodb_table', 'aws_secretsmanager_secret']) {
        for (const name of Object.keys(json.resource?.[type] ?? {})) expect(`${id} ${type}.${name}`).not.toMatch(/_[0-9A-F]{8}$/);
      }
    }
    // The addresses states written before stable addresses hold: the moved blocks must keep naming them.
    const moved = [...env.values()].flatMap((j) => (j.moved as Array<{ from: string; to: string }> | undefined) ?? []).map((m) => `${m.from} -> ${m.to}`);
    expect(moved.sort()).toEqual(
      [
        'aws_s3_bucket.state_bucket_803B4E61 -> aws_s3_bucket.state_bucket',
        'aws_s3_bucket.state_access-logs_bucket_8C81354E -> aws_s3_bucket.state_access-logs_bucket',
        'aws_kms_key.state_key_5FD9E39E -> aws_kms_key.state_key',
        'aws_kms_alias.state_key_alias_D8D2FE24 -> aws_kms_alias.state_key_alias',
        'aws_dynamodb_table.state_lock-table_6543B35D -> aws_dynamodb_table.state_lock-table',
        'aws_eks_cluster.cluster_A4C38409 -> aws_eks_cluster.cluster',
        'aws_eks_node_group.node-group-default_node-group_4E49115C -> aws_eks_node_group.node-group-default_node-group',
        'aws_db_instance.database_instance_D7FC2283 -> aws_db_instance.database_instance',
        'aws_secretsmanager_secret.app-database-user_secret_479B2117 -> aws_secretsmanager_secret.app-database-user_secret',
        'aws_s3_bucket.site_bucket_DFA168EB -> aws_s3_bucket.site_bucket',
        'aws_s3_bucket.site_log-bucket_3D9B2D9D -> aws_s3_bucket.site_log-bucket',
        'aws_s3_bucket.batch_bucket_C7C087B5 -> aws_s3_bucket.batch_bucket',
        'aws_s3_bucket.batch_log-bucket_B411615C -> aws_s3_bucket.batch_log-bucket',
      ].sort(),
    );
  });

  test('unrelated config changes leave them alone: another node group, tags, features on and off, offline mode', () => {
    const base = stableAddresses(synthEnvironment(dev));
    const c = dev.cluster;
    const variants: Array<[string, EnvironmentConfig, Record<string, unknown>?]> = [
      ['another node group', { ...dev, cluster: { ...c, nodeGroups: [...(c.nodeGroups ?? []), { name: 'spot', instanceTypes: ['t3.large'], capacityType: 'SPOT', minSize: 0, maxSize: 3, desiredSize: 0, diskSizeGiB: 50 }] } }],
      ['other tags', { ...dev, tags: { 'cost-center': 'elsewhere', team: 'platform' } }],
      ['Multi-AZ database, web ACL, Fargate on, no CI roles', { ...dev, cicd: undefined, gitops: { ...dev.gitops!, imageRepositories: [] }, database: { ...dev.database, multiAz: true }, frontend: { ...dev.frontend, webAcl: 'create' }, cluster: { ...c, fargate: { ...c.fargate, enabled: true } } } as EnvironmentConfig],
      ['offline plan mode', dev, { offline: true }],
    ];
    for (const [what, config, settings] of variants) {
      const got = stableAddresses(synthEnvironment(config, settings));
      const added = what === 'another node group' ? ['dev-cluster aws_eks_node_group.node-group-spot_node-group'] : [];
      expect([what, got]).toEqual([what, [...base, ...added].sort()]);
    }
  });
});

/**
 * Real Terraform: a state that holds the hashed addresses (a deployment from before) plans as moves,
 * nothing replaced or destroyed. The state is made from the stack's own planned values, put at the
 * hashed addresses; planned without refresh (offline, mock credentials).
 */
test('terraform plans a state holding the hashed addresses as moves, replacing nothing', async () => {
  const stacks = createEnvironment(Testing.app(), withLockTable(dev), { offline: true });
  const json = offlineCopy(synthesize(stacks.state));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stable-address-plan-'));
  try {
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
    const target: SynthesizedStack = { id: stacks.state.node.id, dir, providers: ['aws'], dependencies: [], backend: 'local' };
    const env = offlineTerraformEnv(root);
    const initError = (await initOffline([target], root, env)).get(target.id);
    if (initError) throw initError;

    // What a first apply would have written: the planned values (unknowns filled the way AWS would), at the hashed addresses.
    const fresh = await planStack(target, env, { out: 'fresh.tfplan' });
    const moved = json.moved as Array<{ from: string; to: string }>;
    expect(moved.map((m) => m.to).sort()).toEqual(['aws_dynamodb_table.state_lock-table', 'aws_kms_alias.state_key_alias', 'aws_kms_key.state_key', 'aws_s3_bucket.state_access-logs_bucket', 'aws_s3_bucket.state_bucket']);
    const values = (fresh.plan as any).planned_values.root_module.resources as Array<{ address: string; type: string; schema_version: number; values: Record<string, any> }>;
    const computed: Record<string, (v: Record<string, any>) => Record<string, string>> = {
      aws_s3_bucket: (v) => ({ id: v.bucket, arn: `arn:aws:s3:::${v.bucket}` }),
      aws_kms_key: () => ({ id: '1234abcd-12ab-34cd-56ef-1234567890ab', key_id: '1234abcd-12ab-34cd-56ef-1234567890ab', arn: 'arn:aws:kms:ap-northeast-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }),
      aws_kms_alias: (v) => ({ id: v.name, arn: `arn:aws:kms:ap-northeast-2:111111111111:${v.name}`, target_key_id: '1234abcd-12ab-34cd-56ef-1234567890ab' }),
      aws_dynamodb_table: (v) => ({ id: v.name, arn: `arn:aws:dynamodb:ap-northeast-2:111111111111:table/${v.name}` }),
    };
    const resources = moved.map(({ from, to }) => {
      const r = values.find((x) => x.address === to)!;
      const [type, name] = from.split('.');
      const attributes = { ...r.values, ...computed[type](r.values) };
      return { mode: 'managed', type, name, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: r.schema_version, attributes, sensitive_attributes: [] }] };
    });
    fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'stable-address-test', outputs: {}, resources }));

    const r = await mustRun(['plan', '-input=false', '-lock=false', '-refresh=false', '-no-color'], target, env);
    // `has moved to` (nothing else changes) or `will be updated in-place` + `(moved from ...)`: a move either way.
    const esc = (x: string) => x.replace(/[.[\]]/g, '\\$&');
    for (const { from, to } of moved) expect(r.stdout).toMatch(new RegExp(`# ${esc(from)} has moved to ${esc(to)}\n|# ${esc(to)} will be updated in-place\n\\s*# \\(moved from ${esc(from)}\\)`));
    expect(r.stdout).not.toMatch(/must be replaced|will be destroyed/);
    // Everything else is created as before; the moved resources are not among the creations.
    expect(r.stdout).toContain(`Plan: ${fresh.add - moved.length} to add, `);
    expect(r.stdout).toMatch(/, 0 to destroy\./);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
