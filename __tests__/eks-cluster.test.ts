import { CLUSTER_LOG_TYPES, EksCluster, EksClusterProps, iamRoleName } from '../modules';
import { awsTestStack, dataSourcesOfType, localExpression, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: EksClusterProps = {
  name: 'eks-work-dev',
  accountId: '111111111111',
  region: 'ap-northeast-2',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-a', 'subnet-c'],
  adminPrincipalArns: ['arn:aws:iam::111111111111:role/platform-admin'],
};

function synth(props: Partial<EksClusterProps> = {}) {
  const stack = awsTestStack();
  const cluster = new EksCluster(stack, 'cluster', { ...base, ...props });
  return { json: synthesize(stack), cluster };
}

/** Ingress/egress rules keyed by port, with what they reference. */
function rules(json: ReturnType<typeof synth>['json'], type: string) {
  return resourcesOfType(json, type).map((r) => ({ port: r.from_port, to: r.to_port, proto: r.ip_protocol, sg: String(r.security_group_id), ref: r.referenced_security_group_id ? String(r.referenced_security_group_id) : undefined, cidr: r.cidr_ipv4 }));
}

describe('EksCluster', () => {
  const { json } = synth();
  const cluster = onlyResource(json, 'aws_eks_cluster');

  test('the Kubernetes version must be one EKS offers, asked at plan time (a plan-time lookup; offline it is assumed offered)', () => {
    const [versions] = dataSourcesOfType(json, 'aws_eks_cluster_versions');
    expect(versions).toMatchObject({ cluster_versions_only: ['1.35'], count: '${var.offline_lookups ? 0 : 1}' });
    const [pre] = cluster.lifecycle.precondition;
    const local = /local\.([\w-]+)/.exec(pre.condition)![0];
    expect(pre.condition).toBe(`\${(length(${local}) >= 1)}`);
    expect(localExpression(json, `\${${local}}`)).toContain('one(data.aws_eks_cluster_versions.');
    expect(pre.error_message).toBe('version: EKS does not offer Kubernetes 1.35 in this region; allowed: a version `aws eks describe-cluster-versions` lists');
  });

  test('defaults to Kubernetes 1.35 with API authentication and no creator admin', () => {
    expect(cluster.name).toBe('eks-work-dev');
    expect(cluster.version).toBe('1.35');
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  test('encrypts secrets with a rotating KMS key created by the construct', () => {
    expect(cluster.encryption_config.resources).toEqual(['secrets']);
    expect(cluster.encryption_config.provider.key_arn).toMatch(/\$\{aws_kms_key\..*\.arn\}/);
    const key = onlyResource(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    // The same key serves the log group, so its policy lets CloudWatch Logs use it.
    expect(parsePolicy(key.policy).Statement.map((s) => s.Sid)).toContain('CloudWatchLogsUse');
  });

  test('the cluster role may use the key (envelope encryption) and has the EKS cluster policy', () => {
    const inline = onlyResource(json, 'aws_iam_role_policy');
    expect(parsePolicy(inline.policy).Statement[0].Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey']);
    const role = resourcesOfType(json, 'aws_iam_role').find((r) => r.name === 'eks-work-dev-cluster')!;
    expect(parsePolicy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'eks.amazonaws.com' });
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
  });

  test('sends all five control-plane log types to an encrypted log group with retention, created first', () => {
    expect(cluster.enabled_cluster_log_types).toEqual([...CLUSTER_LOG_TYPES]);
    expect(CLUSTER_LOG_TYPES).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const group = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/aws/eks/eks-work-dev/cluster', retention_in_days: 365 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(cluster.depends_on.some((d: string) => d.startsWith('aws_cloudwatch_log_group.'))).toBe(true);
  });

  test('endpoint is private only by default', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false, subnet_ids: ['subnet-a', 'subnet-c'] });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
  });

  test('a public endpoint carries exactly the allowlist', () => {
    const c = onlyResource(synth({ endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] }).json, 'aws_eks_cluster');
    expect(c.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  test('each admin principal gets an access entry and the cluster-admin policy at cluster scope', () => {
    const entry = onlyResource(json, 'aws_eks_access_entry');
    expect(entry).toMatchObject({ principal_arn: 'arn:aws:iam::111111111111:role/platform-admin', type: 'STANDARD' });
    const assoc = onlyResource(json, 'aws_eks_access_policy_association');
    expect(assoc).toMatchObject({ policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', access_scope: { type: 'cluster' } });
    // The entry's attributes: the association waits for its entry, and names the same principal.
    expect(assoc.principal_arn).toMatch(/^\$\{aws_eks_access_entry\.cluster_admin-[0-9a-f]{10}_[0-9A-F]+\.principal_arn\}$/);
    expect(assoc.cluster_name).toMatch(/^\$\{aws_eks_access_entry\..*\.cluster_name\}$/);
    expect(entry.kubernetes_groups).toBeUndefined();
  });

  test('viewers get an access entry in the viewer group and no access policy: RBAC bindings grant what they read', () => {
    const viewer = 'arn:aws:iam::111111111111:role/platform-viewer';
    const { json: j, cluster: c } = synth({ viewerPrincipalArns: [viewer], viewerGroup: 'eks-work-viewers' });
    const entry = resourcesOfType(j, 'aws_eks_access_entry').find((e) => e.principal_arn === viewer)!;
    expect(entry).toMatchObject({ type: 'STANDARD', kubernetes_groups: ['eks-work-viewers'], cluster_name: expect.stringMatching(/aws_eks_cluster\./) });
    // Only the admin's association: none for the viewer.
    expect(resourcesOfType(j, 'aws_eks_access_policy_association')).toHaveLength(1);
    expect(Object.keys(c.accessEntries).sort()).toEqual(['arn:aws:iam::111111111111:role/platform-admin', viewer]);
  });

  test('access entries: policies with cluster or namespace scope, Kubernetes groups, stable ids', () => {
    const plan = 'arn:aws:iam::111111111111:role/eks-work-dev-github-plan';
    const { json: j } = synth({
      accessEntries: [
        { id: 'github-plan', principalArn: plan, kubernetesGroups: ['platform-deploy-plan'], accessPolicies: [{ policy: 'AmazonEKSViewPolicy' }, { policy: 'AmazonEKSSecretReaderPolicy', namespaces: ['amazon-cloudwatch', 'kube-system'] }] },
      ],
    });
    const entry = resourcesOfType(j, 'aws_eks_access_entry').find((e) => e.principal_arn === plan)!;
    expect(entry.kubernetes_groups).toEqual(['platform-deploy-plan']);
    const assocs = resourcesOfType(j, 'aws_eks_access_policy_association').filter((a) => /github-plan/.test(a.principal_arn));
    expect(Object.fromEntries(assocs.map((a) => [a.policy_arn.split('/').at(-1), a.access_scope]))).toEqual({
      AmazonEKSViewPolicy: { type: 'cluster' },
      AmazonEKSSecretReaderPolicy: { type: 'namespace', namespaces: ['amazon-cloudwatch', 'kube-system'] },
    });
    // Construct ids come from the given id, so the addresses survive a change of ARN spelling elsewhere.
    expect(Object.keys((j.resource as any).aws_eks_access_entry)).toEqual(expect.arrayContaining([expect.stringMatching(/^cluster_github-plan_/)]));
  });

  test('OIDC provider for IRSA trusts sts.amazonaws.com, reads the issuer from the cluster, no thumbprint lookup', () => {
    const oidc = onlyResource(json, 'aws_iam_openid_connect_provider');
    expect(oidc.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(oidc.url).toMatch(/aws_eks_cluster\..*\.identity\[0\]\.oidc\[0\]\.issuer/);
    expect(oidc.thumbprint_list).toBeUndefined();
    expect(Object.keys(json.data ?? {})).toEqual(["aws_eks_cluster_versions"]); // no tls_certificate or OIDC thumbprint lookup
  });

  test('security groups open what add-ons need: 443 nodes to API; kubelet and webhook ports to nodes; node to node; DNS; egress', () => {
    const sgs = resourcesOfType(json, 'aws_security_group');
    expect(sgs.map((s) => s.name).sort()).toEqual(['eks-work-dev-cluster', 'eks-work-dev-node']);
    expect(sgs.every((s) => s.ingress === undefined && s.egress === undefined)).toBe(true);
    const ingress = rules(json, 'aws_vpc_security_group_ingress_rule');
    const egress = rules(json, 'aws_vpc_security_group_egress_rule');
    const onCluster = (r: { sg: string }) => r.sg.includes('cluster-sg');
    const onNode = (r: { sg: string }) => r.sg.includes('node-sg');
    expect(ingress.filter(onCluster).filter((r) => r.ref?.includes('node-sg')).map((r) => r.port)).toEqual([443]);
    expect(ingress.filter((r) => onNode(r) && r.ref?.includes('cluster-sg')).map((r) => r.port).sort((a, b) => a - b)).toEqual([443, 4443, 6443, 8443, 9443, 10250]);
    expect(ingress.filter((r) => onNode(r) && r.ref?.includes('node-sg')).map((r) => `${r.proto}:${r.port ?? 'all'}`).sort()).toEqual(['-1:all', 'tcp:53', 'udp:53']);
    expect(ingress.filter((r) => onNode(r) && r.ref?.includes('cluster_security_group_id')).map((r) => `${r.proto}:${r.port}`).sort()).toEqual(['tcp:53', 'udp:53']);
    expect(egress.filter(onNode)).toEqual([expect.objectContaining({ proto: '-1', cidr: '0.0.0.0/0' })]);
    expect(egress.filter(onCluster).map((r) => r.port).sort((a, b) => a - b)).toEqual([443, 4443, 6443, 8443, 9443, 10250]);
    expect(cluster.vpc_config.security_group_ids[0]).toMatch(/aws_security_group\.cluster_cluster-sg/);
  });

  test('without Fargate pods nothing is opened on the EKS-managed primary group', () => {
    const onPrimary = (r: { sg: string }) => r.sg.includes('cluster_security_group_id');
    expect(rules(json, 'aws_vpc_security_group_ingress_rule').filter(onPrimary)).toEqual([]);
  });

  test('with Fargate pods, metrics-server on the nodes reaches their kubelet: 10250 from the node group to the primary group, nothing more', () => {
    const { json: j } = synth({ runsFargatePods: true });
    const onPrimary = resourcesOfType(j, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.security_group_id).includes('cluster_security_group_id'));
    expect(onPrimary).toEqual([
      expect.objectContaining({
        security_group_id: '${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}',
        referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\.cluster_node-sg_.*\.id\}$/),
        ip_protocol: 'tcp',
        from_port: 10250,
        to_port: 10250,
        description: expect.stringContaining('kubelet of Fargate pods'),
      }),
    ]);
    expect(onPrimary[0].cidr_ipv4).toBeUndefined();
    // The nodes may already send it: their only egress rule is all traffic.
    expect(rules(j, 'aws_vpc_security_group_egress_rule').filter((r) => r.sg.includes('node-sg'))).toEqual([expect.objectContaining({ proto: '-1', cidr: '0.0.0.0/0' })]);
  });

  test('the node group is tagged for the AWS Load Balancer Controller', () => {
    const nodeSg = resourcesOfType(json, 'aws_security_group').find((s) => s.name === 'eks-work-dev-node')!;
    expect(nodeSg.tags['kubernetes.io/cluster/eks-work-dev']).toBe('owned');
  });

  test('privateAccessCidrs open 443 on the cluster group', () => {
    const ingress = rules(synth({ privateAccessCidrs: ['10.0.0.0/16'] }).json, 'aws_vpc_security_group_ingress_rule');
    expect(ingress.filter((r) => r.cidr)).toEqual([expect.objectContaining({ port: 443, cidr: '10.0.0.0/16' })]);
  });

  test('a key passed in is used and none is created', () => {
    const { json: j } = synth({ kmsKeyArn: 'arn:aws:kms:ap-northeast-2:111111111111:key/1234' });
    expect(resourcesOfType(j, 'aws_kms_key')).toHaveLength(0);
    expect(onlyResource(j, 'aws_eks_cluster').encryption_config.provider.key_arn).toBe('arn:aws:kms:ap-northeast-2:111111111111:key/1234');
  });

  test('a 100-character cluster name still gives IAM role names within 64 characters, stable and distinct', () => {
    const long = 'c'.repeat(100);
    const names = resourcesOfType(synth({ name: long }).json, 'aws_iam_role').map((r) => r.name);
    expect(names).toEqual([expect.stringMatching(/^c{55}-[0-9a-f]{8}$/)]);
    expect(names[0]).toBe(iamRoleName(long, 'cluster'));
    expect(iamRoleName(long, 'node')).not.toBe(names[0]);
  });

  test('creator admin without listed admins is allowed when asked for', () => {
    const c = onlyResource(synth({ adminPrincipalArns: [], bootstrapClusterCreatorAdminPermissions: true }).json, 'aws_eks_cluster');
    expect(c.access_config.bootstrap_cluster_creator_admin_permissions).toBe(true);
  });
});

describe('EksCluster bad input', () => {
  test.each<[Partial<EksClusterProps>, string]>([
    [{ name: 'a'.repeat(101) }, 'name: "' + 'a'.repeat(101) + '" is not a valid EKS cluster name (101 characters); allowed: 1-100 characters'],
    [{ name: 'bad name!' }, 'name: "bad name!" is not a valid EKS cluster name; allowed: 1-100 characters'],
    [{ version: '1.35.2' }, 'version: "1.35.2" is not a Kubernetes minor version; allowed: "1.N"'],
    [{ version: 'latest' }, 'version: "latest" is not a Kubernetes minor version'],
    [{ endpointPublicAccess: true }, 'publicAccessCidrs: is empty but endpointPublicAccess is true; allowed: an explicit allowlist'],
    [{ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] }, 'publicAccessCidrs[0]: "0.0.0.0/0" opens the Kubernetes API to the whole internet'],
    [{ endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/33'] }, 'publicAccessCidrs[0]: "203.0.113.0/33" is not an IPv4 CIDR'],
    [{ publicAccessCidrs: ['203.0.113.0/24'] }, 'publicAccessCidrs: ["203.0.113.0/24"] is set but endpointPublicAccess is false'],
    [{ adminPrincipalArns: [] }, 'adminPrincipalArns: is empty and bootstrapClusterCreatorAdminPermissions is false, so nobody could administer the cluster'],
    [{ adminPrincipalArns: ['platform-admin'] }, 'adminPrincipalArns[0]: "platform-admin" is not an IAM role or user ARN'],
    [{ adminPrincipalArns: ['arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/a'] }, 'adminPrincipalArns[1]: "arn:aws:iam::111111111111:role/a" is listed twice'],
    [{ viewerPrincipalArns: ['viewer'], viewerGroup: 'v' }, 'viewerPrincipalArns[0]: "viewer" is not an IAM role or user ARN'],
    [{ viewerPrincipalArns: ['arn:aws:iam::111111111111:role/platform-admin'], viewerGroup: 'v' }, 'viewerPrincipalArns[0]: "arn:aws:iam::111111111111:role/platform-admin" is also in adminPrincipalArns[0]; allowed: one access entry per principal'],
    [{ viewerPrincipalArns: ['arn:aws:iam::111111111111:role/v'] }, 'viewerGroup: is not set but viewerPrincipalArns lists principals'],
    [{ viewerPrincipalArns: ['arn:aws:iam::111111111111:role/v'], viewerGroup: 'system:masters' }, 'viewerGroup: "system:masters" is not a usable Kubernetes group'],
    [{ accessEntries: [{ principalArn: 'arn:aws:iam::111111111111:role/ci' }] }, 'accessEntries[0]: "arn:aws:iam::111111111111:role/ci" has neither an access policy nor a Kubernetes group'],
    [{ accessEntries: [{ principalArn: 'arn:aws:iam::111111111111:role/platform-admin', accessPolicies: [{ policy: 'AmazonEKSViewPolicy' }] }] }, 'accessEntries[0].principalArn: "arn:aws:iam::111111111111:role/platform-admin" is also in adminPrincipalArns[0]'],
    [{ accessEntries: [{ principalArn: 'arn:aws:iam::111111111111:role/ci', accessPolicies: [{ policy: 'AmazonEKSSuperPolicy' as any }] }] }, 'accessEntries[0].accessPolicies[0].policy: "AmazonEKSSuperPolicy" is not an access policy this library grants'],
    [{ accessEntries: [{ principalArn: 'arn:aws:iam::111111111111:role/ci', accessPolicies: [{ policy: 'AmazonEKSViewPolicy' }, { policy: 'AmazonEKSViewPolicy', namespaces: ['a'] }] }] }, 'accessEntries[0].accessPolicies[1].policy: "AmazonEKSViewPolicy" is listed twice'],
    [{ accessEntries: [{ principalArn: 'arn:aws:iam::111111111111:role/ci', accessPolicies: [{ policy: 'AmazonEKSSecretReaderPolicy', namespaces: [] }] }] }, 'accessEntries[0].accessPolicies[0].namespaces: is empty'],
    [{ accessEntries: [{ principalArn: 'arn:aws:iam::111111111111:role/ci', accessPolicies: [{ policy: 'AmazonEKSSecretReaderPolicy', namespaces: ['Kube_System'] }] }] }, 'accessEntries[0].accessPolicies[0].namespaces[0]: "Kube_System" is not a namespace name'],
    [{ accessEntries: [{ principalArn: 'arn:aws:iam::111111111111:role/ci', kubernetesGroups: ['eks:admins'] }] }, 'accessEntries[0].kubernetesGroups[0]: "eks:admins" is not a usable Kubernetes group'],
    [{ subnetIds: ['subnet-a'] }, 'subnetIds: ["subnet-a"] lists fewer than 2 subnets'],
    [{ logRetentionDays: 45 }, 'logRetentionDays: 45 is not a CloudWatch Logs retention period'],
    [{ accountId: '123' }, 'accountId: "123" is not an AWS account id'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('0.0.0.0/0 is accepted only with allowOpenPublicEndpoint', () => {
    const c = onlyResource(synth({ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'], allowOpenPublicEndpoint: true }).json, 'aws_eks_cluster');
    expect(c.vpc_config.public_access_cidrs).toEqual(['0.0.0.0/0']);
  });

  test('nothing is created when validation fails', () => {
    const stack = awsTestStack();
    expect(() => new EksCluster(stack, 'c', { ...base, version: '2' })).toThrow('version:');
    expect(synthesize(stack).resource).toBeUndefined();
  });
});
