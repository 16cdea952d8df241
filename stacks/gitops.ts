import { ARGO_CD, ARGO_CD_APPS, ARGO_CD_HA_VALUES, SyncPolicy, argoCdAppsValues, mergeValues } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { BACKEND_APP } from './application';

/** Default application namespace (the course's). */
const DEFAULT_NAMESPACE = 'eks-work';

/** The environment's sync policy default: production never deletes what left Git without someone syncing with prune. */
export function defaultSyncPolicy(env: ResolvedEnvironment): SyncPolicy {
  return env.gitops?.syncPolicy ?? (env.production ? 'auto' : 'auto-prune');
}

/** The AppProject's name: one per environment. */
export const gitopsProjectName = (env: ResolvedEnvironment) => env.prefix;

/**
 * The add-on selection with `gitops` applied: `argo-cd` (HA values in production unless
 * `gitops.highAvailability` says otherwise) and `argocd-apps` switched on, the latter with the
 * environment's AppProject and Applications. Config overrides under `addons.charts` still win.
 * Without a `gitops` section the selection is unchanged.
 */
export function withGitops(env: ResolvedEnvironment, namespaces: string[], addons: ResolvedEnvironment['addons'] = env.addons): ResolvedEnvironment['addons'] {
  const g = env.gitops;
  if (!g) return addons;
  const revision = g.revision ?? 'main';
  const policy = defaultSyncPolicy(env);
  const apps = g.applications ?? [{ name: BACKEND_APP, path: `apps/${BACKEND_APP}/overlays/${env.name}`, namespace: env.application?.namespace }];
  const appsValues = forEnvironment(env.name, 'gitops', () =>
    argoCdAppsValues({
      project: gitopsProjectName(env),
      sourceRepos: [g.repository, ...(g.extraRepositories ?? [])],
      namespaces,
      applications: apps.map((a) => ({
        name: a.name,
        path: a.path,
        namespace: a.namespace ?? env.application?.namespace ?? DEFAULT_NAMESPACE,
        repoURL: a.repository ?? g.repository,
        targetRevision: a.revision ?? revision,
        syncPolicy: a.syncPolicy ?? policy,
      })),
    }),
  );
  const charts = addons?.charts ?? {};
  const ha = g.highAvailability ?? env.production;
  const argo = charts[ARGO_CD] ?? {};
  const appsChart = charts[ARGO_CD_APPS] ?? {};
  return {
    ...addons,
    charts: {
      ...charts,
      [ARGO_CD]: { enabled: true, ...argo, values: mergeValues(ha ? { ...ARGO_CD_HA_VALUES } : {}, argo.values ?? {}) },
      [ARGO_CD_APPS]: { enabled: true, ...appsChart, values: mergeValues(appsValues, appsChart.values ?? {}) },
    },
  };
}
