import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { checkProviderBindings } from '../core/bindings';
import { PolicyStatement, policyDocument } from '../core/iam';
import { check, show } from '../core/validation';
import { GITHUB_OIDC_HOST } from './github-oidc-deploy-role';

/**
 * `sub` claim format of the application repository's tokens: `default` is GitHub's template
 * (`repo:<owner>/<name>:ref:refs/heads/<branch>`), `repo-context-ref` the customised one of the
 * platform repository (`repo`, `context`, `ref` claims: `repo:<owner>/<name>:ref:refs/heads/<branch>:ref:refs/heads/<branch>`).
 */
export type GithubSubjectTemplate = 'default' | 'repo-context-ref';

/** What pushing an image takes, besides the registry login: layers up, manifest in, and reading back the scan. */
export const ECR_PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
  'ecr:BatchGetImage',
  'ecr:DescribeImages',
  'ecr:DescribeImageScanFindings',
] as const;

export interface GithubImagePushRoleProps {
  /** Role name. */
  readonly roleName: string;
  /** The application repository, `owner/name` exactly as GitHub spells it. */
  readonly githubRepository: string;
  /** The one branch whose runs may push (the repository's protected default branch). No wildcards. @default "main" */
  readonly branch?: string;
  /** That repository's OIDC subject template. @default "default" */
  readonly subjectTemplate?: GithubSubjectTemplate;
  /** ARN of the account's GitHub Actions OIDC provider. */
  readonly oidcProviderArn: string;
  /** ARNs of the ECR repositories it may push to (references or literals); no other. */
  readonly repositoryArns: string[];
  /** KMS key of those repositories, used through ECR only. @default none (AES256 repositories) */
  readonly kmsKeyArn?: string;
  /** Region of the repositories (scopes the key's use to ECR of this region). */
  readonly region: string;
  /** Permissions boundary. @default none */
  readonly permissionsBoundaryArn?: string;
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const EXACT_BRANCH = /^[A-Za-z0-9._/+-]{1,255}$/;

/**
 * Image CI for one application repository: a role its GitHub Actions workflows assume with OIDC
 * (no keys), only from runs on one branch (`aud` sts.amazonaws.com, `sub` exact), that can log in to
 * ECR (`ecr:GetAuthorizationToken`, which has no resource) and push to, and read the scan findings
 * of, exactly the given repositories; with a KMS key, use it through ECR of that region only.
 */
export class GithubImagePushRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  /** The token subject the role trusts. */
  readonly subject: string;

  constructor(scope: Construct, id: string, props: GithubImagePushRoleProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const repo = props.githubRepository;
    check(typeof repo === 'string' && REPOSITORY.test(repo) && !/\/\.\.?$/.test(repo), 'githubRepository', `${show(repo)} is not a GitHub repository; allowed: "owner/name" as GitHub spells it`);
    const branch = props.branch ?? 'main';
    check(typeof branch === 'string' && EXACT_BRANCH.test(branch) && !branch.startsWith('refs/'), 'branch', `${show(branch)} is not a branch name; allowed: one branch such as "main" (without refs/heads/, no wildcards)`);
    const template = props.subjectTemplate ?? 'default';
    check(template === 'default' || template === 'repo-context-ref', 'subjectFormat', `${show(template)} is not a subject template; allowed: "default" | "repo-context-ref"`);
    check(props.repositoryArns.length > 0, 'ecrRepositories', 'is empty; allowed: at least one ECR repository of the environment');
    for (const arn of props.repositoryArns) {
      if (!Token.isUnresolved(arn)) check(/^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/[^*?]+$/.test(arn), 'ecrRepositories', `${show(arn)} is not one ECR repository ARN; allowed: arn:aws:ecr:<region>:<account>:repository/<name>, no wildcards`);
    }
    check(/^[\w+=,.@-]{1,64}$/.test(props.roleName), 'githubRepository', `makes the role name ${show(props.roleName)}, not a valid IAM role name; allowed: at most 64 of letters, digits and +=,.@_-`);

    const ref = `ref:refs/heads/${branch}`;
    this.subject = template === 'default' ? `repo:${repo}:${ref}` : `repo:${repo}:${ref}:${ref}`;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `GitHub Actions image CI of ${repo} (branch ${branch}): push to its ECR repositories only`,
      maxSessionDuration: 3600,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Federated: props.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_HOST}:sub`]: this.subject } },
        },
      ]),
    });
    const statements: PolicyStatement[] = [
      // GetAuthorizationToken supports no resource-level permission: the token alone reaches nothing.
      { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'PushOwnRepositories', Effect: 'Allow', Action: [...ECR_PUSH_ACTIONS], Resource: props.repositoryArns },
    ];
    if (props.kmsKeyArn) {
      statements.push({
        Sid: 'RepositoryKeyThroughEcr',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: props.kmsKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': `ecr.${props.region}.amazonaws.com` } },
      });
    }
    new IamRolePolicy(this, 'push', { role: this.role.id, name: 'ecr-push', policy: policyDocument(statements) });
    this.roleArn = this.role.arn;
  }
}
