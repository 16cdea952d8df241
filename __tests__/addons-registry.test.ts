import { ADDON_CATALOG, AddonDefinition, selectAddons } from '../modules';

const names = (props: Parameters<typeof selectAddons>[0] = {}) => selectAddons(props).map((a) => a.definition.name);

describe('selectAddons', () => {
  test('defaults: the load balancer controller (first: its webhooks), metrics-server, cluster-autoscaler, the CloudWatch agent and Fluentd, in install order', () => {
    expect(names()).toEqual(['aws-load-balancer-controller', 'metrics-server', 'cluster-autoscaler', 'aws-cloudwatch-metrics', 'fluentd']);
  });

  test('the log shipper and agent are choices, including none', () => {
    expect(names({ logShipper: 'fluent-bit' })).toEqual(['aws-load-balancer-controller', 'metrics-server', 'cluster-autoscaler', 'aws-cloudwatch-metrics', 'aws-for-fluent-bit']);
    expect(names({ logShipper: 'none', cloudwatch: 'none' })).toEqual(['aws-load-balancer-controller', 'metrics-server', 'cluster-autoscaler']);
  });

  test('cloudwatch-observability ships logs itself, so the log shipper defaults to none', () => {
    expect(names({ cloudwatch: 'cloudwatch-observability' })).toEqual(['aws-load-balancer-controller', 'metrics-server', 'cluster-autoscaler', 'amazon-cloudwatch-observability']);
  });

  test('every add-on can be switched off or on by name', () => {
    expect(names({ charts: { 'cluster-autoscaler': { enabled: false }, 'metrics-server': { enabled: false }, 'aws-load-balancer-controller': { enabled: false } } })).toEqual(['aws-cloudwatch-metrics', 'fluentd']);
    expect(names({ logShipper: 'none', charts: { 'aws-for-fluent-bit': { enabled: true } } })).toContain('aws-for-fluent-bit');
  });

  test('a chart version and values override the pinned ones', () => {
    const ms = selectAddons({ charts: { 'metrics-server': { version: '3.13.0', values: { replicas: 2 } } } }).find((a) => a.definition.name === 'metrics-server')!;
    expect(ms.version).toBe('3.13.0');
    expect(ms.valuesOverride).toEqual({ replicas: 2 });
    expect(selectAddons().find((a) => a.definition.name === 'metrics-server')!.version).toBe('3.13.1');
  });

  test('two log shippers at once are refused, naming both', () => {
    expect(() => selectAddons({ logShipper: 'fluentd', charts: { 'aws-for-fluent-bit': { enabled: true } } })).toThrow(
      'charts.aws-for-fluent-bit: add-on "aws-for-fluent-bit" conflicts with "fluentd": both ship container logs to the application log group, so every log line would arrive twice',
    );
  });

  test('cloudwatch-observability with an explicit log shipper is refused at the logShipper field', () => {
    expect(() => selectAddons({ cloudwatch: 'cloudwatch-observability', logShipper: 'fluentd' })).toThrow(
      'logShipper: add-on "fluentd" conflicts with "amazon-cloudwatch-observability": amazon-cloudwatch-observability runs its own Fluent Bit',
    );
  });

  test('two CloudWatch agents are refused', () => {
    expect(() => selectAddons({ charts: { 'amazon-cloudwatch-observability': { enabled: true } }, logShipper: 'none' })).toThrow(
      'charts.amazon-cloudwatch-observability: add-on "amazon-cloudwatch-observability" conflicts with "aws-cloudwatch-metrics"',
    );
  });

  test('an unknown add-on name is refused with the known ones', () => {
    expect(() => selectAddons({ charts: { karpenter: { enabled: true } } })).toThrow(
      'charts.karpenter: unknown add-on "karpenter"; allowed: aws-load-balancer-controller, metrics-server, cluster-autoscaler, aws-cloudwatch-metrics, amazon-cloudwatch-observability, fluentd, aws-for-fluent-bit',
    );
  });

  test('a chart version that is not semver is refused', () => {
    expect(() => selectAddons({ charts: { fluentd: { version: 'latest' } } })).toThrow('charts.fluentd.version: "latest" is not a chart version; allowed: semantic version such as "0.6.0"');
  });

  test('a missing dependency is refused, naming both add-ons', () => {
    const base = ADDON_CATALOG.find((d) => d.name === 'metrics-server')!;
    const needy: AddonDefinition = { ...base, name: 'needs-metrics', dependsOn: ['metrics-server'] };
    const catalog = [base, needy];
    expect(selectAddons({ charts: { 'needs-metrics': { enabled: true } } }, catalog).map((a) => a.definition.name)).toEqual(['metrics-server', 'needs-metrics']);
    expect(() => selectAddons({ charts: { 'needs-metrics': { enabled: true }, 'metrics-server': { enabled: false } } }, catalog)).toThrow(
      'charts.needs-metrics: add-on "needs-metrics" depends on "metrics-server", which is not enabled',
    );
  });

  test('conflicts are declared on at least one side of every pair that ships or collects the same data', () => {
    const conflicts = (a: string, b: string) => {
      const da = ADDON_CATALOG.find((d) => d.name === a)!;
      const db = ADDON_CATALOG.find((d) => d.name === b)!;
      return Boolean(da.conflictsWith?.some((c) => c.name === b) || db.conflictsWith?.some((c) => c.name === a));
    };
    expect(conflicts('fluentd', 'aws-for-fluent-bit')).toBe(true);
    expect(conflicts('amazon-cloudwatch-observability', 'fluentd')).toBe(true);
    expect(conflicts('amazon-cloudwatch-observability', 'aws-for-fluent-bit')).toBe(true);
    expect(conflicts('amazon-cloudwatch-observability', 'aws-cloudwatch-metrics')).toBe(true);
    expect(conflicts('metrics-server', 'cluster-autoscaler')).toBe(false);
  });
});
