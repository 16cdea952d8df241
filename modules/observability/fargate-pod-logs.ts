import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { checkProviderBindings } from '../core/bindings';
import { policyDocument } from '../core/iam';
import { check, checkRetentionDays } from '../core/validation';

/** `/aws/containerinsights/<cluster>/fargate`: next to the node-side groups, for the pods nodes do not run. */
export function fargateLogGroupName(clusterName: string): string {
  return `/aws/containerinsights/${clusterName}/fargate`;
}

export interface FargatePodLogsProps {
  /** Cluster whose Fargate pods log here. */
  readonly clusterName: string;
  /**
   * Name of the Fargate pod execution role. Fargate's log router (Fluent Bit run by AWS beside each
   * pod) writes with this role's credentials, not the pod's service account.
   */
  readonly podExecutionRoleName: string;
  /** Days to keep the logs; one of the periods CloudWatch Logs accepts. @default 90 (as the Container Insights groups) */
  readonly logRetentionDays?: number;
  /** KMS key the group is encrypted with; its policy must let CloudWatch Logs use it. */
  readonly kmsKeyArn: string;
}

/**
 * The AWS side of Fargate logging: the log group the pods' stdout/stderr go to, created before the
 * router writes (retention, KMS), and an inline policy on the pod execution role allowing log-stream
 * writes on exactly that group. No CreateLogGroup or PutRetentionPolicy: the group exists and its
 * retention is Terraform's. The router's configuration is `FargateLogRouter` (Kubernetes side).
 */
export class FargatePodLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly logGroupName: string;
  /** Without the trailing `:*`. */
  readonly logGroupArn: string;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: FargatePodLogsProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const retention = props.logRetentionDays ?? 90;
    checkRetentionDays(retention, 'logRetentionDays');
    check(typeof props.kmsKeyArn === 'string' && props.kmsKeyArn.length > 0, 'kmsKeyArn', 'is required: container logs are encrypted with a customer-managed key');
    check(typeof props.podExecutionRoleName === 'string' && props.podExecutionRoleName.length > 0, 'podExecutionRoleName', 'is required: the Fargate log router writes with the pod execution role');

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: fargateLogGroupName(props.clusterName),
      retentionInDays: retention,
      kmsKeyId: props.kmsKeyArn,
    });
    this.logGroupName = this.logGroup.name;
    this.logGroupArn = this.logGroup.arn;
    this.policy = new IamRolePolicy(this, 'write', {
      role: props.podExecutionRoleName,
      name: 'fargate-log-router',
      policy: policyDocument([
        {
          Sid: 'WriteFargatePodLogs',
          Effect: 'Allow',
          // DescribeLogStreams: the router's CloudWatch outputs look streams up before writing.
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ]),
    });
  }
}
