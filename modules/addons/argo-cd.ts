import type { AddonDefinition } from './addon';
import { check, show } from '../core/validation';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';

export const ARGO_CD = 'argo-cd';
export const ARGO_CD_APPS = 'argocd-apps';
/** Namespace of Argo CD, its AppProjects and Applications. */
export const ARGO_CD_NAMESPACE = 'argocd';
/** The in-cluster API server as Argo CD names it in destinations. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * The chart's documented HA mode without autoscaling (README "High Availability"): Redis HA
 * (Sentinel, three pods forced onto separate nodes, so at least three nodes), two API servers, two
 * repo servers and two ApplicationSet controllers, disruption budgets on the first two. One
 * application controller: more replicas only help with sharding across clusters.
 */
export const ARGO_CD_HA_VALUES: Readonly<Record<string, unknown>> = {
  'redis-ha': { enabled: true },
  controller: { replicas: 1 },
  server: { replicas: 2, pdb: { enabled: true, minAvailable: 1 } },
  repoServer: { replicas: 2, pdb: { enabled: true, minAvailable: 1 } },
  applicationSet: { replicas: 2 },
};

/**
 * Argo CD (argo-helm `argo-cd` chart, Argo CD v3.4) in `argocd`: the CD half of GitOps. No admin
 * password in values, so none in Terraform state: the chart's `argocd-secret` carries none and the
 * API server generates `argocd-initial-admin-secret` on first start (docs/gitops.md, First login).
 * Dex is off until SSO is configured. Reached by `kubectl port-forward` (no Ingress unless given
 * through `values.server.ingress`). Its pods run as non-root with the chart's hardened security
 * contexts and mount no host paths: the namespace enforces `baseline` (Redis HA's pods do not set
 * every field `restricted` requires), `restricted` is warned and audited.
 */
export const argoCdAddon: AddonDefinition = {
  name: ARGO_CD,
  description: 'Argo CD: syncs the applications from Git (GitOps)',
  chart: 'argo-cd',
  repository: ADDON_REPOSITORIES.argo,
  version: ADDON_CHART_VERSIONS['argo-cd'],
  namespace: ARGO_CD_NAMESPACE,
  podSecurity: 'baseline',
  values: () => ({
    configs: {
      // Explicitly: the chart creates argocd-secret without an admin password (argocdServerAdminPassword
      // stays empty), so Argo CD generates the initial one in the cluster and nothing lands in state.
      secret: { createSecret: true },
      // The local admin, for the first login; `false` once SSO works (docs/gitops.md).
      cm: { 'admin.enabled': true, 'exec.enabled': false },
    },
    dex: { enabled: false },
  }),
  check(values) {
    const secret = (values.configs as Record<string, any> | undefined)?.secret ?? {};
    check(!secret.argocdServerAdminPassword, 'values.configs.secret.argocdServerAdminPassword', 'is set, so the admin password hash would be stored in Terraform state; allowed: leave it unset (Argo CD generates argocd-initial-admin-secret in the cluster)');
  },
};

/**
 * AppProjects and Applications as a Helm release of the argo-helm `argocd-apps` chart: Terraform
 * plans a release, not custom resources, so nothing needs Argo CD's CRDs at plan time. Installed after
 * `argo-cd` (its CRDs). The projects and applications come from `argoCdAppsValues`.
 */
export const argoCdAppsAddon: AddonDefinition = {
  name: ARGO_CD_APPS,
  description: 'Argo CD AppProjects and Applications',
  chart: 'argocd-apps',
  repository: ADDON_REPOSITORIES.argo,
  version: ADDON_CHART_VERSIONS['argocd-apps'],
  namespace: ARGO_CD_NAMESPACE,
  podSecurity: 'baseline',
  dependsOn: [ARGO_CD],
  values: () => ({}),
  check(values) {
    const projects = (values.projects ?? {}) as Record<string, AppProjectSpec>;
    const apps = (values.applications ?? {}) as Record<string, ApplicationSpec>;
    for (const [name, app] of Object.entries(apps)) {
      const project = projects[app.project];
      check(project !== undefined, `values.applications.${name}.project`, `${show(app.project)} is not a project of this release; allowed: ${Object.keys(projects).join(', ') || 'none declared'}`);
      check(project.sourceRepos.includes(app.source.repoURL), `values.applications.${name}.source.repoURL`, `${show(app.source.repoURL)} is not a source repository of project ${show(app.project)}; allowed: ${project.sourceRepos.join(', ')}`);
      check(
        project.destinations.some((d) => d.namespace === app.destination.namespace && d.server === app.destination.server),
        `values.applications.${name}.destination.namespace`,
        `${show(app.destination.namespace)} is not a destination of project ${show(app.project)}; allowed: ${project.destinations.map((d) => d.namespace).join(', ')}`,
      );
    }
  },
};

/** How Argo CD syncs an application. */
export const SYNC_POLICIES = ['auto-prune', 'auto', 'manual'] as const;
/**
 * - `auto-prune`: sync every change, delete what left Git, undo changes made in the cluster (self-heal).
 * - `auto`: sync every change and self-heal, but never delete: a removed manifest stays running
 *   (shown as out of sync, pruned only by a manual sync with prune).
 * - `manual`: nothing happens until someone syncs (UI or `argocd app sync`).
 */
export type SyncPolicy = (typeof SYNC_POLICIES)[number];

