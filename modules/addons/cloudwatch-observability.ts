import type { AddonDefinition } from './addon';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';

const SHIPS_LOGS = 'amazon-cloudwatch-observability runs its own Fluent Bit (containerLogs.enabled) to the same Container Insights log groups, so every log line would arrive twice';

/**
 * The CloudWatch Observability chart (what the EKS add-on of the same name installs): CloudWatch agent
 * operator, agent and Fluent Bit in one release. It ships container, dataplane and host logs itself,
 * so it conflicts with a separate log shipper and with the legacy agent.
 *
 * IAM: its agent service account (`cloudwatch-agent`, shared by its Fluent Bit DaemonSet) has no
 * annotations key, so IRSA is impossible through values; the role is bound with an EKS Pod Identity
 * association instead (needs the `eks-pod-identity-agent` EKS add-on on the cluster).
 */
export const cloudwatchObservabilityAddon: AddonDefinition = {
  name: 'amazon-cloudwatch-observability',
  description: 'CloudWatch agent and Fluent Bit (Container Insights metrics and logs)',
  chart: 'amazon-cloudwatch-observability',
  repository: ADDON_REPOSITORIES.awsObservability,
  version: ADDON_CHART_VERSIONS['amazon-cloudwatch-observability'],
  namespace: 'amazon-cloudwatch',
  conflictsWith: [
    { name: 'fluentd', reason: SHIPS_LOGS },
    { name: 'aws-for-fluent-bit', reason: SHIPS_LOGS },
  ],
  iam: {
    binding: 'pod-identity',
    serviceAccount: 'cloudwatch-agent',
    roleSuffix: 'cw-observability',
    managedPolicies: ['CloudWatchAgentServerPolicy'],
  },
  values: (ctx) => ({
    clusterName: ctx.clusterName,
    region: ctx.region,
    agent: { serviceAccount: { name: 'cloudwatch-agent' } },
  }),
};
