import type { AddonClusterFacts, AddonDefinition } from './addon';
import { logGroupArns } from './addon';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';
import type { PolicyStatement } from '../core/iam';

/**
 * Pods whose container logs are the node's data plane (VPC CNI, kube-proxy), as Container Insights
 * files them: Fluentd tags a container log `kubernetes.var.log.containers.<pod>_<namespace>_<container>-<id>.log`.
 */
const DATAPLANE_POD_TAGS = ['aws-node', 'kube-proxy'].map((pod) => `kubernetes.var.log.containers.${pod}-*_kube-system_*.log`);

/** A `cloudwatch_logs` match writing to an existing group, one stream per tag, buffered like the course's Container Insights manifest. */
function cloudwatchMatch(pattern: string, id: string, region: string, logGroupName: string): string[] {
  return [
    `<match ${pattern}>`,
    '  @type cloudwatch_logs',
    `  @id ${id}`,
    `  region ${region}`,
    `  log_group_name ${logGroupName}`,
    '  use_tag_as_stream true',
    '  auto_create_stream true',
    '  <buffer>',
    '    flush_interval 5',
    '    chunk_limit_size 2m',
    '    queued_chunks_limit_size 32',
    '    retry_forever true',
    '  </buffer>',
    '</match>',
  ];
}

/**
 * A journald source (fluent-plugin-systemd, in the `cloudwatch` image): entries matching `matches`,
 * from the tail of the journal on first start (AWS's default: not the whole history already on the
 * node), its cursor kept on the node's /var/log so a restart resumes. The tag ends with the node
 * name, so every node writes its own stream.
 */
function journalSource(id: string, label: string, tag: string, matches: object[], fieldMap: Record<string, string>): string[] {
  return [
    '<source>',
    '  @type systemd',
    `  @id ${id}`,
    `  @label ${label}`,
    '  path /var/log/journal',
    `  matches ${JSON.stringify(matches)}`,
    '  read_from_head false',
    `  tag "${tag}.#{ENV.fetch('K8S_NODE_NAME')}"`,
    '  <storage>',
    '    @type local',
    '    persistent true',
    `    path /var/log/fluentd-journald-${id}.json`,
    '  </storage>',
    '  <entry>',
    `    field_map ${JSON.stringify(fieldMap)}`,
    '    field_map_strict true',
    '  </entry>',
    '</source>',
  ];
}

const indent = (lines: string[]) => lines.map((l) => `  ${l}`);

/**
 * The `04_outputs.conf` that replaces the chart's Elasticsearch output: container log records (the
 * chart's default sources tail /var/log/containers, enrich with Kubernetes metadata and drop
 * Fluentd's own logs) go to the application log group, one stream per tag (= container log file),
 * except aws-node's and kube-proxy's, which go on to the dataplane group (`@DATAPLANE`, in
 * `05_dataplane.conf`). `auto_create_stream` creates streams only; the groups exist already
 * (Terraform made them, with retention and KMS) and the role may not create groups. No `${...}` or
 * `%{...}` in any of these files: Terraform would read them as its own templates.
 */
export function fluentdOutputsConf(region: string, logGroupName: string): string {
  return [
    '<label @OUTPUT>',
    `  <match ${DATAPLANE_POD_TAGS.join(' ')}>`,
    '    @type relabel',
    '    @label @DATAPLANE',
    '  </match>',
    ...indent(cloudwatchMatch('**', 'out_cloudwatch_logs_application', region, logGroupName)),
    '</label>',
  ].join('\n');
}

/**
 * `05_dataplane.conf`: the kubelet's and containerd's journal (AL2023 and Bottlerocket nodes log to
 * journald only; Docker is gone) plus the aws-node and kube-proxy container logs relabelled by
 * `04_outputs.conf`, to the dataplane group. Streams `<unit>.<node>` and `<container log file>`.
 */
