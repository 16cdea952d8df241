import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { checkProviderBindings } from '../core/bindings';
import { CONTAINER_INSIGHTS_LOG_KINDS, ContainerInsightsLogKind, containerInsightsLogGroupName } from '../addons/addon';
import { check, checkRetentionDays } from '../core/validation';

export interface ContainerInsightsLogGroupsProps {
  /** Cluster the groups belong to; names are `/aws/containerinsights/<cluster>/<kind>`. */
  readonly clusterName: string;
  /**
   * Days to keep the logs; one of the periods CloudWatch Logs accepts. @default 90 (about three
   * months, as the course advises: long enough to investigate, short enough to stay cheap)
   */
  readonly logRetentionDays?: number;
  /** KMS key the groups are encrypted with; its policy must let CloudWatch Logs use it. */
  readonly kmsKeyArn: string;
}

/**
 * The four Container Insights log groups (application, dataplane, host, performance), created by
 * Terraform before any agent runs so they get a retention and KMS encryption. Left to the agents,
 * they would be created on first write with neither (the course's "never expire" groups), and a
 * later `terraform apply` would fail on the existing names.
 */
export class ContainerInsightsLogGroups extends Construct {
  readonly logGroups: Readonly<Record<ContainerInsightsLogKind, CloudwatchLogGroup>>;
  /** Log group names by kind. */
  readonly names: Readonly<Record<ContainerInsightsLogKind, string>>;
  /** Log group ARNs by kind (without the trailing `:*`). */
  readonly arns: Readonly<Record<ContainerInsightsLogKind, string>>;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: ContainerInsightsLogGroupsProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    this.retentionDays = props.logRetentionDays ?? 90;
    checkRetentionDays(this.retentionDays, 'logRetentionDays');
    check(typeof props.kmsKeyArn === 'string' && props.kmsKeyArn.length > 0, 'kmsKeyArn', 'is required: container logs are encrypted with a customer-managed key');
    const groups = {} as Record<ContainerInsightsLogKind, CloudwatchLogGroup>;
    for (const kind of CONTAINER_INSIGHTS_LOG_KINDS) {
      groups[kind] = new CloudwatchLogGroup(this, kind, {
        name: containerInsightsLogGroupName(props.clusterName, kind),
        retentionInDays: this.retentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
    }
    this.logGroups = groups;
    const map = <T>(f: (g: CloudwatchLogGroup) => T) =>
      Object.fromEntries(CONTAINER_INSIGHTS_LOG_KINDS.map((k) => [k, f(groups[k])])) as Record<ContainerInsightsLogKind, T>;
    this.names = map((g) => g.name);
    this.arns = map((g) => g.arn);
  }
}
