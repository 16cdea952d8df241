import type { EnvironmentConfig } from './types';

/** Production: three AZs, a NAT gateway per AZ, interface endpoints, a year of flow logs. */
export const prod: EnvironmentConfig = {
  name: 'prod',
  project: 'eks-work',
  // Replace with your production account id; deploys with other credentials are refused.
  accountId: '222222222222',
  region: 'ap-northeast-2',
  tags: { 'cost-center': 'platform-prod' },
  state: { bucket: 'eks-work-prod-tfstate-222222222222', locking: 's3', noncurrentVersionDays: 365 },
  network: {
    vpcCidr: '10.0.0.0/16',
    azs: ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'],
    natGateways: 'perAz',
    flowLogRetentionDays: 365,
    interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'sts', 'ssm', 'ssmmessages', 'ec2messages', 'logs'],
  },
  cluster: { name: 'eks-work-prod' },
};
