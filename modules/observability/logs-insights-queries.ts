import { Construct } from 'constructs';
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import { checkProviderBindings } from '../core/bindings';
import { check, show } from '../core/validation';

export interface LogsInsightsQueriesProps {
  /** Folder the saved queries appear in (`<folder>/<query>` in the console). */
  readonly folder: string;
  /** Log group the queries run on (Container Insights `application`). */
  readonly applicationLogGroupName: string;
  /** Container name of the backend API. @default "backend-app" (the course's backend Deployment) */
  readonly backendContainer?: string;
}

/** Query text of the saved queries, by name (also used by the dashboard). */
export function logsInsightsQueries(backendContainer: string): Readonly<Record<'requests-per-backend-container' | 'errors-per-application', string>> {
  return {
    // One log line per request, as the backend logs them; grouped by pod, i.e. by container instance.
    'requests-per-backend-container': [
      'fields @timestamp, kubernetes.pod_name, log',
      `| filter kubernetes.container_name = "${backendContainer}"`,
      '| stats count(*) as requests by kubernetes.pod_name',
      '| sort requests desc',
    ].join('\n'),
    'errors-per-application': [
      'fields @timestamp, kubernetes.namespace_name, kubernetes.container_name, log',
      '| filter log like /ERROR|[Ee]rror/',
      '| stats count(*) as errors by kubernetes.namespace_name, kubernetes.container_name',
      '| sort errors desc',
    ].join('\n'),
  };
}

/**
 * The course's two Logs Insights questions as saved queries: how many requests each backend
 * container served, and how many errors each application logged.
 */
export class LogsInsightsQueries extends Construct {
  readonly queries: Readonly<Record<string, CloudwatchQueryDefinition>>;

  constructor(scope: Construct, id: string, props: LogsInsightsQueriesProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const backend = props.backendContainer ?? 'backend-app';
    check(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(backend), 'backendContainer', `${show(backend)} is not a container name; allowed: lowercase letters, digits and '-'`);
    const out: Record<string, CloudwatchQueryDefinition> = {};
    for (const [name, queryString] of Object.entries(logsInsightsQueries(backend))) {
      out[name] = new CloudwatchQueryDefinition(this, name, {
        name: `${props.folder}/${name}`,
        logGroupNames: [props.applicationLogGroupName],
        queryString,
      });
    }
    this.queries = out;
  }
}
