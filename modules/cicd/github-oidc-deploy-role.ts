import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { checkProviderBindings } from '../core/bindings';
import { PolicyStatement, partitionOf, policyDocument } from '../core/iam';
import { check, checkAccountId, checkBucketName, show } from '../core/validation';
import { githubDeployRoleName } from './deploy-role-names';
import { deployBoundaryName } from './deploy-boundary';
import { checkConnectionArn } from './codebuild-github-runner';
import { DeployScope, WORKLOAD_SERVICES, applyPolicies, boundaryStatements, planStatements, servicesOf } from './deploy-policies';

/** Issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** ARN of the (one per account) IAM OIDC provider for GitHub Actions, for `oidcProviderArn` when it exists already. */
export function githubOidcProviderArn(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}


/**
 * The claims GitHub must put in the token's `sub` for these roles (the repository's OIDC subject
 * template, set once: `PUT /repos/{owner}/{repo}/actions/oidc/customization/sub` with
 * `{"use_default": false, "include_claim_keys": ["repo", "context", "ref"]}`). With them the subject
 * carries the GitHub environment and the branch together, so the apply role can require both.
 */
export const GITHUB_SUBJECT_CLAIM_KEYS = ['repo', 'context', 'ref'] as const;

/** IDs GitHub puts in the `repo` claim of repositories that use immutable subjects (created after 15 July 2026, or opted in). */
export interface GithubRepositoryIds {
  /** Numeric id of the owner (user or organization): `gh api users/<owner> --jq .id`. */
  readonly ownerId: number;
  /** Numeric id of the repository: `gh api repos/<owner>/<name> --jq .id`. */
  readonly repositoryId: number;
}

/**
 * Token subjects under the `repo`, `context`, `ref` template: `repo:<repo>:<context>:ref:<ref>`,
 * where the context is `environment:<name>` for a job in a GitHub environment, `pull_request` for a
 * pull-request run (ref `refs/pull/<n>/merge`), and `ref:<ref>` otherwise.
 */
export function githubSubjects(repository: string, ids?: GithubRepositoryIds) {
  const [owner, name] = repository.split('/');
  const repo = ids ? `${owner}@${ids.ownerId}/${name}@${ids.repositoryId}` : repository;
  return {
    environment: (environment: string, branch: string) => `repo:${repo}:environment:${environment}:ref:refs/heads/${branch}`,
    pullRequest: () => `repo:${repo}:pull_request:ref:refs/pull/*/merge`,
    branch: (branch: string) => `repo:${repo}:ref:refs/heads/${branch}:ref:refs/heads/${branch}`,
  };
}

