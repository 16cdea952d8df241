import { Testing } from 'cdktf';
import { ConfigError, EnvironmentConfig, resolveEnvironment, validateEnvironment } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { ClusterStack, DEPLOY_PLAN_GROUP, NetworkStack, createEnvironment } from '../stacks';
import { localExpression, onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { configWith } from './config-fixtures';


/** The network and cluster stacks alone (offline), so these tests do not hinge on later stacks. */
function build(config: EnvironmentConfig = dev) {
  validateEnvironment(config);
  const env = resolveEnvironment(config);
  const app = Testing.app();
  const network = new NetworkStack(app, env, { offline: true });
  return { network, cluster: new ClusterStack(app, env, network, { offline: true }) };
}

const PUBLISHED = [
  'cluster_name',
  'cluster_arn',
  'cluster_endpoint',
  'cluster_certificate_authority_data',
  'cluster_version',
  'cluster_oidc_issuer_url',
  'oidc_provider_arn',
  'cluster_security_group_id',
  'vpc_id',
  'cluster_primary_security_group_id',
  'node_security_group_id',
  'node_iam_role_arn',
  'kms_key_arn',
  'cloudwatch_log_group_name',
];

describe('ClusterStack', () => {
  const stacks = build();
  const cluster = stacks.cluster;
  const json = synthesize(cluster);

  test('createEnvironment adds it as <env>-cluster, right after the network (and the CI runner when configured)', () => {
    const all = createEnvironment(Testing.app(), dev, { offline: true });
    expect(all.cluster).toBeInstanceOf(ClusterStack);
    expect(all.all.map((s) => s.node.id).slice(0, 4)).toEqual(['dev-state', 'dev-network', 'dev-runner', 'dev-cluster']);
  });

  test('consumes the network stack: private subnets and VPC', () => {
    expect(cluster.node.id).toBe('dev-cluster');
    expect(cluster.dependencies).toContain(stacks.network);
    // Offline, the deploy's S3 remote-state read is kept but never evaluated: the network's stubs stand in.
    const remote = Object.values((json.data as any).terraform_remote_state)[0] as any;
    expect(remote).toMatchObject({ backend: 's3', config: { key: 'dev/network/terraform.tfstate' }, count: '${var.offline_lookups ? 0 : 1}' });
    expect(json.variable).toMatchObject({ offline_lookups: { default: true } });
    const eks = onlyResource(json, 'aws_eks_cluster');
    expect(localExpression(json, eks.vpc_config.subnet_ids)).toBe(`\${var.offline_lookups ? ${JSON.stringify(stacks.network.stubOutputs.private_subnets).replace(/,/g, ', ')} : one(data.terraform_remote_state.network-outputs[*].outputs.private_subnets)}`);
    expect(onlyResource(json, 'aws_eks_node_group').subnet_ids).toBe(eks.vpc_config.subnet_ids);
  });

  test('publishes exactly the outputs downstream stacks consume, each described', () => {
    expect(Object.keys(json.output!).sort()).toEqual([...PUBLISHED].sort());
    for (const name of PUBLISHED) expect(json.output![name].description).toBeTruthy();
    expect(Object.keys(cluster.stubOutputs).sort()).toEqual([...PUBLISHED].sort());
  });

  test('stub outputs are realistic so downstream offline plans pass', () => {
    const s = cluster.stubOutputs as Record<string, string>;
    expect(s.cluster_name).toBe('eks-work-dev');
    expect(s.cluster_arn).toBe('arn:aws:eks:ap-northeast-2:111111111111:cluster/eks-work-dev');
    expect(s.cluster_endpoint).toBe('https://0000000000000000OFFLINE.gr7.ap-northeast-2.eks.amazonaws.com');
    expect(Buffer.from(s.cluster_certificate_authority_data, 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(s.cluster_version).toBe('1.35');
    expect(s.cluster_oidc_issuer_url).toBe('https://oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000OFFLINE');
    expect(s.oidc_provider_arn).toBe('arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000OFFLINE');
    expect(s.cluster_security_group_id).toMatch(/^sg-/);
    expect(s.node_security_group_id).toMatch(/^sg-/);
    // The network stack's stand-in for the same VPC.
    expect(s.vpc_id).toBe(stacks.network.stubOutputs.vpc_id);
    expect(s.node_iam_role_arn).toBe('arn:aws:iam::111111111111:role/eks-work-dev-node');
    expect(s.kms_key_arn).toMatch(/^arn:aws:kms:ap-northeast-2:111111111111:key\/[0-9a-f-]{36}$/);
    expect(s.cloudwatch_log_group_name).toBe('/aws/eks/eks-work-dev/cluster');
  });

  test('dev: public endpoint for the office CIDR only, private access from the VPC, 2/5/2 t3.medium, no Fargate', () => {
    const eks = onlyResource(json, 'aws_eks_cluster');
    expect(eks.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    expect(onlyResource(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
    const ng = onlyResource(json, 'aws_eks_node_group');
    expect(ng).toMatchObject({ node_group_name: 'eks-work-dev-default', instance_types: ['t3.medium'], ami_type: 'AL2023_x86_64_STANDARD', scaling_config: { min_size: 2, max_size: 5, desired_size: 2 } });
    expect(ng.version).toMatch(/aws_eks_cluster\..*\.version/);
    expect(resourcesOfType(json, 'aws_eks_fargate_profile')).toHaveLength(0);
    const vpcRule = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').find((r) => r.cidr_ipv4);
    expect(vpcRule).toMatchObject({ from_port: 443, cidr_ipv4: expect.stringMatching(/^\$\{local\.network-outputs-outputs-vpc_cidr_block\}$/) });
  });

  test('one shared node role, published, carries the three node policies only', () => {
    const nodeRole = resourcesOfType(json, 'aws_iam_role').find((r) => r.name === 'eks-work-dev-node')!;
    expect(nodeRole).toBeDefined();
    const nodeAttachments = resourcesOfType(json, 'aws_iam_role_policy_attachment').filter((a) => String(a.role).includes('node-role'));
    expect(nodeAttachments.map((a) => a.policy_arn.replace('arn:aws:iam::aws:policy/', '')).sort()).toEqual(['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonSSMManagedInstanceCore']);
    expect(json.output!.node_iam_role_arn.value).toMatch(/aws_iam_role\.node-role.*\.arn/);
  });

  test('node groups wait for the cluster, vpc-cni/kube-proxy/pod-identity and the node role; coredns waits for them', () => {
    const ng = onlyResource(json, 'aws_eks_node_group');
    expect(ng.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_cluster\./), expect.stringMatching(/^aws_eks_addon\.addons_vpc-cni/), expect.stringMatching(/^aws_iam_role_policy_attachment\.node-role/)]));
    const coredns = resourcesOfType(json, 'aws_eks_addon').find((a) => a.addon_name === 'coredns')!;
    expect(coredns.depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\./)]);
  });

  test('prod: private endpoint only, three-AZ node group, Fargate profile for the batch namespace', () => {
    const p = synthesize(build(prod).cluster);
    const eks = onlyResource(p, 'aws_eks_cluster');
    expect(eks.vpc_config.endpoint_public_access).toBe(false);
    expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
    expect(onlyResource(p, 'aws_eks_node_group').scaling_config).toEqual({ min_size: 3, max_size: 9, desired_size: 3 });
    const fargate = onlyResource(p, 'aws_eks_fargate_profile');
    expect(fargate).toMatchObject({ fargate_profile_name: 'eks-work-prod-batch', selector: [{ namespace: 'eks-work-batch' }] });
    expect(fargate.subnet_ids).toMatch(/^\$\{local\.network-outputs-outputs-private_subnets\}$/);
    expect(resourcesOfType(p, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/eks/eks-work-prod/cluster')!.retention_in_days).toBe(365);
  });

  test('prod: a REGIONAL web ACL for the alb IngressClass (managed rules, rate limit, encrypted logs kept a year); dev opts out', () => {
    const { cluster: c } = build(prod);
    const p = synthesize(c);
    const acl = onlyResource(p, 'aws_wafv2_web_acl');
    expect(acl).toMatchObject({ name: 'eks-work-prod-alb-regional', scope: 'REGIONAL', default_action: { allow: {} } });
    expect(acl.rule.map((r: any) => r.name)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'rate-limit-per-ip']);
    const logs = resourcesOfType(p, 'aws_cloudwatch_log_group').find((g) => g.name === 'aws-waf-logs-eks-work-prod-alb')!;
    expect(logs).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./) });
    expect(onlyResource(p, 'aws_wafv2_web_acl_logging_configuration').resource_arn).toMatch(/^\$\{aws_wafv2_web_acl\..*\.arn\}$/);
    expect(p.output!.alb_web_acl_arn.value).toMatch(/^\$\{aws_wafv2_web_acl\..*\.arn\}$/);
    expect(resourcesOfType(json, 'aws_wafv2_web_acl')).toHaveLength(0);
    expect(json.output!.alb_web_acl_arn).toBeUndefined();
  });

  test('an existing web ACL is taken by ARN when it is a REGIONAL one of the account and region; anything else is a one-line error', () => {
    const arn = 'arn:aws:wafv2:ap-northeast-2:222222222222:regional/webacl/shared/0f0e0d0c-0b0a-4909-8807-060504030201';
    const p = synthesize(build({ ...prod, addons: { ...prod.addons, albWebAcl: arn } }).cluster);
    expect(resourcesOfType(p, 'aws_wafv2_web_acl')).toHaveLength(0);
    expect(p.output!.alb_web_acl_arn.value).toBe(arn);
    expect(() => build({ ...prod, addons: { ...prod.addons, albWebAcl: arn.replace('regional', 'global') } })).toThrow(/^environment "prod": addons\.albWebAcl: ".*" is not a REGIONAL web ACL of ap-northeast-2 in account 222222222222; allowed: "create", "none" or arn:aws:wafv2/);
  });

  test('prod (Fargate on) also publishes the pod execution role for the Fargate log group policy', () => {
    const { cluster: c } = build(prod);
    const p = synthesize(c);
    expect(Object.keys(p.output!).sort()).toEqual([...PUBLISHED, 'fargate_pod_execution_role_name', 'alb_web_acl_arn'].sort());
    expect(p.output!.fargate_pod_execution_role_name.value).toMatch(/^\$\{aws_iam_role\.fargate_pod-execution-role_[0-9A-F]+\.name\}$/);
    expect(resourcesOfType(p, 'aws_iam_role').map((r) => r.name)).toContain('eks-work-prod-batch-fargate');
    expect(c.stubOutputs.fargate_pod_execution_role_name).toBe('eks-work-prod-batch-fargate');
  });

  test('Fargate on (prod) opens the Fargate pods\' kubelet to metrics-server on the nodes; off (dev) it stays closed', () => {
    const kubeletOnPrimary = (j: ReturnType<typeof synthesize>) =>
      resourcesOfType(j, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.security_group_id).includes('cluster_security_group_id') && r.from_port === 10250);
    const [rule] = kubeletOnPrimary(synthesize(build(prod).cluster));
    expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 10250, to_port: 10250, referenced_security_group_id: expect.stringMatching(/aws_security_group\.cluster_node-sg/) });
    expect(kubeletOnPrimary(json)).toHaveLength(0);
  });

  test('addonVersions from config override the table', () => {
    const j = synthesize(build(configWith(dev, 'cluster.addonVersions', { coredns: 'v1.13.1-eksbuild.1' })).cluster);
    expect(resourcesOfType(j, 'aws_eks_addon').find((a) => a.addon_name === 'coredns')!.addon_version).toBe('v1.13.1-eksbuild.1');
  });

  test('cluster.secretsStore reaches the Secrets Store CSI driver add-on: dev and prod sync mounted secrets into Kubernetes Secrets (the course\'s backend reads environment variables); off removes it', () => {
    const store = (j: ReturnType<typeof synthesize>) => resourcesOfType(j, 'aws_eks_addon').find((a) => a.addon_name === 'aws-secrets-store-csi-driver-provider');
    for (const config of [dev, prod]) expect(JSON.parse(store(synthesize(build(config).cluster))!.configuration_values)).toEqual({ 'secrets-store-csi-driver': { syncSecret: { enabled: true } } });
    expect(store(synthesize(build(configWith(dev, 'cluster.secretsStore', { enabled: false })).cluster))).toBeUndefined();
  });

  test('nodes answer instance metadata to host processes only (hop limit 1); a node group may opt in to 2', () => {
    expect(onlyResource(json, 'aws_launch_template').metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    const groups = [{ name: 'default' }, { name: 'imds', metadataHopLimit: 2, taints: [{ key: 'imds', effect: 'NO_SCHEDULE' }] }];
    const templates = resourcesOfType(synthesize(build(configWith(dev, 'cluster.nodeGroups', groups)).cluster), 'aws_launch_template');
    expect(Object.fromEntries(templates.map((t) => [t.name, t.metadata_options.http_put_response_hop_limit]))).toEqual({ 'eks-work-dev-default': 1, 'eks-work-dev-imds': 2 });
  });

  describe('access entries', () => {
    const entries = (j: any) => Object.fromEntries(resourcesOfType(j, 'aws_eks_access_entry').map((e) => [e.principal_arn, e]));
    /** Access policy name -> scope, per principal (associations name their entry by reference). */
    const policies = (j: any) => {
      const byRef = Object.fromEntries(Object.entries((j.resource as any).aws_eks_access_entry).map(([k, e]: [string, any]) => [`\${aws_eks_access_entry.${k}.principal_arn}`, e.principal_arn]));
      const out: Record<string, Record<string, unknown>> = {};
      for (const a of resourcesOfType(j, 'aws_eks_access_policy_association')) (out[byRef[a.principal_arn]] ??= {})[a.policy_arn.split('/').at(-1)] = a.access_scope;
      return out;
    };
    const planRole = 'arn:aws:iam::111111111111:role/eks-work-dev-github-plan';
    const applyRole = 'arn:aws:iam::111111111111:role/eks-work-dev-github-apply';

    test('with cicd, the GitHub apply role is cluster admin; the plan role reads, Secrets only in the Helm release namespaces', () => {
      const p = policies(json);
      expect(p[applyRole]).toEqual({ AmazonEKSClusterAdminPolicy: { type: 'cluster' } });
      expect(p[planRole]).toEqual({
        AmazonEKSViewPolicy: { type: 'cluster' },
        // Helm keeps each release as Secrets in its namespace; the application namespaces stay out.
        AmazonEKSSecretReaderPolicy: { type: 'namespace', namespaces: ['amazon-cloudwatch', 'kube-system'] },
      });
      // RBAC objects (no read-only access policy covers them) through the group the add-ons stack binds.
      expect(entries(json)[planRole].kubernetes_groups).toEqual([DEPLOY_PLAN_GROUP]);
      expect(entries(json)[applyRole].kubernetes_groups).toBeUndefined();
      // Admins are unchanged.
      expect(p['arn:aws:iam::111111111111:role/eks-work-platform-admin']).toEqual({ AmazonEKSClusterAdminPolicy: { type: 'cluster' } });
    });

    test('the deploy role ARNs are the roles the state stack creates (one helper names both)', () => {
      const all = createEnvironment(Testing.app(), dev, { offline: true });
      const roles = resourcesOfType(synthesize(all.state), 'aws_iam_role').map((r) => `arn:aws:iam::111111111111:role/${r.name}`);
      expect(roles).toEqual(expect.arrayContaining([planRole, applyRole]));
      expect(Object.keys(entries(synthesize(all.cluster)))).toEqual(expect.arrayContaining([planRole, applyRole]));
    });

    test('without cicd, no deploy-role entries', () => {
      const j = synthesize(build(configWith(dev, 'cicd', undefined)).cluster);
      expect(Object.keys(entries(j))).toEqual(['arn:aws:iam::111111111111:role/eks-work-platform-admin']);
    });

    test('the plan role reads Secrets only where the selected charts keep their releases', () => {
      const onlyAutoscaler = { cloudwatch: 'none', logShipper: 'none', charts: { 'metrics-server': { enabled: false }, 'aws-load-balancer-controller': { enabled: false } } };
      expect(policies(synthesize(build(configWith(dev, 'addons', onlyAutoscaler)).cluster))[planRole].AmazonEKSSecretReaderPolicy).toEqual({ type: 'namespace', namespaces: ['kube-system'] });
      const none = { ...onlyAutoscaler, charts: { ...onlyAutoscaler.charts, 'cluster-autoscaler': { enabled: false } } };
      expect(policies(synthesize(build(configWith(dev, 'addons', none)).cluster))[planRole]).toEqual({ AmazonEKSViewPolicy: { type: 'cluster' } });
    });

    test('viewerPrincipalArns: entries in the viewer group the add-ons stack binds, no access policy', () => {
      const viewer = 'arn:aws:iam::111111111111:role/eks-work-developer';
      const j = synthesize(build(configWith(dev, 'cluster.viewerPrincipalArns', [viewer])).cluster);
      expect(entries(j)[viewer]).toMatchObject({ type: 'STANDARD', kubernetes_groups: ['eks-work-viewers'] });
      expect(policies(j)[viewer]).toBeUndefined();
      // A renamed group is renamed on both sides.
      const renamed = configWith(configWith(dev, 'cluster.viewerPrincipalArns', [viewer]), 'kubernetes.viewerGroup', 'team-readers');
      const all = createEnvironment(Testing.app(), renamed, { offline: true });
      expect(entries(synthesize(all.cluster))[viewer].kubernetes_groups).toEqual(['team-readers']);
      expect(resourcesOfType(synthesize(all.addons), 'kubernetes_role_binding_v1').every((b) => b.subject[0].name === 'team-readers')).toBe(true);
    });
  });

  test('defaults: one node group "default" when none are listed', () => {
    const j = synthesize(build(configWith(dev, 'cluster.nodeGroups', undefined)).cluster);
    expect(onlyResource(j, 'aws_eks_node_group')).toMatchObject({ node_group_name: 'eks-work-dev-default', scaling_config: { min_size: 2, max_size: 5, desired_size: 2 } });
  });
});

