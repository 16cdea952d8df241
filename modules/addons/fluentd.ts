import type { AddonClusterFacts, AddonDefinition } from './addon';
import { logGroupArns } from './addon';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';
import type { PolicyStatement } from '../core/iam';

/**
 * The `04_outputs.conf` that replaces the chart's Elasticsearch output: every container log record
 * (the chart's default sources tail /var/log/containers, enrich with Kubernetes metadata and drop
 * Fluentd's own logs) goes to the application log group, one stream per tag (= container log file),
 * buffered like the course's Container Insights manifest. `auto_create_stream` creates streams only;
 * the log group exists already (Terraform made it, with retention and KMS) and the role may not
 * create groups. No `${...}` or `%{...}` here: Terraform would read them as its own templates.
 */
export function fluentdOutputsConf(region: string, logGroupName: string): string {
  return [
    '<label @OUTPUT>',
    '  <match **>',
    '    @type cloudwatch_logs',
    '    @id out_cloudwatch_logs_application',
    `    region ${region}`,
    `    log_group_name ${logGroupName}`,
    '    use_tag_as_stream true',
    '    auto_create_stream true',
    '    <buffer>',
    '      flush_interval 5',
    '      chunk_limit_size 2m',
    '      queued_chunks_limit_size 32',
    '      retry_forever true',
    '    </buffer>',
    '  </match>',
    '</label>',
  ].join('\n');
}

/**
 * Log-stream writes on the log groups a shipper writes to, nothing else: no CreateLogGroup, no
 * PutRetentionPolicy (Terraform owns the groups and their retention).
 */
export function logStreamWriteStatements(facts: AddonClusterFacts, groups: string[]): PolicyStatement[] {
  return [
    {
      Sid: 'WriteLogStreams',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: logGroupArns(facts, groups),
    },
  ];
}

/**
 * Fluentd DaemonSet shipping container logs to CloudWatch Logs (fluent `fluentd` chart, `cloudwatch`
 * image variant = fluent/fluentd-kubernetes-daemonset:v<app>-debian-cloudwatch-1.1 with
 * fluent-plugin-cloudwatch-logs), as the course's Fluentd chapter, into the application log group.
 * IAM through IRSA on the chart's own service account. The plugin checks that the group exists with
 * DescribeLogGroups, which IAM only authorizes on `log-group:*` (it returns names, not contents).
 * The region is set in the output and `AWS_REGION`, so no instance-metadata lookup is needed.
 */
export const fluentdAddon: AddonDefinition = {
  name: 'fluentd',
  description: 'Fluentd shipping container logs to CloudWatch Logs',
  chart: 'fluentd',
  repository: ADDON_REPOSITORIES.fluent,
  version: ADDON_CHART_VERSIONS.fluentd,
  namespace: 'amazon-cloudwatch',
  conflictsWith: [
    { name: 'aws-for-fluent-bit', reason: 'both ship container logs to the application log group, so every log line would arrive twice' },
  ],
  iam: {
    binding: 'irsa',
    serviceAccount: 'fluentd',
    roleSuffix: 'fluentd',
    statements: (f) => [
      ...logStreamWriteStatements(f, [f.logGroups.application]),
      {
        Sid: 'FindLogGroups',
        Effect: 'Allow',
        Action: 'logs:DescribeLogGroups',
        Resource: `arn:${f.partition}:logs:${f.region}:${f.accountId}:log-group:*`,
      },
    ],
  },
  values: (ctx) => ({
    kind: 'DaemonSet',
    variant: 'cloudwatch',
    serviceAccount: { create: true, name: 'fluentd', annotations: { 'eks.amazonaws.com/role-arn': ctx.roleArn } },
    env: [{ name: 'AWS_REGION', value: ctx.region }],
    // The course's manifest: requests 100m/200Mi, memory limit 400Mi.
    resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '400Mi' } },
    tolerations: [{ operator: 'Exists' }],
    fileConfigs: { '04_outputs.conf': fluentdOutputsConf(ctx.region, ctx.logGroups.application) },
  }),
};
