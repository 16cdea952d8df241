import { App, Testing } from 'cdktf';
import { ConfigError, EnvironmentConfig, environments, validateEnvironments } from '../environments';
import { createEnvironment } from '../stacks';
import { buildApp } from '../main';
import { dev } from '../environments/dev';
import { configWith } from './config-fixtures';

const devWith = (path: string, value: unknown): EnvironmentConfig => configWith(dev, path, value);

describe('shipped environments', () => {
  test('dev and prod exist, are valid and differ where the platform says they should', () => {
    expect(() => validateEnvironments(environments)).not.toThrow();
    expect(environments.dev.network.azs).toHaveLength(2);
    expect(environments.dev.network.natGateways).toBe('single');
    expect(environments.prod.network.azs).toHaveLength(3);
    expect(environments.prod.network.natGateways).toBe('perAz');
    for (const e of Object.values(environments)) {
      expect(e.region ?? 'ap-northeast-2').toBe('ap-northeast-2');
      expect(e.network.vpcCidr ?? '10.0.0.0/16').toBe('10.0.0.0/16');
      expect(e.network.azs.every((az) => az.startsWith('ap-northeast-2'))).toBe(true);
    }
  });
});

describe('bad input stops synth with one clear message', () => {
  test.each<[string, unknown, string]>([
    ['network.vpcCidr', '10.0.0.0/33', 'environment "dev": network.vpcCidr: "10.0.0.0/33" is not an IPv4 CIDR block'],
    ['network.vpcCidr', '10.0.0/16', 'environment "dev": network.vpcCidr: "10.0.0/16" is not an IPv4 CIDR block'],
    ['network.vpcCidr', '8.8.0.0/16', 'environment "dev": network.vpcCidr: "8.8.0.0/16" is not a private (RFC 1918) block'],
    ['network.subnetPrefixes', { private: 20, public: 18, database: 24 }, 'environment "dev": network.subnetPrefixes.public: 2 public subnets of /18 do not fit'],
    ['network.vpcCidr', '10.0.0.0/24', 'environment "dev": network.subnetPrefixes.private: /20 does not fit the private region 10.0.0.0/25'],
    ['network.azs', ['ap-northeast-2a'], 'environment "dev": network.azs: ["ap-northeast-2a"] lists fewer than 2 AZs'],
    ['network.azs', ['ap-northeast-2a', 'us-west-2b'], 'environment "dev": network.azs[1]: "us-west-2b" is not an AZ of ap-northeast-2'],
    ['network.natGateways', 'double', 'environment "dev": network.natGateways: "double" is not allowed; allowed: "single" | "perAz" | "none"'],
    ['state.bucket', 'My_State_Bucket', 'environment "dev": state.bucket: "My_State_Bucket" is not a valid S3 bucket name'],
    ['cluster.name', 'bad name!', 'environment "dev": cluster.name: invalid value; allowed: 1-100 characters'],
    ['cluster.name', 'a'.repeat(101), 'environment "dev": cluster.name: invalid value; allowed: 1-100 characters'],
    ['accountId', undefined, 'environment "dev": accountId: is required: the 12-digit AWS account id'],
    ['accountId', '1234', 'environment "dev": accountId: invalid value; allowed: exactly 12 digits'],
    ['region', 'seoul', 'environment "dev": region: "seoul" is not an AWS region; allowed: a region code of the AWS SDK\'s partitions: af-south-1,'],
    // Well-formed, checked against the AWS SDK's lists: a region that does not exist, misspelt instance types.
    ['region', 'ap-northeast-9', 'environment "dev": region: "ap-northeast-9" is not an AWS region; did you mean "ap-northeast-1", "ap-northeast-2" or "ap-northeast-3"?'],
    ['state.region', 'us-est-1', 'environment "dev": state.region: "us-est-1" is not an AWS region; did you mean "us-east-1" or "us-west-1"?'],
    ['cluster.nodeGroups.0.instanceTypes', ['t3.mediun'], 'environment "dev": cluster.nodeGroups[0].instanceTypes[0]: "t3.mediun" is not an EC2 instance type; did you mean "t3.medium"?'],
    ['bastion.instanceType', 't4g.nanoo', 'environment "dev": bastion.instanceType: "t4g.nanoo" is not an EC2 instance type; did you mean "t4g.nano"?'],
    ['network.natGateway', 'single', 'environment "dev": network: unknown field "natGateway"'],
    ['network.flowLogRetentionDays', 45, 'environment "dev": network.flowLogRetentionDays: 45 is not a CloudWatch Logs retention period'],
  ])('%s = %j', (path, value, message) => {
    const attempt = () => createEnvironment(Testing.app(), devWith(path, value), { offline: true });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  test('duplicate environment names are refused', () => {
    expect(() => validateEnvironments([dev, { ...dev }])).toThrow('environment "dev": name: duplicate environment name');
    expect(() => validateEnvironments({ dev, staging: dev })).toThrow('environment "staging": name: "dev" differs from its key "staging"');
  });

  test('an unknown environment in PLATFORM_ENVIRONMENTS is refused', () => {
    expect(() => buildApp(undefined, { PLATFORM_ENVIRONMENTS: 'qa' })).toThrow('environment "qa": PLATFORM_ENVIRONMENTS names an unknown environment; allowed: dev, prod');
  });

  // A schema error is found before any App exists; a construct error while the stacks are built,
  // after cdktf's App has created its outdir and stacks/. Neither may leave a file or directory.
  test.each<[string, string, unknown, string]>([
    ['a schema error', 'network.natGateways', 'double', 'environment "dev": network.natGateways: "double" is not allowed'],
    ['a construct error', 'database.allocatedStorage', 10, 'environment "dev": database.allocatedStorage: 10 GiB is outside'],
  ])('%s writes no directory or file', (_case, field, value, message) => {
    const fs = require('fs') as typeof import('fs');
    const os = require('os') as typeof import('os');
    const path = require('path') as typeof import('path');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-config-'));
    expect(() => buildApp(path.join(tmp, 'cdktf.out'), {}, { dev: devWith(field, value) })).toThrow(message);
    expect(fs.readdirSync(tmp)).toEqual([]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('main.ts prints one line, not a stack trace, exits 1 and writes nothing', () => {
    const { spawnSync } = require('child_process') as typeof import('child_process');
    const fs = require('fs') as typeof import('fs');
    const os = require('os') as typeof import('os');
    const path = require('path') as typeof import('path');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-config-'));
    // The construct error: raised after the App exists, the case that used to leave cdktf.out/stacks/.
    const script = `
      const { main } = require('./main');
      const { dev } = require('./environments/dev');
      const { configWith } = require('./__tests__/config-fixtures');
      main(${JSON.stringify(path.join(tmp, 'cdktf.out'))}, {}, { dev: configWith(dev, 'database.allocatedStorage', 10) });`;
    const r = spawnSync(process.execPath, ['--require', './scripts/register.js', '-e', script], { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Configuration error: environment "dev": database.allocatedStorage: 10 GiB is outside gp3's range; allowed: whole GiB from 20 to 65536\n`);
    expect(fs.readdirSync(tmp)).toEqual([]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a construct error leaves an existing outdir as it was', () => {
    const fs = require('fs') as typeof import('fs');
    const os = require('os') as typeof import('os');
    const path = require('path') as typeof import('path');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-config-out-'));
    fs.writeFileSync(path.join(out, 'keep.txt'), 'from an earlier run');
    expect(() => buildApp(out, {}, { dev: devWith('database.allocatedStorage', 10) })).toThrow(ConfigError);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
    fs.rmSync(out, { recursive: true, force: true });
  });
});

test('createEnvironment returns the stacks in dependency order', () => {
  const stacks = createEnvironment(new App({ outdir: require('os').tmpdir() + '/unused' }), dev, { offline: true });
  expect(stacks.all[0].node.id).toBe('dev-state');
  expect(stacks.all[1].node.id).toBe('dev-network');
});