export interface GitopsApplication {
  /** Application name (`metadata.name`), a DNS label. */
  readonly name: string;
  /** Git URL of the manifests; one of the project's `sourceRepos`. */
  readonly repoURL: string;
  /** Directory in the repository (a Kustomize overlay, a Helm chart or plain manifests). */
  readonly path: string;
  /** Branch, tag or commit. */
  readonly targetRevision: string;
  /** Namespace it deploys into; one of the project's destinations. */
  readonly namespace: string;
  readonly syncPolicy: SyncPolicy;
}

export interface GitopsAppsProps {
  /** Name of the AppProject. */
  readonly project: string;
  /** Repositories the project may deploy from (exact URLs, no wildcards). */
  readonly sourceRepos: string[];
  /** Namespaces of the in-cluster server it may deploy into (the application namespaces). */
  readonly namespaces: string[];
  readonly applications: GitopsApplication[];
}

interface AppProjectSpec {
  sourceRepos: string[];
  destinations: Array<{ server: string; namespace: string }>;
  [key: string]: unknown;
}
interface ApplicationSpec {
  project: string;
  source: { repoURL: string; path: string; targetRevision: string };
  destination: { server: string; namespace: string };
  [key: string]: unknown;
}

/**
 * Kinds no application may create even inside its namespaces: the namespace guard rails the platform
 * owns (`AppNamespace`: quota, container defaults, network policies) and RBAC, so an application
 * cannot lift its own limits or grant itself more.
 */
export const PLATFORM_OWNED_KINDS = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const GIT_URL = /^(https:\/\/[^\s*?]+|git@[^\s*?]+:[^\s*?]+|ssh:\/\/[^\s*?]+)$/;

/**
 * `argocd-apps` values for one AppProject and its Applications. The project may deploy only from
 * `sourceRepos` and only into `namespaces` of this cluster, no cluster-scoped object at all
 * (`clusterResourceWhitelist: []`), and none of `PLATFORM_OWNED_KINDS`. Applications carry the
 * resources finalizer (deleting one deletes what it deployed) and retry failed syncs (a namespace
 * created a moment later, an image still being scanned).
 */
export function argoCdAppsValues(props: GitopsAppsProps): Record<string, unknown> {
  check(DNS_LABEL.test(props.project), 'project', `${show(props.project)} is not an AppProject name; allowed: a DNS label (lowercase letters, digits, '-')`);
  check(props.sourceRepos.length > 0, 'sourceRepos', 'is empty; allowed: at least one repository URL');
  props.sourceRepos.forEach((r, i) => check(typeof r === 'string' && GIT_URL.test(r), `sourceRepos[${i}]`, `${show(r)} is not a Git URL; allowed: https://..., ssh://... or git@host:path, without wildcards`));
  check(props.namespaces.length > 0, 'namespaces', 'is empty; allowed: at least one application namespace');
  const names = new Set<string>();
  props.applications.forEach((a, i) => {
    check(DNS_LABEL.test(a.name) && !names.has(a.name), `applications[${i}].name`, `${show(a.name)} is not a new DNS label; allowed: lowercase letters, digits and '-', each name once`);
    names.add(a.name);
    check(props.sourceRepos.includes(a.repoURL), `applications[${i}].repository`, `${show(a.repoURL)} is not one of the project's source repositories; allowed: ${props.sourceRepos.join(', ')}`);
    check(props.namespaces.includes(a.namespace), `applications[${i}].namespace`, `${show(a.namespace)} is not an application namespace; allowed: ${props.namespaces.join(', ')}`);
    check(typeof a.path === 'string' && a.path.length > 0 && !a.path.startsWith('/') && !a.path.split('/').includes('..'), `applications[${i}].path`, `${show(a.path)} is not a path in the repository; allowed: a relative path without ".."`);
    check(typeof a.targetRevision === 'string' && a.targetRevision.length > 0, `applications[${i}].revision`, 'is empty; allowed: a branch, tag or commit');
    check((SYNC_POLICIES as readonly string[]).includes(a.syncPolicy), `applications[${i}].syncPolicy`, `${show(a.syncPolicy)} is not a sync policy; allowed: ${SYNC_POLICIES.join(', ')}`);
  });
  const project: AppProjectSpec = {
    namespace: ARGO_CD_NAMESPACE,
    description: 'Applications of this environment: their namespaces only, from the configured repositories only',
    finalizers: ['resources-finalizer.argocd.argoproj.io'],
    sourceRepos: [...props.sourceRepos],
    destinations: props.namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: [],
    namespaceResourceBlacklist: PLATFORM_OWNED_KINDS.map((k) => ({ ...k })),
  };
  const applications = Object.fromEntries(
    props.applications.map((a): [string, ApplicationSpec] => [
      a.name,
      {
        namespace: ARGO_CD_NAMESPACE,
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
        project: props.project,
        source: { repoURL: a.repoURL, path: a.path, targetRevision: a.targetRevision },
        destination: { server: IN_CLUSTER, namespace: a.namespace },
        syncPolicy: syncPolicy(a.syncPolicy),
      },
    ]),
  );
  return { projects: { [props.project]: project }, applications };
}

function syncPolicy(policy: SyncPolicy): Record<string, unknown> {
  const retry = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } };
  if (policy === 'manual') return { syncOptions: ['CreateNamespace=false'] };
  return { automated: { prune: policy === 'auto-prune', selfHeal: true }, syncOptions: ['CreateNamespace=false', 'PruneLast=true'], retry };
}
