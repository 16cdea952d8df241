import { ADDON_CATALOG, GithubOidcDeployRole, GithubOidcDeployRoleProps, githubOidcProviderArn, secretReadStatements } from '../modules';
import { FACTS } from './addons-fixtures';
import { awsTestStack, resourcesOfType, synthesize, SynthesizedJson } from '../modules/testing';
import { Decision, Document, Request, Statement, actionDetails, actionsOf, decide, expandAction, resourceMatches, resourcesOf } from './iam-catalogue';

// The deploy roles' policies judged with AWS's own service data and a policy evaluator, not by string
// matching: every action exists, wildcards are expanded before looking for data reads, and requests are
// decided the way IAM decides them (identity policies AND the permissions boundary).

const ACCOUNT = '111111111111';
const STATE_BUCKET = 'eks-work-dev-tfstate-111111111111';
const STATE_KEY = `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`;
const LOCK_TABLE = `${STATE_BUCKET}-lock`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/eks-work-dev-deploy-boundary`;
const CONNECTION = `arn:aws:codeconnections:ap-northeast-2:${ACCOUNT}:connection/0a1b2c3d-1111-4222-8333-444455556666`;
const OTHER_CONNECTION = `arn:aws:codeconnections:ap-northeast-2:${ACCOUNT}:connection/99999999-1111-4222-8333-444455556666`;
const PROJECT = `arn:aws:codebuild:ap-northeast-2:${ACCOUNT}:project/eks-work-dev-cluster-runner`;
// The application user's secret (data stack) and the master secret RDS manages.
const APP_SECRET = `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:eks-work-dev/backend-app/db-AbCdEf`;
const MASTER_SECRET = `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:rds!db-1234-AbCdEf`;
const props: GithubOidcDeployRoleProps = {
  githubRepository: 'example-org/eks-platform',
  namePrefix: 'eks-work-dev',
  accountId: ACCOUNT,
  region: 'ap-northeast-2',
  applyEnvironment: 'dev',
  stateBucket: STATE_BUCKET,
  stateKmsKeyArn: STATE_KEY,
  stateKeyPrefix: 'dev/',
  lockTableName: LOCK_TABLE,
  // Literal, so every policy is free of references and can be evaluated.
  oidcProviderArn: githubOidcProviderArn('ap-northeast-2', ACCOUNT),
  // The environment's CodeBuild GitHub runner uses this connection.
  codeConnectionArns: [CONNECTION],
};

const json: SynthesizedJson = (() => {
  const stack = awsTestStack();
  new GithubOidcDeployRole(stack, 'github', props);
  return synthesize(stack);
})();
// The policies name the boundary by reference; IAM sees its ARN.
const doc = (policy: string): Document => JSON.parse(policy.replace(/\$\{aws_iam_policy\.github_boundary_\w+\.arn\}/g, BOUNDARY));
const managed = (name: string) => doc(resourcesOfType(json, 'aws_iam_policy').find((p) => p.name === name)!.policy);
const inlineOf = (kind: string) => resourcesOfType(json, 'aws_iam_role_policy').filter((p) => String(p.role).includes(`${kind}-role`)).map((p) => doc(p.policy));
const boundary = managed('eks-work-dev-deploy-boundary');
const applyIdentity = [...['network', 'cluster', 'data', 'edge', 'runner'].map((a) => managed(`eks-work-dev-github-apply-${a}`)), ...inlineOf('apply')];
const planIdentity = inlineOf('plan');
const allStatements = [boundary, ...applyIdentity, ...planIdentity].flatMap((d) => d.Statement);

const apply = (r: Request): Promise<Decision> => decide(applyIdentity, boundary, r, ACCOUNT);
const plan = (r: Request): Promise<Decision> => decide(planIdentity, boundary, r, ACCOUNT);
/** A role the apply role created, given every permission: only the boundary stands between it and the account. */
const bounded = (r: Request): Promise<Decision> => decide([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], boundary, r, ACCOUNT);

const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const withBoundary = { 'iam:PermissionsBoundary': BOUNDARY };

describe('every action is real and placed where IAM can grant it', () => {
  test('each action, and each wildcard, names at least one action in AWS service authorization data', async () => {
    const unknown: string[] = [];
    for (const a of new Set(allStatements.flatMap(actionsOf))) if ((await expandAction(a)).length === 0) unknown.push(a);
    expect(unknown).toEqual([]);
  });

  test('no statement of the deploy roles allows a whole service (`*`, `*:*` or `<service>:*`)', () => {
    const whole = [...applyIdentity, ...planIdentity].flatMap((d) => d.Statement).filter((s) => s.Effect === 'Allow').flatMap(actionsOf).filter((a) => a === '*' || /:\*$/.test(a));
    expect(whole).toEqual([]);
  });

  test('actions that support no resource-level permission are only granted on "*" (else IAM never matches them)', async () => {
    const misplaced: string[] = [];
    for (const s of [...applyIdentity, ...planIdentity].flatMap((d) => d.Statement).filter((st) => st.Effect === 'Allow' && !resourcesOf(st).includes('*'))) {
      for (const pattern of actionsOf(s)) {
        for (const a of await expandAction(pattern)) {
          // Wildcard patterns (eks:Create*) may sweep in a wildcard-only action they do not mean; named actions must fit.
          if ((await actionDetails(a)).isWildcardOnly && !pattern.includes('*')) misplaced.push(`${s.Sid}: ${a}`);
        }
      }
    }
    expect(misplaced).toEqual([]);
  });

  test('iam:PermissionsBoundary is a condition key of every action the boundary conditions are put on', async () => {
    for (const s of allStatements.filter((st) => JSON.stringify(st.Condition ?? {}).includes('iam:PermissionsBoundary'))) {
      for (const a of actionsOf(s)) expect({ [a]: (await actionDetails(a)).conditionKeys }).toEqual({ [a]: expect.arrayContaining(['iam:PermissionsBoundary']) });
    }
  });
});

describe('plan role: what terraform plan refreshes, no data', () => {
  /** Actions that read data (not configuration), and the only resources the plan role may use them on. */
  const DATA_READS: Array<{ pattern: string; only: string[] }> = [
    { pattern: 'ssm:GetParameter*', only: ['arn:aws:ssm:ap-northeast-2::parameter/aws/service/*'] },
    { pattern: 'secretsmanager:GetSecretValue', only: [] },
    { pattern: 'secretsmanager:BatchGetSecretValue', only: [] },
    { pattern: 'logs:GetLogEvents', only: [] },
    { pattern: 'logs:FilterLogEvents', only: [] },
    { pattern: 'logs:StartQuery', only: [] },
    { pattern: 'logs:GetQueryResults', only: [] },
    { pattern: 'logs:GetLogRecord', only: [] },
    { pattern: 'logs:StartLiveTail', only: [] },
    { pattern: 's3:GetObject*', only: [`arn:aws:s3:::${STATE_BUCKET}/dev/*`] },
    { pattern: 'dynamodb:GetItem', only: [`arn:aws:dynamodb:ap-northeast-2:${ACCOUNT}:table/${LOCK_TABLE}`] },
    { pattern: 'dynamodb:BatchGetItem', only: [] },
    { pattern: 'dynamodb:Query', only: [] },
    { pattern: 'dynamodb:Scan', only: [] },
    { pattern: 'kms:Decrypt', only: [STATE_KEY] },
    { pattern: 'ec2:GetPasswordData', only: [] },
    { pattern: 'ec2:GetConsoleOutput', only: [] },
    { pattern: 'rds:DownloadDBLogFilePortion', only: [] },
    { pattern: 'rds:DownloadCompleteDBLogFile', only: [] },
    { pattern: 'ecr:BatchGetImage', only: [] },
    { pattern: 'ecr:GetDownloadUrlForLayer', only: [] },
    { pattern: 'wafv2:GetSampledRequests', only: [] },
    { pattern: 'sts:AssumeRole', only: [] },
    // A project's configuration holds its environment variables; a connection token is a GitHub credential.
    { pattern: 'codebuild:BatchGet*', only: [`arn:aws:codebuild:ap-northeast-2:${ACCOUNT}:project/eks-work-dev-*`] },
    { pattern: 'codeconnections:GetConnectionToken', only: [] },
  ];

  test('wildcards expanded against AWS data, no data-reading action is allowed beyond the state, the lock table and public AMI parameters', async () => {
    const found: string[] = [];
    for (const s of planIdentity.flatMap((d) => d.Statement).filter((st) => st.Effect === 'Allow')) {
      const granted = new Set((await Promise.all(actionsOf(s).map(expandAction))).flat());
      for (const { pattern, only } of DATA_READS) {
        for (const a of await expandAction(pattern)) {
          if (granted.has(a) && !resourcesOf(s).every((r) => only.includes(r))) found.push(`${s.Sid}: ${a} on ${resourcesOf(s).join(', ')}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  test.each<[string, string, Decision]>([
    ['ssm:GetParameter', `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:parameter/app/database-password`, 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:rds!db-1234-AbCdEf`, 'ImplicitlyDenied'],
    ['logs:GetLogEvents', `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/eks/eks-work-dev/cluster:log-stream:kube-apiserver-audit-1`, 'ImplicitlyDenied'],
    ['logs:StartQuery', `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/eks/eks-work-dev/cluster`, 'ImplicitlyDenied'],
    ['s3:GetObject', `arn:aws:s3:::eks-work-dev-batch-${ACCOUNT}/input/report.csv`, 'ImplicitlyDenied'],
    ['s3:GetObject', `arn:aws:s3:::${STATE_BUCKET}/dev/network/terraform.tfstate`, 'Allowed'],
    ['s3:GetObject', `arn:aws:s3:::${STATE_BUCKET}/prod/network/terraform.tfstate`, 'ImplicitlyDenied'],
    ['s3:PutObject', `arn:aws:s3:::${STATE_BUCKET}/dev/network/terraform.tfstate`, 'ImplicitlyDenied'],
    ['s3:PutObject', `arn:aws:s3:::${STATE_BUCKET}/dev/network/terraform.tfstate.tflock`, 'Allowed'],
    ['s3:GetBucketPolicy', `arn:aws:s3:::eks-work-dev-frontend-${ACCOUNT}`, 'Allowed'],
    ['dynamodb:GetItem', `arn:aws:dynamodb:ap-northeast-2:${ACCOUNT}:table/orders`, 'ImplicitlyDenied'],
    ['kms:Decrypt', `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`, 'ImplicitlyDenied'],
    ['kms:Decrypt', STATE_KEY, 'Allowed'],
    ['ec2:DescribeInstances', '*', 'Allowed'],
    ['eks:DescribeCluster', `arn:aws:eks:ap-northeast-2:${ACCOUNT}:cluster/eks-work-dev`, 'Allowed'],
    ['eks:DescribeAddonVersions', '*', 'Allowed'],
    ['ec2:DescribeAvailabilityZones', '*', 'Allowed'],
    ['iam:GetRole', role('eks-work-dev-node'), 'Allowed'],
    ['ec2:CreateVpc', '*', 'ImplicitlyDenied'],
    ['iam:CreateRole', role('eks-work-dev-x'), 'ExplicitlyDenied'],
    ['codebuild:BatchGetProjects', PROJECT, 'Allowed'],
    ['codebuild:BatchGetProjects', `arn:aws:codebuild:ap-northeast-2:${ACCOUNT}:project/another-team`, 'ImplicitlyDenied'],
    ['codebuild:UpdateProject', PROJECT, 'ImplicitlyDenied'],
    ['codeconnections:GetConnectionToken', CONNECTION, 'ImplicitlyDenied'],
    // The application user's secret: metadata to refresh it, a random password for the ephemeral
    // generator Terraform opens during plan, never the value.
    ['secretsmanager:GetSecretValue', APP_SECRET, 'ImplicitlyDenied'],
    ['secretsmanager:DescribeSecret', APP_SECRET, 'Allowed'],
    ['secretsmanager:GetResourcePolicy', APP_SECRET, 'Allowed'],
    ['secretsmanager:GetRandomPassword', '*', 'Allowed'],
    ['secretsmanager:DescribeSecret', `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:another-team/api-key-AbCdEf`, 'ImplicitlyDenied'],
    ['secretsmanager:PutSecretValue', APP_SECRET, 'ImplicitlyDenied'],
  ])('plan: %s on %s is %s', async (action, resource, expected) => {
    expect(await plan({ action, resource, context: { 'aws:RequestedRegion': 'ap-northeast-2' } })).toBe(expected);
  });

  test('public AMI parameters (account-less ARNs the simulator cannot type) are the only parameters granted', () => {
    const granted = planIdentity.flatMap((d) => d.Statement).filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));
    expect(granted.flatMap(resourcesOf)).toEqual(['arn:aws:ssm:ap-northeast-2::parameter/aws/service/*']);
    expect(resourceMatches(resourcesOf(granted[0])[0], 'arn:aws:ssm:ap-northeast-2::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64')).toBe(true);
    expect(resourceMatches(resourcesOf(granted[0])[0], `arn:aws:ssm:ap-northeast-2:${ACCOUNT}:parameter/app/database-password`)).toBe(false);
  });
});

describe('apply role: the platform, scoped; roles only with the boundary', () => {
  test.each<[string, string, Record<string, string>, Decision]>([
    ['iam:CreateRole', role('eks-work-dev-node'), withBoundary, 'Allowed'],
    ['iam:CreateRole', role('eks-work-dev-node'), {}, 'ExplicitlyDenied'],
    ['iam:CreateRole', role('eks-work-dev-node'), { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/something-else` }, 'ExplicitlyDenied'],
    ['iam:CreateRole', role('another-team-role'), withBoundary, 'ImplicitlyDenied'],
    ['iam:PutRolePolicy', role('eks-work-dev-node'), withBoundary, 'Allowed'],
    ['iam:AttachRolePolicy', role('eks-work-dev-node'), {}, 'ExplicitlyDenied'],
    ['iam:DeleteRolePermissionsBoundary', role('eks-work-dev-node'), withBoundary, 'ExplicitlyDenied'],
    ['iam:UpdateAssumeRolePolicy', role('eks-work-dev-github-apply'), withBoundary, 'ExplicitlyDenied'],
    ['iam:PutRolePolicy', role('eks-work-dev-github-plan'), withBoundary, 'ExplicitlyDenied'],
    ['iam:PassRole', role('eks-work-dev-cluster'), {}, 'Allowed'],
    ['iam:CreatePolicyVersion', BOUNDARY, {}, 'ExplicitlyDenied'],
    ['iam:CreatePolicyVersion', `arn:aws:iam::${ACCOUNT}:policy/eks-work-dev-github-apply-cluster`, {}, 'ExplicitlyDenied'],
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`, {}, 'ExplicitlyDenied'],
    ['iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/admin`, {}, 'ExplicitlyDenied'],
    ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`, {}, 'Allowed'],
    ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`, {}, 'ExplicitlyDenied'],
    ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/idp.example.com`, {}, 'ExplicitlyDenied'],
    ['iam:CreateServiceLinkedRole', role('aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup'), { 'iam:AWSServiceName': 'eks-nodegroup.amazonaws.com' }, 'Allowed'],
    ['iam:CreateServiceLinkedRole', role('aws-service-role/ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway'), { 'iam:AWSServiceName': 'ops.apigateway.amazonaws.com' }, 'ImplicitlyDenied'],
    ['organizations:LeaveOrganization', '*', {}, 'ExplicitlyDenied'],
    ['account:CloseAccount', '*', {}, 'ExplicitlyDenied'],
    ['s3:PutBucketPolicy', `arn:aws:s3:::${STATE_BUCKET}`, {}, 'ExplicitlyDenied'],
    ['s3:PutBucketAcl', `arn:aws:s3:::${STATE_BUCKET}`, {}, 'ExplicitlyDenied'],
    ['s3:PutEncryptionConfiguration', `arn:aws:s3:::${STATE_BUCKET}`, {}, 'ExplicitlyDenied'],
    ['s3:PutBucketPublicAccessBlock', `arn:aws:s3:::${STATE_BUCKET}`, {}, 'ExplicitlyDenied'],
    ['s3:PutBucketVersioning', `arn:aws:s3:::${STATE_BUCKET}`, {}, 'ExplicitlyDenied'],
    ['s3:DeleteObjectVersion', `arn:aws:s3:::${STATE_BUCKET}/dev/network/terraform.tfstate`, {}, 'ExplicitlyDenied'],
    ['s3:PutObject', `arn:aws:s3:::${STATE_BUCKET}/dev/network/terraform.tfstate`, {}, 'Allowed'],
    ['kms:ScheduleKeyDeletion', STATE_KEY, {}, 'ExplicitlyDenied'],
    ['kms:ScheduleKeyDeletion', `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`, {}, 'Allowed'],
    ['s3:PutBucketPolicy', `arn:aws:s3:::eks-work-dev-frontend-${ACCOUNT}`, {}, 'Allowed'],
    ['s3:PutBucketPolicy', 'arn:aws:s3:::someone-elses-bucket', {}, 'ImplicitlyDenied'],
    ['s3:GetObject', `arn:aws:s3:::eks-work-dev-batch-${ACCOUNT}/input/report.csv`, {}, 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:rds!db-1234-AbCdEf`, {}, 'ImplicitlyDenied'],
    ['secretsmanager:CreateSecret', `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:rds!db-1234-AbCdEf`, {}, 'Allowed'],
    // The application user's secret: created and written (the apply's put-secret-value), never read.
    ['secretsmanager:CreateSecret', APP_SECRET, {}, 'Allowed'],
    ['secretsmanager:TagResource', APP_SECRET, {}, 'Allowed'],
    ['secretsmanager:PutSecretValue', APP_SECRET, {}, 'Allowed'],
    ['secretsmanager:DeleteSecret', APP_SECRET, {}, 'Allowed'],
    ['secretsmanager:GetRandomPassword', '*', {}, 'Allowed'],
    ['secretsmanager:GetRandomPassword', '*', { 'aws:RequestedRegion': 'eu-west-1' }, 'ImplicitlyDenied'],
    ['secretsmanager:GetSecretValue', APP_SECRET, {}, 'ImplicitlyDenied'],
    ['secretsmanager:PutSecretValue', MASTER_SECRET, {}, 'ImplicitlyDenied'],
    ['secretsmanager:CreateSecret', `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:another-team/api-key-AbCdEf`, {}, 'ImplicitlyDenied'],
    ['eks:CreateCluster', '*', {}, 'Allowed'],
    ['eks:CreateNodegroup', `arn:aws:eks:ap-northeast-2:${ACCOUNT}:cluster/eks-work-dev`, {}, 'Allowed'],
    ['eks:DeleteCluster', `arn:aws:eks:ap-northeast-2:${ACCOUNT}:cluster/other-team`, {}, 'ImplicitlyDenied'],
    ['ec2:CreateVpc', '*', {}, 'Allowed'],
    ['ec2:CreateVpc', '*', { 'aws:RequestedRegion': 'eu-west-1' }, 'ImplicitlyDenied'],
    ['rds:CreateDBInstance', `arn:aws:rds:ap-northeast-2:${ACCOUNT}:db:eks-work-dev-db`, {}, 'Allowed'],
    ['logs:CreateLogGroup', `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/eks/eks-work-dev/cluster`, {}, 'Allowed'],
    ['logs:CreateLogGroup', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:aws-waf-logs-eks-work-dev-frontend`, {}, 'Allowed'],
    ['logs:CreateLogGroup', `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:aws-waf-logs-eks-work-dev-alb`, {}, 'Allowed'],
    ['logs:GetLogEvents', `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/eks/eks-work-dev/cluster:log-stream:x`, {}, 'ImplicitlyDenied'],
    ['wafv2:CreateWebACL', `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/eks-work-dev-frontend-cloudfront/00000000-0000-4000-8000-000000000000`, {}, 'Allowed'],
    ['wafv2:CreateWebACL', `arn:aws:wafv2:ap-northeast-2:${ACCOUNT}:regional/webacl/eks-work-dev-alb-regional/00000000-0000-4000-8000-000000000000`, {}, 'Allowed'],
    ['wafv2:DeleteWebACL', `arn:aws:wafv2:ap-northeast-2:${ACCOUNT}:regional/webacl/someone-else/00000000-0000-4000-8000-000000000000`, {}, 'ImplicitlyDenied'],
    ['cloudfront:CreateDistribution', '*', {}, 'Allowed'],
    ['lambda:CreateFunction', `arn:aws:lambda:ap-northeast-2:${ACCOUNT}:function:x`, {}, 'ImplicitlyDenied'],
    ['codebuild:CreateProject', PROJECT, {}, 'Allowed'],
    ['codebuild:CreateWebhook', PROJECT, {}, 'Allowed'],
    ['codebuild:DeleteProject', PROJECT, {}, 'Allowed'],
    ['codebuild:CreateProject', `arn:aws:codebuild:ap-northeast-2:${ACCOUNT}:project/another-team`, {}, 'ImplicitlyDenied'],
    ['codebuild:StartBuild', PROJECT, {}, 'ImplicitlyDenied'],
    ['codeconnections:PassConnection', CONNECTION, { 'codeconnections:PassedToService': 'codebuild.amazonaws.com' }, 'Allowed'],
    ['codeconnections:PassConnection', CONNECTION, { 'codeconnections:PassedToService': 'codepipeline.amazonaws.com' }, 'ImplicitlyDenied'],
    ['codeconnections:PassConnection', OTHER_CONNECTION, { 'codeconnections:PassedToService': 'codebuild.amazonaws.com' }, 'ImplicitlyDenied'],
    ['codeconnections:UseConnection', CONNECTION, {}, 'Allowed'],
    ['codeconnections:GetConnectionToken', CONNECTION, {}, 'ImplicitlyDenied'],
    ['codeconnections:DeleteConnection', CONNECTION, {}, 'ImplicitlyDenied'],
    ['iam:CreateRole', role('eks-work-dev-cluster-runner'), withBoundary, 'Allowed'],
    ['iam:PassRole', role('eks-work-dev-cluster-runner'), {}, 'Allowed'],
  ])('apply: %s on %s %j is %s', async (action, resource, context, expected) => {
    expect(await apply({ action, resource, context: { 'aws:RequestedRegion': resource.includes(':us-east-1:') ? 'us-east-1' : 'ap-northeast-2', ...context } })).toBe(expected);
  });
});

describe('the boundary holds whatever policy a created role is given', () => {
  test.each<[string, string, Record<string, string>]>([
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`, {}],
    ['iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/admin`, {}],
    ['iam:CreateRole', role('eks-work-dev-escape'), {}],
    ['iam:DeleteRolePermissionsBoundary', role('eks-work-dev-node'), withBoundary],
    ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/idp.example.com`, {}],
    ['organizations:DescribeOrganization', '*', {}],
    ['s3:DeleteObjectVersion', `arn:aws:s3:::${STATE_BUCKET}/dev/data/terraform.tfstate`, {}],
    ['s3:PutBucketPolicy', `arn:aws:s3:::${STATE_BUCKET}`, {}],
    ['kms:PutKeyPolicy', STATE_KEY, {}],
  ])('%s on %s is denied', async (action, resource, context) => {
    expect(await bounded({ action, resource, context })).toBe('ExplicitlyDenied');
  });

  test('services outside the platform are out of reach; the platform services are not', async () => {
    expect(await bounded({ action: 'lambda:CreateFunction', resource: `arn:aws:lambda:ap-northeast-2:${ACCOUNT}:function:x` })).toBe('ImplicitlyDenied');
    expect(await bounded({ action: 'ec2:DescribeInstances', resource: '*' })).toBe('Allowed');
    expect(await bounded({ action: 's3:PutObject', resource: `arn:aws:s3:::eks-work-dev-batch-${ACCOUNT}/x` })).toBe('Allowed');
    expect(await bounded({ action: 'iam:CreateRole', resource: role('eks-work-dev-child'), context: withBoundary })).toBe('Allowed');
  });

  test('the CodeBuild runner role, bounded, can still do its work: network interfaces, logs, the connection token', async () => {
    const eni = `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:network-interface/*`;
    expect(await bounded({ action: 'ec2:CreateNetworkInterfacePermission', resource: eni, context: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com' } })).toBe('Allowed');
    expect(await bounded({ action: 'logs:PutLogEvents', resource: `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/codebuild/eks-work-dev-cluster-runner:log-stream:x` })).toBe('Allowed');
    expect(await bounded({ action: 'codeconnections:GetConnectionToken', resource: CONNECTION })).toBe('Allowed');
  });
});

test('without a runner connection no policy grants CodeBuild or CodeConnections, and the boundary leaves them out', () => {
  const stack = awsTestStack();
  new GithubOidcDeployRole(stack, 'github', { ...props, codeConnectionArns: undefined });
  const out = synthesize(stack);
  const texts = [...resourcesOfType(out, 'aws_iam_policy'), ...resourcesOfType(out, 'aws_iam_role_policy')].map((p) => String(p.policy));
  expect(resourcesOfType(out, 'aws_iam_policy').map((p) => p.name)).not.toContain('eks-work-dev-github-apply-runner');
  expect(texts.filter((t) => /codebuild:|codeconnections:|codestar-connections:/.test(t))).toEqual([]);
});

describe('secret readers under the boundary (the data stack creates them bounded)', () => {
  const DB_KEY = `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/33333333-3333-4333-8333-333333333333`;
  const statements = secretReadStatements([MASTER_SECRET, APP_SECRET], [DB_KEY], 'ap-northeast-2') as Statement[];
  const reader = (r: Request) => decide([{ Version: '2012-10-17', Statement: statements }], boundary, r, ACCOUNT);
  const viaSecretsManager = { 'kms:ViaService': 'secretsmanager.ap-northeast-2.amazonaws.com' };

  test('the admin job can read both secrets and decrypt them through Secrets Manager: the boundary lets every action through', async () => {
    for (const secret of [MASTER_SECRET, APP_SECRET]) {
      expect(await reader({ action: 'secretsmanager:GetSecretValue', resource: secret })).toBe('Allowed');
      expect(await reader({ action: 'secretsmanager:DescribeSecret', resource: secret })).toBe('Allowed');
    }
    expect(await reader({ action: 'kms:Decrypt', resource: DB_KEY, context: viaSecretsManager })).toBe('Allowed');
  });

  test('nothing else: other secrets, writes, the key outside Secrets Manager, another key', async () => {
    expect(await reader({ action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:ap-northeast-2:${ACCOUNT}:secret:eks-work-dev/db/other-AbCdEf` })).toBe('ImplicitlyDenied');
    expect(await reader({ action: 'secretsmanager:PutSecretValue', resource: APP_SECRET })).toBe('ImplicitlyDenied');
    expect(await reader({ action: 'kms:Decrypt', resource: DB_KEY })).toBe('ImplicitlyDenied');
    expect(await reader({ action: 'kms:Decrypt', resource: DB_KEY, context: { 'kms:ViaService': 'rds.ap-northeast-2.amazonaws.com' } })).toBe('ImplicitlyDenied');
    expect(await reader({ action: 'kms:Decrypt', resource: `arn:aws:kms:ap-northeast-2:${ACCOUNT}:key/22222222-2222-2222-2222-222222222222`, context: viaSecretsManager })).toBe('ImplicitlyDenied');
  });
});

describe('add-on roles under the boundary (the observability stack creates them bounded)', () => {
  const statements = ADDON_CATALOG.flatMap((d) => (d.iam?.statements?.(FACTS) ?? []).map((s) => ({ addon: d.name, s: s as Statement })));

  test('every action of every add-on policy, wildcards expanded, is one the boundary lets through', async () => {
    expect(new Set(statements.map((x) => x.addon))).toEqual(new Set(['aws-load-balancer-controller', 'cluster-autoscaler', 'fluentd', 'aws-for-fluent-bit']));
    const refused: string[] = [];
    for (const { addon, s } of statements) {
      for (const action of (await Promise.all(actionsOf(s).map(expandAction))).flat()) {
        // On `*`: the boundary allows by service and denies by resource only for IAM, the state and the deploy roles.
        if ((await bounded({ action, resource: '*' })) !== 'Allowed') refused.push(`${addon}: ${action}`);
      }
    }
    expect(refused).toEqual([]);
  });

  test('the apply role may create the load balancer controller\'s role with its inline policy, bounded', async () => {
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy']) {
      expect(await apply({ action, resource: role('eks-work-dev-load-balancer-controller'), context: { 'aws:RequestedRegion': 'ap-northeast-2', ...withBoundary } })).toBe('Allowed');
    }
  });
});

test('resource patterns match the ARNs the platform creates', () => {
  const cluster = applyIdentity.flatMap((d) => d.Statement).find((s: Statement) => s.Sid === 'LogGroups')!;
  for (const arn of [
    `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/vpc/eks-work-dev/flow-logs`,
    `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/rds/instance/eks-work-dev-db/postgresql`,
    `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/containerinsights/eks-work-dev/application`,
  ]) {
    expect({ [arn]: resourcesOf(cluster).some((p) => resourceMatches(p, arn)) }).toEqual({ [arn]: true });
  }
  expect(resourcesOf(cluster).some((p) => resourceMatches(p, `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/lambda/payments`))).toBe(false);
});
