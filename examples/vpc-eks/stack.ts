import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EksAddons, EksCluster, IrsaRole, ManagedNodeGroup, Network, NodeRole, managedPolicyArn } from 'cdktf-eks-platform';
import type { VpcEksConfig } from './config';

/** A VPC, an EKS cluster with its managed add-ons, one node group and an IRSA role for an app. */
export class VpcEksStack extends TerraformStack {
  readonly network: Network;
  readonly cluster: EksCluster;

  constructor(scope: Construct, id: string, config: VpcEksConfig) {
    super(scope, id);
    new AwsProvider(this, 'aws', {
      region: config.region,
      allowedAccountIds: [config.accountId],
      defaultTags: [{ tags: { project: config.name, 'managed-by': 'cdktf' } }],
    });
    // State: local by default; for a team, add an S3Backend here (see the package's docs/usage.md).

    this.network = new Network(this, 'network', {
      name: config.name,
      accountId: config.accountId,
      region: config.region,
      vpcCidr: config.vpcCidr,
      azs: config.azs,
      natGateways: 'single',
      flowLogRetentionDays: 30,
      clusterNames: [config.name],
    });

    this.cluster = new EksCluster(this, 'cluster', {
      name: config.name,
      accountId: config.accountId,
      region: config.region,
      version: config.kubernetesVersion,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      privateAccessCidrs: [config.vpcCidr],
      adminPrincipalArns: config.adminRoleArns,
      logRetentionDays: 30,
    });

    // vpc-cni, kube-proxy, coredns, pod identity agent, EBS CSI: EKS managed add-ons with IRSA.
    const addons = new EksAddons(this, 'addons', {
      clusterName: this.cluster.clusterName,
      roleNamePrefix: config.name,
      kubernetesVersion: config.kubernetesVersion,
      region: config.region,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuerUrl: this.cluster.oidcIssuerUrl,
    });

    const nodeRole = new NodeRole(this, 'node-role', { roleName: `${config.name}-node`, region: config.region });
    const nodes = new ManagedNodeGroup(this, 'nodes', {
      clusterName: config.name,
      name: 'default',
      region: config.region,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [this.cluster.nodeSecurityGroupId],
      nodeRoleArn: nodeRole.roleArn,
      instanceTypes: config.nodeInstanceTypes,
      minSize: 1,
      maxSize: 3,
      version: this.cluster.version,
      dependsOn: [this.cluster.cluster, ...addons.beforeCompute, ...nodeRole.attachments],
    });
    addons.runAfter(nodes.nodeGroup);

    // The app's identity: only service account `web/web-app` may assume it.
    const app = new IrsaRole(this, 'web-app', {
      roleName: `${config.name}-web-app`,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuerUrl: this.cluster.oidcIssuerUrl,
      namespace: 'web',
      serviceAccount: 'web-app',
      managedPolicyArns: [managedPolicyArn(config.region, 'AmazonS3ReadOnlyAccess')],
    });

    new TerraformOutput(this, 'cluster_name', { value: this.cluster.clusterName });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId });
    new TerraformOutput(this, 'web_app_role_arn', { value: app.roleArn });
  }
}
