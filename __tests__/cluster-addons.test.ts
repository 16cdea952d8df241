import { ClusterAddons, ClusterAddonsProps, selectAddons } from '../modules/addons';
import { awsTestStack, resourcesOfType, synthesize } from '../modules/testing';

// A cluster made elsewhere: only its endpoint, CA and OIDC provider are known.
const cluster = {
  clusterName: 'legacy',
  endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthorityData: 'LS0tLS1CRUdJTg==',
  region: 'eu-west-1',
  accountId: '123456789012',
  vpcId: 'vpc-0123456789abcdef0',
  oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF',
  oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF',
};

function synth(props: Partial<ClusterAddonsProps> = {}) {
  const stack = awsTestStack('eu-west-1');
  const addons = new ClusterAddons(stack, 'addons', { ...cluster, ...props });
  return { addons, json: synthesize(stack) };
}

describe('ClusterAddons on a cluster made elsewhere', () => {
  const { addons, json } = synth({ namespaces: [{ name: 'shop' }], viewers: { roleName: 'shop-viewer', group: 'shop-viewers' } });

  test('providers pointed at the endpoint, authenticating with aws eks get-token for this cluster', () => {
    const helm = (json.provider as any).helm[0];
    expect(helm.kubernetes.host).toBe(cluster.endpoint);
    expect(helm.kubernetes.cluster_ca_certificate).toBe('${base64decode("LS0tLS1CRUdJTg==")}');
    expect(helm.kubernetes.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'legacy', '--region', 'eu-west-1']);
    expect((json.provider as any).kubernetes[0].host).toBe(cluster.endpoint);
  });

  test('the default add-ons, each add-on that calls AWS with a role of its own created here', () => {
    const releases = resourcesOfType(json, 'helm_release').map((r) => r.name).sort();
    expect(releases).toEqual(addons.addons.map((a) => a.definition.name).sort());
    expect(releases).toEqual(expect.arrayContaining(['metrics-server', 'cluster-autoscaler']));
    const roles = resourcesOfType(json, 'aws_iam_role').map((r) => r.name);
    expect(roles).toEqual(expect.arrayContaining(['legacy-cluster-autoscaler', 'legacy-load-balancer-controller']));
    expect(addons.identities).toBeDefined();
    // Every IRSA role trusts the given OIDC provider.
    for (const r of resourcesOfType(json, 'aws_iam_role').filter((x) => x.assume_role_policy.includes('Federated'))) {
      expect(r.assume_role_policy).toContain(cluster.oidcProviderArn);
    }
  });

  test('Container Insights log groups created first, encrypted with a key made here, with a retention', () => {
    const groups = resourcesOfType(json, 'aws_cloudwatch_log_group');
    expect(groups.map((g) => g.name).sort()).toEqual(['application', 'dataplane', 'host', 'performance'].map((k) => `/aws/containerinsights/legacy/${k}`));
    expect(groups.every((g) => /^\$\{aws_kms_key\./.test(g.kms_key_id) && g.retention_in_days === 90)).toBe(true);
  });

  test('the baseline: namespaces with guard rails and read-only RBAC for the viewers group', () => {
    expect(resourcesOfType(json, 'kubernetes_namespace_v1').map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['shop']));
    const binding = resourcesOfType(json, 'kubernetes_role_binding_v1').find((b) => b.subject[0].name === 'shop-viewers')!;
    expect(binding.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\./);
  });
});

test('with roles and log groups made elsewhere (an AWS-only stack), it creates no AWS resource', () => {
  const logGroups = { application: 'a', dataplane: 'd', host: 'h', performance: 'p' };
  const withIam = selectAddons().filter((a) => a.definition.iam).map((a) => a.definition.name);
  expect(withIam).toContain('cluster-autoscaler');
  const roleArns = Object.fromEntries(withIam.map((n) => [n, `arn:aws:iam::123456789012:role/made-elsewhere-${n}`]));
  const { addons, json } = synth({ roleArns, logGroups });
  const awsTypes = Object.keys(json.resource ?? {}).filter((t) => t.startsWith('aws_'));
  expect(awsTypes).toEqual([]);
  expect(addons.identities).toBeUndefined();
  expect(JSON.stringify(resourcesOfType(json, 'helm_release'))).toContain('arn:aws:iam::123456789012:role/made-elsewhere-cluster-autoscaler');
});

test.each([
  [{ oidcProviderArn: undefined, oidcIssuerUrl: undefined }, 'addons.oidcProviderArn: add-ons'],
  [{ addons: { charts: { nope: { enabled: true } } } }, 'addons.charts.nope: unknown add-on "nope"'],
  [{ namespaces: [{ name: 'a' }, { name: 'a' }] }, 'namespaces[1].name: "a" is listed twice'],
  [{ namespaces: [{ name: 'Bad_Name' }] }, 'namespaces[0].'],
] as Array<[Partial<ClusterAddonsProps>, string]>)('bad props name the field: %j', (props, message) => {
  expect(() => synth(props)).toThrow(message);
});

test('a bad log retention names the field once', () => {
  expect(() => synth({ logRetentionDays: 13 })).toThrow(/^logRetentionDays: 13 is not a CloudWatch Logs retention period/);
});
