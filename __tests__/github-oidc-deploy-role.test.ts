import { Testing } from 'cdktf';
import { GithubOidcDeployRole, GithubOidcDeployRoleProps, githubOidcProviderArn } from '../modules';
import { awsTestStack, parsePolicy, resourcesOfType, synthesize, SynthesizedJson } from '../modules/testing';
import { environments, EnvironmentConfig } from '../environments';
import { createEnvironment } from '../stacks';

const base: GithubOidcDeployRoleProps = {
  githubRepository: 'example-org/eks-platform',
  namePrefix: 'eks-work-dev',
  accountId: '111111111111',
  region: 'ap-northeast-2',
  applyEnvironment: 'dev',
  stateBucket: 'eks-work-dev-tfstate-111111111111',
  stateKmsKeyArn: 'arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-0000-0000-000000000000',
  stateKeyPrefix: 'dev/',
};

function synth(props: Partial<GithubOidcDeployRoleProps> = {}): SynthesizedJson {
  const stack = awsTestStack();
  new GithubOidcDeployRole(stack, 'github', { ...base, ...props });
  return synthesize(stack);
}

function role(json: SynthesizedJson, kind: 'plan' | 'apply'): Record<string, any> {
  const r = resourcesOfType(json, 'aws_iam_role').find((x) => x.name === `eks-work-dev-github-${kind}`);
  if (!r) throw new Error(`no ${kind} role`);
  return r;
}

function trust(json: SynthesizedJson, kind: 'plan' | 'apply'): Record<string, any> {
  const statements = parsePolicy(role(json, kind).assume_role_policy).Statement;
  expect(statements).toHaveLength(1);
  return statements[0];
}

function inline(json: SynthesizedJson, name: string): Array<Record<string, any>> {
  const p = resourcesOfType(json, 'aws_iam_role_policy').find((x) => x.name === name);
  if (!p) throw new Error(`no inline policy ${name}`);
  return parsePolicy(p.policy).Statement;
}

const attached = (json: SynthesizedJson, kind: 'plan' | 'apply') =>
  resourcesOfType(json, 'aws_iam_role_policy_attachment')
    .filter((a) => String(a.role).includes(kind === 'plan' ? 'plan-role' : 'apply-role'))
    .map((a) => a.policy_arn);

test('creates the GitHub OIDC provider for sts.amazonaws.com by default', () => {
  const [provider] = resourcesOfType(synth(), 'aws_iam_openid_connect_provider');
  expect(provider).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
});

test('the plan role trusts only pull requests and main of the one repository, with aud sts.amazonaws.com', () => {
  const t = trust(synth(), 'plan');
  expect(t.Action).toBe('sts:AssumeRoleWithWebIdentity');
  expect(t.Principal.Federated).toMatch(/aws_iam_openid_connect_provider\.github_oidc-provider_.*\.arn/);
  expect(t.Condition).toEqual({
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': ['repo:example-org/eks-platform:pull_request', 'repo:example-org/eks-platform:ref:refs/heads/main'],
    },
  });
});

