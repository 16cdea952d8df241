import { EksPlatform, EksPlatformProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base = { name: 'shop-staging', accountId: '123456789012', region: 'eu-west-1', adminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'] };

function synth(props: Partial<EksPlatformProps>) {
  const stack = awsTestStack('eu-west-1');
  const platform = new EksPlatform(stack, 'eks', { ...base, ...props } as EksPlatformProps);
  return { platform, json: synthesize(stack) };
}

describe('EksPlatform', () => {
  describe('building its own VPC', () => {
    const { platform, json } = synth({ network: { azs: ['eu-west-1a', 'eu-west-1b'] } });

    test('one VPC tagged for the cluster; the control plane and the nodes in its private subnets (references)', () => {
      expect(resourcesOfType(json, 'aws_vpc')).toHaveLength(1);
      expect(platform.network).toBeDefined();
      const cluster = onlyResource(json, 'aws_eks_cluster');
      expect(cluster.name).toBe('shop-staging');
      const privateSubnets = resourcesOfType(json, 'aws_subnet').filter((s) => s.tags?.['kubernetes.io/role/internal-elb'] === '1');
      expect(privateSubnets).toHaveLength(2);
      for (const subnetIds of [cluster.vpc_config.subnet_ids, onlyResource(json, 'aws_eks_node_group').subnet_ids]) {
        expect(subnetIds).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\{aws_subnet\..*private.*\.id\}$/)]));
        expect(subnetIds).toHaveLength(2);
      }
      expect(privateSubnets.every((s) => s.tags['kubernetes.io/cluster/shop-staging'] === 'shared')).toBe(true);
    });

    test('the VPC CIDR reaches the private endpoint by default', () => {
      const rules = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 443 && r.cidr_ipv4);
      expect(rules.map((r) => r.cidr_ipv4)).toEqual([expect.stringMatching(/^\$\{aws_vpc\..*\.cidr_block\}$/)]);
    });

    test('apply order: vpc-cni and kube-proxy, then the default node group, then coredns and the EBS and Secrets Store CSI drivers', () => {
      const ng = onlyResource(json, 'aws_eks_node_group');
      expect(ng.node_group_name).toBe('shop-staging-default');
      expect(ng.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_cluster\./), expect.stringMatching(/^aws_eks_addon\..*vpc-cni/), expect.stringMatching(/^aws_eks_addon\..*kube-proxy/), expect.stringMatching(/^aws_iam_role_policy_attachment\..*node-role/)]));
      const addons = resourcesOfType(json, 'aws_eks_addon');
      for (const name of ['coredns', 'aws-ebs-csi-driver', 'aws-secrets-store-csi-driver-provider']) {
        expect(addons.find((a) => a.addon_name === name)!.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_node_group\./)]));
      }
    });
  });

  describe('in an existing VPC', () => {
    const vpc = { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-a', 'subnet-b'], vpcCidrBlock: '10.20.0.0/16' };
    const { platform, json } = synth({
      vpc,
      nodeGroups: [{ name: 'general' }, { name: 'spot', capacityType: 'SPOT', instanceTypes: ['m7i.large', 'm6i.large'], labels: { lifecycle: 'spot' } }],
      fargate: { selectors: [{ namespace: 'batch' }] },
      tags: { team: 'shop' },
    });

    test('builds no VPC and uses the given subnets', () => {
      expect(resourcesOfType(json, 'aws_vpc')).toHaveLength(0);
      expect(platform.network).toBeUndefined();
      expect(onlyResource(json, 'aws_eks_cluster').vpc_config.subnet_ids).toEqual(vpc.privateSubnetIds);
      expect(resourcesOfType(json, 'aws_security_group').find((g) => /node/.test(g.name ?? g.name_prefix ?? ''))!.vpc_id).toBe('vpc-0abc');
    });

    test('node groups share one node role; each keeps its own settings and the platform tags', () => {
      const groups = resourcesOfType(json, 'aws_eks_node_group');
      expect(groups.map((g) => g.node_group_name)).toEqual(['shop-staging-general', 'shop-staging-spot']);
      expect(new Set(groups.map((g) => g.node_role_arn)).size).toBe(1);
      expect(resourcesOfType(json, 'aws_iam_role').filter((r) => r.name === 'shop-staging-node')).toHaveLength(1);
      expect(groups[1]).toMatchObject({ capacity_type: 'SPOT', instance_types: ['m7i.large', 'm6i.large'], labels: { lifecycle: 'spot' } });
      expect(groups.every((g) => g.tags.team === 'shop')).toBe(true);
    });

    test('a Fargate profile in the private subnets, after the cluster', () => {
      const profile = onlyResource(json, 'aws_eks_fargate_profile');
      expect(profile.subnet_ids).toEqual(vpc.privateSubnetIds);
      expect(profile.selector).toEqual([{ namespace: 'batch' }]);
    });

    test('irsaRole and podIdentityRole bind to this cluster', () => {
      const stack = awsTestStack('eu-west-1');
      const p = new EksPlatform(stack, 'eks', { ...base, vpc });
      p.irsaRole('app', { roleName: 'shop-staging-app', namespace: 'shop', serviceAccount: 'app' });
      p.podIdentityRole('worker', { roleName: 'shop-staging-worker', namespace: 'shop', serviceAccount: 'worker' });
      const j = synthesize(stack);
      const app = resourcesOfType(j, 'aws_iam_role').find((r) => r.name === 'shop-staging-app')!;
      const trust = parsePolicy(app.assume_role_policy).Statement[0];
      expect(trust.Principal.Federated).toMatch(/^\$\{aws_iam_openid_connect_provider\./);
      expect(JSON.stringify(trust.Condition)).toContain('system:serviceaccount:shop:app');
      expect(onlyResource(j, 'aws_eks_pod_identity_association').cluster_name).toMatch(/^\$\{aws_eks_cluster\./);
    });
  });

  test.each([
    [{}, 'vpc: is missing; allowed: vpc (an existing VPC: vpcId, privateSubnetIds) or network'],
    [{ vpc: { vpcId: 'vpc-1', privateSubnetIds: ['a', 'b'] }, network: { azs: ['eu-west-1a', 'eu-west-1b'] } }, 'network: is given with vpc; allowed: one of vpc'],
    [{ vpc: { vpcId: 'vpc-1', privateSubnetIds: ['a', 'b'] }, nodeGroups: [] }, 'nodeGroups: is empty'],
    [{ vpc: { vpcId: 'vpc-1', privateSubnetIds: ['a', 'b'] }, nodeGroups: [{ name: 'x' }, { name: 'x' }] }, 'nodeGroups[1].name: "x" is used by another node group'],
    [{ vpc: { vpcId: 'vpc-1', privateSubnetIds: ['a', 'b'] }, nodeGroups: [{ name: 'x', minSize: 3, maxSize: 2 }] }, 'nodeGroups[0].'],
    [{ network: { azs: ['eu-west-1a'] } }, 'network.azs: ["eu-west-1a"] lists fewer than 2 AZs'],
  ] as Array<[Partial<EksPlatformProps>, string]>)('bad props name the field: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
