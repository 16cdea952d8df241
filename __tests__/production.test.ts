import { Testing } from 'cdktf';
import { ConfigError, EnvironmentConfig, validateEnvironment } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { createEnvironment } from '../stacks';
import { resourcesOfType } from '../modules/testing';
import { configWith } from './config-fixtures';

/** `base` with each dotted path set (undefined deletes it). */
const withFields = (base: EnvironmentConfig, fields: Record<string, unknown>): EnvironmentConfig =>
  Object.entries(fields).reduce((c, [path, value]) => configWith(c, path, value), base);

const problem = (config: EnvironmentConfig): string | undefined => {
  try {
    validateEnvironment(config);
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
};

describe('production guardrails', () => {
  test('prod is production and passes; dev is not, and keeps its cost choices', () => {
    expect(prod.production).toBe(true);
    expect(problem(prod)).toBeUndefined();
    expect(dev.production).toBe(false);
    expect(problem(dev)).toBeUndefined();
    // Dev's choices are exactly what production refuses: the flag, not the data, lets them through.
    expect(problem({ ...dev, production: true })).toMatch(/^environment "dev": network\.natGateways: "single" leaves the private nodes behind one NAT gateway/);
  });

  test('every environment says whether it is production', () => {
    expect(problem(configWith(dev, 'production', undefined))).toBe('environment "dev": production: is required: true for a production environment (its guardrails apply), false otherwise');
    expect(problem(configWith(dev, 'production', 'yes'))).toBe('environment "dev": production: expected boolean, got string');
  });

  // One rule each, with the full one-line message. None has an override: allowOpenPublicEndpoint,
  // the one flag that exists, does not apply in production.
  test.each<[string, Record<string, unknown>, string]>([
    [
      'a public endpoint open to the internet, even with allowOpenPublicEndpoint',
      { 'cluster.endpointPublicAccess': true, 'cluster.publicAccessCidrs': ['203.0.113.0/24', '0.0.0.0/0'], 'cluster.allowOpenPublicEndpoint': true },
      'environment "prod": cluster.publicAccessCidrs[1]: "0.0.0.0/0" opens the Kubernetes API to the whole internet, which production refuses (allowOpenPublicEndpoint does not apply); allowed: specific CIDRs (office, VPN, CI), or endpointPublicAccess: false',
    ],
    [
      'a single load balancer controller pod (dev\'s choice)',
      { 'addons.charts': { 'aws-load-balancer-controller': { values: { replicaCount: 1 } } } },
      'environment "prod": addons.charts.aws-load-balancer-controller.values.replicaCount: 1 leaves the load balancer controller without a standby or a disruption budget (while its one pod restarts, its webhook refuses every new Service), which production refuses; allowed: 2 or more (the default is 2)',
    ],
    [
      'one NAT gateway',
      { 'network.natGateways': 'single' },
      'environment "prod": network.natGateways: "single" leaves the private nodes behind one NAT gateway, a single AZ, which production refuses; allowed: "perAz"',
    ],
    [
      'the default NAT mode (single)',
      { 'network.natGateways': undefined },
      'environment "prod": network.natGateways: "single" (the default) leaves the private nodes behind one NAT gateway, a single AZ, which production refuses; allowed: "perAz"',
    ],
    [
      'no NAT gateway',
      { 'network.natGateways': 'none' },
      'environment "prod": network.natGateways: "none" leaves the private nodes without a NAT gateway, which production refuses; allowed: "perAz"',
    ],
    ['a single-AZ database', { 'database.multiAz': false }, 'environment "prod": database.multiAz: false keeps the database in one AZ, which production refuses; allowed: true (the default)'],
    [
      'a database without deletion protection',
      { 'database.deletionProtection': false },
      'environment "prod": database.deletionProtection: false lets an API call delete the database, which production refuses; allowed: true (the default)',
    ],
    [
      'a database without final snapshot',
      { 'database.finalSnapshot': false },
      'environment "prod": database.finalSnapshot: false deletes the database without a final snapshot, which production refuses; allowed: true (the default)',
    ],
    [
      'an application user secret deleted without recovery window',
      { 'database.appUser.recoveryWindowDays': 0 },
      'environment "prod": database.appUser.recoveryWindowDays: 0 deletes the application user\'s secret at once on destroy (no recovery window), which production refuses; allowed: 7 to 30 (the default is 30)',
    ],
    [
      'control-plane logs kept under a year',
      { 'cluster.logRetentionDays': 180 },
      'environment "prod": cluster.logRetentionDays: 180 days keeps EKS control-plane logs (API server, audit, authenticator) under a year, which production refuses; allowed: 365 or more',
    ],
    ['flow logs kept under a year', { 'network.flowLogRetentionDays': 90 }, 'environment "prod": network.flowLogRetentionDays: 90 days keeps VPC flow logs under a year, which production refuses; allowed: 365 or more'],
    [
      'database logs kept under a year',
      { 'database.logRetentionDays': 30 },
      'environment "prod": database.logRetentionDays: 30 days keeps PostgreSQL logs (connections and disconnections) under a year, which production refuses; allowed: 365 or more',
    ],
    [
      'frontend access logs kept under a year',
      { 'frontend.logRetentionDays': 90 },
      'environment "prod": frontend.logRetentionDays: 90 days keeps CloudFront access and WAF logs under a year, which production refuses; allowed: 365 or more',
    ],
    [
      'batch bucket access logs kept under a year',
      { 'batch.accessLogRetentionDays': 30 },
      'environment "prod": batch.accessLogRetentionDays: 30 days keeps S3 access logs of the batch bucket under a year, which production refuses; allowed: 365 or more',
    ],
    [
      'state bucket access logs kept under a year',
      { 'state.accessLogRetentionDays': 90 },
      'environment "prod": state.accessLogRetentionDays: 90 days keeps S3 access logs of the state bucket under a year, which production refuses; allowed: 365 or more',
    ],
    [
      'state bucket without access logs',
      { 'state.accessLogBucket': false },
      'environment "prod": state.accessLogBucket: false turns off the access logs of the state bucket (the record of who read the state and its secrets), which production refuses; allowed: unset (a log bucket is created) or an existing bucket\'s name',
    ],
  ])('refuses %s', (_rule, fields, message) => {
    expect(problem(withFields(prod, fields))).toBe(message);
    // The same data outside production is a cost choice, not an error.
    expect(problem(withFields({ ...prod, production: false }, fields))).toBeUndefined();
  });

  test('the error stops synth before any stack exists', () => {
    const app = Testing.app();
    expect(() => createEnvironment(app, configWith(prod, 'database.multiAz', false), { offline: true })).toThrow('environment "prod": database.multiAz: false keeps the database in one AZ');
    expect(app.node.children).toHaveLength(0);
  });

  test('production may go without the load balancer controller; its replicas then do not matter', () => {
    expect(problem(configWith(prod, 'addons.charts', { 'aws-load-balancer-controller': { enabled: false, values: { replicaCount: 1 } } }))).toBeUndefined();
    expect(problem(configWith(prod, 'addons.charts', { 'aws-load-balancer-controller': { values: { replicaCount: 3 } } }))).toBeUndefined();
  });

  test('production keeps a web ACL in front of its load balancers, and its logs a year', () => {
    expect(problem(configWith(prod, 'addons.albWebAcl', 'none'))).toBe('environment "prod": addons.albWebAcl: "none" leaves the application load balancers without a web ACL, which production refuses; allowed: "create" (the default) or a REGIONAL web ACL ARN');
    expect(problem(withFields(prod, { 'addons.albWebAcl': 'none', 'addons.charts': { 'aws-load-balancer-controller': { enabled: false } } }))).toBeUndefined();
    expect(problem(configWith(prod, 'addons.albWebAclLogRetentionDays', 30))).toMatch(/addons\.albWebAclLogRetentionDays: 30 days keeps the ALB web ACL logs under a year/);
  });

  test('Container Insights logs are not audit logs: production may keep them 90 days', () => {
    expect(prod.observability?.logRetentionDays).toBe(90);
    expect(problem(configWith(prod, 'observability.logRetentionDays', 30))).toBeUndefined();
  });

  test('unset guarded fields take the constructs\' defaults, which production accepts', () => {
    // The guardrail reads an unset field as compliant; this synthesizes those defaults to prove it.
    const bare = withFields(prod, {
      'cluster.logRetentionDays': undefined,
      'network.flowLogRetentionDays': undefined,
      'database.multiAz': undefined,
      'database.deletionProtection': undefined,
      'database.finalSnapshot': undefined,
      'database.logRetentionDays': undefined,
      'frontend.logRetentionDays': undefined,
      'batch.accessLogRetentionDays': undefined,
      'state.accessLogRetentionDays': undefined,
    });
    expect(problem(bare)).toBeUndefined();
    const stacks = createEnvironment(Testing.app(), bare, { offline: true });
    const [cluster, network, data, frontend, batch, state] = [stacks.cluster, stacks.network, stacks.data, stacks.frontend, stacks.batch, stacks.state].map((s) => JSON.parse(Testing.synth(s)));
    const retentions = [cluster, network, data, frontend].flatMap((j) => resourcesOfType(j, 'aws_cloudwatch_log_group').map((g) => g.retention_in_days as number));
    expect(retentions.length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...retentions)).toBeGreaterThanOrEqual(365);
    expect(resourcesOfType(data, 'aws_db_instance')[0]).toMatchObject({ multi_az: true, deletion_protection: true, skip_final_snapshot: false });
    // The access-log buckets of the frontend and the batch bucket expire their objects after the retention.
    const logBuckets = [batch, frontend, state].flatMap((j) => resourcesOfType(j, 'aws_s3_bucket_lifecycle_configuration')).filter((l) => /log-bucket|access-logs/.test(String(l.bucket)));
    const expirations = logBuckets.flatMap((l) => (l.rule as Array<{ id: string; expiration?: Array<{ days: number }> }>).filter((r) => r.id === 'expire-objects').map((r) => r.expiration?.[0]?.days));
    expect(expirations).toEqual([365, 365, 365]);
  });
});
