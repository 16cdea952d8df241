import type { EnvironmentConfig } from './types';

/** Development: two AZs, one NAT gateway, short log retention. Cheap, not resilient. */
export const dev: EnvironmentConfig = {
  name: 'dev',
  project: 'eks-work',
  // Replace with your development account id; deploys with other credentials are refused.
  accountId: '111111111111',
  region: 'ap-northeast-2',
  tags: { 'cost-center': 'platform-dev' },
  state: { bucket: 'eks-work-dev-tfstate-111111111111', locking: 's3' },
  network: {
    vpcCidr: '10.0.0.0/16',
    azs: ['ap-northeast-2a', 'ap-northeast-2c'],
    natGateways: 'single',
    // Dev trades the one-year flow-log history for cost.
    flowLogRetentionDays: 30,
    interfaceEndpoints: [],
  },
  cluster: { name: 'eks-work-dev' },
};
