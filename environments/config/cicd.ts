import { z } from 'zod';
import { CODEBUILD_RUNNER_COMPUTE_TYPES } from '../../modules';
import type { CodeBuildRunnerComputeType } from '../../modules';

// Owner: the CI/CD pipeline (issue 6). Interface (documented, with @default) and zod schema side by side.

/**
 * GitHub Actions deploy roles for this environment (OIDC, no long-lived keys), created by the
 * `<env>-state` bootstrap stack with their permissions boundary `<project>-<env>-deploy-boundary`: a
 * plan role (configuration reads, the state, lock files) for pull requests and `planBranches`, and an
 * apply role (the platform's services, scoped to this environment) for jobs of the `applyEnvironment`
 * GitHub environment on `applyBranch`. With this section every IAM role of the environment carries the
 * boundary (without it, none does). The repository's OIDC subject template must include `repo`,
 * `context` and `ref` (one-time setting, docs/usage.md).
 */
export interface CicdConfig {
  /** GitHub repository `owner/name` whose workflows may assume the roles, spelt exactly as GitHub shows it. */
  readonly githubRepository: string;
  /**
   * Numeric ids of the owner and repository, for repositories whose OIDC subjects use GitHub's
   * immutable format `repo:<owner>@<id>/<name>@<id>` (created after 15 July 2026, renamed or transferred
   * since, or opted in). `gh api repos/<owner>/<name> --jq '.owner.id, .id'`. @default none: the `owner/name` format
   */
  readonly githubRepositoryIds?: GithubRepositoryIdsConfig;
  /** Branches whose runs may assume the plan role (`*` wildcards allowed). @default ["main"] */
  readonly planBranches?: string[];
  /** Pull-request runs may assume the plan role (subject `repo:<owner>/<name>:pull_request:ref:refs/pull/<n>/merge`). @default true */
  readonly pullRequests?: boolean;
  /**
   * GitHub environment whose jobs may assume the apply role; give it required reviewers and restrict
   * its deployment branches to `applyBranch`. @default the environment's name
   */
  readonly applyEnvironment?: string;
  /**
   * The protected branch the apply role's trust policy requires along with `applyEnvironment`
   * (subject `repo:<owner>/<name>:environment:<applyEnvironment>:ref:refs/heads/<applyBranch>`); no
   * wildcards. @default "main"
   */
  readonly applyBranch?: string;
  /**
   * AWS services, beyond the platform's own, that roles created under the deploy boundary may use,
   * as IAM service prefixes (e.g. `["dynamodb", "sqs"]` for your applications' IRSA roles). A bounded
   * role can use no other service, whatever its policies say. @default []
   */
  readonly boundaryExtraServices?: string[];
  /**
   * Create the account's IAM OIDC provider for GitHub Actions. An account holds one: set false for the
   * second environment sharing an account, or when it exists already. @default true
   */
  readonly createOidcProvider?: boolean;
  /**
   * A CodeBuild-hosted GitHub Actions runner in the environment's private subnets (the `<env>-runner`
   * stack), for the jobs that talk to the Kubernetes API (`<env>-addons`): GitHub-hosted runners cannot
   * reach a private endpoint, nor a public one that allowlists only your networks. The workflows select
   * it through the repository variable `CLUSTER_RUNNER_PROJECT` (docs/usage.md). Needs NAT gateways.
   * @default none: every job runs on GitHub-hosted runners
   */
  readonly clusterRunner?: ClusterRunnerConfig;
}

/** The CodeBuild project that runs GitHub Actions jobs inside the VPC; billed per build minute, nothing between jobs. */
export interface ClusterRunnerConfig {
  /**
   * ARN of an AWS CodeConnections connection to GitHub in this environment's account, created once in
   * the console (Developer Tools > Settings > Connections > GitHub), authorised, with the AWS Connector
   * for GitHub app installed on the repository: `arn:aws:codeconnections:<region>:<account>:connection/<id>`
   * (older connections: `arn:aws:codestar-connections:...`). No personal access token is used.
   */
  readonly codeConnectionArn: string;
  /** CodeBuild compute type of each runner: SMALL 2 vCPU/3 GiB, MEDIUM 4/7, LARGE 8/15 (price per minute rises with it). @default "BUILD_GENERAL1_SMALL" */
  readonly computeType?: CodeBuildRunnerComputeType;
  /** A CodeBuild-curated x86_64 Linux image. @default "aws/codebuild/standard:7.0" (Ubuntu, like ubuntu-latest) */
  readonly image?: string;
  /** Minutes after which CodeBuild stops a job's build. @default 120 (the apply workflow's job timeout) */
  readonly timeoutMinutes?: number;
  /** Days the runner's build logs are kept (KMS-encrypted; production: at least 365). @default 365 */
  readonly logRetentionDays?: number;
}

/** The numeric ids GitHub puts in immutable OIDC subjects. */
export interface GithubRepositoryIdsConfig {
  /** Id of the user or organization owning the repository (`gh api repos/<owner>/<name> --jq .owner.id`). */
  readonly ownerId: number;
  /** Id of the repository (`gh api repos/<owner>/<name> --jq .id`). */
  readonly repositoryId: number;
}

export const cicdSchema = z
  .object({
    githubRepository: z.string(),
    githubRepositoryIds: z.object({ ownerId: z.number(), repositoryId: z.number() }).strict().optional(),
    planBranches: z.array(z.string()).optional(),
    pullRequests: z.boolean().optional(),
    applyEnvironment: z.string().optional(),
    applyBranch: z.string().optional(),
    boundaryExtraServices: z.array(z.string()).optional(),
    createOidcProvider: z.boolean().optional(),
    clusterRunner: z
      .object({
        codeConnectionArn: z.string(),
        computeType: z.enum(CODEBUILD_RUNNER_COMPUTE_TYPES).optional(),
        image: z.string().optional(),
        timeoutMinutes: z.number().optional(),
        logRetentionDays: z.number().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
