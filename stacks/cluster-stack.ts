import { Construct } from 'constructs';
import { DEFAULT_KUBERNETES_VERSION, EksAddons, EksCluster, FargateProfile, ManagedNodeGroup, NodeRole, check, checkKubernetesGroup, iamRoleName, partitionOf, show } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import type { NodeGroupConfig } from '../environments/config/cluster';
import { PlatformStack, StackSettings } from './platform-stack';
import type { NetworkStack } from './network-stack';
import { deployRoleAccessEntries, viewerGroup } from './cluster-access';

/** The node group an environment gets when it lists none: the course's 2/5/2, on a current burstable type. */
export const DEFAULT_NODE_GROUPS: NodeGroupConfig[] = [{ name: 'default' }];

/** Stand-in OIDC id for offline plans of downstream stacks. */
const OFFLINE_OIDC_ID = '0000000000000000OFFLINE';

/**
 * `<env>-cluster`: the EKS control plane, its managed add-ons, node groups and optional Fargate
 * profile in the network stack's private subnets, published with terraform-aws-modules' output names.
 */
export class ClusterStack extends PlatformStack {
  readonly cluster: EksCluster;
  readonly addons: EksAddons;
  readonly nodeRole: NodeRole;
  readonly nodeGroups: ManagedNodeGroup[];
  readonly fargateProfile?: FargateProfile;

  constructor(scope: Construct, env: ResolvedEnvironment, network: NetworkStack, settings: StackSettings = {}) {
    super(scope, env, 'cluster', settings);
    const net = this.consume(network);
    const c = env.cluster;
    const privateSubnets = net.getList('private_subnets');
    const version = c.version ?? DEFAULT_KUBERNETES_VERSION;

    // The GitHub deploy roles get access entries of their own (cicd); listing one here too would be a
    // second entry for the same principal, which EKS refuses.
    const deployEntries = deployRoleAccessEntries(env);
    // Checked here, under its own config path: the cluster stack is the first to use it.
    forEnvironment(env.name, 'kubernetes', () => checkKubernetesGroup(viewerGroup(env), 'viewerGroup'));
    forEnvironment(env.name, 'cluster', () => {
      for (const field of ['adminPrincipalArns', 'viewerPrincipalArns'] as const) {
        (c[field] ?? []).forEach((arn, i) => {
          const entry = deployEntries.find((e) => e.principalArn === arn);
          check(entry === undefined, `${field}[${i}]`, `${show(arn)} is the GitHub ${entry?.id?.replace('github-', '')} role, which gets its own access entry from the cicd section; allowed: leave it out`);
        });
      }
    });
    this.cluster = forEnvironment(env.name, 'cluster', () =>
      new EksCluster(this, 'cluster', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        name: c.name,
        accountId: env.accountId,
        region: env.region,
        vpcId: net.getString('vpc_id'),
        subnetIds: privateSubnets,
        version,
        endpointPublicAccess: c.endpointPublicAccess,
        publicAccessCidrs: c.publicAccessCidrs,
        allowOpenPublicEndpoint: c.allowOpenPublicEndpoint,
        privateAccessCidrs: (c.privateAccessFromVpc ?? true) ? [net.getString('vpc_cidr_block')] : [],
        adminPrincipalArns: c.adminPrincipalArns,
        viewerPrincipalArns: c.viewerPrincipalArns,
        viewerGroup: viewerGroup(env),
        accessEntries: deployEntries,
        bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions,
        logRetentionDays: c.logRetentionDays,
        runsFargatePods: c.fargate?.enabled ?? false,
      }),
    );
    const cluster = this.cluster;

