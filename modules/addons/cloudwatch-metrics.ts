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
 * The agent reads the region, instance id, type and image id from IMDSv2 (no region key in the
 * chart) and the node's Container Insights metrics need them. The node groups' hop limit is 1, so
 * the DaemonSet runs with `hostNetwork: true`, as AWS's own amazon-cloudwatch-observability chart
 * runs its agent (`agent.hostNetwork: true` in 6.4.0): one hop to IMDS, like any node process. The
 * chart opens no host ports (statsd and X-Ray are off); credentials still come from IRSA, which the
 * SDK's credential chain tries before instance metadata.
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
    // IMDS at hop limit 1 (see above).
    hostNetwork: true,
    // A monitoring DaemonSet belongs on every node, tainted or not.
    tolerations: [{ operator: 'Exists' }],
  }),
};
