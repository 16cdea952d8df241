import type { EnvironmentConfig } from './types';

/** Development: two AZs, one NAT gateway, short log retention. Cheap, not resilient. */
export const dev: EnvironmentConfig = {
  name: 'dev',
  // Not production: keeps the cost choices below (one NAT gateway, single-AZ database, a month of logs).
  production: false,
  project: 'eks-work',
  // Replace with your development account id; deploys with other credentials are refused.
  accountId: '111111111111',
  region: 'ap-northeast-2',
  tags: { 'cost-center': 'platform-dev' },
  state: { bucket: 'eks-work-dev-tfstate-111111111111', locking: 's3' },
  // GitHub Actions deploy roles (plan on pull requests, apply from the GitHub environment of this name,
  // docs/usage.md). Replace with your repository.
  // The add-ons jobs run on a CodeBuild runner in the VPC (the endpoint allowlists the office only).
  // Replace with your CodeConnections connection (created and authorised once in the console, docs/usage.md).
  cicd: {
    githubRepository: 'example-org/eks-work-platform',
    clusterRunner: { codeConnectionArn: 'arn:aws:codeconnections:ap-northeast-2:111111111111:connection/00000000-0000-4000-8000-000000000000', logRetentionDays: 30 },
  },
  network: {
    vpcCidr: '10.0.0.0/16',
    azs: ['ap-northeast-2a', 'ap-northeast-2c'],
    natGateways: 'single',
    // Dev trades the one-year flow-log history for cost.
    flowLogRetentionDays: 30,
    interfaceEndpoints: [],
  },
  cluster: {
    name: 'eks-work-dev',
    version: '1.35',
    // Public endpoint for kubectl from the office only (documentation range: replace with yours).
    endpointPublicAccess: true,
    publicAccessCidrs: ['203.0.113.0/24'],
    // Replace with your admin role(s); add an ARN and apply to grant a new admin (docs/cluster.md).
    adminPrincipalArns: ['arn:aws:iam::111111111111:role/eks-work-platform-admin'],
    logRetentionDays: 30,
    // The course's 2/5/2 on a current burstable type (AL2023 x86_64 AMI).
    nodeGroups: [{ name: 'default', instanceTypes: ['t3.medium'], capacityType: 'ON_DEMAND', minSize: 2, maxSize: 5, desiredSize: 2, diskSizeGiB: 50 }],
    fargate: { enabled: false, selectors: [{ namespace: 'eks-work-batch' }] },
    // The course's backend (Spring Boot 2.2) reads its database password from an environment variable:
    // let the CSI driver copy the mounted secret into a Kubernetes Secret (docs/data.md).
    secretsStore: { syncKubernetesSecrets: true },
  },
  database: {
    engineVersion: '17',
    instanceClass: 'db.t4g.micro',
    allocatedStorage: 20,
    maxAllocatedStorage: 50,
    // Dev trades resilience and safety nets for cost and easy teardown.
    multiAz: false,
    deletionProtection: false,
    finalSnapshot: false,
    backupRetentionDays: 7,
    logRetentionDays: 30,
    // The course's mywork/myworkdb, read by backend-app and the admin job in eks-work (the defaults).
    // Dev is torn down and rebuilt: a destroyed secret is deleted at once, so its name is free again.
    appUser: { username: 'mywork', databaseName: 'myworkdb', recoveryWindowDays: 0 },
  },
  bastion: { instanceType: 't4g.nano' },
  registry: { untaggedExpiryDays: 7, keepTaggedCount: 10 },
  // Dev skips the web ACL (about $10 a month before requests); access logs kept a month.
  frontend: { priceClass: 'PriceClass_200', webAcl: 'none', logRetentionDays: 30 },
  batch: { namespace: 'eks-work-batch', serviceAccount: 'batch-app', accessLogRetentionDays: 30 },
  // The course's agent and log shipper (docs/addons.md lists the choices and overrides).
  addons: {
    cloudwatch: 'cloudwatch-metrics',
    logShipper: 'fluentd',
    // One load balancer controller pod (no standby, no disruption budget): while it restarts, new
    // Services are refused (its webhook fails closed) and load balancers are not reconciled.
    charts: { 'aws-load-balancer-controller': { values: { replicaCount: 1 } } },
    // No WAF in front of dev's load balancers (about $8 a month saved); production requires one.
    albWebAcl: 'none',
  },
  // Dev keeps container logs a month; alarms show in the console only.
  observability: { logRetentionDays: 30, alarmEmails: [], backendContainer: 'backend-app' },
  kubernetes: {
    namespaces: [
      // The VPC CIDR lets load-balancer traffic (via node ports) past the default-deny ingress policy.
      { name: 'eks-work', podSecurity: 'baseline', allowIngressFromCidrs: ['10.0.0.0/16'], quota: { requestsCpu: '2', requestsMemory: '4Gi', limitsCpu: '4', limitsMemory: '8Gi', pods: 20 } },
      { name: 'eks-work-batch', podSecurity: 'baseline', quota: { requestsCpu: '1', requestsMemory: '2Gi', limitsCpu: '2', limitsMemory: '4Gi', pods: 10 } },
    ],
    viewerGroup: 'eks-work-viewers',
  },
  // GitOps (docs/gitops.md): Argo CD syncs apps/backend-app/overlays/dev from this repository (replace
  // with yours), automated with prune and self-heal; the backend-app repository's workflow (examples/image-ci)
  // pushes images with the role <prefix>-image-backend-app.
  gitops: {
    repository: 'https://github.com/example-org/eks-work-platform.git',
    revision: 'main',
    syncPolicy: 'auto-prune',
    imageRepositories: [{ githubRepository: 'example-org/backend-app', ecrRepositories: ['k8sbook/backend-app'], branch: 'main' }],
  },
};
