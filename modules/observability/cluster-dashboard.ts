import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { checkProviderBindings } from '../core/bindings';
import { LOG_METRICS } from './cluster-alarms';
import { logsInsightsQueries } from './logs-insights-queries';
import { check, show } from '../core/validation';

export interface ClusterDashboardProps {
  readonly dashboardName: string;
  readonly clusterName: string;
  readonly region: string;
  /** Namespace of the log-derived metrics (`ClusterAlarms`). */
  readonly metricNamespace: string;
  readonly applicationLogGroupName: string;
  /** Container name of the backend API. @default "backend-app" */
  readonly backendContainer?: string;
  /** Alarms shown in an alarm-status widget. @default none */
  readonly alarmArns?: string[];
}

/**
 * One CloudWatch dashboard for the cluster: node CPU and memory, pod restarts, ERROR/WARN lines per
 * container, the alarms' state and the errors-per-application query.
 */
export class ClusterDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: ClusterDashboardProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    check(/^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName), 'dashboardName', `${show(props.dashboardName)} is not a dashboard name; allowed: 1-255 letters, digits, '-' and '_'`);
    const cluster = props.clusterName;
    const region = props.region;
    const queries = logsInsightsQueries(props.backendContainer ?? 'backend-app');
    const metric = (title: string, x: number, y: number, metrics: unknown[], extra: Record<string, unknown> = {}) => ({
      type: 'metric',
      x,
      y,
      width: 12,
      height: 6,
      properties: { title, region, view: 'timeSeries', stacked: false, period: 300, metrics, ...extra },
    });
    const search = (name: string, label: string, id: string) => [
      { expression: `SEARCH('{"${props.metricNamespace}",ContainerName} MetricName="${name}"', 'Sum', 300)`, id, label },
    ];
    const widgets: unknown[] = [
      metric('Node CPU utilization (%)', 0, 0, [
        ['ContainerInsights', 'node_cpu_utilization', 'ClusterName', cluster, { stat: 'Average', label: 'average' }],
        ['ContainerInsights', 'node_cpu_utilization', 'ClusterName', cluster, { stat: 'Maximum', label: 'maximum' }],
      ]),
      metric('Node memory utilization (%)', 12, 0, [
        ['ContainerInsights', 'node_memory_utilization', 'ClusterName', cluster, { stat: 'Average', label: 'average' }],
        ['ContainerInsights', 'node_memory_utilization', 'ClusterName', cluster, { stat: 'Maximum', label: 'maximum' }],
      ]),
      metric('ERROR lines per container', 0, 6, [search(LOG_METRICS.errors, 'errors', 'errors')]),
      metric('WARN lines per container', 12, 6, [search(LOG_METRICS.warnings, 'warnings', 'warnings')]),
      metric('Container restarts (max per pod)', 0, 12, [
        [{ expression: `SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${cluster}'`, id: 'restarts', label: 'restarts' }],
      ]),
      {
        type: 'log',
        x: 12,
        y: 12,
        width: 12,
        height: 6,
        properties: {
          title: 'Errors per application',
          region,
          view: 'table',
          query: `SOURCE '${props.applicationLogGroupName}' | ${queries['errors-per-application']}`,
        },
      },
    ];
    if (props.alarmArns && props.alarmArns.length > 0) {
      widgets.push({ type: 'alarm', x: 0, y: 18, width: 24, height: 3, properties: { title: 'Alarms', alarms: props.alarmArns } });
    }
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ widgets }),
    });
  }
}
