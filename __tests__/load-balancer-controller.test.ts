import { createHash } from 'crypto';
import { AddonReleases, ClusterAddons } from '../modules/addons';
import {
  AddonIdentities,
  LOAD_BALANCER_CONTROLLER,
  LOAD_BALANCER_CONTROLLER_POLICY_SOURCE,
  loadBalancerControllerAddon,
  loadBalancerControllerPolicy,
  mergeValues,
  selectAddons,
} from '../modules';
import { awsTestStack, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';
import { FACTS, OIDC_ARN, OIDC_HOST, OIDC_URL, kubernetesTestStack } from './addons-fixtures';

const VPC = 'vpc-0123456789abcdef0';
const ROLE = 'arn:aws:iam::111111111111:role/eks-work-dev-load-balancer-controller';
const ctx = { ...FACTS, vpcId: VPC, namespace: 'kube-system', roleArn: ROLE };

/** The document as upstream's docs/install/iam_policy.json lays it out (4-space JSON and a newline). */
const upstreamLayout = (partition: string) => `${JSON.stringify({ Version: '2012-10-17', Statement: loadBalancerControllerPolicy(partition) }, null, 4)}\n`;

describe('IAM policy: upstream iam_policy.json of the controller release, unchanged', () => {
  test('byte for byte the v3.5.0 file (sha256 of `git show v3.5.0:docs/install/iam_policy.json`)', () => {
    // Recorded twice on purpose (here and in the source comment): an edit to the statements fails this.
    expect(createHash('sha256').update(upstreamLayout('aws')).digest('hex')).toBe('16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a');
    expect(LOAD_BALANCER_CONTROLLER_POLICY_SOURCE).toMatchObject({ tag: 'v3.5.0', path: 'docs/install/iam_policy.json', sha256: '16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a' });
  });

  test('only the ARN partition follows the region', () => {
    const cn = upstreamLayout('aws-cn');
    expect(cn).not.toContain('arn:aws:');
    expect(cn.replace(/arn:aws-cn:/g, 'arn:aws:')).toBe(upstreamLayout('aws'));
  });

  const statements = loadBalancerControllerPolicy('aws');
  const actions = (s: (typeof statements)[number]) => [s.Action].flat();
  const withTag = (kind: 'RequestTag' | 'ResourceTag', s: (typeof statements)[number]) => (s.Condition?.Null as Record<string, string> | undefined)?.[`aws:${kind}/elbv2.k8s.aws/cluster`] === 'false';

  test('creating load balancers and target groups, and tagging new security groups, require the cluster tag on the request', () => {
    for (const a of ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup']) {
      expect(statements.filter((s) => actions(s).includes(a)).every((s) => withTag('RequestTag', s))).toBe(true);
    }
    const tagOnCreate = statements.find((s) => actions(s).join() === 'ec2:CreateTags' && s.Condition?.StringEquals)!;
    expect(tagOnCreate.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } });
  });

  test('deleting or reconfiguring a load balancer, target group or security group requires the tag on the resource', () => {
    const guarded = ['elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:ModifyTargetGroup', 'ec2:DeleteSecurityGroup', 'ec2:DeleteTags', 'elasticloadbalancing:RemoveTags'];
    for (const a of guarded) {
      const granting = statements.filter((s) => actions(s).includes(a));
      expect({ [a]: granting.length > 0 && granting.every((s) => withTag('ResourceTag', s) || [s.Resource].flat().every((r) => /:listener(-rule)?\//.test(String(r)))) }).toEqual({ [a]: true });
    }
  });

  test('no wildcard action, and IAM only for the ELB service-linked role and reading server certificates', () => {
    expect(statements.flatMap(actions).filter((a) => a.includes('*'))).toEqual([]);
    expect(statements.flatMap(actions).filter((a) => a.startsWith('iam:')).sort()).toEqual(['iam:CreateServiceLinkedRole', 'iam:GetServerCertificate', 'iam:ListServerCertificates']);
    expect(statements[0].Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } });
  });

  test('the role: IRSA for kube-system/aws-load-balancer-controller only, the statements inline, the boundary when given', () => {
    const stack = awsTestStack();
    new AddonIdentities(stack, 'ids', {
      namePrefix: 'eks-work-dev',
      addons: selectAddons({ cloudwatch: 'none', logShipper: 'none', charts: { 'metrics-server': { enabled: false }, 'cluster-autoscaler': { enabled: false } } }),
      facts: FACTS,
      oidcProviderArn: OIDC_ARN,
      oidcIssuerUrl: OIDC_URL,
      permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/eks-work-dev-deploy-boundary',
    });
    const json = synthesize(stack);
    const [role] = resourcesOfType(json, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'eks-work-dev-load-balancer-controller', permissions_boundary: 'arn:aws:iam::111111111111:policy/eks-work-dev-deploy-boundary' });
    expect(parsePolicy(role.assume_role_policy).Statement[0].Condition).toEqual({ StringEquals: { [`${OIDC_HOST}:sub`]: 'system:serviceaccount:kube-system:aws-load-balancer-controller', [`${OIDC_HOST}:aud`]: 'sts.amazonaws.com' } });
    const [inline] = resourcesOfType(json, 'aws_iam_role_policy');
    expect(parsePolicy(inline.policy).Statement).toEqual(statements);
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment')).toEqual([]);
  });
});

