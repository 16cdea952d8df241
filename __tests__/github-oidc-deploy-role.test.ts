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

const REPO = 'repo:example-org/eks-platform';
const BOUNDARY = 'arn:aws:iam::111111111111:policy/eks-work-dev-deploy-boundary';

test('the plan role trusts pull requests and main of the one repository, in the repo/context/ref subject format', () => {
  const t = trust(synth(), 'plan');
  expect(t.Action).toBe('sts:AssumeRoleWithWebIdentity');
  expect(t.Principal.Federated).toMatch(/aws_iam_openid_connect_provider\.github_oidc-provider_.*\.arn/);
  expect(t.Condition).toEqual({
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
    // A pull request's ref is refs/pull/<n>/merge; a push's context is its ref, then the ref again.
    StringLike: { 'token.actions.githubusercontent.com:sub': [`${REPO}:pull_request:ref:refs/pull/*/merge`, `${REPO}:ref:refs/heads/main:ref:refs/heads/main`] },
  });
});

test('branch patterns keep aud exact; without pull requests and patterns sub is exact', () => {
  expect(trust(synth({ planBranches: ['main', 'release/*'], pullRequests: false }), 'plan').Condition).toEqual({
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
    StringLike: { 'token.actions.githubusercontent.com:sub': [`${REPO}:ref:refs/heads/main:ref:refs/heads/main`, `${REPO}:ref:refs/heads/release/*:ref:refs/heads/release/*`] },
  });
  expect(trust(synth({ pullRequests: false }), 'plan').Condition).toEqual({
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': [`${REPO}:ref:refs/heads/main:ref:refs/heads/main`] },
  });
});

test('only the protected branch can apply: the apply subject pins both the GitHub environment and the branch, exactly', () => {
  const t = trust(synth(), 'apply');
  expect(t.Condition).toEqual({
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': [`${REPO}:environment:dev:ref:refs/heads/main`],
    },
  });
  expect(t.Condition.StringLike).toBeUndefined();
  expect(trust(synth({ applyBranch: 'release' }), 'apply').Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([`${REPO}:environment:dev:ref:refs/heads/release`]);
  expect(role(synth(), 'apply').max_session_duration).toBe(7200);
});

test('repositories with immutable subjects are named owner@id/name@id', () => {
  const json = synth({ githubRepositoryIds: { ownerId: 123456, repositoryId: 456789 } });
  expect(trust(json, 'apply').Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([
    'repo:example-org@123456/eks-platform@456789:environment:dev:ref:refs/heads/main',
  ]);
  expect(trust(json, 'plan').Condition.StringLike['token.actions.githubusercontent.com:sub'][0]).toBe('repo:example-org@123456/eks-platform@456789:pull_request:ref:refs/pull/*/merge');
});

test('no AWS managed policy on either role: no AdministratorAccess, ReadOnlyAccess or ViewOnlyAccess', () => {
  const json = synth();
  const all = resourcesOfType(json, 'aws_iam_role_policy_attachment').map((a) => String(a.policy_arn));
  expect(all.filter((a) => a.includes(':aws:policy/'))).toEqual([]);
  expect(attached(json, 'plan')).toEqual([]);
  // The apply role gets exactly the four project policies, by reference.
  const policies = resourcesOfType(json, 'aws_iam_policy');
  expect(policies.map((p) => p.name).sort()).toEqual(['eks-work-dev-deploy-boundary', ...['cluster', 'data', 'edge', 'network'].map((a) => `eks-work-dev-github-apply-${a}`)]);
  expect(attached(json, 'apply')).toEqual(['cluster', 'data', 'edge', 'network'].map((a) => expect.stringMatching(new RegExp(`^\\$\\{aws_iam_policy\\.github_apply-${a}_\\w+\\.arn\\}$`))));
  // Extra managed policies come on top, never instead.
  expect(attached(synth({ applyManagedPolicyArns: ['arn:aws:iam::111111111111:policy/deployer'] }), 'apply')).toHaveLength(5);
});

test('both roles carry the deploy boundary, by reference (so they wait for it), and its ARN is the deterministic one', () => {
  const json = synth();
  for (const kind of ['plan', 'apply'] as const) expect(role(json, kind).permissions_boundary).toMatch(/^\$\{aws_iam_policy\.github_boundary_\w+\.arn\}$/);
  expect(resourcesOfType(json, 'aws_iam_policy').find((p) => p.name === 'eks-work-dev-deploy-boundary')).toBeDefined();
  const stack = awsTestStack();
  expect(new GithubOidcDeployRole(stack, 'github', { ...base, boundaryPolicyName: 'custom-boundary' }).boundaryArn).toBe('arn:aws:iam::111111111111:policy/custom-boundary');
  expect(new GithubOidcDeployRole(awsTestStack(), 'github', base).boundaryArn).toBe(BOUNDARY);
});

test('the plan role writes nothing but state lock files', () => {
  const json = synth();
  const statements = inline(json, 'terraform-state-plan');
  expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  const actions = statements.flatMap((s) => [s.Action].flat());
  const writes = actions.filter((a: string) => !/^(s3:(Get|List)|kms:(Decrypt|Encrypt|GenerateDataKey|DescribeKey)$|dynamodb:(Get|Describe))/.test(a));
  expect(writes.sort()).toEqual(['s3:DeleteObject', 's3:PutObject']);
  expect(statements.find((s) => s.Sid === 'LockFiles')!.Resource).toBe('arn:aws:s3:::eks-work-dev-tfstate-111111111111/dev/*.tflock');
  expect(statements.find((s) => s.Sid === 'ReadState')!.Resource).toBe('arn:aws:s3:::eks-work-dev-tfstate-111111111111/dev/*');
  expect(statements.find((s) => s.Sid === 'UseStateKey')!.Resource).toBe(base.stateKmsKeyArn);
  // The refresh policy only reads: no action of a write verb.
  const refresh = inline(json, 'terraform-plan-refresh').flatMap((s) => [s.Action].flat());
  expect(refresh.filter((a: string) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(a))).toEqual([]);
});

test('the apply role writes state; the GitHub provider stays out of its reach', () => {
  const statements = inline(synth(), 'terraform-state-apply');
  expect(statements.find((s) => s.Sid === 'ReadWriteState')!.Action).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']));
  const deny = statements.find((s) => s.Sid === 'DenyChangingGithubProvider')!;
  expect(deny.Effect).toBe('Deny');
  expect(deny.Action).toContain('iam:DeleteOpenIDConnectProvider');
});

/** Policy text as IAM counts it (no whitespace), with every reference given a worst-case 100-character value. */
const iamLength = (policy: string) => policy.replace(/\$\{[^}]*\}/g, 'x'.repeat(100)).replace(/\s/g, '').length;

