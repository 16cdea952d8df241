import { Construct } from 'constructs';
import { GithubDeployRoleKind, GithubOidcDeployRole, StateBucket, deployBoundaryName, githubDeployRoleArn, githubOidcProviderArn } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings, lockTableName } from './platform-stack';

/**
 * `<env>-state`: the bootstrap stack. It creates the bucket every other stack keeps its state in,
 * so it keeps its own small state locally (commit-free; see the README for where to keep it).
 * With a `cicd` section it also holds the GitHub Actions deploy roles: like the bucket they must exist
 * before any pipeline runs, they need the state bucket and key, and keeping them in the hand-applied
 * bootstrap stack means no pipeline plans or applies changes to its own identity.
 */
export class StateStack extends PlatformStack {
  readonly stateBucket: StateBucket;
  /** GitHub Actions plan and apply roles, when the environment has a `cicd` section. */
  readonly deployRoles?: GithubOidcDeployRole;

  constructor(scope: Construct, env: ResolvedEnvironment, settings: StackSettings = {}) {
    super(scope, env, 'state', settings, 'local');
    const s = env.state;
    this.stateBucket = forEnvironment(env.name, 'state', () =>
      new StateBucket(this, 'state', {
        bucketName: s.bucket,
        accountId: env.accountId,
        region: s.region ?? env.region,
        noncurrentVersionDays: s.noncurrentVersionDays,
        lockTableName: s.locking === 'dynamodb' ? lockTableName(s.bucket) : undefined,
        accessLogBucket: s.accessLogBucket,
        accessLogRetentionDays: s.accessLogRetentionDays,
      }),
      { bucketName: 'bucket' },
    );
    this.publish('state_bucket', this.stateBucket.bucketName, s.bucket, 'S3 bucket holding the Terraform state of this environment');
    this.publish('state_kms_key_arn', this.stateBucket.kmsKeyArn, `arn:aws:kms:${env.region}:${env.accountId}:key/00000000-0000-0000-0000-000000000000`, 'KMS key encrypting the state bucket');
    if (this.stateBucket.lockTableName) {
      this.publish('lock_table', this.stateBucket.lockTableName, lockTableName(s.bucket), 'DynamoDB table for state locking');
    }
    const cicd = env.cicd;
    if (cicd) {
      const roles = forEnvironment(env.name, 'cicd', () =>
        new GithubOidcDeployRole(this, 'github', {
          githubRepository: cicd.githubRepository,
          githubRepositoryIds: cicd.githubRepositoryIds,
          planBranches: cicd.planBranches,
          pullRequests: cicd.pullRequests,
          applyEnvironment: cicd.applyEnvironment ?? env.name,
          applyBranch: cicd.applyBranch,
          boundaryExtraServices: cicd.boundaryExtraServices,
          // The same name every other stack's roles name as their boundary (PlatformStack.permissionsBoundaryArn).
          boundaryPolicyName: deployBoundaryName(env.prefix),
          // What this environment names: `<project>-<env>-*`, the cluster, configured bucket names.
          resourceNamePrefixes: [...new Set([env.prefix, env.cluster.name])],
          clusterNames: [env.cluster.name],
          bucketNames: configuredBucketNames(env),
          oidcProviderArn: cicd.createOidcProvider === false ? githubOidcProviderArn(env.region, env.accountId) : undefined,
          namePrefix: env.prefix,
          accountId: env.accountId,
          region: env.region,
          stateBucket: s.bucket,
          stateBucketArn: this.stateBucket.bucketArn,
          stateKmsKeyArn: this.stateBucket.kmsKeyArn,
          stateKeyPrefix: `${env.name}/`,
          lockTableName: this.stateBucket.lockTableName,
          codeConnectionArns: cicd.clusterRunner ? [cicd.clusterRunner.codeConnectionArn] : undefined,
        }),
        { 'codeConnectionArns[0]': 'clusterRunner.codeConnectionArn' },
      );
      this.deployRoles = roles;
      this.publish('deploy_boundary_arn', roles.boundaryPolicy.arn, roles.boundaryArn, 'Permissions boundary every IAM role of this environment carries');
      const roleStub = (n: GithubDeployRoleKind) => githubDeployRoleArn(env.prefix, n, env.region, env.accountId);
      this.publish('github_plan_role_arn', roles.planRoleArn, roleStub('plan'), 'Role GitHub Actions assumes to plan (set as the AWS_PLAN_ROLE_ARN variable)');
      this.publish('github_apply_role_arn', roles.applyRoleArn, roleStub('apply'), 'Role GitHub Actions assumes to apply (set as the AWS_APPLY_ROLE_ARN environment variable)');
    }
  }
}

/** Bucket names set in the config (not derived from the prefix), with their default log buckets. */
function configuredBucketNames(env: ResolvedEnvironment): string[] {
  const f = env.frontend ?? {};
  const names = [f.bucketName, f.logBucketName ?? (f.bucketName ? `${f.bucketName}-logs` : undefined), env.batch?.bucketName, env.batch?.bucketName ? `${env.batch.bucketName}-logs` : undefined];
  // A malformed name is left to the stack that owns it, which reports it under its own field.
  const plausible = (n: unknown): n is string => typeof n === 'string' && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(n);
  return [...new Set(names.filter((n): n is string => plausible(n) && !n.startsWith(`${env.prefix}-`)))];
}
