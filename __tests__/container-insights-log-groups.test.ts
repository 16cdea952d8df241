import { ContainerInsightsLogGroups, ContainerInsightsLogGroupsProps } from '../modules';
import { awsTestStack, resourcesOfType, synthesize } from '../modules/testing';

const KEY = 'arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-4000-8000-000000000000';

function synth(props: Partial<ContainerInsightsLogGroupsProps> = {}) {
  const stack = awsTestStack();
  const groups = new ContainerInsightsLogGroups(stack, 'ci', { clusterName: 'eks-work-dev', kmsKeyArn: KEY, ...props });
  return { groups, json: synthesize(stack) };
}

describe('ContainerInsightsLogGroups', () => {
  test('creates the four groups with 90 days retention and KMS by default', () => {
    const { json, groups } = synth();
    const all = resourcesOfType(json, 'aws_cloudwatch_log_group');
    expect(all.map((g) => g.name).sort()).toEqual(['application', 'dataplane', 'host', 'performance'].map((k) => `/aws/containerinsights/eks-work-dev/${k}`));
    expect(all.every((g) => g.retention_in_days === 90 && g.kms_key_id === KEY)).toBe(true);
    expect(groups.retentionDays).toBe(90);
  });

  test('retention comes from props', () => {
    expect(resourcesOfType(synth({ logRetentionDays: 30 }).json, 'aws_cloudwatch_log_group').every((g) => g.retention_in_days === 30)).toBe(true);
  });

  test('a retention CloudWatch does not accept is refused', () => {
    expect(() => synth({ logRetentionDays: 45 })).toThrow('logRetentionDays: 45 is not a CloudWatch Logs retention period; allowed: 1, 3, 5, 7, 14, 30, 60, 90');
  });

  test('a KMS key is required', () => {
    expect(() => synth({ kmsKeyArn: '' })).toThrow('kmsKeyArn: is required');
  });
});
