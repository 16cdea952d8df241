import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ContainerRegistry, EksPlatform, PostgresDatabase } from 'cdktf-eks-platform';
import { ClusterAddons } from 'cdktf-eks-platform/addons';

/** One environment, as plain data. */
export interface EnvironmentConfig {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly azs: string[];
  readonly adminRoleArns: string[];
  /** Production: Multi-AZ database kept on delete, NAT per AZ, two node groups' worth of capacity. */
  readonly production: boolean;
}

export const staging: EnvironmentConfig = {
  name: 'shop-staging',
  accountId: '123456789012', // replace with yours
  region: 'ap-northeast-2',
  azs: ['ap-northeast-2a', 'ap-northeast-2c'],
  adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
  production: false,
};

function awsProvider(scope: Construct, env: EnvironmentConfig): AwsProvider {
  return new AwsProvider(scope, 'aws', { region: env.region, allowedAccountIds: [env.accountId], defaultTags: [{ tags: { environment: env.name } }] });
}

/**
 * Everything AWS: VPC, cluster with node groups and managed add-ons, image repositories and the
 * database, reachable from the nodes only. One state; plans with the AWS provider alone.
 */
export class PlatformStack extends TerraformStack {
  readonly platform: EksPlatform;
  readonly registry: ContainerRegistry;
  readonly database: PostgresDatabase;

  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id);
    awsProvider(this, env);
    this.platform = new EksPlatform(this, 'eks', {
      name: env.name,
      accountId: env.accountId,
      region: env.region,
      network: { azs: env.azs, vpcCidr: '10.60.0.0/16', natGateways: env.production ? 'perAz' : 'single' },
      adminPrincipalArns: env.adminRoleArns,
      nodeGroups: [{ name: 'default', instanceTypes: ['t3.large'], minSize: 2, maxSize: env.production ? 10 : 4 }],
      fargate: { selectors: [{ namespace: 'batch' }] },
    });
    this.registry = new ContainerRegistry(this, 'registry', { name: env.name, accountId: env.accountId, region: env.region, repositories: ['shop/api', 'shop/worker'] });
    const network = this.platform.network!;
    this.database = new PostgresDatabase(this, 'database', {
      identifier: `${env.name}-db`,
      accountId: env.accountId,
      region: env.region,
      vpcId: network.vpcId,
      subnetIds: network.databaseSubnetIds,
      allowedSecurityGroupIds: [this.platform.cluster.nodeSecurityGroupId],
      multiAz: env.production,
      deletionProtection: env.production,
      finalSnapshot: env.production,
    });
  }
}

/**
 * What runs on the cluster: the Helm add-ons (AWS Load Balancer Controller, metrics-server,
 * cluster-autoscaler, CloudWatch agent, Fluentd) with their IAM roles and log groups, and the
 * application namespaces. A stack of its own,
 * deployed after the platform: the Helm and Kubernetes providers need the cluster to exist.
 */
export class ClusterAddonsStack extends TerraformStack {
  readonly addons: ClusterAddons;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, platform: PlatformStack) {
    super(scope, id);
    awsProvider(this, env);
    const cluster = platform.platform.cluster;
    // Cross-stack references: cdktf publishes them as outputs of the platform stack and reads them
    // here through its state.
    this.addons = new ClusterAddons(this, 'addons', {
      clusterName: cluster.clusterName,
      roleNamePrefix: env.name,
      endpoint: cluster.endpoint,
      certificateAuthorityData: cluster.certificateAuthorityData,
      vpcId: cluster.vpcId,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      region: env.region,
      accountId: env.accountId,
      namespaces: [{ name: 'shop', podSecurity: 'restricted' }, { name: 'batch' }],
      viewers: { roleName: 'shop-viewer', group: 'shop-viewers' },
    });
  }
}
