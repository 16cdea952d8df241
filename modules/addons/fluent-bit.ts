import type { AddonDefinition } from './addon';
import { logStreamWriteStatements } from './fluentd';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';

/**
 * AWS for Fluent Bit (eks-charts `aws-for-fluent-bit`), the lighter alternative log shipper AWS now
 * recommends over Fluentd: its `cloudwatch_logs` (C plugin) output writes container logs to the
 * application log group. `autoCreateGroup` is off (Terraform owns the group), `logGroupTemplate` is
 * removed (null) so every record goes to that one group, and the region is set, so no IMDS lookup.
 */
export const fluentBitAddon: AddonDefinition = {
  name: 'aws-for-fluent-bit',
  description: 'Fluent Bit shipping container logs to CloudWatch Logs',
  chart: 'aws-for-fluent-bit',
  repository: ADDON_REPOSITORIES.eksCharts,
  version: ADDON_CHART_VERSIONS['aws-for-fluent-bit'],
  namespace: 'amazon-cloudwatch',
  conflictsWith: [
    { name: 'fluentd', reason: 'both ship container logs to the application log group, so every log line would arrive twice' },
  ],
  iam: {
    binding: 'irsa',
    serviceAccount: 'aws-for-fluent-bit',
    roleSuffix: 'fluent-bit',
    statements: (f) => logStreamWriteStatements(f, [f.logGroups.application]),
  },
  values: (ctx) => ({
    serviceAccount: { create: true, name: 'aws-for-fluent-bit', annotations: { 'eks.amazonaws.com/role-arn': ctx.roleArn } },
    cloudWatchLogs: {
      enabled: true,
      region: ctx.region,
      logGroupName: ctx.logGroups.application,
      logGroupTemplate: null,
      logStreamPrefix: 'fluentbit-',
      autoCreateGroup: false,
    },
    tolerations: [{ operator: 'Exists' }],
  }),
};
