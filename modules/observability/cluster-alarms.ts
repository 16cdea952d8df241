import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { checkProviderBindings } from '../core/bindings';
import { check, show } from '../core/validation';

/** Alarm thresholds. */
export interface AlarmThresholds {
  /** ERROR log lines across all containers in 5 minutes that raise the alarm. @default 10 */
  readonly errorsPer5Minutes?: number;
  /** WARN log lines across all containers in 5 minutes that raise the alarm. @default 50 */
  readonly warningsPer5Minutes?: number;
  /** Average node CPU utilization (%) over two 5-minute periods. @default 80 */
  readonly nodeCpuPercent?: number;
  /** Restarts of the containers of any one pod. @default 5 */
  readonly podRestarts?: number;
}

export interface ClusterAlarmsProps {
  /** Prefix of metric filter and alarm names. */
  readonly namePrefix: string;
  readonly clusterName: string;
  /** Log group container logs are shipped to (Container Insights `application`). */
  readonly applicationLogGroupName: string;
  /** CloudWatch namespace of the log-derived metrics. */
  readonly metricNamespace: string;
  /** Topic every alarm (and its recovery) notifies. */
  readonly alarmTopicArn: string;
  /** @default see AlarmThresholds */
  readonly alarms?: AlarmThresholds;
}

/** Metric names the log metric filters publish, with a `ContainerName` dimension. */
export const LOG_METRICS = { errors: 'ApplicationErrors', warnings: 'ApplicationWarnings' } as const;

/**
 * What the course set up by hand in the console, as code: metric filters that count ERROR and WARN
 * lines per container in the application log group (JSON records from the log shipper:
 * `$.log` is the line, `$.kubernetes.container_name` the container), and alarms on them, on node
 * CPU (Container Insights `node_cpu_utilization`) and on pod restarts. The per-container metrics are
 * summed for the alarms with Metrics Insights queries, so a new container needs no new alarm.
 */
export class ClusterAlarms extends Construct {
  readonly metricFilters: CloudwatchLogMetricFilter[];
  readonly alarms: Readonly<Record<'errors' | 'warnings' | 'nodeCpu' | 'podRestarts', CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: ClusterAlarmsProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const t = props.alarms ?? {};
    const errors = t.errorsPer5Minutes ?? 10;
    const warnings = t.warningsPer5Minutes ?? 50;
    const cpu = t.nodeCpuPercent ?? 80;
    const restarts = t.podRestarts ?? 5;
    const positive = (v: number, field: string) => check(Number.isInteger(v) && v >= 1, `alarms.${field}`, `${show(v)} is not a usable threshold; allowed: a whole number of at least 1`);
    positive(errors, 'errorsPer5Minutes');
    positive(warnings, 'warningsPer5Minutes');
    positive(restarts, 'podRestarts');
    check(cpu > 0 && cpu <= 100, 'alarms.nodeCpuPercent', `${show(cpu)} is not a percentage; allowed: more than 0, at most 100`);
    check(Token.isUnresolved(props.metricNamespace) || /^[A-Za-z0-9._\/#:-]{1,255}$/.test(props.metricNamespace) && !props.metricNamespace.startsWith('AWS/'), 'metricNamespace', `${show(props.metricNamespace)} is not a custom metric namespace; allowed: letters, digits and . - _ / # :, not starting with "AWS/"`);

    // Regex terms (%...%) match ERROR/Error/error anywhere in the line; CloudWatch allows 5 regex filters per group.
    const filter = (key: 'errors' | 'warnings', pattern: string) =>
      new CloudwatchLogMetricFilter(this, `${key}-filter`, {
        name: `${props.namePrefix}-application-${key}`,
        logGroupName: props.applicationLogGroupName,
        pattern,
        metricTransformation: {
          name: LOG_METRICS[key],
          namespace: props.metricNamespace,
          value: '1',
          unit: 'Count',
          dimensions: { ContainerName: '$.kubernetes.container_name' },
        },
      });
    this.metricFilters = [filter('errors', '{ $.log = %ERROR|[Ee]rror% }'), filter('warnings', '{ $.log = %WARN|[Ww]arn% }')];

    const actions = { alarmActions: [props.alarmTopicArn], okActions: [props.alarmTopicArn] };
    const insights = (key: 'errors' | 'warnings', threshold: number, what: string) =>
      new CloudwatchMetricAlarm(this, `${key}-alarm`, {
        alarmName: `${props.namePrefix}-application-${key}`,
        alarmDescription: `More than ${threshold} ${what} lines in 5 minutes across the containers of ${props.clusterName} (per container: metric ${LOG_METRICS[key]}, dimension ContainerName).`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQuery: [
          {
            id: key,
            expression: `SELECT SUM(${LOG_METRICS[key]}) FROM SCHEMA("${props.metricNamespace}", ContainerName)`,
            period: 300,
            returnData: true,
          },
        ],
        ...actions,
      });
    this.alarms = {
      errors: insights('errors', errors, 'ERROR'),
      warnings: insights('warnings', warnings, 'WARN'),
      nodeCpu: new CloudwatchMetricAlarm(this, 'node-cpu-alarm', {
        alarmName: `${props.namePrefix}-node-cpu`,
        alarmDescription: `Average node CPU of ${props.clusterName} above ${cpu}% for 10 minutes (Container Insights).`,
        namespace: 'ContainerInsights',
        metricName: 'node_cpu_utilization',
        dimensions: { ClusterName: props.clusterName },
        statistic: 'Average',
        period: 300,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: cpu,
        treatMissingData: 'missing',
        ...actions,
      }),
      podRestarts: new CloudwatchMetricAlarm(this, 'pod-restarts-alarm', {
        alarmName: `${props.namePrefix}-pod-restarts`,
        alarmDescription: `A pod of ${props.clusterName} has restarted its containers more than ${restarts} times (Container Insights pod_number_of_container_restarts).`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: restarts,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQuery: [
          {
            id: 'restarts',
            expression: `SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${props.clusterName}'`,
            period: 300,
            returnData: true,
          },
        ],
        ...actions,
      }),
    };
  }
}
