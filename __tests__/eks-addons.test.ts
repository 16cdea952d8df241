import { TerraformLocal } from 'cdktf';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { EKS_ADDON_NAMES, EksAddons, EksAddonsProps, OFFLINE_ADDON_VERSION } from '../modules';
import { awsTestStack, dataSourcesOfType, localExpression, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: EksAddonsProps = {
  clusterName: 'eks-work-dev',
  roleNamePrefix: 'eks-work-dev',
  region: 'ap-northeast-2',
  oidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE',
  oidcIssuerUrl: 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE',
};

function synth(props: Partial<EksAddonsProps> = {}, withNodeGroup = true) {
  const stack = awsTestStack();
  const addons = new EksAddons(stack, 'addons', { ...base, ...props });
  if (withNodeGroup) {
    const ng = new EksNodeGroup(stack, 'ng', {
      clusterName: 'eks-work-dev',
      nodeRoleArn: 'arn:aws:iam::111111111111:role/node',
      subnetIds: ['subnet-a'],
      scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 },
      dependsOn: addons.beforeCompute,
    });
    addons.runAfter(ng);
  }
  const json = synthesize(stack);
  const byName = Object.fromEntries(resourcesOfType(json, 'aws_eks_addon').map((a) => [a.addon_name, a]));
  return { json, byName, addons };
}

