import type { EnvironmentConfig } from './types';

/** Production: three AZs, a NAT gateway per AZ, interface endpoints, a year of flow logs. */
export const prod: EnvironmentConfig = {
  name: 'prod',
  // Production guardrails apply (environments/production.ts): the choices below are checked at synth.
  production: true,
  project: 'eks-work',
  // Replace with your production account id; deploys with other credentials are refused.
  accountId: '222222222222',
  region: 'ap-northeast-2',
  tags: { 'cost-center': 'platform-prod' },
  state: { bucket: 'eks-work-prod-tfstate-222222222222', locking: 's3', noncurrentVersionDays: 365 },
  // GitHub Actions deploy roles (plan on pull requests, apply from the GitHub environment of this name,
  // docs/usage.md). Replace with your repository.
  // The add-ons jobs run on a CodeBuild runner in the VPC: the endpoint is private.
  // Replace with your CodeConnections connection (created and authorised once in the console, docs/usage.md).
  cicd: {
    githubRepository: 'example-org/eks-work-platform',
    clusterRunner: { codeConnectionArn: 'arn:aws:codeconnections:ap-northeast-2:222222222222:connection/00000000-0000-4000-8000-000000000000' },
  },
  network: {
    vpcCidr: '10.0.0.0/16',
    azs: ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'],
    natGateways: 'perAz',
    flowLogRetentionDays: 365,
    interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'sts', 'ssm', 'ssmmessages', 'ec2messages', 'logs'],
  },
  cluster: {
    name: 'eks-work-prod',
    version: '1.35',
    // Private endpoint only: reach it from the VPC (SSM bastion, VPN, CI runners).
    endpointPublicAccess: false,
    privateAccessFromVpc: true,
    // Replace with your admin role(s); add an ARN and apply to grant a new admin (docs/cluster.md).
    adminPrincipalArns: ['arn:aws:iam::222222222222:role/eks-work-platform-admin'],
    logRetentionDays: 365,
    // One node per AZ at least, spread over the three private subnets.
    nodeGroups: [{ name: 'default', instanceTypes: ['m6i.large', 'm5.large'], capacityType: 'ON_DEMAND', minSize: 3, maxSize: 9, desiredSize: 3, diskSizeGiB: 100 }],
    // The batch CronJob runs on Fargate: no node capacity kept for it.
    fargate: { enabled: true, name: 'batch', selectors: [{ namespace: 'eks-work-batch' }] },
    // The course's backend (Spring Boot 2.2) reads its database password from an environment variable:
    // let the CSI driver copy the mounted secret into a Kubernetes Secret (docs/data.md).
    secretsStore: { syncKubernetesSecrets: true },
  },
  database: {
    engineVersion: '17',
    instanceClass: 'db.m7g.large',
    allocatedStorage: 50,
    maxAllocatedStorage: 500,
    multiAz: true,
    deletionProtection: true,
    finalSnapshot: true,
    backupRetentionDays: 14,
    performanceInsightsRetentionDays: 7,
    logRetentionDays: 365,
    // The course's mywork/myworkdb; a destroyed secret stays recoverable 30 days (the default).
    appUser: { username: 'mywork', databaseName: 'myworkdb' },
  },
  bastion: { instanceType: 't4g.nano' },
  registry: { untaggedExpiryDays: 14, keepTaggedCount: 30 },
  frontend: { priceClass: 'PriceClass_200', webAcl: 'create', logRetentionDays: 365 },
  batch: { namespace: 'eks-work-batch', serviceAccount: 'batch-app', accessLogRetentionDays: 365 },
  addons: {
    cloudwatch: 'cloudwatch-metrics',
    logShipper: 'fluentd',
    // Two metrics-server replicas and a disruption budget: HPAs keep their metrics through node drains.
    // The load balancer controller keeps its defaults: two replicas, a disruption budget, spread over zones.
    charts: { 'metrics-server': { values: { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } } } },
  },
  observability: {
    logRetentionDays: 90,
    // Replace with your on-call address(es); each confirms the subscription from AWS's email.
    alarmEmails: ['platform-oncall@example.com'],
    alarms: { errorsPer5Minutes: 10, warningsPer5Minutes: 50, nodeCpuPercent: 80, podRestarts: 5 },
    backendContainer: 'backend-app',
  },
  kubernetes: {
    namespaces: [
      { name: 'eks-work', podSecurity: 'baseline', allowIngressFromCidrs: ['10.0.0.0/16'], quota: { requestsCpu: '8', requestsMemory: '16Gi', limitsCpu: '16', limitsMemory: '32Gi', pods: 100 } },
      { name: 'eks-work-batch', podSecurity: 'baseline', quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 30 } },
    ],
    viewerGroup: 'eks-work-viewers',
  },
  // GitOps (docs/gitops.md): Argo CD in HA mode syncs apps/backend-app/overlays/prod from this repository
  // (replace with yours); automated and self-healing but never pruning: deleting a manifest does not delete
  // the running object until someone syncs with prune.
  gitops: {
    repository: 'https://github.com/example-org/eks-work-platform.git',
    revision: 'main',
    syncPolicy: 'auto',
    highAvailability: true,
    imageRepositories: [{ githubRepository: 'example-org/backend-app', ecrRepositories: ['k8sbook/backend-app'], branch: 'main' }],
  },
};