test('policies fit IAM limits: 6,144 characters per managed policy, 10 managed policies and 10,240 inline characters per role', () => {
  for (const props of [{}, { lockTableName: 'eks-work-dev-tfstate-111111111111-lock', resourceNamePrefixes: ['eks-work-dev', 'a-cluster-with-a-rather-long-name'], clusterNames: ['a-cluster-with-a-rather-long-name'], bucketNames: ['my-frontend-bucket-with-a-custom-name', 'my-frontend-bucket-with-a-custom-name-logs'] }]) {
    const json = synth(props);
    for (const p of resourcesOfType(json, 'aws_iam_policy')) expect({ [p.name]: iamLength(p.policy) <= 6144 }).toEqual({ [p.name]: true });
    for (const kind of ['plan', 'apply'] as const) {
      expect(attached(json, kind).length).toBeLessThanOrEqual(10);
      const inlineTotal = resourcesOfType(json, 'aws_iam_role_policy')
        .filter((p) => String(p.role).includes(`${kind}-role`))
        .reduce((n, p) => n + iamLength(p.policy), 0);
      expect(inlineTotal).toBeGreaterThan(0);
      expect(inlineTotal).toBeLessThanOrEqual(10240);
    }
  }
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
    expect(() => synth({ applyBranch: 'release/*' })).toThrow('applyBranch: "release/*" is not a branch name; allowed: one branch such as "main"');
    expect(() => synth({ applyBranch: 'refs/heads/main' })).toThrow('applyBranch: ');
    expect(() => synth({ githubRepositoryIds: { ownerId: 0, repositoryId: 1 } })).toThrow('githubRepositoryIds.ownerId: 0 is not a GitHub id');
    expect(() => synth({ boundaryExtraServices: ['organizations'] })).toThrow('boundaryExtraServices[0]: "organizations" is not a service prefix the boundary may allow');
    expect(() => synth({ boundaryExtraServices: ['dynamodb:*'] })).toThrow('boundaryExtraServices[0]: ');
    expect(() => synth({ resourceNamePrefixes: ['eks-*'] })).toThrow('resourceNamePrefixes[0]: "eks-*" is not a name prefix');
    expect(() => synth({ bucketNames: ['Not_A_Bucket'] })).toThrow('bucketNames[0]: ');
    expect(() => synth({ codeConnectionArns: ['arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:github-token'] })).toThrow(
      'codeConnectionArns[0]: "arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:github-token" is not an AWS CodeConnections connection ARN',
    );
  });
});

