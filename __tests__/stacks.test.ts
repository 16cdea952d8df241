import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { EnvironmentConfig } from '../environments';
import { settingsFromEnv, StackSettings } from '../stacks';
import { builtEnvironment, synthesizedOnce as synthesize } from './built-environments';

// Built once per config and settings in this file (see built-environments.ts): read, never change.
const build = (config: EnvironmentConfig = dev, settings: StackSettings = {}) => builtEnvironment(config, settings);

describe('every stack of an environment', () => {
  test('stack ids are <env>-<part>', () => {
    expect(build().all.slice(0, 2).map((s) => s.node.id)).toEqual(['dev-state', 'dev-network']);
    expect(build(prod).network.node.id).toBe('prod-network');
  });

  test('AWS provider pins the region, refuses other accounts and tags everything by default', () => {
    const provider = synthesize(build().network).provider!.aws[0];
    expect(provider.region).toBe('ap-northeast-2');
    expect(provider.allowed_account_ids).toEqual(['111111111111']);
    expect(provider.default_tags).toEqual([{ tags: { project: 'eks-work', environment: 'dev', 'managed-by': 'cdktf', 'cost-center': 'platform-dev' } }]);
    expect(provider.skip_credentials_validation).toBeUndefined();
  });

  test('offline mode drops the account check and tells the provider not to call STS or IMDS', () => {
    const provider = synthesize(build(dev, { offline: true }).network).provider!.aws[0];
    expect(provider.allowed_account_ids).toBeUndefined();
    expect(provider).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true' });
  });
});

describe('remote state', () => {
  test('non-bootstrap stacks use the S3 backend, keyed <env>/<part>, encrypted with the state key, with S3-native locking', () => {
    const backend = (synthesize(build().network).terraform as any).backend;
    const kms = 'arn:aws:kms:ap-northeast-2:111111111111:alias/eks-work-dev-tfstate-111111111111-state';
    expect(backend).toEqual({ s3: { bucket: 'eks-work-dev-tfstate-111111111111', key: 'dev/network/terraform.tfstate', region: 'ap-northeast-2', encrypt: true, kms_key_id: kms, use_lockfile: true } });
  });

  test("every S3 backend names the alias the state stack gives the state bucket's key (else Terraform writes state with SSE-S3)", () => {
    const stacks = build();
    const alias = Object.values(synthesize(stacks.state).resource!.aws_kms_alias)[0] as any;
    expect(stacks.state.stateBucket.kmsAliasArn).toBe(`arn:aws:kms:ap-northeast-2:111111111111:${alias.name}`);
    for (const s of stacks.all.filter((x) => x !== stacks.state)) {
      expect([s.node.id, (synthesize(s).terraform as any).backend.s3.kms_key_id]).toEqual([s.node.id, stacks.state.stateBucket.kmsAliasArn]);
    }
  });

  test('locking "dynamodb" uses a lock table instead of lock files, and the bootstrap stack creates it', () => {
    const config = { ...dev, state: { ...dev.state, locking: 'dynamodb' as const } };
    const stacks = build(config);
    const backend = (synthesize(stacks.network).terraform as any).backend.s3;
    expect(backend.dynamodb_table).toBe('eks-work-dev-tfstate-111111111111-lock');
    expect(backend.use_lockfile).toBeUndefined();
    expect(Object.values(synthesize(stacks.state).resource!.aws_dynamodb_table)[0]).toMatchObject({ name: 'eks-work-dev-tfstate-111111111111-lock' });
  });

  test('the state bucket logs its access to a log bucket the bootstrap stack creates; config points it elsewhere or turns it off', () => {
    const logging = (config: EnvironmentConfig) => Object.values(synthesize(build(config).state).resource!.aws_s3_bucket_logging ?? {}) as any[];
    const buckets = (config: EnvironmentConfig) => Object.values(synthesize(build(config).state).resource!.aws_s3_bucket).map((b: any) => b.bucket);
    expect(buckets(dev)).toEqual(expect.arrayContaining(['eks-work-dev-tfstate-111111111111', 'eks-work-dev-tfstate-111111111111-logs']));
    expect(logging(dev)).toHaveLength(1);
    expect(logging(dev)[0].target_bucket).toMatch(/^\$\{aws_s3_bucket\..*access-logs.*\.bucket\}$/);
    const existing = { ...dev, state: { ...dev.state, accessLogBucket: 'my-org-s3-access-logs' } };
    expect(buckets(existing)).toEqual(['eks-work-dev-tfstate-111111111111']);
    expect(logging(existing)[0].target_bucket).toBe('my-org-s3-access-logs');
    expect(logging({ ...dev, state: { ...dev.state, accessLogBucket: false } })).toHaveLength(0);
    expect(() => build({ ...dev, state: { ...dev.state, accessLogBucket: 'Bad_Logs' } })).toThrow('environment "dev": state.accessLogBucket: "Bad_Logs" is not a valid S3 bucket name');
  });

  test('the bootstrap stack keeps a local backend', () => {
    expect((synthesize(build().state).terraform as any).backend).toEqual({ local: { path: '../../../terraform.dev-state.tfstate' } });
  });

  test('PLATFORM_BACKEND=local switches every stack to local state at the project root', () => {
    const settings = settingsFromEnv({ PLATFORM_BACKEND: 'local' });
    expect(settings).toEqual({ offline: false, backend: 'local' });
    expect((synthesize(build(dev, settings).network).terraform as any).backend).toEqual({ local: { path: '../../../terraform.dev-network.tfstate' } });
  });

  test('settingsFromEnv reads PLATFORM_OFFLINE', () => {
    expect(settingsFromEnv({ PLATFORM_OFFLINE: '1' }).offline).toBe(true);
    expect(settingsFromEnv({}).offline).toBe(false);
  });
});

describe('network stack outputs', () => {
  test('publishes the names terraform-aws-modules users know', () => {
    const outputs = synthesize(build().network).output!;
    for (const name of ['vpc_id', 'vpc_cidr_block', 'azs', 'public_subnets', 'private_subnets', 'database_subnets', 'nat_public_ips']) {
      expect(outputs[name]).toBeDefined();
      expect(outputs[name].description).toBeTruthy();
    }
    expect(outputs.azs.value).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
  });

  test('stub outputs for offline downstream plans mirror the real shape', () => {
    const net = build(prod).network;
    expect(net.stubOutputs.private_subnets).toHaveLength(3);
    expect(net.stubOutputs.nat_public_ips).toHaveLength(3);
    expect(net.stubOutputs.private_subnets_cidr_blocks).toEqual(['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20']);
  });
});
