import { ReadOnlyAccess, ReadOnlyAccessProps } from '../modules/kubernetes';
import { onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { kubernetesTestStack } from './addons-fixtures';

function synth(props: Partial<ReadOnlyAccessProps> = {}) {
  const stack = kubernetesTestStack();
  new ReadOnlyAccess(stack, 'viewers', { roleName: 'eks-work-dev-viewer', group: 'eks-work-viewers', namespaces: ['eks-work', 'eks-work-batch'], ...props });
  return synthesize(stack);
}

describe('ReadOnlyAccess', () => {
  const json = synth();

  test("the course's read-only ClusterRole: get, list and watch only", () => {
    const role = onlyResource(json, 'kubernetes_cluster_role_v1');
    expect(role.metadata.name).toBe('eks-work-dev-viewer');
    expect(role.rule).toEqual([
      { api_groups: [''], resources: ['pods', 'pods/log', 'services'], verbs: ['get', 'list', 'watch'] },
      { api_groups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
      { api_groups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('bound to the group by a RoleBinding per namespace, never cluster-wide', () => {
    const bindings = resourcesOfType(json, 'kubernetes_role_binding_v1');
    expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual(['eks-work', 'eks-work-batch']);
    expect(bindings[0].role_ref).toMatchObject({ kind: 'ClusterRole', api_group: 'rbac.authorization.k8s.io' });
    expect(bindings[0].subject).toEqual([{ kind: 'Group', name: 'eks-work-viewers', api_group: 'rbac.authorization.k8s.io' }]);
    expect(resourcesOfType(json, 'kubernetes_cluster_role_binding_v1')).toHaveLength(0);
  });

  test('a system group or no namespace is refused', () => {
    expect(() => synth({ group: 'system:masters' })).toThrow('group: "system:masters" is not a usable group');
    expect(() => synth({ namespaces: [] })).toThrow('namespaces: is empty');
  });
});
