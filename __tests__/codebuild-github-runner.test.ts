import { TerraformVariable } from 'cdktf';
import { CodeBuildGithubRunner, CodeBuildGithubRunnerProps, codebuildRunnerLabel } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize, SynthesizedJson } from '../modules/testing';
import { Decision, Document, Request, actionsOf, decide } from './iam-catalogue';

const ACCOUNT = '111111111111';
const CONNECTION = `arn:aws:codeconnections:ap-northeast-2:${ACCOUNT}:connection/0a1b2c3d-1111-4222-8333-444455556666`;
const SUBNETS = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'];
const base: CodeBuildGithubRunnerProps = {
  name: 'eks-work-dev-cluster-runner',
  githubRepository: 'example-org/eks-platform',
  codeConnectionArn: CONNECTION,
  accountId: ACCOUNT,
  region: 'ap-northeast-2',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: SUBNETS,
};

function synth(props: Partial<CodeBuildGithubRunnerProps> = {}): SynthesizedJson {
  const stack = awsTestStack();
  new CodeBuildGithubRunner(stack, 'runner', { ...base, ...props });
  return synthesize(stack);
}

describe('CodeBuildGithubRunner', () => {
  const json = synth();
  const project = onlyResource(json, 'aws_codebuild_project');
  const ref = (type: string, attr: string) => new RegExp(`^\\$\\{${type}\\.runner_[\\w-]+\\.${attr}\\}$`);

  test('a GitHub source for the repository, authenticated by the CodeConnections connection (no token)', () => {
    expect(project.source).toEqual({ type: 'GITHUB', location: 'https://github.com/example-org/eks-platform.git', auth: { type: 'CODECONNECTIONS', resource: CONNECTION } });
    // No source credential: a personal access token would sit in the state.
    expect(resourcesOfType(json, 'aws_codebuild_source_credential')).toHaveLength(0);
  });

  test('small Linux container on the current standard image, unprivileged, no artifacts; knobs change them', () => {
    expect(project.environment).toEqual({ type: 'LINUX_CONTAINER', compute_type: 'BUILD_GENERAL1_SMALL', image: 'aws/codebuild/standard:7.0', image_pull_credentials_type: 'CODEBUILD', privileged_mode: false });
    expect(project.artifacts).toEqual({ type: 'NO_ARTIFACTS' });
    expect(project.build_timeout).toBe(120);
    const tuned = onlyResource(synth({ computeType: 'BUILD_GENERAL1_MEDIUM', image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0', timeoutMinutes: 60 }), 'aws_codebuild_project');
    expect(tuned.environment).toMatchObject({ compute_type: 'BUILD_GENERAL1_MEDIUM', image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0' });
    expect(tuned.build_timeout).toBe(60);
  });

  test('builds run in the given private subnets with the runner\'s own security group', () => {
    expect(project.vpc_config).toEqual({ vpc_id: base.vpcId, subnets: SUBNETS, security_group_ids: [expect.stringMatching(ref('aws_security_group', 'id'))] });
  });

  test('the security group admits nothing and lets out HTTPS only', () => {
    const sg = onlyResource(json, 'aws_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(resourcesOfType(json, 'aws_vpc_security_group_ingress_rule')).toHaveLength(0);
    const egress = resourcesOfType(json, 'aws_vpc_security_group_egress_rule');
    expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([['tcp', 443, 443, '0.0.0.0/0']]);
    expect(egress[0].security_group_id).toMatch(ref('aws_security_group', 'id'));
  });

  test('the webhook starts builds on queued workflow jobs only', () => {
    const hook = onlyResource(json, 'aws_codebuild_webhook');
    expect(hook.project_name).toMatch(ref('aws_codebuild_project', 'name'));
    expect(hook.filter_group).toEqual([{ filter: [{ type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' }] }]);
    expect(hook.branch_filter).toBeUndefined();
  });

  test('logs go to its own KMS-encrypted log group with retention; the project waits for its role policy', () => {
    const group = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/aws/codebuild/eks-work-dev-cluster-runner', retention_in_days: 365, kms_key_id: expect.stringMatching(ref('aws_kms_key', 'arn')) });
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(parsePolicy(onlyResource(json, 'aws_kms_key').policy).Statement.map((s) => s.Principal)).toContainEqual({ Service: 'logs.ap-northeast-2.amazonaws.com' });
    expect(project.logs_config).toEqual({ cloudwatch_logs: { status: 'ENABLED', group_name: expect.stringMatching(ref('aws_cloudwatch_log_group', 'name')) }, s3_logs: { status: 'DISABLED' } });
    expect(project.encryption_key).toMatch(ref('aws_kms_key', 'arn'));
    expect(project.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\.runner_role-policy_/)]);
    expect(onlyResource(synth({ logRetentionDays: 30 }), 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
  });

  test('the role is CodeBuild\'s in this account, with the boundary when given', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(project.service_role).toMatch(ref('aws_iam_role', 'arn'));
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } },
    ]);
    expect(role.permissions_boundary).toBeUndefined();
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/eks-work-dev-deploy-boundary`;
    expect(onlyResource(synth({ permissionsBoundaryArn: boundary }), 'aws_iam_role').permissions_boundary).toBe(boundary);
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment')).toHaveLength(0);
  });

  describe('role policy: network interfaces in its subnets, its log group, the connection, nothing else', () => {
    const LOG_GROUP_ARN = `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/codebuild/eks-work-dev-cluster-runner`;
    const policyText = onlyResource(json, 'aws_iam_role_policy').policy as string;
    // IAM sees the log group's ARN where the policy references it.
    const doc: Document = JSON.parse(policyText.replace(/\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}/g, LOG_GROUP_ARN));
    const allow = (r: Request): Promise<Decision> => decide([doc], undefined, r, ACCOUNT);
    const eni = `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;
    const subnet = (id: string) => `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:subnet/${id}`;

    test('exactly these actions', () => {
      expect(doc.Statement.flatMap(actionsOf).sort()).toEqual(
        [
          'codeconnections:GetConnection', 'codeconnections:GetConnectionToken',
          'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DescribeDhcpOptions',
          'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
          'logs:CreateLogStream', 'logs:PutLogEvents',
        ].sort(),
      );
    });

    test.each<[string, string, Record<string, string>, Decision]>([
      ['logs:PutLogEvents', `${LOG_GROUP_ARN}:log-stream:build-1`, {}, 'Allowed'],
      ['logs:CreateLogStream', `${LOG_GROUP_ARN}:log-stream:build-1`, {}, 'Allowed'],
      ['logs:PutLogEvents', `arn:aws:logs:ap-northeast-2:${ACCOUNT}:log-group:/aws/eks/eks-work-dev/cluster:log-stream:x`, {}, 'ImplicitlyDenied'],
      ['logs:GetLogEvents', `${LOG_GROUP_ARN}:log-stream:build-1`, {}, 'ImplicitlyDenied'],
      ['ec2:CreateNetworkInterfacePermission', eni, { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': subnet(SUBNETS[1]) }, 'Allowed'],
      ['ec2:CreateNetworkInterfacePermission', eni, { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': subnet('subnet-0bbbbbbbbbbbbbbb9') }, 'ImplicitlyDenied'],
      ['ec2:CreateNetworkInterfacePermission', eni, { 'ec2:AuthorizedService': 'lambda.amazonaws.com', 'ec2:Subnet': subnet(SUBNETS[0]) }, 'ImplicitlyDenied'],
      ['codeconnections:GetConnectionToken', CONNECTION, {}, 'Allowed'],
      ['codeconnections:GetConnectionToken', `arn:aws:codeconnections:ap-northeast-2:${ACCOUNT}:connection/99999999-1111-4222-8333-444455556666`, {}, 'ImplicitlyDenied'],
      ['codeconnections:UseConnection', CONNECTION, {}, 'ImplicitlyDenied'],
      ['sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/eks-work-dev-github-apply`, {}, 'ImplicitlyDenied'],
      ['eks:DescribeCluster', `arn:aws:eks:ap-northeast-2:${ACCOUNT}:cluster/eks-work-dev`, {}, 'ImplicitlyDenied'],
      ['s3:GetObject', 'arn:aws:s3:::eks-work-dev-tfstate-111111111111/dev/network/terraform.tfstate', {}, 'ImplicitlyDenied'],
      ['ec2:RunInstances', `arn:aws:ec2:ap-northeast-2:${ACCOUNT}:instance/*`, {}, 'ImplicitlyDenied'],
    ])('%s on %s %j is %s', async (action, resource, context, expected) => {
      expect(await allow({ action, resource, context })).toBe(expected);
    });

    test('a token list of subnets becomes their ARNs in Terraform (formatlist in a local value)', () => {
      const stack = awsTestStack();
      const subnets = new TerraformVariable(stack, 'subnets', { type: 'list(string)' });
      new CodeBuildGithubRunner(stack, 'runner', { ...base, subnetIds: subnets.listValue });
      const out = synthesize(stack);
      const policy = onlyResource(out, 'aws_iam_role_policy').policy as string;
      const local = /"ec2:Subnet":\$\{local\.([\w-]+)\}/.exec(policy);
      expect(local).not.toBeNull();
      expect((out.locals as Record<string, string>)[local![1]]).toBe(`\${jsonencode(formatlist("arn:aws:ec2:ap-northeast-2:${ACCOUNT}:subnet/%s", var.subnets))}`);
      expect(onlyResource(out, 'aws_codebuild_project').vpc_config.subnets).toBe('${var.subnets}');
    });

    test('an older codestar-connections ARN is granted under its own service prefix', () => {
      const older = `arn:aws:codestar-connections:us-east-1:${ACCOUNT}:connection/0a1b2c3d-1111-4222-8333-444455556666`;
      const statements = parsePolicy(onlyResource(synth({ codeConnectionArn: older }), 'aws_iam_role_policy').policy).Statement;
      expect(statements.find((s) => s.Sid === 'GithubConnection')).toMatchObject({ Action: ['codestar-connections:GetConnection', 'codestar-connections:GetConnectionToken'], Resource: older });
    });
  });

  test('the runs-on label of its jobs', () => {
    expect(codebuildRunnerLabel('eks-work-dev-cluster-runner')).toBe('codebuild-eks-work-dev-cluster-runner-${{ github.run_id }}-${{ github.run_attempt }}');
  });

  test.each<[Partial<CodeBuildGithubRunnerProps>, string]>([
    [{ codeConnectionArn: 'ghp_0123456789abcdefghijklmnopqrstuvwxyz' }, 'codeConnectionArn: "ghp_0123456789abcdefghijklmnopqrstuvwxyz" is not an AWS CodeConnections connection ARN; allowed: arn:aws:codeconnections:<region>:<account>:connection/<id>'],
    [{ codeConnectionArn: 'arn:aws:codeconnections:ap-northeast-2:222222222222:connection/0a1b2c3d-1111-4222-8333-444455556666' }, 'codeConnectionArn: "arn:aws:codeconnections:ap-northeast-2:222222222222:connection/0a1b2c3d-1111-4222-8333-444455556666" is a connection of account 222222222222; allowed: a connection in this environment\'s account 111111111111'],
    [{ computeType: 'BUILD_LAMBDA_1GB' as never }, 'computeType: "BUILD_LAMBDA_1GB" is not a runner compute type; allowed: BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE'],
    [{ image: '123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/runner:latest' }, 'image: "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/runner:latest" is not a CodeBuild-curated x86_64 Linux image'],
    [{ timeoutMinutes: 3 }, 'timeoutMinutes: 3 is not a build timeout; allowed: whole minutes from 5 to 2160'],
    [{ logRetentionDays: 0 }, 'logRetentionDays: 0 is not a CloudWatch Logs retention period'],
    [{ githubRepository: 'https://github.com/example-org/eks-platform' }, 'githubRepository: "https://github.com/example-org/eks-platform" is not a GitHub repository; allowed: "owner/name"'],
    [{ name: 'a'.repeat(65) }, `name: "${'a'.repeat(65)}" is not a usable runner name`],
    [{ subnetIds: [] }, 'subnetIds: []: allowed: 1 to 16 private subnets'],
  ])('refuses %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
