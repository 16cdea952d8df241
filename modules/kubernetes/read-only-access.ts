import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { checkProviderBindings } from '../core/bindings';
import { check, show } from '../core/validation';

export interface ReadOnlyAccessProps {
  /** Name of the ClusterRole. */
  readonly roleName: string;
  /** Kubernetes group bound to it (map IAM principals to it with an EKS access entry). */
  readonly group: string;
  /**
   * Namespaces the group may read; the binding is per namespace, never cluster-wide. Pass the
   * `AppNamespace` when it is made in the same stack, so each binding references its namespace.
   */
  readonly namespaces: Array<string | { readonly name: string; readonly namespace: { readonly metadata: { readonly name: string } } }>;
  /** Resources the bindings wait for (the namespaces, when created alongside). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The course's RBAC example: a ClusterRole that can get, list and watch pods (and their logs),
 * deployments, replicasets and services (plus jobs and cronjobs, for the batch namespace), bound to a
 * group with a RoleBinding in each namespace, so the group reads those namespaces and nothing else.
 */
export class ReadOnlyAccess extends Construct {
  readonly clusterRole: ClusterRoleV1;
  readonly bindings: RoleBindingV1[];

  constructor(scope: Construct, id: string, props: ReadOnlyAccessProps) {
    super(scope, id);
    checkProviderBindings(this, 'kubernetes');
    check(/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/.test(props.roleName), 'roleName', `${show(props.roleName)} is not a ClusterRole name; allowed: lowercase letters, digits, '-', '.' and ':'`);
    check(typeof props.group === 'string' && props.group.length > 0 && !props.group.startsWith('system:'), 'group', `${show(props.group)} is not a usable group; allowed: a non-empty name not starting with "system:"`);
    check(props.namespaces.length > 0, 'namespaces', 'is empty; allowed: at least one namespace');
    this.clusterRole = new ClusterRoleV1(this, 'role', {
      metadata: { name: props.roleName, labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
      rule: [
        { apiGroups: [''], resources: ['pods', 'pods/log', 'services'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    this.bindings = props.namespaces.map(
      (ns) =>
        new RoleBindingV1(this, `binding-${typeof ns === 'string' ? ns : ns.name}`, {
          metadata: { name: `${props.roleName}-binding`, namespace: typeof ns === 'string' ? ns : ns.namespace.metadata.name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.metadata.name },
          subject: [{ kind: 'Group', name: props.group, apiGroup: 'rbac.authorization.k8s.io' }],
          dependsOn: props.dependsOn,
        }),
    );
  }
}
