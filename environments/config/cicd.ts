import { z } from 'zod';

// Owner: the CI/CD pipeline (issue 6). Interface (documented, with @default) and zod schema side by side.

/**
 * GitHub Actions deploy roles for this environment (OIDC, no long-lived keys), created by the
 * `<env>-state` bootstrap stack: a plan role (read-only + state lock files) for pull requests and
 * `planBranches`, an apply role for jobs of the `applyEnvironment` GitHub environment.
 */
export interface CicdConfig {
  /** GitHub repository `owner/name` whose workflows may assume the roles, spelt exactly as GitHub shows it. */
  readonly githubRepository: string;
  /** Branches whose runs may assume the plan role (`ref:refs/heads/<branch>`; `*` wildcards allowed). @default ["main"] */
  readonly planBranches?: string[];
  /** Pull-request runs may assume the plan role (token subject `repo:<owner>/<name>:pull_request`). @default true */
  readonly pullRequests?: boolean;
  /**
   * GitHub environment whose jobs may assume the apply role; give it required reviewers and restrict
   * its deployment branches to main. @default the environment's name
   */
  readonly applyEnvironment?: string;
  /**
   * Create the account's IAM OIDC provider for GitHub Actions. An account holds one: set false for the
   * second environment sharing an account, or when it exists already. @default true
   */
  readonly createOidcProvider?: boolean;
}

export const cicdSchema = z
  .object({
    githubRepository: z.string(),
    planBranches: z.array(z.string()).optional(),
    pullRequests: z.boolean().optional(),
    applyEnvironment: z.string().optional(),
    createOidcProvider: z.boolean().optional(),
  })
  .strict();
