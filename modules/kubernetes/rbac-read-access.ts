import { Construct } from 'constructs';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { checkProviderBindings } from '../core/bindings';
import { check, show } from '../core/validation';
import { checkKubernetesGroup } from '../eks/eks-cluster';

/** The RBAC kinds a plan refreshes when Terraform manages RBAC objects. */
export const RBAC_RESOURCES = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] as const;

export interface RbacReadAccessProps {
  /** Name of the ClusterRole and its ClusterRoleBinding. */
  readonly roleName: string;
  /** Kubernetes group bound to it (map an IAM principal to it with an EKS access entry). */
  readonly group: string;
}

/**
 * Read access to RBAC objects (Roles, RoleBindings, ClusterRoles, ClusterRoleBindings: get, list,
 * watch) for a group, cluster-wide, and nothing else. For a read-only deploy identity on top of
 * AmazonEKSViewPolicy, which reads neither RBAC nor Secrets: `terraform plan` must refresh the RBAC
 * objects Terraform manages, and the only EKS access policy that reads them, AmazonEKSAdminViewPolicy,
 * also reads every Secret. Reading RBAC objects shows who may do what, no data.
 */
export class RbacReadAccess extends Construct {
  readonly clusterRole: ClusterRoleV1;
  readonly binding: ClusterRoleBindingV1;

  constructor(scope: Construct, id: string, props: RbacReadAccessProps) {
    super(scope, id);
    checkProviderBindings(this, 'kubernetes');
    check(/^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$/.test(props.roleName), 'roleName', `${show(props.roleName)} is not a ClusterRole name; allowed: lowercase letters, digits, '-', '.' and ':'`);
    checkKubernetesGroup(props.group, 'group');
    const labels = { 'app.kubernetes.io/managed-by': 'terraform' };
    this.clusterRole = new ClusterRoleV1(this, 'role', {
      metadata: { name: props.roleName, labels },
      rule: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: [...RBAC_RESOURCES], verbs: ['get', 'list', 'watch'] }],
    });
    this.binding = new ClusterRoleBindingV1(this, 'binding', {
      metadata: { name: props.roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.metadata.name },
      subject: [{ kind: 'Group', name: props.group, apiGroup: 'rbac.authorization.k8s.io' }],
    });
  }
}