describe('chart values', () => {
  const values = loadBalancerControllerAddon.values(ctx);

  test('cluster name, region and VPC given (pods cannot read instance metadata), the IRSA role on its service account', () => {
    expect(values).toMatchObject({ clusterName: 'eks-work-dev', region: 'ap-northeast-2', vpcId: VPC });
    expect(values.serviceAccount).toEqual({ create: true, name: 'aws-load-balancer-controller', annotations: { 'eks.amazonaws.com/role-arn': ROLE } });
  });

  test('an IngressClass alb, the cluster default, with pod IP targets', () => {
    expect(values).toMatchObject({ ingressClass: 'alb', createIngressClassResource: true, ingressClassConfig: { default: true }, defaultTargetType: 'ip' });
  });

  test('two replicas, a budget of one, spread over zones with the chart\'s selector labels', () => {
    expect(values).toMatchObject({ replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    const [spread] = values.topologySpreadConstraints as Array<Record<string, any>>;
    expect(spread).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 });
    // templates/_helpers.tpl selectorLabels: name (the chart's) and instance (the release's).
    expect(spread.labelSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': loadBalancerControllerAddon.chart, 'app.kubernetes.io/instance': LOAD_BALANCER_CONTROLLER });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['no VPC', { vpcId: undefined }, 'values.vpcId: is not set, and the controller cannot read it from instance metadata'],
    ['no replicas', { replicaCount: 0 }, 'values.replicaCount: 0 is not a number of replicas; allowed: 1'],
    ['an empty cluster name', { clusterName: '' }, "values.clusterName: is not set; allowed: the cluster's name"],
  ])('%s is refused', (_what, override, message) => {
    expect(() => loadBalancerControllerAddon.check!(mergeValues(values, override), ctx)).toThrow(message);
  });
});

describe('install and destroy order', () => {
  const roleArns = { [LOAD_BALANCER_CONTROLLER]: ROLE, 'cluster-autoscaler': 'a', 'aws-cloudwatch-metrics': 'b', fluentd: 'c' };

  test('every other release waits for the controller (its Service webhook fails closed), and is destroyed before it', () => {
    const stack = kubernetesTestStack();
    new AddonReleases(stack, 'addons', { addons: selectAddons(), facts: { ...FACTS, vpcId: VPC }, roleArns });
    const releases = resourcesOfType(synthesize(stack), 'helm_release');
    const controller = releases.find((r) => r.name === LOAD_BALANCER_CONTROLLER)!;
    expect(controller.depends_on ?? []).not.toContainEqual(expect.stringMatching(/^helm_release\./));
    const others = releases.filter((r) => r !== controller);
    expect(others.map((r) => r.name).sort()).toEqual(['aws-cloudwatch-metrics', 'cluster-autoscaler', 'fluentd', 'metrics-server']);
    for (const r of others) expect({ [r.name]: r.depends_on }).toEqual({ [r.name]: expect.arrayContaining([expect.stringMatching(new RegExp(`^helm_release\\.addons_${LOAD_BALANCER_CONTROLLER}_\\w+$`))]) });
  });

  const cluster = {
    clusterName: 'legacy',
    endpoint: 'https://ABCDEF.gr7.ap-northeast-2.eks.amazonaws.com',
    certificateAuthorityData: 'LS0tLS1CRUdJTg==',
    region: 'ap-northeast-2',
    accountId: '111111111111',
    vpcId: VPC,
    oidcProviderArn: OIDC_ARN,
    oidcIssuerUrl: OIDC_URL,
    namespaces: [{ name: 'shop' }],
  };

  test('application namespaces (and the Ingresses in them) go before the controller, which deletes their load balancers first', () => {
    const stack = awsTestStack();
    new ClusterAddons(stack, 'addons', cluster);
    const json = synthesize(stack);
    const [ns] = resourcesOfType(json, 'kubernetes_namespace_v1').filter((n) => n.metadata.name === 'shop');
    expect(ns.depends_on).toEqual([expect.stringMatching(new RegExp(`^helm_release\\.addons_releases_${LOAD_BALANCER_CONTROLLER}_\\w+$`))]);
    // Deleting an ALB, then its security groups once AWS releases its network interfaces, takes minutes.
    expect(ns.timeouts).toEqual({ delete: '20m' });
    expect(ns.metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe('enabled');
    const controller = resourcesOfType(json, 'helm_release').find((r) => r.name === LOAD_BALANCER_CONTROLLER)!;
    expect(JSON.parse(controller.values[0]).vpcId).toBe(VPC);
  });

  test('without the controller, namespaces wait for nothing and keep the provider\'s delete timeout', () => {
    const stack = awsTestStack();
    new ClusterAddons(stack, 'addons', { ...cluster, vpcId: undefined, addons: { charts: { [LOAD_BALANCER_CONTROLLER]: { enabled: false } } } });
    const json = synthesize(stack);
    const [ns] = resourcesOfType(json, 'kubernetes_namespace_v1').filter((n) => n.metadata.name === 'shop');
    expect(ns.depends_on).toBeUndefined();
    expect(ns.timeouts).toBeUndefined();
    expect(ns.metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBeUndefined();
    for (const r of resourcesOfType(json, 'helm_release')) expect(r.depends_on ?? []).not.toContainEqual(expect.stringMatching(/^helm_release\./));
  });

  test('a cluster given without its VPC is refused while the controller is on', () => {
    expect(() => new ClusterAddons(awsTestStack(), 'addons', { ...cluster, vpcId: undefined })).toThrow(
      'addons.charts.aws-load-balancer-controller.values.vpcId: is not set, and the controller cannot read it from instance metadata (the nodes answer IMDS with hop limit 1); allowed: the ID of the cluster\'s VPC (ClusterAddons vpcId), or disable the add-on (charts.aws-load-balancer-controller.enabled: false)',
    );
  });
});
