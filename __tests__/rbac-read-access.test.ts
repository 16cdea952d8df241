import { RbacReadAccess, RbacReadAccessProps } from '../modules/kubernetes';
import { onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { kubernetesTestStack } from './addons-fixtures';

function synth(props: Partial<RbacReadAccessProps> = {}) {
  const stack = kubernetesTestStack();
  new RbacReadAccess(stack, 'plan', { roleName: 'eks-work-dev-deploy-plan-rbac-reader', group: 'platform-deploy-plan', ...props });
  return synthesize(stack);
}

describe('RbacReadAccess', () => {
  const json = synth();

  test('get, list and watch of the four RBAC kinds, nothing else (no Secrets, no writes)', () => {
    const role = onlyResource(json, 'kubernetes_cluster_role_v1');
    expect(role.metadata.name).toBe('eks-work-dev-deploy-plan-rbac-reader');
    expect(role.rule).toEqual([{ api_groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'], verbs: ['get', 'list', 'watch'] }]);
  });

  test('bound cluster-wide to the group, referencing the role', () => {
    const binding = onlyResource(json, 'kubernetes_cluster_role_binding_v1');
    expect(binding.role_ref).toEqual({ api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: expect.stringMatching(/^\$\{kubernetes_cluster_role_v1\..*\.metadata\[0\]\.name\}$/) });
    expect(binding.subject).toEqual([{ kind: 'Group', name: 'platform-deploy-plan', api_group: 'rbac.authorization.k8s.io' }]);
    expect(resourcesOfType(json, 'kubernetes_role_binding_v1')).toHaveLength(0);
  });

  test.each<[Partial<RbacReadAccessProps>, string]>([
    [{ group: 'system:masters' }, 'group: "system:masters" is not a usable Kubernetes group'],
    [{ group: '' }, 'group: "" is not a usable Kubernetes group'],
    [{ roleName: 'Plan Reader' }, 'roleName: "Plan Reader" is not a ClusterRole name'],
  ])('%j is refused', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
