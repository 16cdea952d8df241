import type { AddonDefinition } from './addon';
import { logStreamWriteStatements } from './fluentd';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';

/** A Fluent Bit config section: `[NAME]`, then its keys indented (the chart indents the whole block). */
function section(name: string, entries: Array<[string, string]>): string {
  const width = Math.max(...entries.map(([k]) => k.length)) + 1;
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)}${v}`)].join('\n');
}

/**
 * A journald input from the tail of the journal on first start (AWS's default: not the history
 * already on the node), its position kept on the node's /var/log (the chart mounts it writable).
 */
function journalInput(tag: string, db: string, filters: string[]): string {
  return section('INPUT', [['Name', 'systemd'], ['Tag', tag], ...filters.map((f): [string, string] => ['Systemd_Filter', f]), ['Path', '/var/log/journal'], ['DB', `/var/log/flb_${db}.db`], ['Read_From_Tail', 'On']]);
}

/**
 * Inputs besides the chart's container-log tail (`kube.*`), after AWS's Container Insights Fluent
 * Bit (amazon-cloudwatch-observability 6.4.0): dataplane = the kubelet's and containerd's journal
 * (AL2023 and Bottlerocket log to journald only; no Docker); host = kernel messages (dmesg),
 * everything at info or above (messages) and authpriv (secure), read from the journal because AL2023
 * writes no /var/log/messages or /var/log/secure.
 */
export function fluentBitNodeInputs(): string {
  return [
    journalInput('dataplane.systemd.*', 'dataplane_systemd', ['_SYSTEMD_UNIT=kubelet.service', '_SYSTEMD_UNIT=containerd.service']),
    journalInput('host.dmesg', 'host_dmesg', ['_TRANSPORT=kernel']),
    journalInput('host.messages', 'host_messages', ['0', '1', '2', '3', '4', '5', '6'].map((p) => `PRIORITY=${p}`)),
    journalInput('host.secure', 'host_secure', ['SYSLOG_FACILITY=10']),
  ].join('\n');
}

/**
 * Filters after the chart's Kubernetes filter: aws-node's and kube-proxy's container records are
 * re-tagged `dataplane.pod.<tag>` (dropped from `kube.*`, so not in the application group too);
 * journal fields are renamed and trimmed as AWS's configuration does; mail, cron and authpriv are
 * kept out of messages (rsyslog's default split).
 */
export function fluentBitNodeFilters(): string {
  return [
    section('FILTER', [['Name', 'rewrite_tag'], ['Match', 'kube.*'], ['Rule', "$kubernetes['pod_name'] ^(aws-node|kube-proxy)-[a-z0-9]{5}$ dataplane.pod.$TAG false"], ['Emitter_Name', 'dataplane_pods']]),
    section('FILTER', [['Name', 'modify'], ['Match', 'dataplane.systemd.*'], ['Rename', '_HOSTNAME hostname'], ['Rename', '_SYSTEMD_UNIT systemd_unit'], ['Rename', 'MESSAGE message'], ['Remove_regex', '^((?!hostname|systemd_unit|message).)*$']]),
    section('FILTER', [['Name', 'grep'], ['Match', 'host.messages'], ['Exclude', 'SYSLOG_FACILITY ^(2|9|10)$']]),
    section('FILTER', [['Name', 'modify'], ['Match', 'host.*'], ['Rename', '_HOSTNAME host'], ['Rename', 'MESSAGE message'], ['Rename', 'SYSLOG_IDENTIFIER ident'], ['Rename', 'SYSLOG_PID pid'], ['Remove_regex', '[A-Z]']]),
  ].join('\n');
}

/**
 * Outputs to the dataplane and host groups (the chart's own output keeps `kube.*` for the
 * application group). Streams per node: `<node>.<unit>` and `<node>.<dmesg|messages|secure>`
 * (record-accessor templates; the prefix is the fallback), a container log file for aws-node and
 * kube-proxy. No group creation: Terraform owns the groups. No `${...}`: Terraform would read it.
 */
export function fluentBitNodeOutputs(region: string, dataplane: string, host: string): string {
  const out = (match: string, group: string, extra: Array<[string, string]> = []) =>
    section('OUTPUT', [['Name', 'cloudwatch_logs'], ['Match', match], ['region', region], ['log_group_name', group], ['log_stream_prefix', 'fluentbit-'], ...extra, ['auto_create_group', 'false']]);
  return [
    out('dataplane.systemd.*', dataplane, [['log_stream_template', '$hostname.$systemd_unit']]),
    out('dataplane.pod.*', dataplane),
    out('host.*', host, [['log_stream_template', '$host.$TAG[1]']]),
  ].join('\n');
}

/**
 * AWS for Fluent Bit (eks-charts `aws-for-fluent-bit`), the lighter alternative log shipper AWS now
 * recommends over Fluentd: its `cloudwatch_logs` (C plugin) output writes container logs (`kube.*`)
 * to the application log group; `additionalInputs`/`additionalFilters`/`additionalOutputs` (the
 * chart README's parameters, commented examples in its values.yaml) add the dataplane and host logs.
 * `autoCreateGroup` is off (Terraform owns the groups), `logGroupTemplate` is removed (null) so every
 * container record goes to that one group, and the region is set, so no IMDS lookup.
 */
export const fluentBitAddon: AddonDefinition = {
  name: 'aws-for-fluent-bit',
  description: 'Fluent Bit shipping container, dataplane and host logs to CloudWatch Logs',
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
    statements: (f) => logStreamWriteStatements(f, [f.logGroups.application, f.logGroups.dataplane, f.logGroups.host]),
  },
  values: (ctx) => ({
    serviceAccount: { create: true, name: 'aws-for-fluent-bit', annotations: { 'eks.amazonaws.com/role-arn': ctx.roleArn } },
    cloudWatchLogs: {
      enabled: true,
      // The chart's tail input tags container logs kube.*; the node inputs below have their own outputs.
      match: 'kube.*',
      region: ctx.region,
      logGroupName: ctx.logGroups.application,
      logGroupTemplate: null,
      logStreamPrefix: 'fluentbit-',
      autoCreateGroup: false,
    },
    additionalInputs: fluentBitNodeInputs(),
    additionalFilters: fluentBitNodeFilters(),
    additionalOutputs: fluentBitNodeOutputs(ctx.region, ctx.logGroups.dataplane, ctx.logGroups.host),
    tolerations: [{ operator: 'Exists' }],
  }),
};
