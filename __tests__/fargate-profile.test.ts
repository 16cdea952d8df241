import { TerraformOutput } from 'cdktf';
import { FargateProfile, FargateProfileProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: FargateProfileProps = {
  clusterName: 'eks-work-prod',
  name: 'batch',
  accountId: '222222222222',
  region: 'ap-northeast-2',
  subnetIds: ['subnet-prv-a', 'subnet-prv-b', 'subnet-prv-c'],
  selectors: [{ namespace: 'eks-work-batch' }],
};

function synth(props: Partial<FargateProfileProps> = {}) {
  const stack = awsTestStack();
  new FargateProfile(stack, 'fargate', { ...base, ...props });
  return synthesize(stack);
}

describe('FargateProfile', () => {
  const json = synth();
  const profile = onlyResource(json, 'aws_eks_fargate_profile');

  test('selects the namespace, in the private subnets', () => {
    expect(profile).toMatchObject({
      cluster_name: 'eks-work-prod',
      fargate_profile_name: 'eks-work-prod-batch',
      subnet_ids: ['subnet-prv-a', 'subnet-prv-b', 'subnet-prv-c'],
      selector: [{ namespace: 'eks-work-batch' }],
    });
  });

  test('pod execution role: Fargate pods of this cluster only (SourceArn), with the execution policy only', () => {
    const role = onlyResource(json, 'aws_iam_role');
    const stmt = parsePolicy(role.assume_role_policy).Statement;
    expect(stmt).toHaveLength(1);
    expect(stmt[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:ap-northeast-2:222222222222:fargateprofile/eks-work-prod/*' } },
    });
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy']);
    expect(profile.pod_execution_role_arn).toMatch(/aws_iam_role\..*\.arn/);
    expect(profile.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]);
  });

  test('exposes the name of the role it created (a reference, for policies added in other stacks); none for a role passed in', () => {
    const stack = awsTestStack();
    const created = new FargateProfile(stack, 'a', base);
    new TerraformOutput(stack, 'role-name', { value: created.podExecutionRoleName });
    const j = synthesize(stack);
    expect(j.output!['role-name'].value).toMatch(/^\$\{aws_iam_role\.a_pod-execution-role_[0-9A-F]+\.name\}$/);
    expect(resourcesOfType(j, 'aws_iam_role')[0].name).toBe('eks-work-prod-batch-fargate');
    const given = new FargateProfile(awsTestStack(), 'b', { ...base, podExecutionRoleArn: 'arn:aws:iam::222222222222:role/fargate' });
    expect(given.podExecutionRoleName).toBeUndefined();
  });

  test('label selectors and a role passed in', () => {
    const j = synth({ selectors: [{ namespace: 'eks-work-batch', labels: { compute: 'fargate' } }], podExecutionRoleArn: 'arn:aws:iam::222222222222:role/fargate' });
    const p = onlyResource(j, 'aws_eks_fargate_profile');
    expect(p.selector).toEqual([{ namespace: 'eks-work-batch', labels: { compute: 'fargate' } }]);
    expect(p.pod_execution_role_arn).toBe('arn:aws:iam::222222222222:role/fargate');
    expect(resourcesOfType(j, 'aws_iam_role')).toHaveLength(0);
  });
});

describe('FargateProfile bad input', () => {
  test.each<[Partial<FargateProfileProps>, string]>([
    [{ selectors: [] }, 'selectors: lists 0 selectors; allowed: 1 to 5'],
    [{ selectors: Array.from({ length: 6 }, (_, i) => ({ namespace: `ns${i}` })) }, 'selectors: lists 6 selectors; allowed: 1 to 5'],
    [{ selectors: [{ namespace: 'Batch' }] }, 'selectors[0].namespace: "Batch" is not a Kubernetes namespace name'],
    [{ selectors: [{ namespace: 'b', labels: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }] }, 'selectors[0].labels: has 6 labels; allowed: at most 5'],
    [{ name: 'bad name' }, 'name: "bad name" is not a valid profile name'],
    [{ accountId: 'x' }, 'accountId: "x" is not an AWS account id'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
