/**
 * This project's own configuration: plain data, a different region and CIDR from the platform's
 * environments. Nothing here comes from cdktf-eks-platform's environments/ (not part of the package).
 */
export interface VpcEksConfig {
  /** Prefix of every resource name. */
  readonly name: string;
  /** The one account this stack may deploy to. */
  readonly accountId: string;
  readonly region: string;
  /** Listed explicitly: no AZ lookup at plan time. */
  readonly azs: string[];
  readonly vpcCidr: string;
  readonly kubernetesVersion: string;
  /** IAM roles that administer the cluster. */
  readonly adminRoleArns: string[];
  readonly nodeInstanceTypes: string[];
}

export const config: VpcEksConfig = {
  name: 'demo-euw1',
  // Replace with your account id.
  accountId: '123456789012',
  region: 'eu-west-1',
  azs: ['eu-west-1a', 'eu-west-1b'],
  vpcCidr: '10.20.0.0/16',
  kubernetesVersion: '1.35',
  adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'],
  nodeInstanceTypes: ['t4g.medium'],
};
