import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { PolicyStatement, managedPolicyArn, partitionOf, policyDocument } from '../core/iam';
import { check, checkAccountId, checkBucketName, show } from '../core/validation';
import { githubDeployRoleName } from './deploy-role-names';

/** Issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** ARN of the (one per account) IAM OIDC provider for GitHub Actions, for `oidcProviderArn` when it exists already. */
export function githubOidcProviderArn(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

export interface GithubOidcDeployRoleProps {
  /**
   * The GitHub repository whose Actions workflows may assume the roles, `owner/name`, spelt exactly as
   * GitHub shows it (IAM compares the token's `sub` claim case-sensitively).
   */
  readonly githubRepository: string;
  /** Prefix of the role names: `<namePrefix>-github-plan` and `<namePrefix>-github-apply`. */
  readonly namePrefix: string;
  /** Account the roles live in (self-protection statements, lock table ARN). */
  readonly accountId: string;
  /** Region (for the ARN partition and the lock table ARN). */
  readonly region: string;
  /**
   * ARN of an existing IAM OIDC provider for `token.actions.githubusercontent.com`. An account holds at
   * most one, so the second environment in an account passes `githubOidcProviderArn(region, account)`.
   * @default a provider is created here
   */
  readonly oidcProviderArn?: string;
  /**
   * Branches whose workflow runs (push, schedule, workflow_dispatch: token `sub`
   * `repo:<owner>/<name>:ref:refs/heads/<branch>`) may assume the plan role. `*` and `?` wildcards are
   * allowed (the plan role only reads). @default ["main"]
   */
  readonly planBranches?: string[];
  /** Pull-request runs (`sub` `repo:<owner>/<name>:pull_request`) may assume the plan role. @default true */
  readonly pullRequests?: boolean;
  /**
   * The GitHub environment whose jobs may assume the apply role (`sub`
   * `repo:<owner>/<name>:environment:<name>`). Give it required reviewers and restrict its deployment
   * branches to `main` in the repository settings: that is the approval gate.
   */
  readonly applyEnvironment: string;
  /** Name of the Terraform state bucket. */
  readonly stateBucket: string;
  /**
   * ARN of the state bucket as a reference (`StateBucket.bucketArn`) when the bucket is made in the
   * same stack, so the policies wait for it. @default built from `stateBucket`
   */
  readonly stateBucketArn?: string;
  /** ARN of the KMS key encrypting the state bucket. */
  readonly stateKmsKeyArn: string;
  /** Prefix of the state keys the roles may use, e.g. `dev/`. @default "" (the whole bucket) */
  readonly stateKeyPrefix?: string;
  /** DynamoDB lock table, when the state uses one instead of S3 lock files. @default none */
  readonly lockTableName?: string;
  /**
   * Managed policies of the apply role. Deploying this platform creates IAM roles, KMS keys, VPCs, EKS,
   * RDS, CloudFront and more; a policy able to create IAM roles with arbitrary policies is
   * administrator-equivalent anyway, so the default says so plainly. Narrow it with your own policies
   * and/or `permissionsBoundaryArn`. @default [AdministratorAccess]
   */
  readonly applyManagedPolicyArns?: string[];
  /** Permissions boundary for both roles. @default none */
  readonly permissionsBoundaryArn?: string;
  /** Longest session of the apply role, seconds (EKS, RDS and CloudFront take long). @default 7200 */
  readonly applyMaxSessionDuration?: number;
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const BRANCH = /^[A-Za-z0-9._/*?+-]{1,255}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;

/**
 * GitHub Actions deploy identities for one environment, with no long-lived keys: the account's IAM OIDC
 * provider for GitHub (optional) and two roles trusted only by one repository (`aud` =
 * `sts.amazonaws.com`, `sub` pinned):
 *
 * - **plan** (`<prefix>-github-plan`), for pull requests and the given branches: `ReadOnlyAccess`, read
 *   of the state objects, write/delete of the `.tflock` lock files only, and KMS use of the state key.
 *   It can run `terraform plan`, not change any resource or state.
 * - **apply** (`<prefix>-github-apply`), for jobs of one GitHub environment (approval gate):
 *   `applyManagedPolicyArns` plus read/write of the state, denied changes to these roles, the OIDC
 *   provider, the state bucket's policy and deletion and the state key.
 */
export class GithubOidcDeployRole extends Construct {
  readonly oidcProviderArn: string;
  readonly planRole: IamRole;
  readonly applyRole: IamRole;
  readonly planRoleArn: string;
  readonly applyRoleArn: string;
  /** Token subjects (`sub`) each role trusts. */
  readonly planSubjects: string[];
  readonly applySubjects: string[];

  constructor(scope: Construct, id: string, props: GithubOidcDeployRoleProps) {
    super(scope, id);
    const repo = props.githubRepository;
    check(
      typeof repo === 'string' && REPOSITORY.test(repo) && !/\/\.\.?$/.test(repo),
      'githubRepository',
      `${show(repo)} is not a GitHub repository; allowed: "owner/name" as GitHub spells it (owner: letters, digits and '-'; name: letters, digits, '.', '_' and '-')`,
    );
    checkAccountId(props.accountId, 'accountId');
    const branches = props.planBranches ?? ['main'];
    branches.forEach((b, i) =>
      check(typeof b === 'string' && BRANCH.test(b) && !b.startsWith('refs/'), `planBranches[${i}]`, `${show(b)} is not a branch name or pattern; allowed: a branch such as "main" or "release/*" (without refs/heads/)`),
    );
    const pullRequests = props.pullRequests ?? true;
    check(branches.length > 0 || pullRequests, 'planBranches', 'is empty and pullRequests is false, so no workflow could assume the plan role; allowed: at least one branch, or pullRequests: true');
    check(
      typeof props.applyEnvironment === 'string' && ENVIRONMENT.test(props.applyEnvironment),
      'applyEnvironment',
      `${show(props.applyEnvironment)} is not a GitHub environment name; allowed: 1-255 letters, digits, '.', '_' and '-' (no wildcards: the apply role trusts exactly one environment)`,
    );
    if (!Token.isUnresolved(props.stateBucket)) checkBucketName(props.stateBucket, 'stateBucket');
    const prefix = props.stateKeyPrefix ?? '';
    check(!prefix.startsWith('/') && !/[*?]/.test(prefix), 'stateKeyPrefix', `${show(prefix)} is not a key prefix; allowed: a prefix such as "dev/" without a leading "/" or wildcards`);
    if (props.oidcProviderArn !== undefined && !Token.isUnresolved(props.oidcProviderArn)) {
      check(
        /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(props.oidcProviderArn),
        'oidcProviderArn',
        `${show(props.oidcProviderArn)} is not the ARN of a GitHub Actions OIDC provider; allowed: arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`,
      );
    }
    const duration = props.applyMaxSessionDuration ?? 7200;
    check(Number.isInteger(duration) && duration >= 3600 && duration <= 43200, 'applyMaxSessionDuration', `${show(duration)} is not a session length; allowed: 3600-43200 seconds`);
    const planName = githubDeployRoleName(props.namePrefix, 'plan');
    const applyName = githubDeployRoleName(props.namePrefix, 'apply');
    check(/^[\w+=,.@-]{1,64}$/.test(applyName), 'namePrefix', `${show(props.namePrefix)} makes the role name ${show(applyName)}, not a valid IAM role name; allowed: at most 51 of letters, digits and +=,.@_-`);

    const partition = partitionOf(props.region);
    if (props.oidcProviderArn) {
      this.oidcProviderArn = props.oidcProviderArn;
    } else {
      // AWS trusts GitHub's certificate through its own CA library, so no thumbprint is pinned.
      const provider = new IamOpenidConnectProvider(this, 'oidc-provider', { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ['sts.amazonaws.com'] });
      this.oidcProviderArn = provider.arn;
    }

    this.planSubjects = [...(pullRequests ? [`repo:${repo}:pull_request`] : []), ...branches.map((b) => `repo:${repo}:ref:refs/heads/${b}`)];
    this.applySubjects = [`repo:${repo}:environment:${props.applyEnvironment}`];

    const bucketArn = props.stateBucketArn ?? `arn:${partition}:s3:::${props.stateBucket}`;
    const stateObjects = `${bucketArn}/${prefix}*`;
    const lockTableArn = props.lockTableName ? `arn:${partition}:dynamodb:${props.region}:${props.accountId}:table/${props.lockTableName}` : undefined;
    const listState: PolicyStatement = {
      Sid: 'ListState',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      ...(prefix ? { Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}),
    };
    const stateKey: PolicyStatement = { Sid: 'UseStateKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: props.stateKmsKeyArn };
    const lockTable: PolicyStatement[] = lockTableArn
      ? [{ Sid: 'LockTable', Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: lockTableArn }]
      : [];

    const role = (rid: string, name: string, subjects: string[], description: string, maxSessionDuration: number) => {
      // `aud` must be exact; `sub` uses StringLike only when a pattern needs it (both are case-sensitive).
      const condition: Record<string, Record<string, unknown>> = { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com' } };
      if (subjects.some((s) => /[*?]/.test(s))) condition.StringLike = { [`${GITHUB_OIDC_HOST}:sub`]: subjects };
      else condition.StringEquals[`${GITHUB_OIDC_HOST}:sub`] = subjects;
      return new IamRole(this, rid, {
        name,
        description,
        maxSessionDuration,
        permissionsBoundary: props.permissionsBoundaryArn,
        assumeRolePolicy: policyDocument([
          {
            Sid: 'GithubActions',
            Effect: 'Allow',
            Principal: { Federated: this.oidcProviderArn },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: condition,
          },
        ]),
      });
    };
    this.planRole = role('plan-role', planName, this.planSubjects, `GitHub Actions terraform plan for ${repo}: read-only, state lock files only`, 3600);
    new IamRolePolicyAttachment(this, 'plan-read-only', { role: this.planRole.name, policyArn: managedPolicyArn(props.region, 'ReadOnlyAccess') });
    new IamRolePolicy(this, 'plan-state', {
      role: this.planRole.id,
      name: 'terraform-state-plan',
      policy: policyDocument([
        listState,
        { Sid: 'ReadState', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: stateObjects },
        { Sid: 'LockFiles', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${bucketArn}/${prefix}*.tflock` },
        stateKey,
        ...lockTable,
      ]),
    });

    this.applyRole = role('apply-role', applyName, this.applySubjects, `GitHub Actions terraform apply for ${repo} (environment ${props.applyEnvironment})`, duration);
    (props.applyManagedPolicyArns ?? [managedPolicyArn(props.region, 'AdministratorAccess')]).forEach(
      (arn, i) => new IamRolePolicyAttachment(this, `apply-managed-${i}`, { role: this.applyRole.name, policyArn: arn }),
    );
    new IamRolePolicy(this, 'apply-state', {
      role: this.applyRole.id,
      name: 'terraform-state-apply',
      policy: policyDocument([
        listState,
        { Sid: 'ReadWriteState', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject'], Resource: stateObjects },
        stateKey,
        ...lockTable,
        {
          Sid: 'DenyChangingDeployIdentities',
          Effect: 'Deny',
          Action: [
            'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy',
            'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:TagRole', 'iam:UntagRole',
          ],
          Resource: [this.planRole.arn, this.applyRole.arn],
        },
        {
          Sid: 'DenyChangingOidcProvider',
          Effect: 'Deny',
          Action: ['iam:DeleteOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider'],
          Resource: this.oidcProviderArn,
        },
        { Sid: 'DenyDeletingState', Effect: 'Deny', Action: ['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration'], Resource: bucketArn },
        { Sid: 'DenyDisablingStateKey', Effect: 'Deny', Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy'], Resource: props.stateKmsKeyArn },
      ]),
    });

    this.planRoleArn = this.planRole.arn;
    this.applyRoleArn = this.applyRole.arn;
  }
}