export interface GithubOidcDeployRoleProps {
  /**
   * The GitHub repository whose Actions workflows may assume the roles, `owner/name`, spelt exactly as
   * GitHub shows it (IAM compares the token's `sub` claim case-sensitively).
   */
  readonly githubRepository: string;
  /**
   * The repository's numeric ids, for repositories whose tokens use GitHub's immutable subject format
   * (`repo:<owner>@<id>/<name>@<id>:...`: created after 15 July 2026, renamed or transferred since, or
   * opted in). @default none: the `owner/name` format
   */
  readonly githubRepositoryIds?: GithubRepositoryIds;
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
   * Branches whose workflow runs (push, schedule, workflow_dispatch) may assume the plan role. `*` and
   * `?` wildcards are allowed (the plan role only reads). @default ["main"]
   */
  readonly planBranches?: string[];
  /** Pull-request runs (from branches of this repository; forks get no token) may assume the plan role. @default true */
  readonly pullRequests?: boolean;
  /**
   * The GitHub environment whose jobs may assume the apply role. Give it required reviewers and
   * restrict its deployment branches to `applyBranch` in the repository settings: that is the
   * approval gate.
   */
  readonly applyEnvironment: string;
  /**
   * The one (protected) branch whose runs of `applyEnvironment` jobs may assume the apply role; the
   * trust policy requires both. No wildcards. @default "main"
   */
  readonly applyBranch?: string;
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
   * Names of what the apply role may create and change start with one of these and `-` (IAM roles and
   * instance profiles, buckets, log groups, KMS aliases, alarms, topics, databases, web ACLs).
   * @default [namePrefix]
   */
  readonly resourceNamePrefixes?: string[];
  /** EKS clusters the apply role manages (with their node groups, add-ons, access entries...). @default [namePrefix] */
  readonly clusterNames?: string[];
  /** Buckets outside `resourceNamePrefixes` the apply role manages (configured bucket names). @default none */
  readonly bucketNames?: string[];
  /**
   * Name of the permissions boundary policy created here: the deploy roles carry it, and every IAM
   * role the apply role creates must carry it. @default `deployBoundaryName(namePrefix)` (`<namePrefix>-deploy-boundary`)
   */
  readonly boundaryPolicyName?: string;
  /**
   * Services, beyond the platform's own, that roles created under the boundary may use (e.g.
   * `dynamodb` for an application's IRSA role). Bounded roles can use no other service, whatever
   * their policies say. @default none
   */
  readonly boundaryExtraServices?: string[];
  /**
   * Further managed policies for the apply role, on top of the platform's (for resources you add).
   * The boundary still caps them. @default none
   */
  readonly applyManagedPolicyArns?: string[];
  /** Longest session of the apply role, seconds (EKS, RDS and CloudFront take long). @default 7200 */
  readonly applyMaxSessionDuration?: number;
  /**
   * AWS CodeConnections connections of the environment's CodeBuild GitHub runner
   * (`CodeBuildGithubRunner`). With any, the apply role gets a `runner` policy: CodeBuild projects and
   * webhooks under `resourceNamePrefixes`, and passing these connections to CodeBuild (only); the plan
   * role reads those projects. @default none
   */
  readonly codeConnectionArns?: string[];
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const BRANCH = /^[A-Za-z0-9._/*?+-]{1,255}$/;
const EXACT_BRANCH = /^[A-Za-z0-9._/+-]{1,255}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const SERVICE = /^[a-z0-9-]{2,40}$/;
const NAME_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * GitHub Actions deploy identities for one environment, with no long-lived keys: the account's IAM OIDC
 * provider for GitHub (optional), a permissions boundary, and two roles trusted only by one
 * repository (`aud` = `sts.amazonaws.com`, `sub` pinned under the `repo`/`context`/`ref` subject
 * template, `GITHUB_SUBJECT_CLAIM_KEYS`):
 *
 * - **plan** (`<prefix>-github-plan`), for pull requests and the given branches: reads the
 *   configuration of what the platform manages (no data: no SSM parameter but AWS's public AMI ones,
 *   no secret value, log event, object or item), the state, and writes only the `.tflock` lock files.
 * - **apply** (`<prefix>-github-apply`), for jobs of one GitHub environment on one branch (approval
 *   gate): the platform's services scoped to its names, cluster and region (`deploy-policies.ts`),
 *   read/write of the state. Every role it creates must carry the boundary.
 * - **boundary** (`<prefix>-deploy-boundary`): what no deploy role, nor any role it creates, can ever
 *   do (IAM users and keys, other identity providers, Organizations, removing the boundary, changing
 *   the deploy roles, destroying or exposing the state).
 */
export class GithubOidcDeployRole extends Construct {
  readonly oidcProviderArn: string;
  readonly planRole: IamRole;
  readonly applyRole: IamRole;
  readonly planRoleArn: string;
  readonly applyRoleArn: string;
  /** The permissions boundary policy and its ARN (a literal: known at synth). */
  readonly boundaryPolicy: IamPolicy;
  readonly boundaryArn: string;
  /** The apply role's managed policies, by area (`network`, `cluster`, `data`, `edge`). */
  readonly applyPolicies: Record<string, IamPolicy>;
  /** Token subjects (`sub`) each role trusts. */
  readonly planSubjects: string[];
  readonly applySubjects: string[];

  constructor(scope: Construct, id: string, props: GithubOidcDeployRoleProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const repo = props.githubRepository;
    check(
      typeof repo === 'string' && REPOSITORY.test(repo) && !/\/\.\.?$/.test(repo),
      'githubRepository',
      `${show(repo)} is not a GitHub repository; allowed: "owner/name" as GitHub spells it (owner: letters, digits and '-'; name: letters, digits, '.', '_' and '-')`,
    );
    const ids = props.githubRepositoryIds;
    if (ids !== undefined) {
      for (const k of ['ownerId', 'repositoryId'] as const) {
        check(Number.isSafeInteger(ids[k]) && ids[k] > 0, `githubRepositoryIds.${k}`, `${show(ids[k])} is not a GitHub id; allowed: the positive number \`gh api\` prints`);
      }
    }
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
    const applyBranch = props.applyBranch ?? 'main';
    check(
      typeof applyBranch === 'string' && EXACT_BRANCH.test(applyBranch) && !applyBranch.startsWith('refs/'),
      'applyBranch',
      `${show(applyBranch)} is not a branch name; allowed: one branch such as "main" (without refs/heads/, no wildcards: only the protected branch may apply)`,
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
    const namePrefixes = props.resourceNamePrefixes ?? [props.namePrefix];
    check(namePrefixes.length > 0, 'resourceNamePrefixes', 'is empty; allowed: at least one name prefix');
    namePrefixes.forEach((n, i) => check(typeof n === 'string' && NAME_PREFIX.test(n), `resourceNamePrefixes[${i}]`, `${show(n)} is not a name prefix; allowed: 1-63 letters, digits, '_', '.' and '-', no wildcards`));
    const clusterNames = props.clusterNames ?? [props.namePrefix];
    clusterNames.forEach((n, i) => check(typeof n === 'string' && /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(n), `clusterNames[${i}]`, `${show(n)} is not an EKS cluster name; allowed: 1-100 letters, digits, '-' and '_'`));
    const bucketNames = props.bucketNames ?? [];
    bucketNames.forEach((b, i) => checkBucketName(b, `bucketNames[${i}]`));
    const extraServices = props.boundaryExtraServices ?? [];
    extraServices.forEach((x, i) =>
      check(typeof x === 'string' && SERVICE.test(x) && x !== 'organizations' && x !== 'account', `boundaryExtraServices[${i}]`, `${show(x)} is not a service prefix the boundary may allow; allowed: an IAM service prefix such as "dynamodb" or "sqs" (not organizations or account)`),
    );

    const connections = props.codeConnectionArns ?? [];
    connections.forEach((arn, i) => checkConnectionArn(arn, `codeConnectionArns[${i}]`, props.accountId));

    const partition = partitionOf(props.region);
    const iamArn = (kind: string, name: string) => `arn:${partition}:iam::${props.accountId}:${kind}/${name}`;
    if (props.oidcProviderArn) {
      this.oidcProviderArn = props.oidcProviderArn;
    } else {
      // AWS trusts GitHub's certificate through its own CA library, so no thumbprint is pinned.
      const provider = new IamOpenidConnectProvider(this, 'oidc-provider', { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ['sts.amazonaws.com'] });
      this.oidcProviderArn = provider.arn;
    }

    const subjects = githubSubjects(repo, ids);
    this.planSubjects = [...(pullRequests ? [subjects.pullRequest()] : []), ...branches.map(subjects.branch)];
    this.applySubjects = [subjects.environment(props.applyEnvironment, applyBranch)];

    const bucketArn = props.stateBucketArn ?? `arn:${partition}:s3:::${props.stateBucket}`;
    const stateObjects = `${bucketArn}/${prefix}*`;
    const lockTableArn = props.lockTableName ? `arn:${partition}:dynamodb:${props.region}:${props.accountId}:table/${props.lockTableName}` : undefined;
    const boundaryName = props.boundaryPolicyName ?? deployBoundaryName(props.namePrefix);
    this.boundaryArn = iamArn('policy', boundaryName);
    const deployScope: DeployScope = {
      partition,
      region: props.region,
      accountId: props.accountId,
      namePrefixes,
      clusterNames,
      bucketNames,
      boundaryArn: this.boundaryArn,
      stateBucketArn: bucketArn,
      stateKmsKeyArn: props.stateKmsKeyArn,
      codeConnectionArns: connections,
    };
    const planDoc = planStatements(deployScope);
    const applyPolicyName = (area: string) => `${applyName}-${area}`;

    // The boundary allows the services of these policies and of the platform's own roles, no other.
    const services = [...new Set([...servicesOf([...Object.values(applyPolicies(deployScope)).flat(), ...planDoc]), ...WORKLOAD_SERVICES, 's3', 'kms', 'dynamodb', ...extraServices])].sort();
    this.boundaryPolicy = new IamPolicy(this, 'boundary', {
      name: boundaryName,
      description: `Permissions boundary of the GitHub deploy roles of ${props.namePrefix} and of every role they create`,
      policy: policyDocument(
        boundaryStatements({
          ...deployScope,
          services,
          // Patterns, not the roles' ARNs: the roles name this policy as their boundary, so it cannot wait for them.
          deployRoleArns: [iamArn('role', `${props.namePrefix}-github-*`)],
          deployPolicyArns: [iamArn('policy', `${applyName}-*`)],
        }),
      ),
    });
    // Everything else names the boundary by reference, so it waits for the policy to exist.
    const applyDocs = applyPolicies({ ...deployScope, boundaryArn: this.boundaryPolicy.arn });

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
        permissionsBoundary: this.boundaryPolicy.arn,
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
    this.planRole = role('plan-role', planName, this.planSubjects, `GitHub Actions terraform plan for ${repo}: configuration reads, state lock files only`, 3600);
    new IamRolePolicy(this, 'plan-refresh', { role: this.planRole.id, name: 'terraform-plan-refresh', policy: policyDocument(planDoc) });
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

    this.applyRole = role('apply-role', applyName, this.applySubjects, `GitHub Actions terraform apply for ${repo} (environment ${props.applyEnvironment}, branch ${applyBranch})`, duration);
    this.applyPolicies = {};
    for (const [area, statements] of Object.entries(applyDocs)) {
      const policy = new IamPolicy(this, `apply-${area}`, {
        name: applyPolicyName(area),
        description: `GitHub Actions terraform apply for ${props.namePrefix}: ${area}`,
        policy: policyDocument(statements),
      });
      this.applyPolicies[area] = policy;
      new IamRolePolicyAttachment(this, `apply-${area}-attachment`, { role: this.applyRole.name, policyArn: policy.arn });
    }
    (props.applyManagedPolicyArns ?? []).forEach((arn, i) => new IamRolePolicyAttachment(this, `apply-managed-${i}`, { role: this.applyRole.name, policyArn: arn }));
    new IamRolePolicy(this, 'apply-state', {
      role: this.applyRole.id,
      name: 'terraform-state-apply',
      policy: policyDocument([
        listState,
        { Sid: 'ReadWriteState', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject'], Resource: stateObjects },
        stateKey,
        ...lockTable,
        {
          Sid: 'DenyChangingGithubProvider',
          Effect: 'Deny',
          Action: ['iam:DeleteOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider'],
          Resource: this.oidcProviderArn,
        },
      ]),
    });

    this.planRoleArn = this.planRole.arn;
    this.applyRoleArn = this.applyRole.arn;
  }
}