export function fluentdDataplaneConf(region: string, logGroupName: string): string {
  const fields = { MESSAGE: 'message', _HOSTNAME: 'hostname', _SYSTEMD_UNIT: 'systemd_unit' };
  return [
    ...['kubelet', 'containerd'].flatMap((unit) => journalSource(`in_systemd_${unit}`, '@DATAPLANE', `${unit}.service`, [{ _SYSTEMD_UNIT: `${unit}.service` }], fields)),
    '<label @DATAPLANE>',
    ...indent(cloudwatchMatch('**', 'out_cloudwatch_logs_dataplane', region, logGroupName)),
    '</label>',
  ].join('\n');
}

/**
 * `06_host.conf`: what AL2 kept in /var/log/dmesg, /var/log/messages and /var/log/secure, read from
 * the journal, where AL2023 keeps it (no rsyslog, so none of those files exist), split as
 * rsyslog's defaults did and as AWS's current Container Insights Fluent Bit does: kernel messages
 * (dmesg); everything at info or above except mail, cron and authpriv (messages); authpriv
 * (secure). To the host group, streams `host.<kind>.<node>`.
 */
export function fluentdHostConf(region: string, logGroupName: string): string {
  const fields = { MESSAGE: 'message', _HOSTNAME: 'host', SYSLOG_IDENTIFIER: 'ident', SYSLOG_PID: 'pid', SYSLOG_FACILITY: 'facility' };
  return [
    ...journalSource('in_systemd_dmesg', '@HOST', 'host.dmesg', [{ _TRANSPORT: 'kernel' }], fields),
    ...journalSource('in_systemd_messages', '@HOST', 'host.messages', [{ PRIORITY: ['0', '1', '2', '3', '4', '5', '6'] }], fields),
    ...journalSource('in_systemd_secure', '@HOST', 'host.secure', [{ SYSLOG_FACILITY: '10' }], fields),
    '<label @HOST>',
    '  <filter host.messages.**>',
    '    @type grep',
    '    <exclude>',
    '      key facility',
    '      pattern /^(2|9|10)$/',
    '    </exclude>',
    '  </filter>',
    ...indent(cloudwatchMatch('**', 'out_cloudwatch_logs_host', region, logGroupName)),
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
 * Fluentd DaemonSet shipping logs to CloudWatch Logs (fluent `fluentd` chart, `cloudwatch` image
 * variant = fluent/fluentd-kubernetes-daemonset:v<app>-debian-cloudwatch-1.1 with
 * fluent-plugin-cloudwatch-logs and fluent-plugin-systemd), as the course's Fluentd chapter and the
 * Container Insights Fluentd manifest: container logs to the application group, kubelet/containerd
 * and the node's networking pods to the dataplane group, the node's system log to the host group.
 * IAM through IRSA on the chart's own service account. The plugin checks that a group exists with
 * DescribeLogGroups, which IAM only authorizes on `log-group:*` (it returns names, not contents).
 * The region is set in the outputs and `AWS_REGION`, so no instance-metadata lookup is needed;
 * `K8S_NODE_NAME` (downward API) names the journal streams.
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
      ...logStreamWriteStatements(f, [f.logGroups.application, f.logGroups.dataplane, f.logGroups.host]),
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
    env: [
      { name: 'AWS_REGION', value: ctx.region },
      { name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ],
    // The course's manifest: requests 100m/200Mi, memory limit 400Mi.
    resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { memory: '400Mi' } },
    tolerations: [{ operator: 'Exists' }],
    // Added to the chart's 01-03 files; fluent.conf includes every file of config.d/.
    fileConfigs: {
      '04_outputs.conf': fluentdOutputsConf(ctx.region, ctx.logGroups.application),
      '05_dataplane.conf': fluentdDataplaneConf(ctx.region, ctx.logGroups.dataplane),
      '06_host.conf': fluentdHostConf(ctx.region, ctx.logGroups.host),
    },
  }),
};
