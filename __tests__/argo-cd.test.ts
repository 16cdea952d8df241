import { Testing } from 'cdktf';
import { EnvironmentConfig } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { createEnvironment } from '../stacks';
import { ARGO_CD_HA_VALUES, argoCdAddon, argoCdAppsAddon, argoCdAppsValues, GitopsAppsProps } from '../modules';
import { resourcesOfType, synthesize } from '../modules/testing';
import { FACTS } from './addons-fixtures';

const REPO = 'https://github.com/example-org/eks-work-platform.git';
const props: GitopsAppsProps = {
  project: 'eks-work-dev',
  sourceRepos: [REPO],
  namespaces: ['eks-work', 'eks-work-batch'],
  applications: [{ name: 'backend-app', repoURL: REPO, path: 'apps/backend-app/overlays/dev', targetRevision: 'main', namespace: 'eks-work', syncPolicy: 'auto-prune' }],
};

function addons(config: EnvironmentConfig) {
  const json = synthesize(createEnvironment(Testing.app(), config, { offline: true }).addons);
  const release = (name: string) => resourcesOfType(json, 'helm_release').find((r) => r.name === name)!;
  return { json, release, values: (name: string) => JSON.parse(release(name).values[0]) };
}

describe('the AppProject', () => {
  const values = argoCdAppsValues(props) as any;
  const project = values.projects['eks-work-dev'];

  test('deploys only from the configured repositories, only into the application namespaces of this cluster', () => {
    expect(project.sourceRepos).toEqual([REPO]);
    expect(project.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'eks-work' },
      { server: 'https://kubernetes.default.svc', namespace: 'eks-work-batch' },
    ]);
    expect(project.sourceRepos.some((r: string) => r.includes('*'))).toBe(false);
    expect(project.destinations.some((d: any) => d.namespace.includes('*') || d.server.includes('*'))).toBe(false);
  });

  test('may create no cluster-scoped object and none of the platform-owned kinds', () => {
    expect(project.clusterResourceWhitelist).toEqual([]);
    expect(project.clusterResourceBlacklist).toBeUndefined();
    expect(project.namespaceResourceBlacklist).toEqual(
      expect.arrayContaining([
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
        { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
        { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
      ]),
    );
  });

  test('the application points at the project, its repository, path and revision', () => {
    expect(values.applications['backend-app']).toMatchObject({
      namespace: 'argocd',
      project: 'eks-work-dev',
      source: { repoURL: REPO, path: 'apps/backend-app/overlays/dev', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'eks-work' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
  });

  test('sync policies: auto never prunes, manual has no automation', () => {
    const one = (syncPolicy: 'auto' | 'manual') => (argoCdAppsValues({ ...props, applications: [{ ...props.applications[0], syncPolicy }] }) as any).applications['backend-app'].syncPolicy;
    expect(one('auto').automated).toEqual({ prune: false, selfHeal: true });
    expect(one('manual').automated).toBeUndefined();
  });

  test('an application outside the project is refused before any resource exists', () => {
    const app = props.applications[0];
    expect(() => argoCdAppsValues({ ...props, applications: [{ ...app, namespace: 'kube-system' }] })).toThrow('applications[0].namespace: "kube-system" is not an application namespace; allowed: eks-work, eks-work-batch');
    expect(() => argoCdAppsValues({ ...props, applications: [{ ...app, repoURL: 'https://github.com/other/repo.git' }] })).toThrow('applications[0].repository: "https://github.com/other/repo.git" is not one of the project\'s source repositories; allowed: ' + REPO);
    expect(() => argoCdAppsValues({ ...props, sourceRepos: ['*'] })).toThrow('sourceRepos[0]: "*" is not a Git URL');
    expect(() => argoCdAppsValues({ ...props, applications: [{ ...app, path: '../secrets' }] })).toThrow('applications[0].path: "../secrets" is not a path in the repository');
  });

  test('a values override that escapes the project is refused by the release check', () => {
    const values = argoCdAppsValues(props) as any;
    values.applications['backend-app'].destination.namespace = 'kube-system';
    expect(() => argoCdAppsAddon.check!(values, { ...FACTS, namespace: 'argocd' })).toThrow('values.applications.backend-app.destination.namespace: "kube-system" is not a destination of project "eks-work-dev"');
  });
});

describe('Argo CD in the addons stack', () => {
  const d = addons(dev);
  const p = addons(prod);

  test('argo-cd in namespace argocd (baseline enforced, restricted warned), argocd-apps after it', () => {
    const ns = resourcesOfType(d.json, 'kubernetes_namespace_v1').find((n) => n.metadata.name === 'argocd')!;
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
    expect(d.release('argo-cd')).toMatchObject({ chart: 'argo-cd', version: '9.7.1', repository: 'https://argoproj.github.io/argo-helm', namespace: expect.stringMatching(/^\$\{kubernetes_namespace_v1\.releases_namespace-argocd_\w+\.metadata\[0\]\.name\}$/) });
    expect(d.release('argocd-apps').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.releases_argo-cd_/)]));
  });

  test('no admin password in values (so none in state); an override that sets one is refused', () => {
    for (const e of [d, p]) expect(JSON.stringify(e.values('argo-cd'))).not.toMatch(/[Pp]assword/);
    expect(() => argoCdAddon.check!({ configs: { secret: { argocdServerAdminPassword: '$2a$10$x' } } }, { ...FACTS, namespace: 'argocd' })).toThrow('values.configs.secret.argocdServerAdminPassword: is set');
  });

  test('HA in prod only', () => {
    expect(p.values('argo-cd')).toMatchObject(ARGO_CD_HA_VALUES);
    expect(d.values('argo-cd')['redis-ha']).toBeUndefined();
    expect(d.values('argo-cd').server).toBeUndefined();
  });

  test('each environment has its own project; dev prunes, prod does not', () => {
    const dv = d.values('argocd-apps');
    const pv = p.values('argocd-apps');
    expect(Object.keys(dv.projects)).toEqual(['eks-work-dev']);
    expect(Object.keys(pv.projects)).toEqual(['eks-work-prod']);
    expect(dv.applications['backend-app'].source.path).toBe('apps/backend-app/overlays/dev');
    expect(pv.applications['backend-app'].source.path).toBe('apps/backend-app/overlays/prod');
    expect(dv.applications['backend-app'].syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(pv.applications['backend-app'].syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
    expect(pv.projects['eks-work-prod'].destinations.map((x: any) => x.namespace)).toEqual(['eks-work', 'eks-work-batch']);
  });

  test('without a gitops section there is no Argo CD', () => {
    const { gitops: _, ...none } = dev;
    expect(resourcesOfType(addons(none).json, 'helm_release').map((r) => r.name)).not.toContain('argo-cd');
  });

  test('an application namespace the cluster does not have is a one-line config error', () => {
    const bad: EnvironmentConfig = { ...dev, gitops: { ...dev.gitops!, applications: [{ name: 'x', path: 'apps/x', namespace: 'nowhere' }] } };
    expect(() => createEnvironment(Testing.app(), bad, { offline: true })).toThrow('environment "dev": gitops.applications[0].namespace: "nowhere" is not an application namespace; allowed: eks-work, eks-work-batch');
  });
});