describe('bad cluster config stops synth with one line naming the environment and field', () => {
  test.each<['dev' | 'prod', string, unknown, string]>([
    ['dev', 'cluster.nodeGroups.0.minSize', 6, 'environment "dev": cluster.nodeGroups[0].minSize: 6 is greater than maxSize 5; allowed: minSize <= maxSize'],
    ['dev', 'cluster.nodeGroups.0.desiredSize', 9, 'environment "dev": cluster.nodeGroups[0].desiredSize: 9 is outside [minSize, maxSize] = [2, 5]'],
    ['dev', 'cluster.nodeGroups.0.capacityType', 'RESERVED', 'environment "dev": cluster.nodeGroups[0].capacityType: "RESERVED" is not allowed; allowed: "ON_DEMAND" | "SPOT"'],
    ['dev', 'cluster.nodeGroups.0.instanceTypes', [], 'environment "dev": cluster.nodeGroups[0].instanceTypes: [] lists no instance type'],
    ['dev', 'cluster.nodeGroups', [], 'environment "dev": cluster.nodeGroups: is empty; allowed: at least one node group'],
    ['dev', 'cluster.nodeGroups.0.metadataHopLimit', 0, 'environment "dev": cluster.nodeGroups[0].metadataHopLimit: 0 is not a hop limit; allowed: 1 (host only) to 64'],
    ['dev', 'cluster.nodeGroups.1', { name: 'default' }, 'environment "dev": cluster.nodeGroups[1].name: "default" is used by another node group'],
    ['dev', 'cluster.publicAccessCidrs', [], 'environment "dev": cluster.publicAccessCidrs: is empty but endpointPublicAccess is true'],
    ['prod', 'cluster.endpointPublicAccess', true, 'environment "prod": cluster.publicAccessCidrs: is empty but endpointPublicAccess is true; allowed: an explicit allowlist'],
    ['dev', 'cluster.publicAccessCidrs', ['0.0.0.0/0'], 'environment "dev": cluster.publicAccessCidrs[0]: "0.0.0.0/0" opens the Kubernetes API to the whole internet'],
    ['dev', 'cluster.name', 'x'.repeat(101), 'environment "dev": cluster.name: invalid value; allowed: 1-100 characters'],
    ['dev', 'cluster.name', 'eks work', 'environment "dev": cluster.name: invalid value; allowed: 1-100 characters'],
    ['dev', 'cluster.version', '1.35.0', 'environment "dev": cluster.version: "1.35.0" is not a Kubernetes minor version; allowed: "1.N"'],
    ['dev', 'cluster.version', '2', 'environment "dev": cluster.version: "2" is not a Kubernetes minor version'],
    ['dev', 'cluster.adminPrincipalArns', [], 'environment "dev": cluster.adminPrincipalArns: is empty and bootstrapClusterCreatorAdminPermissions is false'],
    ['dev', 'cluster.viewerPrincipalArns', ['developer'], 'environment "dev": cluster.viewerPrincipalArns[0]: "developer" is not an IAM role or user ARN; allowed: arn:aws:iam::<account>:role/<name>'],
    [
      'dev',
      'cluster.viewerPrincipalArns',
      ['arn:aws:iam::111111111111:role/eks-work-platform-admin'],
      'environment "dev": cluster.viewerPrincipalArns[0]: "arn:aws:iam::111111111111:role/eks-work-platform-admin" is also in adminPrincipalArns[0]; allowed: one access entry per principal',
    ],
    [
      'dev',
      'cluster.adminPrincipalArns',
      ['arn:aws:iam::111111111111:role/eks-work-dev-github-apply'],
      'environment "dev": cluster.adminPrincipalArns[0]: "arn:aws:iam::111111111111:role/eks-work-dev-github-apply" is the GitHub apply role, which gets its own access entry from the cicd section; allowed: leave it out',
    ],
    ['dev', 'kubernetes.viewerGroup', 'system:viewers', 'environment "dev": kubernetes.viewerGroup: "system:viewers" is not a usable Kubernetes group'],
    ['dev', 'cluster.logRetentionDays', 10, 'environment "dev": cluster.logRetentionDays: 10 is not a CloudWatch Logs retention period'],
    ['dev', 'cluster.addonVersions', { coredns: 'latest' }, 'environment "dev": cluster.addonVersions.coredns: "latest" is not an EKS add-on version'],
    ['dev', 'cluster.addonVersions', { calico: 'v1.0.0-eksbuild.1' }, 'environment "dev": cluster.addonVersions: unknown field "calico"'],
    ['dev', 'cluster.fargate', { enabled: true, selectors: [] }, 'environment "dev": cluster.fargate.selectors: lists 0 selectors; allowed: 1 to 5'],
    ['dev', 'cluster.nodeGroup', [], 'environment "dev": cluster: unknown field "nodeGroup"'],
    ['dev', 'cluster.secretsStore', { rotationPollInterval: 'soon' }, 'environment "dev": cluster.secretsStore.rotationPollInterval: "soon" is not a duration; allowed: a Go duration such as "2m"'],
    ['dev', 'cluster.secretsStore', { syncSecrets: true }, 'environment "dev": cluster.secretsStore: unknown field "syncSecrets"'],
  ])('%s: %s = %j', (envName, path, value, message) => {
    const attempt = () => createEnvironment(Testing.app(), configWith(envName === 'dev' ? dev : prod, path, value), { offline: true });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  test('an open endpoint needs the explicit flag, which production leaves off', () => {
    const open = configWith(configWith(dev, 'cluster.publicAccessCidrs', ['0.0.0.0/0']), 'cluster.allowOpenPublicEndpoint', true);
    expect(onlyResource(synthesize(build(open).cluster), 'aws_eks_cluster').vpc_config.public_access_cidrs).toEqual(['0.0.0.0/0']);
    expect(prod.cluster.allowOpenPublicEndpoint).toBeFalsy();
  });
});

test('application.host with a hosted zone: the host\'s certificate, DNS-validated in the zone, published; bad names are one-line errors', () => {
  const withApp = (application: Record<string, unknown>) => ({ ...prod, application });
  const p = synthesize(build(withApp({ host: 'api.example.com', hostedZoneId: 'Z0123456789ABC' })).cluster);
  expect(onlyResource(p, 'aws_acm_certificate')).toMatchObject({ domain_name: 'api.example.com', validation_method: 'DNS', key_algorithm: 'EC_prime256v1' });
  expect(onlyResource(p, 'aws_route53_record').zone_id).toBe('Z0123456789ABC');
  expect(p.output!.application_certificate_arn.value).toMatch(/^\$\{aws_acm_certificate_validation\./);
  expect(resourcesOfType(synthesize(build(withApp({ host: 'api.example.com' })).cluster), 'aws_acm_certificate')).toHaveLength(0);
  expect(() => build(withApp({ host: 'API_example', hostedZoneId: 'Z0123456789ABC' }))).toThrow('environment "prod": application.host: "API_example" is not a host name');
});
