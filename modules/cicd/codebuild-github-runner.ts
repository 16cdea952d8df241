import { Construct } from 'constructs';
import { Fn, TerraformLocal, Token } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { PolicyStatement, partitionOf, policyDocument, serviceTrustPolicy } from '../core/iam';
import { check, checkAccountId, checkRetentionDays, show } from '../core/validation';

/** Linux compute types a CodeBuild-hosted runner can use (vCPU / memory: 2/3 GiB, 4/7 GiB, 8/15 GiB). */
export const CODEBUILD_RUNNER_COMPUTE_TYPES = ['BUILD_GENERAL1_SMALL', 'BUILD_GENERAL1_MEDIUM', 'BUILD_GENERAL1_LARGE'] as const;
export type CodeBuildRunnerComputeType = (typeof CODEBUILD_RUNNER_COMPUTE_TYPES)[number];

/** CodeBuild's current Ubuntu standard image (x86_64): what `ubuntu-latest` jobs expect (bash, git, unzip, curl). */
export const DEFAULT_CODEBUILD_RUNNER_IMAGE = 'aws/codebuild/standard:7.0';

/** CodeBuild-curated x86_64 Linux images: CodeBuild pulls them itself, so the role needs no registry access. */
const CURATED_IMAGE = /^aws\/codebuild\/(standard|amazonlinux-x86_64-standard|amazonlinux2-x86_64-standard):\d+\.\d+$/;

/** An AWS CodeConnections connection (the `codestar-connections` prefix is the service's former name, still in use). */
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:(\d{12}):connection\/[0-9a-fA-F-]{36}$/;

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/;
/** Stands in the policy JSON for the subnet ARNs when the subnets are a token list (see below). */
const SUBNET_ARNS_PLACEHOLDER = '__SUBNET_ARNS__';
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** IAM service prefix of a connection ARN (`codeconnections` or `codestar-connections`): IAM matches actions by the ARN's own prefix. */
export function connectionService(connectionArn: string): string {
  return connectionArn.split(':')[2];
}

/** Checks a CodeConnections connection ARN (and, given one, that it is in that account). */
export function checkConnectionArn(arn: string, field: string, accountId?: string): void {
  const m = typeof arn === 'string' ? CONNECTION_ARN.exec(arn) : null;
  check(m !== null, field, `${show(arn)} is not an AWS CodeConnections connection ARN; allowed: arn:aws:codeconnections:<region>:<account>:connection/<id> (or codestar-connections), as the Developer Tools console shows it`);
  if (accountId !== undefined) check(m![2] === accountId, field, `${show(arn)} is a connection of account ${m![2]}; allowed: a connection in this environment's account ${accountId} (CodeBuild uses connections of its own account)`);
}

