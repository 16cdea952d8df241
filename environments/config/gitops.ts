import { z } from 'zod';
import { SYNC_POLICIES } from '../../modules';
import type { SyncPolicy } from '../../modules';

// Owner: GitOps (issue 14). Interface (documented, with @default) and zod schema side by side.

/** One Argo CD Application. */
export interface GitopsApplicationConfig {
  /** Application name in Argo CD (a DNS label). */
  readonly name: string;
  /** Directory of its manifests in the repository (a Kustomize overlay, a Helm chart or plain manifests). */
  readonly path: string;
  /** Namespace it deploys into; one of `kubernetes.namespaces`. @default "eks-work" (`application.namespace`) */
  readonly namespace?: string;
  /** Git URL of its manifests; must be `repository` or one of `extraRepositories`. @default `repository` */
  readonly repository?: string;
  /** Branch, tag or commit. @default `revision` */
  readonly revision?: string;
  /** How it syncs. @default `syncPolicy` */
  readonly syncPolicy?: SyncPolicy;
}

/**
 * Which `sub` claim GitHub puts in the tokens of an application repository: `default` is GitHub's
 * own template, `repo:<owner>/<name>:ref:refs/heads/<branch>`; `repo-context-ref` is the customised
 * template this platform's repository uses (`repo`, `context`, `ref`: `repo:<owner>/<name>:ref:refs/heads/<branch>:ref:refs/heads/<branch>`
 * for a push outside a GitHub environment). `gh api repos/<owner>/<name>/actions/oidc/customization/sub` shows it.
 */
export const GITHUB_SUBJECT_FORMATS = ['default', 'repo-context-ref'] as const;
export type GithubSubjectFormat = (typeof GITHUB_SUBJECT_FORMATS)[number];

/** An application repository whose GitHub Actions build and push images (image CI). */
export interface ImageRepositoryConfig {
  /** GitHub repository `owner/name`, spelt exactly as GitHub shows it. */
  readonly githubRepository: string;
  /** ECR repositories of this environment (names in `registry.repositories`) its workflows may push to; no other. */
  readonly ecrRepositories: string[];
  /** The branch whose runs may push (its default branch; protect it). No wildcards. @default "main" */
  readonly branch?: string;
  /** The OIDC subject template of that repository. @default "default" */
  readonly subjectFormat?: GithubSubjectFormat;
}

/**
 * GitOps for the applications: Argo CD (a Helm add-on in `<env>-addons`, namespace `argocd`) syncs
 * them from Git into the application namespaces, through one AppProject per environment; GitHub
 * Actions in the application repositories build and push their images with OIDC roles made in
 * `<env>-registry` (docs/gitops.md).
 */
export interface GitopsConfig {
  /**
   * Git URL of the repository Argo CD reads the manifests from, e.g. this platform repository
   * (`https://github.com/<owner>/<name>.git`, whose `apps/backend-app/overlays/<env>` `npm run apps:render` writes).
   * A private one needs read credentials in the cluster (docs/gitops.md, Private repositories).
   */
  readonly repository: string;
  /** Branch, tag or commit the applications follow. @default "main" */
  readonly revision?: string;
  /** Further repositories the AppProject may deploy from (exact URLs). @default [] */
  readonly extraRepositories?: string[];
  /** The applications. @default [{ name: "backend-app", path: "apps/backend-app/overlays/<env>" }] (the manifests of `application`) */
  readonly applications?: GitopsApplicationConfig[];
  /**
   * `auto-prune` (sync every change, delete what left Git, undo manual changes), `auto` (the same
   * without deleting: a removed manifest stays running until a manual sync with prune) or `manual`.
   * @default "auto-prune", "auto" in production
   */
  readonly syncPolicy?: SyncPolicy;
  /** Argo CD's HA mode (Redis HA over three nodes, two API and repo servers). @default true in production, false elsewhere */
  readonly highAvailability?: boolean;
  /**
   * Application repositories that build images: each gets a GitHub OIDC role `<prefix>-image-<name>` in
   * `<env>-registry` that can push only to its ECR repositories. The account's GitHub OIDC provider must
   * exist (`cicd.createOidcProvider`). @default []
   */
  readonly imageRepositories?: ImageRepositoryConfig[];
}

export const gitopsSchema = z
  .object({
    repository: z.string(),
    revision: z.string().optional(),
    extraRepositories: z.array(z.string()).optional(),
    applications: z
      .array(
        z
          .object({
            name: z.string(),
            path: z.string(),
            namespace: z.string().optional(),
            repository: z.string().optional(),
            revision: z.string().optional(),
            syncPolicy: z.enum(SYNC_POLICIES).optional(),
          })
          .strict(),
      )
      .optional(),
    syncPolicy: z.enum(SYNC_POLICIES).optional(),
    highAvailability: z.boolean().optional(),
    imageRepositories: z
      .array(
        z
          .object({
            githubRepository: z.string(),
            ecrRepositories: z.array(z.string()),
            branch: z.string().optional(),
            subjectFormat: z.enum(GITHUB_SUBJECT_FORMATS).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();