test('branch patterns use StringLike for sub and keep aud exact', () => {
  const t = trust(synth({ planBranches: ['main', 'release/*'], pullRequests: false }), 'plan');
  expect(t.Condition).toEqual({
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
    StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:example-org/eks-platform:ref:refs/heads/main', 'repo:example-org/eks-platform:ref:refs/heads/release/*'] },
  });
});

test('the apply role trusts only jobs of the one GitHub environment', () => {
  const t = trust(synth(), 'apply');
  expect(t.Condition).toEqual({
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': ['repo:example-org/eks-platform:environment:dev'],
    },
  });
  expect(role(synth(), 'apply').max_session_duration).toBe(7200);
});

test('the plan role reads everything but can write nothing except state lock files', () => {
  const json = synth();
  expect(attached(json, 'plan')).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
  const statements = inline(json, 'terraform-state-plan');
  expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  const actions = statements.flatMap((s) => [s.Action].flat());
  const writes = actions.filter((a: string) => !/^(s3:(Get|List)|kms:(Decrypt|Encrypt|GenerateDataKey|DescribeKey)$|dynamodb:(Get|Describe))/.test(a));
  expect(writes.sort()).toEqual(['s3:DeleteObject', 's3:PutObject']);
  const lock = statements.find((s) => s.Sid === 'LockFiles')!;
  expect(lock.Resource).toBe('arn:aws:s3:::eks-work-dev-tfstate-111111111111/dev/*.tflock');
  expect(statements.find((s) => s.Sid === 'ReadState')!.Resource).toBe('arn:aws:s3:::eks-work-dev-tfstate-111111111111/dev/*');
  expect(statements.find((s) => s.Sid === 'UseStateKey')!.Resource).toBe(base.stateKmsKeyArn);
  expect(actions.some((a: string) => a.includes('*'))).toBe(false);
});

test('the apply role deploys (AdministratorAccess by default), writes state, cannot change its own trust or the state', () => {
  const json = synth();
  expect(attached(json, 'apply')).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
  expect(attached(synth({ applyManagedPolicyArns: ['arn:aws:iam::111111111111:policy/deployer'] }), 'apply')).toEqual(['arn:aws:iam::111111111111:policy/deployer']);
  const statements = inline(json, 'terraform-state-apply');
  expect(statements.find((s) => s.Sid === 'ReadWriteState')!.Action).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']));
  const deny = statements.find((s) => s.Sid === 'DenyChangingDeployIdentities')!;
  expect(deny.Effect).toBe('Deny');
  expect(deny.Action).toContain('iam:UpdateAssumeRolePolicy');
  expect(deny.Resource).toEqual([expect.stringMatching(/^\$\{aws_iam_role\.github_plan-role_\w+\.arn\}$/), expect.stringMatching(/^\$\{aws_iam_role\.github_apply-role_\w+\.arn\}$/)]);
  expect(statements.find((s) => s.Sid === 'DenyDeletingState')!.Resource).toBe('arn:aws:s3:::eks-work-dev-tfstate-111111111111');
});

test('an existing OIDC provider is used, not created', () => {
  const arn = githubOidcProviderArn('ap-northeast-2', '111111111111');
  const json = synth({ oidcProviderArn: arn });
  expect(resourcesOfType(json, 'aws_iam_openid_connect_provider')).toHaveLength(0);
  expect(trust(json, 'plan').Principal.Federated).toBe('arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com');
});

test('a DynamoDB lock table is usable by both roles', () => {
  const json = synth({ lockTableName: 'eks-work-dev-tfstate-111111111111-lock' });
  for (const p of ['terraform-state-plan', 'terraform-state-apply']) {
    expect(inline(json, p).find((s) => s.Sid === 'LockTable')!.Resource).toBe('arn:aws:dynamodb:ap-northeast-2:111111111111:table/eks-work-dev-tfstate-111111111111-lock');
  }
});

describe('validation', () => {
  test.each(['eks-platform', 'example-org/eks-platform/extra', 'https://github.com/example-org/eks-platform', 'example-org/*', '-org/repo', 'example-org/..', ''])(
    'githubRepository %j is refused',
    (repo) => {
      expect(() => synth({ githubRepository: repo })).toThrow(`githubRepository: ${JSON.stringify(repo)} is not a GitHub repository; allowed: "owner/name"`);
    },
  );
  test('other fields', () => {
    expect(() => synth({ planBranches: [], pullRequests: false })).toThrow('planBranches: is empty and pullRequests is false');
    expect(() => synth({ planBranches: ['refs/heads/main'] })).toThrow('planBranches[0]: "refs/heads/main" is not a branch name');
    expect(() => synth({ applyEnvironment: 'prod*' })).toThrow('applyEnvironment: "prod*" is not a GitHub environment name');
    expect(() => synth({ oidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/example.com' })).toThrow('oidcProviderArn: ');
    expect(() => synth({ accountId: '1234' })).toThrow('accountId: ');
    expect(() => synth({ stateKeyPrefix: '/dev/' })).toThrow('stateKeyPrefix: ');
    expect(() => synth({ applyMaxSessionDuration: 60 })).toThrow('applyMaxSessionDuration: ');
  });
});

describe('from config: the <env>-state stack', () => {
  const build = (cicd: EnvironmentConfig['cicd']) => {
    const app = Testing.app();
    return createEnvironment(app, { ...environments.dev, cicd });
  };

  test('creates the roles and publishes their ARNs', () => {
    const { state } = build({ githubRepository: 'example-org/eks-platform', planBranches: ['main'], applyEnvironment: 'dev-approval' });
    const json = synthesize(state);
    expect(trust(json, 'apply').Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual(['repo:example-org/eks-platform:environment:dev-approval']);
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(['github_plan_role_arn', 'github_apply_role_arn']));
    expect(inline(json, 'terraform-state-plan').find((s) => s.Sid === 'LockFiles')!.Resource).toMatch(/^\$\{aws_s3_bucket\.state_bucket_\w+\.arn\}\/dev\/\*\.tflock$/);
  });

  test('applyEnvironment defaults to the environment name; createOidcProvider false uses the account provider', () => {
    const json = synthesize(build({ githubRepository: 'example-org/eks-platform', createOidcProvider: false }).state);
    expect(trust(json, 'apply').Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual(['repo:example-org/eks-platform:environment:dev']);
    expect(resourcesOfType(json, 'aws_iam_openid_connect_provider')).toHaveLength(0);
  });

  test('no cicd section, no roles', () => {
    const json = synthesize(build(undefined).state);
    expect(resourcesOfType(json, 'aws_iam_role')).toHaveLength(0);
  });

  test('mistakes name the environment and field', () => {
    expect(() => build({ githubRepository: 'eks-platform' })).toThrow('environment "dev": cicd.githubRepository: "eks-platform" is not a GitHub repository');
    expect(() => build({ githubRepository: 'a/b', branches: ['main'] } as never)).toThrow('environment "dev": cicd: unknown field "branches"');
  });
});
