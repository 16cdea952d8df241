import type { AddonDefinition } from './addon';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';

/** Service account of the CloudWatch agent; Terraform creates it (see `iam.binding`). */
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = 'cloudwatch-agent';

/**
 * CloudWatch agent DaemonSet for Container Insights metrics (eks-charts `aws-cloudwatch-metrics`),
 * the course's `cwagent` manifests as a chart. It writes `/aws/containerinsights/<cluster>/performance`
 * and the `ContainerInsights` metrics.
 *
 * IAM: CloudWatchAgentServerPolicy through IRSA. The chart's ServiceAccount template renders
 * `serviceAccount.annotations`, but values.yaml 0.0.11 has no such key, so the chart is told
 * `serviceAccount.create: false` and Terraform creates the annotated `cloudwatch-agent` service account.
 * The agent reads the region and instance id from IMDSv2 (no region key in the chart): fine with the
 * node group's hop limit of 2; the DaemonSet keeps `hostNetwork: false`.
 */
export const cloudwatchMetricsAddon: AddonDefinition = {
  name: 'aws-cloudwatch-metrics',
  description: 'CloudWatch agent for Container Insights metrics',
  chart: 'aws-cloudwatch-metrics',
  repository: ADDON_REPOSITORIES.eksCharts,
  version: ADDON_CHART_VERSIONS['aws-cloudwatch-metrics'],
  namespace: 'amazon-cloudwatch',
  conflictsWith: [
    { name: 'amazon-cloudwatch-observability', reason: 'both run a CloudWatch agent DaemonSet, so every Container Insights metric would be published twice' },
  ],
  iam: {
    binding: 'irsa-external-service-account',
    serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT,
    roleSuffix: 'cloudwatch-agent',
    managedPolicies: ['CloudWatchAgentServerPolicy'],
  },
  values: (ctx) => ({
    clusterName: ctx.clusterName,
    serviceAccount: { create: false, name: CLOUDWATCH_AGENT_SERVICE_ACCOUNT },
    hostNetwork: false,
    // A monitoring DaemonSet belongs on every node, tainted or not.
    tolerations: [{ operator: 'Exists' }],
  }),
};