describe('EksAddons', () => {
  const { json, byName } = synth();

  test('unpinned, every add-on version is read from EKS at plan time for the cluster version (default build), with an offline stand-in', () => {
    expect(Object.keys(byName).sort()).toEqual([...EKS_ADDON_NAMES].sort());
    const lookups = Object.fromEntries(dataSourcesOfType(json, 'aws_eks_addon_version').map((d) => [d.addon_name, d]));
    expect(Object.keys(lookups).sort()).toEqual([...EKS_ADDON_NAMES].sort());
    for (const name of EKS_ADDON_NAMES) {
      expect(lookups[name]).toMatchObject({ kubernetes_version: '1.35', most_recent: false, count: '${var.offline_lookups ? 0 : 1}' });
      expect(byName[name]).toMatchObject({ cluster_name: 'eks-work-dev', resolve_conflicts_on_create: 'OVERWRITE' });
      const id = Object.entries(json.data!.aws_eks_addon_version).find(([, d]) => (d as any).addon_name === name)![0];
      expect(localExpression(json, byName[name].addon_version)).toBe(`\${var.offline_lookups ? "${OFFLINE_ADDON_VERSION}" : one(data.aws_eks_addon_version.${id}[*].version)}`);
    }
    expect(json.variable).toMatchObject({ offline_lookups: { type: 'bool', default: false } });
  });

  test('addonVersionSelection "latest" asks EKS for the most recent build', () => {
    const { json: j } = synth({ addonVersionSelection: 'latest' });
    expect(dataSourcesOfType(j, 'aws_eks_addon_version').every((d) => d.most_recent === true)).toBe(true);
  });

  test('vpc-cni enables network policy and runs with its own IRSA role holding the CNI policy', () => {
    expect(JSON.parse(byName['vpc-cni'].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(byName['vpc-cni'].service_account_role_arn).toMatch(/aws_iam_role\.addons_vpc-cni-irsa_role.*\.arn/);
    const role = resourcesOfType(json, 'aws_iam_role').find((r) => r.name === 'eks-work-dev-vpc-cni')!;
    const cond = parsePolicy(role.assume_role_policy).Statement[0].Condition.StringEquals;
    expect(cond['oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE:sub']).toBe('system:serviceaccount:kube-system:aws-node');
    expect(cond['oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE:aud']).toBe('sts.amazonaws.com');
  });

  test('aws-ebs-csi-driver runs with an IRSA role for kube-system/ebs-csi-controller-sa holding AmazonEBSCSIDriverPolicy', () => {
    expect(byName['aws-ebs-csi-driver'].service_account_role_arn).toMatch(/aws_iam_role\.addons_aws-ebs-csi-driver-irsa_role.*\.arn/);
    const role = resourcesOfType(json, 'aws_iam_role').find((r) => r.name === 'eks-work-dev-ebs-csi')!;
    const cond = parsePolicy(role.assume_role_policy).Statement[0].Condition.StringEquals;
    expect(cond['oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE:sub']).toBe('system:serviceaccount:kube-system:ebs-csi-controller-sa');
    const attachments = resourcesOfType(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn).sort();
    expect(attachments).toEqual(['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy', 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
  });

  test('only vpc-cni and the EBS CSI driver get IAM; the others run without a role', () => {
    // The Secrets Store provider fetches each secret with the identity of the pod that mounts it.
    for (const name of ['kube-proxy', 'coredns', 'eks-pod-identity-agent', 'aws-secrets-store-csi-driver-provider']) expect(byName[name].service_account_role_arn).toBeUndefined();
    expect(byName.coredns.configuration_values).toBeUndefined();
  });

  test('vpc-cni, kube-proxy and the pod identity agent come before the node groups; coredns, EBS CSI and the Secrets Store CSI driver after them', () => {
    const ng = Object.values(json.resource!.aws_eks_node_group)[0] as any;
    expect(ng.depends_on.map((d: string) => d.replace(/^aws_eks_addon\.addons_(.*)_[0-9A-F]{8}$/, '$1')).sort()).toEqual(['eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    expect(byName.coredns.depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\.ng$/)]);
    // DaemonSets: EKS waits for their pods, which need nodes.
    expect(byName['aws-secrets-store-csi-driver-provider'].depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\.ng$/)]);
    expect(byName['aws-ebs-csi-driver'].depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\.addons_aws-ebs-csi-driver-irsa_managed-0_\w+$/), expect.stringMatching(/^aws_eks_node_group\.ng$/)]);
  });

  test('add-ons with an IRSA role wait for its policy, not only the role (aws-node without EC2 permissions keeps nodes NotReady)', () => {
    expect(byName['vpc-cni'].depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\.addons_vpc-cni-irsa_managed-0_\w+$/)]);
    for (const name of ['kube-proxy', 'eks-pod-identity-agent']) expect(byName[name].depends_on).toBeUndefined();
  });

  test('versions can be pinned one by one; a pinned add-on is not looked up', () => {
    const { byName: b, json: j } = synth({ addonVersions: { coredns: 'v1.13.1-eksbuild.1' } });
    expect(b.coredns.addon_version).toBe('v1.13.1-eksbuild.1');
    expect(localExpression(j, b['kube-proxy'].addon_version)).toContain('data.aws_eks_addon_version.');
    expect(dataSourcesOfType(j, 'aws_eks_addon_version').map((d) => d.addon_name)).not.toContain('coredns');
  });

  test('another Kubernetes version looks up the builds for that version', () => {
    const { json: j } = synth({ kubernetesVersion: '1.34' });
    expect(dataSourcesOfType(j, 'aws_eks_addon_version').every((d) => d.kubernetes_version === '1.34')).toBe(true);
  });

  test('network policy and the EBS CSI driver can be turned off', () => {
    const { byName: b, json: j } = synth({ networkPolicy: false, ebsCsiDriver: false });
    expect(b['vpc-cni'].configuration_values).toBeUndefined();
    expect(b['aws-ebs-csi-driver']).toBeUndefined();
    expect(resourcesOfType(j, 'aws_iam_role').map((r) => r.name)).toEqual(['eks-work-dev-vpc-cni']);
  });

  test('the Secrets Store CSI driver is installed by default with the upstream defaults: no configuration, so no sync into Kubernetes Secrets and no rotation', () => {
    expect(byName['aws-secrets-store-csi-driver-provider']).toMatchObject({ cluster_name: 'eks-work-dev', resolve_conflicts_on_create: 'OVERWRITE' });
    expect(byName['aws-secrets-store-csi-driver-provider'].configuration_values).toBeUndefined();
  });

  test('sync into Kubernetes Secrets and rotation are set on the driver chart the add-on installs (its values under secrets-store-csi-driver)', () => {
    const { byName: b } = synth({ secretsStore: { syncKubernetesSecrets: true, rotationPollInterval: '2m' } });
    expect(JSON.parse(b['aws-secrets-store-csi-driver-provider'].configuration_values)).toEqual({
      'secrets-store-csi-driver': { syncSecret: { enabled: true }, enableSecretRotation: true, rotationPollInterval: '2m' },
    });
    const { byName: syncOnly } = synth({ secretsStore: { syncKubernetesSecrets: true } });
    expect(JSON.parse(syncOnly['aws-secrets-store-csi-driver-provider'].configuration_values)).toEqual({ 'secrets-store-csi-driver': { syncSecret: { enabled: true } } });
  });

  test('the Secrets Store CSI driver can be turned off (and then no version is looked up for it)', () => {
    const { byName: b, json: j } = synth({ secretsStore: { enabled: false } });
    expect(b['aws-secrets-store-csi-driver-provider']).toBeUndefined();
    expect(dataSourcesOfType(j, 'aws_eks_addon_version').map((d) => d.addon_name)).not.toContain('aws-secrets-store-csi-driver-provider');
  });

  test('an issuer that is a reference (the real case) still yields parseable trust policies', () => {
    const stack = awsTestStack();
    const issuer = new TerraformLocal(stack, 'issuer', 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/X').asString;
    new EksAddons(stack, 'addons', { ...base, oidcIssuerUrl: issuer });
    for (const role of resourcesOfType(synthesize(stack), 'aws_iam_role')) expect(() => parsePolicy(role.assume_role_policy)).not.toThrow();
  });
});

describe('EksAddons bad input', () => {
  test.each<[Partial<EksAddonsProps>, string]>([
    [{ addonVersionSelection: 'newest' as any }, 'addonVersionSelection: "newest" is not a version selection; allowed: "default" | "latest"'],
    [{ roleNamePrefix: 'eks work' }, 'roleNamePrefix: "eks work" cannot start an IAM role name'],
    [{ kubernetesVersion: 'v1.35' }, 'kubernetesVersion: "v1.35" is not a Kubernetes minor version'],
    [{ addonVersions: { coredns: '1.13.2' } }, 'addonVersions.coredns: "1.13.2" is not an EKS add-on version; allowed: "vX.Y.Z-eksbuild.N"'],
    [{ addonVersions: { calico: 'v3.0.0-eksbuild.1' } as any }, 'addonVersions.calico: "calico" is not an add-on this library installs'],
    [{ secretsStore: { rotationPollInterval: '2 minutes' } }, 'secretsStore.rotationPollInterval: "2 minutes" is not a duration; allowed: a Go duration such as "2m", "90s" or "1h30m"'],
    [{ secretsStore: { rotationPollInterval: 'm' } }, 'secretsStore.rotationPollInterval: "m" is not a duration'],
  ])('%j', (props, message) => {
    expect(() => synth(props, false)).toThrow(message);
  });
});