/** The `runs-on` label of a job for this runner (CodeBuild starts one build per queued job that carries it). */
export function codebuildRunnerLabel(projectName: string): string {
  return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

export interface CodeBuildGithubRunnerProps {
  /**
   * Name of the CodeBuild project, also given to its role, security group, log group
   * (`/aws/codebuild/<name>`) and key alias. Jobs select the runner with
   * `runs-on: codebuild-<name>-${{ github.run_id }}-${{ github.run_attempt }}`.
   */
  readonly name: string;
  /** The GitHub repository whose queued workflow jobs start builds, `owner/name`. */
  readonly githubRepository: string;
  /**
   * ARN of an AWS CodeConnections connection to GitHub (the AWS Connector for GitHub app), created and
   * authorised once in the console and installed on the repository. No personal access token is
   * involved, so none is kept in state.
   */
  readonly codeConnectionArn: string;
  /** Account of the project (key policy, ARNs); the connection must be in it. */
  readonly accountId: string;
  readonly region: string;
  /** VPC of the runner. */
  readonly vpcId: string;
  /** Private subnets the builds run in: they need a route out (NAT) to GitHub and the AWS APIs. */
  readonly subnetIds: string[];
  /** CodeBuild compute type. @default "BUILD_GENERAL1_SMALL" (2 vCPU, 3 GiB: enough for synth and the plans of one stack) */
  readonly computeType?: CodeBuildRunnerComputeType;
  /** A CodeBuild-curated x86_64 Linux image. @default "aws/codebuild/standard:7.0" */
  readonly image?: string;
  /** Minutes after which CodeBuild stops a build (the job with it). @default 120 (the apply workflow's job timeout) */
  readonly timeoutMinutes?: number;
  /** Days the build logs are kept. @default 365 */
  readonly logRetentionDays?: number;
  /** Permissions boundary of the runner's role (the deploy boundary when the apply role creates it). @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A CodeBuild-hosted GitHub Actions runner in private subnets: a CodeBuild project whose webhook
 * starts one build (one ephemeral runner) for each queued workflow job labelled
 * `codebuild-<name>-<run id>-<attempt>`, so jobs that must reach a private Kubernetes API run inside
 * the VPC. Billed per build minute; nothing runs, or costs, between jobs.
 *
 * The project's role holds only what CodeBuild needs to run a build there: its network interfaces
 * in those subnets, its own log group, and the connection's GitHub token. Jobs get no AWS access
 * from it: they assume the GitHub deploy roles with their OIDC token, as on GitHub-hosted runners.
 * The security group admits nothing and lets out HTTPS only (DNS, through the VPC resolver, is not
 * subject to security groups).
 */
export class CodeBuildGithubRunner extends Construct {
  readonly project: CodebuildProject;
  readonly webhook: CodebuildWebhook;
  readonly role: IamRole;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly projectName: string;
  readonly projectArn: string;
  readonly roleArn: string;
  readonly securityGroupId: string;
  /** The `runs-on` label of a job for this runner. */
  readonly runsOnLabel: string;

  constructor(scope: Construct, id: string, props: CodeBuildGithubRunnerProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const computeType = props.computeType ?? 'BUILD_GENERAL1_SMALL';
    const image = props.image ?? DEFAULT_CODEBUILD_RUNNER_IMAGE;
    const timeout = props.timeoutMinutes ?? 120;
    const retention = props.logRetentionDays ?? 365;

    check(typeof props.name === 'string' && PROJECT_NAME.test(props.name), 'name', `${show(props.name)} is not a usable runner name; allowed: 2-64 letters, digits, '-' and '_', starting with a letter or digit (it also names the IAM role)`);
    check(typeof props.githubRepository === 'string' && REPOSITORY.test(props.githubRepository), 'githubRepository', `${show(props.githubRepository)} is not a GitHub repository; allowed: "owner/name"`);
    checkAccountId(props.accountId, 'accountId');
    checkConnectionArn(props.codeConnectionArn, 'codeConnectionArn', props.accountId);
    check((CODEBUILD_RUNNER_COMPUTE_TYPES as readonly string[]).includes(computeType), 'computeType', `${show(computeType)} is not a runner compute type; allowed: ${CODEBUILD_RUNNER_COMPUTE_TYPES.join(', ')}`);
    check(typeof image === 'string' && CURATED_IMAGE.test(image), 'image', `${show(image)} is not a CodeBuild-curated x86_64 Linux image; allowed: e.g. "${DEFAULT_CODEBUILD_RUNNER_IMAGE}" or "aws/codebuild/amazonlinux-x86_64-standard:5.0" (custom images would need registry access the role does not have)`);
    check(Number.isInteger(timeout) && timeout >= 5 && timeout <= 2160, 'timeoutMinutes', `${show(timeout)} is not a build timeout; allowed: whole minutes from 5 to 2160`);
    checkRetentionDays(retention, 'logRetentionDays');
    if (!Token.isUnresolved(props.subnetIds)) {
      check(props.subnetIds.length >= 1 && props.subnetIds.length <= 16, 'subnetIds', `${show(props.subnetIds)}: allowed: 1 to 16 private subnets`);
    }

    const name = props.name;
    const partition = partitionOf(props.region);
    const tags = (n: string) => ({ Name: n });

    const key = new EncryptionKey(this, 'log-key', {
      description: `${name}: CodeBuild runner logs`,
      alias: `${name}-logs`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
    });
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/codebuild/${name}`,
      retentionInDays: retention,
      kmsKeyId: key.keyArn,
      tags: tags(name),
    });

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name,
      description: `${name}: CodeBuild GitHub Actions runner; no inbound, HTTPS out`,
      vpcId: props.vpcId,
      tags: tags(name),
    });
    // GitHub (runner registration, actions, checkout), the AWS APIs, the Terraform and npm registries,
    // the state bucket (S3 gateway endpoint) and the cluster's private endpoint: all HTTPS.
    new VpcSecurityGroupEgressRule(this, 'egress-https', {
      securityGroupId: this.securityGroup.id,
      description: 'HTTPS: GitHub, AWS APIs, registries, the Kubernetes API',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      tags: tags(`${name}-egress-https`),
    });

    this.role = new IamRole(this, 'role', {
      name,
      description: `${name}: CodeBuild GitHub Actions runner (network interfaces, its logs, the GitHub connection)`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: serviceTrustPolicy('codebuild.amazonaws.com', props.accountId),
      tags: tags(name),
    });
    const subnetPattern = `arn:${partition}:ec2:${props.region}:${props.accountId}:subnet/%s`;
    const tokenSubnets = Token.isUnresolved(props.subnetIds);
    const connection = connectionService(props.codeConnectionArn);
    const statements: PolicyStatement[] = [
      {
        Sid: 'Logs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
      },
      {
        // CodeBuild's documented set for builds in a VPC: the describes and the interface itself take no resource scope.
        Sid: 'VpcNetworkInterfaces',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs'],
        Resource: '*',
      },
      {
        Sid: 'VpcNetworkInterfacePermission',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterfacePermission',
        Resource: `arn:${partition}:ec2:${props.region}:${props.accountId}:network-interface/*`,
        Condition: { StringEquals: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': tokenSubnets ? SUBNET_ARNS_PLACEHOLDER : props.subnetIds.map((s) => subnetPattern.replace('%s', s)) } },
      },
      {
        // CodeBuild checks this on CreateProject and uses it to register each runner with GitHub.
        Sid: 'GithubConnection',
        Effect: 'Allow',
        Action: [`${connection}:GetConnection`, `${connection}:GetConnectionToken`],
        Resource: props.codeConnectionArn,
      },
    ];
    let policy = policyDocument(statements);
    if (tokenSubnets) {
      // A token list cannot be spelt inside a JSON string: Terraform renders the ARNs (`formatlist`) as a
      // JSON array in a local value of their own, which the policy names.
      const arns = new TerraformLocal(this, 'subnet-arns-json', Fn.jsonencode(Fn.formatlist(subnetPattern, [props.subnetIds])));
      policy = policy.replace(JSON.stringify(SUBNET_ARNS_PLACEHOLDER), arns.asString);
    }
    const rolePolicy = new IamRolePolicy(this, 'role-policy', { role: this.role.id, name: 'codebuild-runner', policy });

    this.project = new CodebuildProject(this, 'project', {
      name,
      description: `GitHub Actions runner for ${props.githubRepository}: jobs labelled codebuild-${name}-<run id>-<attempt>`,
      serviceRole: this.role.arn,
      buildTimeout: timeout,
      encryptionKey: key.keyArn,
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: { type: 'LINUX_CONTAINER', computeType, image, imagePullCredentialsType: 'CODEBUILD', privilegedMode: false },
      source: {
        type: 'GITHUB',
        location: `https://github.com/${props.githubRepository}.git`,
        auth: { type: 'CODECONNECTIONS', resource: props.codeConnectionArn },
      },
      vpcConfig: { vpcId: props.vpcId, subnets: props.subnetIds, securityGroupIds: [this.securityGroup.id] },
      logsConfig: { cloudwatchLogs: { status: 'ENABLED', groupName: this.logGroup.name }, s3Logs: { status: 'DISABLED' } },
      tags: tags(name),
      // CreateProject checks the role's access to the connection and to the VPC (it retries only the latter).
      dependsOn: [rolePolicy],
    });
    // Runner projects start on GitHub's workflow_job "queued" event; CodeBuild creates the repository
    // webhook through the connection, which must be authorised (Available) and installed on the repository.
    this.webhook = new CodebuildWebhook(this, 'webhook', {
      projectName: this.project.name,
      buildType: 'BUILD',
      filterGroup: [{ filter: [{ type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' }] }],
    });

    this.projectName = this.project.name;
    this.projectArn = this.project.arn;
    this.roleArn = this.role.arn;
    this.securityGroupId = this.securityGroup.id;
    this.runsOnLabel = codebuildRunnerLabel(name);
  }
}