describe('from config: the <env>-state stack', () => {
  const build = (cicd: EnvironmentConfig['cicd']) => {
    const app = Testing.app();
    // Image CI roles need the account's GitHub OIDC provider, which the cicd section creates.
    const gitops = cicd ? environments.dev.gitops : environments.dev.gitops && { ...environments.dev.gitops, imageRepositories: [] };
    return createEnvironment(app, { ...environments.dev, cicd, gitops });
  };

  test('creates the roles and publishes their ARNs', () => {
    const { state } = build({ githubRepository: 'example-org/eks-platform', planBranches: ['main'], applyEnvironment: 'dev-approval' });
    const json = synthesize(state);
    expect(trust(json, 'apply').Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual(['repo:example-org/eks-platform:environment:dev-approval:ref:refs/heads/main']);
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(['github_plan_role_arn', 'github_apply_role_arn']));
    expect(inline(json, 'terraform-state-plan').find((s) => s.Sid === 'LockFiles')!.Resource).toBe('${aws_s3_bucket.state_bucket.arn}/dev/*.tflock');
  });

  test('applyEnvironment defaults to the environment name; createOidcProvider false uses the account provider', () => {
    const json = synthesize(build({ githubRepository: 'example-org/eks-platform', createOidcProvider: false }).state);
    expect(trust(json, 'apply').Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual(['repo:example-org/eks-platform:environment:dev:ref:refs/heads/main']);
    expect(resourcesOfType(json, 'aws_iam_openid_connect_provider')).toHaveLength(0);
  });

  test('applyBranch and boundaryExtraServices reach the roles; the boundary ARN is published', () => {
    const state = build({ githubRepository: 'example-org/eks-platform', applyBranch: 'production', boundaryExtraServices: ['sqs'] }).state;
    const json = synthesize(state);
    expect(trust(json, 'apply').Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual(['repo:example-org/eks-platform:environment:dev:ref:refs/heads/production']);
    const boundary = resourcesOfType(json, 'aws_iam_policy').find((p) => p.name === 'eks-work-dev-deploy-boundary')!;
    expect(parsePolicy(boundary.policy).Statement.find((s) => s.Sid === 'PlatformServices')!.Action).toContain('sqs:*');
    // The output references the policy (waits for it); downstream offline plans get the literal ARN as its stub.
    expect(json.output?.deploy_boundary_arn?.value).toMatch(/^\$\{aws_iam_policy\.github_boundary_\w+\.arn\}$/);
    expect(state.stubOutputs.deploy_boundary_arn).toBe('arn:aws:iam::111111111111:policy/eks-work-dev-deploy-boundary');
  });

  test('the apply role manages what this environment names: its prefix, its cluster, configured bucket names', () => {
    const config = { ...environments.dev, cluster: { ...environments.dev.cluster, name: 'platform-a' }, frontend: { ...environments.dev.frontend, bucketName: 'www-example-com-site' }, cicd: { githubRepository: 'example-org/eks-platform' } };
    const json = synthesize(createEnvironment(Testing.app(), config).state);
    const policy = (area: string) => parsePolicy(resourcesOfType(json, 'aws_iam_policy').find((p) => p.name === `eks-work-dev-github-apply-${area}`)!.policy).Statement;
    expect(policy('cluster').find((s) => s.Sid === 'IamRolesWithBoundary')!.Resource).toEqual(['arn:aws:iam::111111111111:role/eks-work-dev-*', 'arn:aws:iam::111111111111:role/platform-a-*']);
    expect(policy('cluster').find((s) => s.Sid === 'EksCluster')!.Resource).toEqual(['arn:aws:eks:ap-northeast-2:111111111111:cluster/platform-a', 'arn:aws:eks:ap-northeast-2:111111111111:*/platform-a/*']);
    expect(policy('edge').find((s) => s.Sid === 'Buckets')!.Resource).toEqual(
      expect.arrayContaining(['arn:aws:s3:::eks-work-dev-*', 'arn:aws:s3:::www-example-com-site', 'arn:aws:s3:::www-example-com-site-logs']),
    );
  });

  test('cicd.clusterRunner gives the apply role the runner policy for its connection; mistakes name the config field', () => {
    const connection = 'arn:aws:codeconnections:ap-northeast-2:111111111111:connection/0a1b2c3d-1111-4222-8333-444455556666';
    const json = synthesize(build({ githubRepository: 'example-org/eks-platform', clusterRunner: { codeConnectionArn: connection } }).state);
    const runner = resourcesOfType(json, 'aws_iam_policy').find((p) => p.name === 'eks-work-dev-github-apply-runner')!;
    expect(parsePolicy(runner.policy).Statement.find((s) => s.Sid === 'PassGithubConnection0')).toMatchObject({ Resource: [connection] });
    expect(resourcesOfType(synthesize(build({ githubRepository: 'example-org/eks-platform' }).state), 'aws_iam_policy').map((p) => p.name)).not.toContain('eks-work-dev-github-apply-runner');
    const foreign = connection.replace('111111111111', '333333333333');
    expect(() => build({ githubRepository: 'example-org/eks-platform', clusterRunner: { codeConnectionArn: foreign } })).toThrow(
      `environment "dev": cicd.clusterRunner.codeConnectionArn: ${JSON.stringify(foreign)} is a connection of account 333333333333; allowed: a connection in this environment's account 111111111111`,
    );
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
