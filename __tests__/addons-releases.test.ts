import { AddonReleases, AddonReleasesProps, selectAddons } from '../modules';
import { onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { FACTS, kubernetesTestStack } from './addons-fixtures';

const ROLES = {
  'cluster-autoscaler': 'arn:aws:iam::111111111111:role/eks-work-dev-cluster-autoscaler',
  'aws-cloudwatch-metrics': 'arn:aws:iam::111111111111:role/eks-work-dev-cloudwatch-agent',
  fluentd: 'arn:aws:iam::111111111111:role/eks-work-dev-fluentd',
  'aws-for-fluent-bit': 'arn:aws:iam::111111111111:role/eks-work-dev-fluent-bit',
  'amazon-cloudwatch-observability': 'arn:aws:iam::111111111111:role/eks-work-dev-cw-observability',
};

function synth(selection: Parameters<typeof selectAddons>[0] = {}, props: Partial<AddonReleasesProps> = {}) {
  const stack = kubernetesTestStack();
  const releases = new AddonReleases(stack, 'addons', { addons: selectAddons(selection), facts: FACTS, roleArns: ROLES, ...props });
  const json = synthesize(stack);
  const release = (name: string) => resourcesOfType(json, 'helm_release').find((r) => r.name === name)!;
  const values = (name: string) => JSON.parse(release(name).values[0]);
  return { releases, json, release, values };
}

describe('AddonReleases', () => {
  const { json, release, values } = synth();

  test.each([
    ['metrics-server', 'metrics-server', 'https://kubernetes-sigs.github.io/metrics-server/', '3.13.1', 'kube-system'],
    ['cluster-autoscaler', 'cluster-autoscaler', 'https://kubernetes.github.io/autoscaler', '9.59.0', 'kube-system'],
    ['aws-cloudwatch-metrics', 'aws-cloudwatch-metrics', 'https://aws.github.io/eks-charts', '0.0.11', 'amazon-cloudwatch'],
    ['fluentd', 'fluentd', 'https://fluent.github.io/helm-charts', '0.6.0', 'amazon-cloudwatch'],
  ])('%s: chart %s from %s at %s in %s, atomic, one JSON values document', (name, chart, repository, version, namespace) => {
    expect(release(name)).toMatchObject({ chart, repository, version, namespace: namespace === 'kube-system' ? namespace : expect.stringMatching(new RegExp(`^\\$\\{kubernetes_namespace_v1\\.addons_namespace-${namespace}_\\w+\\.metadata\\[0\\]\\.name\\}$`)), atomic: true, cleanup_on_fail: true, create_namespace: false });
    expect(release(name).values).toHaveLength(1);
    expect(release(name).set).toBeUndefined();
  });

  test('cluster-autoscaler: auto-discovery by cluster name, region, named service account with its IRSA role, 1.35 image, the args', () => {
    const v = values('cluster-autoscaler');
    expect(v.autoDiscovery).toEqual({ clusterName: 'eks-work-dev' });
    expect(v.awsRegion).toBe('ap-northeast-2');
    expect(v.cloudProvider).toBe('aws');
    expect(v.rbac.serviceAccount).toEqual({ create: true, name: 'cluster-autoscaler', annotations: { 'eks.amazonaws.com/role-arn': ROLES['cluster-autoscaler'] } });
    expect(v.image).toEqual({ tag: 'v1.35.0' });
    expect(v.extraArgs).toEqual({ 'balance-similar-node-groups': true, expander: 'least-waste', 'skip-nodes-with-local-storage': false });
  });

  test('the image tag follows the cluster minor version', () => {
    const { values: v } = synth({}, { facts: { ...FACTS, kubernetesVersion: '1.33' } });
    expect(v('cluster-autoscaler').image.tag).toBe('v1.33.0');
  });

  test('a cluster version outside the table needs an explicit image tag', () => {
    expect(() => synth({}, { facts: { ...FACTS, kubernetesVersion: '1.29' } })).toThrow(
      'charts.cluster-autoscaler.values.image.tag: no cluster-autoscaler image for Kubernetes "1.29"; allowed: a version in the table (1.30, 1.31, 1.32, 1.33, 1.34, 1.35) or an explicit image.tag such as "v1.35.0"',
    );
    const { values: v } = synth({ charts: { 'cluster-autoscaler': { values: { image: { tag: 'v1.29.4' } } } } }, { facts: { ...FACTS, kubernetesVersion: '1.29' } });
    expect(v('cluster-autoscaler').image.tag).toBe('v1.29.4');
  });

  test('CloudWatch agent: cluster name, and the Terraform-made service account annotated with its role', () => {
    expect(values('aws-cloudwatch-metrics')).toMatchObject({ clusterName: 'eks-work-dev', serviceAccount: { create: false, name: 'cloudwatch-agent' }, hostNetwork: false });
    const sa = onlyResource(json, 'kubernetes_service_account_v1');
    expect(sa.metadata).toMatchObject({ name: 'cloudwatch-agent', namespace: expect.stringContaining('kubernetes_namespace_v1'), annotations: { 'eks.amazonaws.com/role-arn': ROLES['aws-cloudwatch-metrics'] } });
    expect(release('aws-cloudwatch-metrics').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_service_account_v1\./)]));
  });

  test('Fluentd: cloudwatch variant, IRSA annotation, region, output to the application group with streams only', () => {
    const v = values('fluentd');
    expect(v.variant).toBe('cloudwatch');
    expect(v.serviceAccount).toEqual({ create: true, name: 'fluentd', annotations: { 'eks.amazonaws.com/role-arn': ROLES.fluentd } });
    expect(v.env).toEqual([{ name: 'AWS_REGION', value: 'ap-northeast-2' }]);
    expect(Object.keys(v.fileConfigs)).toEqual(['04_outputs.conf']);
    const out: string = v.fileConfigs['04_outputs.conf'];
    expect(out).toContain('@type cloudwatch_logs');
    expect(out).toContain('log_group_name /aws/containerinsights/eks-work-dev/application');
    expect(out).toContain('region ap-northeast-2');
    expect(out).toContain('auto_create_stream true');
    expect(out).not.toMatch(/retention_in_days|\$\{|%\{/);
  });

  test('amazon-cloudwatch is created with the privileged Pod Security level the node agents need', () => {
    const [ns] = resourcesOfType(json, 'kubernetes_namespace_v1');
    expect(ns.metadata.name).toBe('amazon-cloudwatch');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(release('fluentd').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_namespace_v1\./)]));
  });

  test('aws-for-fluent-bit: region, the application group, no group creation, IRSA annotation', () => {
    const { values: v, release: r } = synth({ logShipper: 'fluent-bit' });
    expect(r('aws-for-fluent-bit')).toMatchObject({ chart: 'aws-for-fluent-bit', version: '0.2.0', namespace: expect.stringContaining('namespace-amazon-cloudwatch') });
    expect(v('aws-for-fluent-bit').cloudWatchLogs).toEqual({
      enabled: true,
      region: 'ap-northeast-2',
      logGroupName: '/aws/containerinsights/eks-work-dev/application',
      logGroupTemplate: null,
      logStreamPrefix: 'fluentbit-',
      autoCreateGroup: false,
    });
    expect(v('aws-for-fluent-bit').serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLES['aws-for-fluent-bit'] });
  });

  test('amazon-cloudwatch-observability: cluster name and region, no annotation (Pod Identity)', () => {
    const { values: v, json: j } = synth({ cloudwatch: 'cloudwatch-observability' });
    expect(v('amazon-cloudwatch-observability')).toEqual({ clusterName: 'eks-work-dev', region: 'ap-northeast-2', agent: { serviceAccount: { name: 'cloudwatch-agent' } } });
    expect(resourcesOfType(j, 'kubernetes_service_account_v1')).toHaveLength(0);
  });

  test('config values merge over the add-on values, and a version override reaches the release', () => {
    const { values: v, release: r } = synth({ charts: { 'cluster-autoscaler': { version: '9.58.0', values: { replicaCount: 2, extraArgs: { 'scale-down-unneeded-time': '5m' } } } } });
    expect(r('cluster-autoscaler').version).toBe('9.58.0');
    expect(v('cluster-autoscaler').replicaCount).toBe(2);
    expect(v('cluster-autoscaler').extraArgs).toEqual({ 'balance-similar-node-groups': true, expander: 'least-waste', 'skip-nodes-with-local-storage': false, 'scale-down-unneeded-time': '5m' });
  });

  test('an IRSA add-on without its role ARN is refused', () => {
    expect(() => synth({}, { roleArns: {} })).toThrow('roleArns.cluster-autoscaler: add-on "cluster-autoscaler" binds an IAM role through IRSA but no role ARN was given');
  });
});
