import { EksAccessEntrySpec, githubDeployRoleArn, selectAddons } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';

// Who may use the Kubernetes API, in one place: the cluster stack maps IAM principals to Kubernetes
// groups (access entries) and the add-ons stack binds those groups with RBAC. A group name typed in
// only one of the two would grant nothing, silently.

/** Group given read-only access to the application namespaces. */
export const DEFAULT_VIEWER_GROUP = 'eks-work-viewers';

/** The environment's viewer group: `kubernetes.viewerGroup`, else the default. */
export function viewerGroup(env: ResolvedEnvironment): string {
  return env.kubernetes?.viewerGroup ?? DEFAULT_VIEWER_GROUP;
}

/**
 * Group of the GitHub plan role. The add-ons stack binds it to a ClusterRole that reads RBAC objects
 * (Roles, RoleBindings, ClusterRoles, ClusterRoleBindings), which `terraform plan` refreshes and which
 * no read-only EKS access policy short of AmazonEKSAdminViewPolicy (all Secrets too) covers.
 */
export const DEPLOY_PLAN_GROUP = 'platform-deploy-plan';

/** Namespaces of the environment's Helm releases: Helm keeps each release as Secrets there. */
export function helmReleaseNamespaces(env: ResolvedEnvironment): string[] {
  const addons = forEnvironment(env.name, 'addons', () => selectAddons(env.addons));
  return [...new Set(addons.map((a) => a.definition.namespace))].sort();
}

/**
 * Access entries of the environment's GitHub deploy roles (only with a `cicd` section), so the
 * pipelines can plan and apply the add-ons stack. The role ARNs come from their fixed names: the
 * roles live in the hand-applied bootstrap stack, whose local state no pipeline can read.
 *
 * - apply: AmazonEKSClusterAdminPolicy at cluster scope. Installing the charts creates CRDs,
 *   ClusterRoles and ClusterRoleBindings, APIServices, webhooks and namespaces; Kubernetes lets a
 *   principal grant only permissions it holds (RBAC escalation check), so anything narrower fails
 *   on the first chart that brings a ClusterRole.
 * - plan: AmazonEKSViewPolicy at cluster scope (namespaces, service accounts, config maps, quotas,
 *   limit ranges, network policies), AmazonEKSSecretReaderPolicy only in the Helm release namespaces
 *   (the helm provider reads each release from its Secrets), and the `DEPLOY_PLAN_GROUP` group for
 *   the RBAC objects. No Secrets of the application namespaces.
 */
export function deployRoleAccessEntries(env: ResolvedEnvironment): EksAccessEntrySpec[] {
  if (!env.cicd) return [];
  const arn = (kind: 'plan' | 'apply') => githubDeployRoleArn(env.prefix, kind, env.region, env.accountId);
  const releaseNamespaces = helmReleaseNamespaces(env);
  return [
    { id: 'github-apply', principalArn: arn('apply'), accessPolicies: [{ policy: 'AmazonEKSClusterAdminPolicy' }] },
    {
      id: 'github-plan',
      principalArn: arn('plan'),
      kubernetesGroups: [DEPLOY_PLAN_GROUP],
      accessPolicies: [
        { policy: 'AmazonEKSViewPolicy' },
        ...(releaseNamespaces.length > 0 ? [{ policy: 'AmazonEKSSecretReaderPolicy' as const, namespaces: releaseNamespaces }] : []),
      ],
    },
  ];
}
