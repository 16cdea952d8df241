/**
 * What the estimate assumes where a plan cannot say (usage, traffic, discounts). Every figure here is
 * listed in docs/cost.md; change one and the estimate follows (`estimate(..., { assumptions })`).
 */
export interface Assumptions {
  /** Hours in a month (AWS's own convention: 24 × 365 / 12). */
  readonly hoursPerMonth: number;
  /** Spot price as a fraction off on-demand (0.6 = Spot costs 40 % of on-demand). Spot prices move; AWS says "up to 90 %". */
  readonly spotDiscount: number;
  /** GB processed by each NAT gateway a month (image pulls, package installs, API calls of a quiet environment). */
  readonly natGatewayGbPerMonth: number;
  /** GB processed by each interface endpoint a month. */
  readonly interfaceEndpointGbPerMonth: number;
  /** GB ingested by each log group a month, unless a pattern below matches its name. */
  readonly logGroupGbPerMonth: number;
  /** GB a month for log groups whose name matches (first match wins). */
  readonly logGroupGbByName: ReadonlyArray<{ readonly pattern: string; readonly gbPerMonth: number; readonly why: string }>;
  /** Months of logs kept when a log group never expires them (retention 0 / unset). */
  readonly logMonthsWhenNeverExpiring: number;
  /** Requests to each KMS key a month (S3 and CloudWatch Logs encryption, secrets). */
  readonly kmsRequestsPerKeyPerMonth: number;
  /** Per bucket: GB stored, PUT-class and GET requests a month (state, logs, a small static site). */
  readonly s3: { readonly gbPerBucket: number; readonly putsPerBucket: number; readonly getsPerBucket: number };
  /** GB of images kept per ECR repository (the lifecycle policy bounds the count). */
  readonly ecrGbPerRepository: number;
  /** CloudFront: GB served to viewers and HTTPS requests a month (a low-traffic site). */
  readonly cloudFront: { readonly gbPerMonth: number; readonly requestsPerMonth: number };
  /** Requests a WAF web ACL inspects a month (the same site). */
  readonly wafRequestsPerMonth: number;
  /** Pods on a Fargate profile: pod-hours a month, and their size (the batch CronJob). */
  readonly fargate: { readonly podHoursPerMonth: number; readonly vcpu: number; readonly memoryGb: number };
  /** Build minutes a month of a CodeBuild project (the CI runner for the cluster stacks). */
  readonly codeBuildMinutesPerMonth: number;
  /** GB a month of RDS Enhanced Monitoring (RDSOSMetrics log group) per instance with monitoring on. */
  readonly rdsEnhancedMonitoringGbPerMonth: number;
  /** Metrics EC2 detailed monitoring publishes per instance (billed as custom metrics). */
  readonly ec2DetailedMonitoringMetrics: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  hoursPerMonth: 730,
  spotDiscount: 0.6,
  natGatewayGbPerMonth: 20,
  interfaceEndpointGbPerMonth: 5,
  logGroupGbPerMonth: 1,
  logGroupGbByName: [
    { pattern: 'flow-logs', gbPerMonth: 5, why: 'VPC flow logs of every interface, 1-minute aggregation' },
    { pattern: '^/aws/eks/.+/cluster$', gbPerMonth: 3, why: 'EKS control plane logs (api, audit, authenticator, ...)' },
    { pattern: '/containerinsights/.+/application$', gbPerMonth: 3, why: 'container stdout/stderr of a few quiet services' },
  ],
  logMonthsWhenNeverExpiring: 12,
  kmsRequestsPerKeyPerMonth: 10_000,
  s3: { gbPerBucket: 1, putsPerBucket: 10_000, getsPerBucket: 100_000 },
  ecrGbPerRepository: 2,
  cloudFront: { gbPerMonth: 10, requestsPerMonth: 1_000_000 },
  wafRequestsPerMonth: 1_000_000,
  fargate: { podHoursPerMonth: 30, vcpu: 0.25, memoryGb: 0.5 },
  codeBuildMinutesPerMonth: 300,
  rdsEnhancedMonitoringGbPerMonth: 0.5,
  ec2DetailedMonitoringMetrics: 7,
};
