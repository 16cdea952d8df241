import { Construct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ClusterAddons } from 'cdktf-eks-platform/addons';

/** The cluster as `aws eks describe-cluster` shows it; made by eksctl, the console or other Terraform. */
export interface ExistingClusterConfig {
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
}

export const config: ExistingClusterConfig = {
  accountId: '123456789012', // replace with yours
  region: 'ap-northeast-2',
  clusterName: 'legacy',
  kubernetesVersion: '1.35',
};

/**
 * The Helm add-ons and a namespace baseline on a cluster made elsewhere. Its endpoint, CA and OIDC
 * provider are variables (`aws eks describe-cluster --name legacy --query cluster.{endpoint:endpoint,ca:certificateAuthority.data,issuer:identity.oidc.issuer}`);
 * the add-ons' IAM roles and log groups are created here.
 */
export class AddonsOnExistingClusterStack extends TerraformStack {
  readonly addons: ClusterAddons;

  constructor(scope: Construct, id: string, c: ExistingClusterConfig) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: c.region, allowedAccountIds: [c.accountId] });
    const variable = (name: string, description: string) => new TerraformVariable(this, name, { type: 'string', description }).stringValue;
    const issuer = variable('oidc_issuer_url', 'OIDC issuer URL of the cluster, https://oidc.eks.<region>.amazonaws.com/id/<ID>');
    this.addons = new ClusterAddons(this, 'addons', {
      clusterName: c.clusterName,
      kubernetesVersion: c.kubernetesVersion,
      region: c.region,
      accountId: c.accountId,
      endpoint: variable('cluster_endpoint', 'API server endpoint of the cluster'),
      // For the AWS Load Balancer Controller (on by default): its pods cannot read it from instance metadata.
      vpcId: variable('vpc_id', 'VPC of the cluster (aws eks describe-cluster --query cluster.resourcesVpcConfig.vpcId)'),
      certificateAuthorityData: variable('cluster_certificate_authority_data', 'Base64 CA certificate of the cluster'),
      oidcIssuerUrl: issuer,
      oidcProviderArn: variable('oidc_provider_arn', 'ARN of the IAM OIDC provider of the cluster (eksctl utils associate-iam-oidc-provider creates one)'),
      // Container Insights through the EKS-optimised agent, which ships logs itself (no Fluentd).
      addons: { cloudwatch: 'cloudwatch-observability' },
      namespaces: [{ name: 'apps' }],
    });
  }
}
