import { partitionOf } from '../core/iam';

/** The two GitHub Actions deploy roles of an environment. */
export const GITHUB_DEPLOY_ROLES = ['plan', 'apply'] as const;
export type GithubDeployRoleKind = (typeof GITHUB_DEPLOY_ROLES)[number];

/**
 * Name of a GitHub Actions deploy role, `<namePrefix>-github-<plan|apply>`: the one place the name
 * is spelt. `GithubOidcDeployRole` creates the roles under these names (no path).
 */
export function githubDeployRoleName(namePrefix: string, kind: GithubDeployRoleKind): string {
  return `${namePrefix}-github-${kind}`;
}

/**
 * ARN of a GitHub Actions deploy role, known before the role exists (the name is fixed and the role
 * has no path). Stacks that are not the role's own (the cluster stack's access entries) use this
 * rather than reading the hand-applied, locally kept state of the bootstrap stack.
 */
export function githubDeployRoleArn(namePrefix: string, kind: GithubDeployRoleKind, region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${githubDeployRoleName(namePrefix, kind)}`;
}
