import { Testing } from 'cdktf';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import type { EnvironmentConfig } from '../environments';
import { createEnvironment } from '../stacks';
import { GithubImagePushRole, GithubImagePushRoleProps, GithubOidcDeployRole, githubOidcProviderArn } from '../modules';
import { awsTestStack, onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { Document, decide } from './iam-catalogue';

const ACCOUNT = '111111111111';
const repoArn = (n: string) => `arn:aws:ecr:ap-northeast-2:${ACCOUNT}:repository/${n}`;
const KEY = `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;
const props: GithubImagePushRoleProps = {
  roleName: 'eks-work-dev-image-backend-app',
  githubRepository: 'example-org/backend-app',
  oidcProviderArn: githubOidcProviderArn('ap-northeast-2', ACCOUNT),
  repositoryArns: [repoArn('k8sbook/backend-app')],
  kmsKeyArn: KEY,
  region: 'ap-northeast-2',
};

function synthRole(p: Partial<GithubImagePushRoleProps> = {}) {
  const stack = awsTestStack();
  new GithubImagePushRole(stack, 'ci', { ...props, ...p });
  const json = synthesize(stack);
  return { role: onlyResource(json, 'aws_iam_role'), policy: JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy) as Document };
}

describe('trust', () => {
  test('only GitHub tokens for sts.amazonaws.com from the repository\'s one branch (GitHub\'s default subject)', () => {
    const trust = JSON.parse(synthRole().role.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:example-org/backend-app:ref:refs/heads/main' } },
      },
    ]);
  });

  test('the customised repo/context/ref template and another branch', () => {
    const trust = JSON.parse(synthRole({ subjectTemplate: 'repo-context-ref', branch: 'release' }).role.assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:example-org/backend-app:ref:refs/heads/release:ref:refs/heads/release');
    expect(trust.Statement[0].Condition.StringLike).toBeUndefined();
  });

  test('bad input is refused with the field', () => {
    expect(() => synthRole({ branch: 'feature/*' })).toThrow('branch: "feature/*" is not a branch name');
    expect(() => synthRole({ githubRepository: 'backend-app' })).toThrow('githubRepository: "backend-app" is not a GitHub repository');
    expect(() => synthRole({ repositoryArns: [repoArn('k8sbook/*')] })).toThrow('ecrRepositories: "arn:aws:ecr:ap-northeast-2:111111111111:repository/k8sbook/*" is not one ECR repository ARN');
    expect(() => synthRole({ repositoryArns: [] })).toThrow('ecrRepositories: is empty');
  });
});

describe('permissions, as IAM decides them', () => {
  const { policy } = synthRole();
  const can = (action: string, resource: string, context: Record<string, string> = {}) => decide([policy], undefined, { action, resource, context }, ACCOUNT);

  test('logs in to the registry and pushes to its own repository', async () => {
    expect(await can('ecr:GetAuthorizationToken', '*')).toBe('Allowed');
    for (const a of ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability', 'ecr:DescribeImageScanFindings']) {
      expect([a, await can(a, repoArn('k8sbook/backend-app'))]).toEqual([a, 'Allowed']);
    }
  });

  test('cannot push to, or change, another repository', async () => {
    for (const other of [repoArn('k8sbook/batch-app'), repoArn('k8sbook/backend-app-evil'), `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/k8sbook/backend-app`, `arn:aws:ecr:ap-northeast-2:222222222222:repository/k8sbook/backend-app`]) {
      for (const a of ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload']) expect([other, a, await can(a, other)]).toEqual([other, a, 'ImplicitlyDenied']);
    }
    for (const a of ['ecr:BatchDeleteImage', 'ecr:DeleteRepository', 'ecr:SetRepositoryPolicy', 'ecr:PutImageTagMutability', 'ecr:PutLifecyclePolicy']) {
      expect([a, await can(a, repoArn('k8sbook/backend-app'))]).toEqual([a, 'ImplicitlyDenied']);
    }
  });

  test('the deploy boundary the role carries with a cicd section lets the push through', async () => {
    const stack = awsTestStack();
    const deploy = new GithubOidcDeployRole(stack, 'github', { githubRepository: 'example-org/eks-platform', namePrefix: 'eks-work-dev', accountId: ACCOUNT, region: 'ap-northeast-2', applyEnvironment: 'dev', stateBucket: 'eks-work-dev-tfstate-111111111111', stateKmsKeyArn: KEY, oidcProviderArn: props.oidcProviderArn });
    const boundary = JSON.parse(resourcesOfType(synthesize(stack), 'aws_iam_policy').find((p) => p.name === 'eks-work-dev-deploy-boundary')!.policy.replace(/\$\{[^}]+\}/g, deploy.boundaryArn));
    const bounded = (action: string, resource: string, context: Record<string, string> = {}) => decide([policy], boundary, { action, resource, context }, ACCOUNT);
    expect(await bounded('ecr:GetAuthorizationToken', '*')).toBe('Allowed');
    expect(await bounded('ecr:PutImage', repoArn('k8sbook/backend-app'))).toBe('Allowed');
    expect(await bounded('kms:GenerateDataKey', KEY, { 'kms:viaservice': 'ecr.ap-northeast-2.amazonaws.com' })).toBe('Allowed');
    expect(await bounded('ecr:PutImage', repoArn('k8sbook/batch-app'))).toBe('ImplicitlyDenied');
  });

  test('uses the repositories\' key only through ECR of the region', async () => {
    expect(await can('kms:GenerateDataKey', KEY, { 'kms:viaservice': 'ecr.ap-northeast-2.amazonaws.com' })).toBe('Allowed');
    expect(await can('kms:Decrypt', KEY, { 'kms:viaservice': 's3.ap-northeast-2.amazonaws.com' })).toBe('ImplicitlyDenied');
    expect(await can('kms:Decrypt', KEY)).toBe('ImplicitlyDenied');
  });
});

describe('in <env>-registry', () => {
  test.each([['dev', dev], ['prod', prod]] as const)('%s: one role per application repository, on its own repositories (references), under the deploy boundary', (name, config) => {
    const stacks = createEnvironment(Testing.app(), config, { offline: true });
    const json = synthesize(stacks.registry);
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe(`eks-work-${name}-image-backend-app`);
    expect(role.permissions_boundary).toBe(`arn:aws:iam::${config.accountId}:policy/eks-work-${name}-deploy-boundary`);
    const policy = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy);
    const push = policy.Statement.find((s: any) => s.Sid === 'PushOwnRepositories');
    expect(push.Resource).toEqual([expect.stringMatching(/^\$\{aws_ecr_repository\.registry_repo-k8sbook-backend-app_\w+\.arn\}$/)]);
    expect(Object.keys((json.output as any) ?? {})).toContain('image_ci_role_arn');
  });

  test('a repository the environment does not have, or no OIDC provider, is a one-line config error', () => {
    const withImages = (gitops: EnvironmentConfig['gitops'], rest: Partial<EnvironmentConfig> = {}) => () => createEnvironment(Testing.app(), { ...dev, ...rest, gitops }, { offline: true });
    expect(withImages({ ...dev.gitops!, imageRepositories: [{ githubRepository: 'example-org/backend-app', ecrRepositories: ['k8sbook/other'] }] })).toThrow(
      'environment "dev": gitops.imageRepositories[0].ecrRepositories[0]: "k8sbook/other" is not a repository of this environment; allowed: k8sbook/backend-app, k8sbook/batch-app',
    );
    expect(withImages(dev.gitops, { cicd: undefined })).toThrow('environment "dev": gitops.imageRepositories[0].githubRepository: needs the account\'s GitHub Actions OIDC provider');
  });
});