    this.addons = forEnvironment(env.name, 'cluster', () =>
      new EksAddons(this, 'addons', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        clusterName: cluster.clusterName,
        roleNamePrefix: c.name,
        kubernetesVersion: version,
        region: env.region,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuerUrl: cluster.oidcIssuerUrl,
        addonVersions: c.addonVersions,
        addonVersionSelection: c.addonVersionSelection,
      }),
    );

    // One role for every node group, published as node_iam_role_arn.
    const nodeRoleName = iamRoleName(c.name, 'node');
    this.nodeRole = new NodeRole(this, 'node-role', { roleName: nodeRoleName, region: env.region, permissionsBoundaryArn: this.permissionsBoundaryArn });

    const groups = c.nodeGroups ?? DEFAULT_NODE_GROUPS;
    forEnvironment(env.name, 'cluster', () => check(groups.length > 0, 'nodeGroups', 'is empty; allowed: at least one node group (coredns and the EBS CSI controller run on nodes)'));
    this.nodeGroups = groups.map((g, i) =>
      forEnvironment(env.name, `cluster.nodeGroups[${i}]`, () => {
        check(groups.findIndex((o) => o.name === g.name) === i, 'name', `${show(g.name)} is used by another node group; allowed: a unique name`);
        return new ManagedNodeGroup(this, `node-group-${g.name}`, {
          permissionsBoundaryArn: this.permissionsBoundaryArn,
          clusterName: c.name,
          clusterNameRef: cluster.clusterName,
          name: g.name,
          region: env.region,
          subnetIds: privateSubnets,
          securityGroupIds: [cluster.nodeSecurityGroupId],
          nodeRoleArn: this.nodeRole.roleArn,
          instanceTypes: g.instanceTypes,
          capacityType: g.capacityType,
          amiType: g.amiType,
          minSize: g.minSize,
          maxSize: g.maxSize,
          desiredSize: g.desiredSize,
          diskSizeGiB: g.diskSizeGiB,
          labels: g.labels,
          taints: g.taints,
          metadataHopLimit: g.metadataHopLimit,
          version: cluster.version,
          // The cluster (through the add-ons), vpc-cni/kube-proxy before nodes, and the node role's policies.
          dependsOn: [cluster.cluster, ...this.addons.beforeCompute, ...this.nodeRole.attachments],
        });
      }),
    );
    this.addons.runAfter(...this.nodeGroups.map((g) => g.nodeGroup));

    if (c.fargate?.enabled) {
      const f = c.fargate;
      this.fargateProfile = forEnvironment(env.name, 'cluster.fargate', () =>
        new FargateProfile(this, 'fargate', {
          permissionsBoundaryArn: this.permissionsBoundaryArn,
          clusterName: c.name,
          clusterNameRef: cluster.clusterName,
          name: f.name ?? 'fargate',
          accountId: env.accountId,
          region: env.region,
          subnetIds: privateSubnets,
          selectors: f.selectors,
          dependsOn: [cluster.cluster],
        }),
      );
    }

    // Stand-ins for offline plans of downstream stacks: ARN-shaped, recognisably fake.
    const partition = partitionOf(env.region);
    const oidcHost = `oidc.eks.${env.region}.amazonaws.com/id/${OFFLINE_OIDC_ID}`;
    const fakeCa = Buffer.from('-----BEGIN CERTIFICATE-----\nOFFLINE-STUB-NOT-A-CERTIFICATE\n-----END CERTIFICATE-----\n').toString('base64');
    this.publish('cluster_name', cluster.clusterName, c.name, 'Name of the EKS cluster');
    this.publish('cluster_arn', cluster.clusterArn, `arn:${partition}:eks:${env.region}:${env.accountId}:cluster/${c.name}`, 'ARN of the EKS cluster');
    this.publish('cluster_endpoint', cluster.endpoint, `https://${OFFLINE_OIDC_ID}.gr7.${env.region}.eks.amazonaws.com`, 'Endpoint of the Kubernetes API server');
    this.publish('cluster_certificate_authority_data', cluster.certificateAuthorityData, fakeCa, 'Base64-encoded CA certificate of the cluster');
    this.publish('cluster_version', cluster.version, version, 'Kubernetes version of the cluster');
    this.publish('cluster_oidc_issuer_url', cluster.oidcIssuerUrl, `https://${oidcHost}`, 'OIDC issuer URL of the cluster (IRSA)');
    this.publish('oidc_provider_arn', cluster.oidcProviderArn, `arn:${partition}:iam::${env.accountId}:oidc-provider/${oidcHost}`, 'ARN of the IAM OIDC provider for IRSA');
    this.publish('cluster_security_group_id', cluster.clusterSecurityGroupId, 'sg-0offline0cluster00', 'Security group added to the control plane');
    this.publish('cluster_primary_security_group_id', cluster.primarySecurityGroupId, 'sg-0offline0primary0', 'EKS-managed primary security group (Fargate pods carry it)');
    this.publish('node_security_group_id', cluster.nodeSecurityGroupId, 'sg-0offline0node0000', 'Security group of the nodes (allow databases etc. from it)');
    this.publish('node_iam_role_arn', this.nodeRole.roleArn, `arn:${partition}:iam::${env.accountId}:role/${nodeRoleName}`, 'ARN of the IAM role of the nodes');
    this.publish('kms_key_arn', cluster.kmsKeyArn, `arn:${partition}:kms:${env.region}:${env.accountId}:key/00000000-0000-4000-8000-000000000000`, 'KMS key encrypting Kubernetes secrets and control-plane logs');
    this.publish('cloudwatch_log_group_name', cluster.logGroupName, `/aws/eks/${c.name}/cluster`, 'Log group of the control-plane logs');
    const fargateRole = this.fargateProfile?.podExecutionRoleName;
    if (fargateRole) {
      // The observability stack grants it the Fargate log group (the log router writes with it).
      const stub = iamRoleName(`${c.name}-${c.fargate?.name ?? 'fargate'}`, 'fargate');
      this.publish('fargate_pod_execution_role_name', fargateRole, stub, 'Pod execution role of the Fargate profile');
    }
  }
}
