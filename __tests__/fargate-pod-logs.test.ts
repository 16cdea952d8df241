import { FargatePodLogs, FargatePodLogsProps, fargateLogGroupName } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, synthesize } from '../modules/testing';

const base: FargatePodLogsProps = {
  clusterName: 'eks-work-prod',
  podExecutionRoleName: 'eks-work-prod-batch-fargate',
  kmsKeyArn: 'arn:aws:kms:ap-northeast-2:222222222222:key/00000000-0000-4000-8000-000000000001',
};

function synth(props: Partial<FargatePodLogsProps> = {}) {
  const stack = awsTestStack();
  const logs = new FargatePodLogs(stack, 'fargate-logs', { ...base, ...props });
  return { logs, json: synthesize(stack) };
}

describe('FargatePodLogs', () => {
  const { json } = synth();

  test('one group for the Fargate pods, next to the Container Insights groups, with retention and KMS', () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/aws/containerinsights/eks-work-prod/fargate',
      retention_in_days: 90,
      kms_key_id: base.kmsKeyArn,
    });
    expect(fargateLogGroupName('eks-work-prod')).toBe('/aws/containerinsights/eks-work-prod/fargate');
    expect(onlyResource(synth({ logRetentionDays: 365 }).json, 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  test('the pod execution role may write log streams of exactly that group, and create nothing', () => {
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(policy.role).toBe('eks-work-prod-batch-fargate');
    const [st, ...rest] = parsePolicy(policy.policy).Statement;
    expect(rest).toEqual([]);
    expect(st.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    // References to the group in the same stack, never a hand-built ARN.
    expect(st.Resource).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.fargate-logs_log-group_[0-9A-F]+\.arn\}$/), expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.fargate-logs_log-group_[0-9A-F]+\.arn\}:\*$/)]);
    expect(policy.policy).not.toMatch(/CreateLogGroup|PutRetentionPolicy|logs:\*|"\*"/);
  });
});

describe('FargatePodLogs bad input', () => {
  test.each<[Partial<FargatePodLogsProps>, string]>([
    [{ logRetentionDays: 10 }, 'logRetentionDays: 10 is not a CloudWatch Logs retention period'],
    [{ kmsKeyArn: '' }, 'kmsKeyArn: is required'],
    [{ podExecutionRoleName: '' }, 'podExecutionRoleName: is required'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
