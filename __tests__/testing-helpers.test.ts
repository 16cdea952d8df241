/**
 * The helpers consumers use in their own jest tests (`cdktf-eks-platform/testing`). planStackOffline
 * runs real Terraform on one small stack built the way a consumer would: its real S3 backend and a
 * provider pinned to an account, which the offline copy replaces.
 */
import { S3Backend, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GithubOidcDeployRole } from '../modules';
import { offlineCopy, planStackOffline, plannedResources, synthesize } from '../modules/testing';

function consumerStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'ci-roles');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1', allowedAccountIds: ['111111111111'], assumeRole: [{ roleArn: 'arn:aws:iam::111111111111:role/deployer' }] });
  new S3Backend(stack, { bucket: 'consumer-tfstate-111111111111', key: 'ci/terraform.tfstate', region: 'eu-west-1' });
  new GithubOidcDeployRole(stack, 'github', {
    githubRepository: 'example-org/consumer',
    namePrefix: 'consumer',
    accountId: '111111111111',
    region: 'eu-west-1',
    applyEnvironment: 'production',
    stateBucket: 'consumer-tfstate-111111111111',
    stateKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000',
  });
  return stack;
}

test('offlineCopy swaps the backend for local state and drops account-bound provider settings', () => {
  const copy = offlineCopy(synthesize(consumerStack())) as Record<string, any>;
  expect(copy.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  const aws = copy.provider.aws[0];
  expect(aws).toMatchObject({ region: 'eu-west-1', skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true' });
  expect(aws.allowed_account_ids).toBeUndefined();
  expect(aws.assume_role).toBeUndefined();
});

test('planStackOffline plans one stack with real terraform and plannedResources reads the plan', async () => {
  const result = await planStackOffline(consumerStack());
  // OIDC provider, two roles, the boundary and four apply policies, their four attachments, three inline policies.
  expect(result).toMatchObject({ stack: 'ci-roles', add: 15, change: 0, destroy: 0 });
  expect(plannedResources(result, 'aws_iam_role').map((r) => r.name).sort()).toEqual(['consumer-github-apply', 'consumer-github-plan']);
  expect(plannedResources(result, 'aws_iam_openid_connect_provider')[0].url).toBe('https://token.actions.githubusercontent.com');
});

test('planStackOffline fails with terraform\'s message for a stack terraform rejects', async () => {
  const stack = new TerraformStack(Testing.app(), 'broken');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  // Synthesizes; only terraform knows max_session_duration must be 3600-43200.
  const { IamRole } = await import('@cdktf/provider-aws/lib/iam-role');
  new IamRole(stack, 'r', { name: 'x', assumeRolePolicy: '{}', maxSessionDuration: 60 });
  await expect(planStackOffline(stack)).rejects.toThrow(/terraform (validate|plan) failed for broken/);
});
