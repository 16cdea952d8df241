import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EksPlatform, managedPolicyArn } from 'cdktf-eks-platform';

/** What this project knows about its account and the VPC it already has. */
export interface ExistingVpcConfig {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** The VPC and its private subnets (with NAT), as `terraform plan -var` defaults. */
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly vpcCidrBlock: string;
  readonly adminRoleArns: string[];
}

export const config: ExistingVpcConfig = {
  name: 'orders',
  accountId: '123456789012', // replace with yours
  region: 'ap-northeast-2',
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0ccccccccccccccc3'],
  vpcCidrBlock: '10.50.0.0/16',
  adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
};

/**
 * An EKS cluster in a VPC made elsewhere (by another team, terraform-aws-modules/vpc, a landing zone):
 * the VPC arrives as variables, `EksPlatform` does the rest in the right order.
 */
export class EksInExistingVpcStack extends TerraformStack {
  readonly platform: EksPlatform;

  constructor(scope: Construct, id: string, c: ExistingVpcConfig) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: c.region, allowedAccountIds: [c.accountId], defaultTags: [{ tags: { project: c.name } }] });
    const vpcId = new TerraformVariable(this, 'vpc_id', { type: 'string', default: c.vpcId, description: 'VPC of the cluster' });
    const subnets = new TerraformVariable(this, 'private_subnet_ids', { type: 'list(string)', default: c.privateSubnetIds, description: 'Private subnets (two AZs or more) with a NAT route' });
    const cidr = new TerraformVariable(this, 'vpc_cidr_block', { type: 'string', default: c.vpcCidrBlock, description: 'CIDR admitted to the private API endpoint' });

    this.platform = new EksPlatform(this, 'eks', {
      name: c.name,
      accountId: c.accountId,
      region: c.region,
      vpc: { vpcId: vpcId.stringValue, privateSubnetIds: subnets.listValue, vpcCidrBlock: cidr.stringValue },
      adminPrincipalArns: c.adminRoleArns,
      logRetentionDays: 90,
      nodeGroups: [
        { name: 'general', instanceTypes: ['m7i.large'], minSize: 2, maxSize: 6 },
        { name: 'spot', capacityType: 'SPOT', instanceTypes: ['m7i.large', 'm6i.large', 'm5.large'], minSize: 0, maxSize: 10, desiredSize: 0, labels: { lifecycle: 'spot' } },
      ],
    });
    // The application's identity: only service account orders/api may assume it.
    const api = this.platform.irsaRole('api-role', {
      roleName: `${c.name}-api`,
      namespace: 'orders',
      serviceAccount: 'api',
      managedPolicyArns: [managedPolicyArn(c.region, 'AmazonSQSReadOnlyAccess')],
    });

    new TerraformOutput(this, 'cluster_name', { value: this.platform.cluster.clusterName });
    new TerraformOutput(this, 'cluster_endpoint', { value: this.platform.cluster.endpoint });
    new TerraformOutput(this, 'oidc_provider_arn', { value: this.platform.cluster.oidcProviderArn });
    new TerraformOutput(this, 'api_role_arn', { value: api.roleArn });
  }
}
