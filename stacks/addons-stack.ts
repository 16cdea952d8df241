import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import {
  CONTAINER_INSIGHTS_LOG_KINDS,
  ContainerInsightsLogKind,
  DEFAULT_KUBERNETES_VERSION,
  LOAD_BALANCER_CONTROLLER,
  SelectedAddon,
  check,
  mergeValues,
  selectAddons,
  show,
} from '../modules';
import { AddonReleases, ClusterAddons } from '../modules/addons';
import { AppNamespace, FargateLogRouter, IrsaServiceAccount, RbacReadAccess, ReadOnlyAccess } from '../modules/kubernetes';
import type { ResolvedEnvironment } from '../environments/defaults';
import type { NamespaceConfig } from '../environments/config/addons';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings, UpstreamOutputs } from './platform-stack';
import type { ClusterStack } from './cluster-stack';
import { ObservabilityStack, addonRoleOutput, logGroupOutput } from './observability-stack';
import { BatchStack, DEFAULT_BATCH_NAMESPACE, DEFAULT_BATCH_SERVICE_ACCOUNT } from './batch-stack';
import { DEFAULT_APP_NAMESPACE } from './application';
import { DEPLOY_PLAN_GROUP, viewerGroup } from './cluster-access';
import { withGitops } from './gitops';

export { DEFAULT_VIEWER_GROUP } from './cluster-access';

/** Stacks the add-ons stack reads from. */
export interface AddonsStackInputs {
  readonly cluster: ClusterStack;
  readonly observability: ObservabilityStack;
  /** Publishes `batch_role_arn` for the batch app's service account. @default none (no batch service account) */
  readonly batch?: BatchStack;
}

/**
 * `<env>-addons`: Helm and Kubernetes providers pointed at the cluster (endpoint, CA, and a token
 * from `aws eks get-token` on every run, so it never expires mid-apply and no kubeconfig is needed),
 * the Helm add-ons with the roles of the observability stack, and the Kubernetes baseline. Deployed
 * after the cluster stack, so the node groups exist before any chart waits for its pods.
 * Terraform runs it only with the helm and kubernetes providers installed (synth tests here).
 */
export class AddonsStack extends PlatformStack {
  readonly addons: SelectedAddon[];
  /** The Helm add-ons and the Kubernetes baseline. */
  readonly clusterAddons: ClusterAddons;
  readonly helmProvider: HelmProvider;
  readonly kubernetesProvider: KubernetesProvider;
  readonly releases: AddonReleases;
  readonly namespaces: AppNamespace[];
  readonly viewers: ReadOnlyAccess;
  /** With a `cicd` section: RBAC read for the GitHub plan role's group, so its plans can refresh RBAC objects. */
  readonly planRbacReader?: RbacReadAccess;
  readonly batchServiceAccount?: IrsaServiceAccount;
  /** With Fargate on: the Fargate log router's namespace and ConfigMap. */
  readonly fargateLogRouter?: FargateLogRouter;

  constructor(scope: Construct, env: ResolvedEnvironment, inputs: AddonsStackInputs, settings: StackSettings = {}) {
    super(scope, env, 'addons', settings);
    const eks = this.consume(inputs.cluster);
    const obs = this.consume(inputs.observability);

    const clusterName = eks.getString('cluster_name');
    const logGroups = Object.fromEntries(CONTAINER_INSIGHTS_LOG_KINDS.map((k) => [k, obs.getString(logGroupOutput(k))])) as Record<ContainerInsightsLogKind, string>;

    // Kubernetes baseline: the application namespaces (the batch app's among them).
    const k = env.kubernetes ?? {};
    const batchNamespace = env.batch?.namespace ?? DEFAULT_BATCH_NAMESPACE;
    const namespaces: NamespaceConfig[] = k.namespaces ?? [{ name: DEFAULT_APP_NAMESPACE }, { name: batchNamespace }];
    forEnvironment(env.name, 'kubernetes', () => {
      check(namespaces.length > 0, 'namespaces', 'is empty; allowed: at least one application namespace');
      if (inputs.batch && new Set(namespaces.map((n) => n.name)).size === namespaces.length) {
        check(namespaces.some((n) => n.name === batchNamespace), 'namespaces', `does not include the batch namespace ${show(batchNamespace)} (batch.namespace), where the batch app's service account lives; allowed: a list that includes it`);
      }
    });

    // With `gitops`: Argo CD and the environment's AppProject and Applications (deploying into these namespaces only).
    const selection = withGitops(env, namespaces.map((n) => n.name), withAlbWebAcl(env, inputs.cluster, eks));
    this.addons = forEnvironment(env.name, 'addons', () => selectAddons(selection));
    const roleArns: Record<string, string> = {};
    for (const a of this.addons) if (a.definition.iam) roleArns[a.definition.name] = obs.getString(addonRoleOutput(a.definition.name));

    // Id `Default`: cdktf leaves it out of logical ids, so the resources keep the addresses they had
    // when the stack built them directly. The construct's fields map back to the config's.
    this.clusterAddons = forEnvironment(
      env.name,
      '',
      () =>
        new ClusterAddons(this, 'Default', {
          clusterName,
          endpoint: eks.getString('cluster_endpoint'),
          certificateAuthorityData: eks.getString('cluster_certificate_authority_data'),
          region: env.region,
          accountId: env.accountId,
          vpcId: eks.getString('vpc_id'),
          kubernetesVersion: env.cluster.version ?? DEFAULT_KUBERNETES_VERSION,
          addons: selection,
          roleArns,
          logGroups,
          namespaces,
          // The group the cluster stack puts cluster.viewerPrincipalArns in.
          viewers: { roleName: `${env.prefix}-viewer`, group: viewerGroup(env) },
        }),
      (field) => (field.startsWith('namespaces') ? `kubernetes.${field}` : field.startsWith('viewers.') ? `kubernetes.${field.slice('viewers.'.length)}` : field),
    );
    this.helmProvider = this.clusterAddons.helmProvider;
    this.kubernetesProvider = this.clusterAddons.kubernetesProvider;
    this.releases = this.clusterAddons.releases;
    this.namespaces = this.clusterAddons.namespaces;
    this.viewers = this.clusterAddons.viewers!;

    if (env.cluster.fargate?.enabled) {
      // Before any Fargate pod starts (the router reads its ConfigMap at pod start), after the log group exists.
      this.fargateLogRouter = forEnvironment(env.name, 'cluster.fargate', () =>
        new FargateLogRouter(this, 'fargate-log-router', { region: env.region, logGroupName: obs.getString('fargate_log_group_name') }),
      );
    }

    if (env.cicd) {
      // The plan role's access entry (cluster stack) puts it in this group; AmazonEKSViewPolicy reads no RBAC.
      this.planRbacReader = new RbacReadAccess(this, 'plan-rbac-reader', { roleName: `${env.prefix}-deploy-plan-rbac-reader`, group: DEPLOY_PLAN_GROUP });
    }

    if (inputs.batch) {
      const batch = this.consume(inputs.batch);
      const ns = this.namespaces.find((n) => n.name === batchNamespace)!;
      this.batchServiceAccount = forEnvironment(env.name, 'batch', () =>
        new IrsaServiceAccount(this, 'batch-service-account', {
          name: env.batch?.serviceAccount ?? DEFAULT_BATCH_SERVICE_ACCOUNT,
          namespace: ns.namespace.metadata.name,
          roleArn: batch.getString('batch_role_arn'),
        }),
      );
    }
  }
}

/**
 * The add-on selection with the cluster stack's ALB web ACL in the load balancer controller's
 * IngressClassParams (`spec.wafv2AclArn`): every Ingress of the `alb` class gets it.
 */
function withAlbWebAcl(env: ResolvedEnvironment, cluster: ClusterStack, eks: UpstreamOutputs): ResolvedEnvironment['addons'] {
  if (!('alb_web_acl_arn' in cluster.stubOutputs)) return env.addons;
  const charts = env.addons?.charts ?? {};
  const own = charts[LOAD_BALANCER_CONTROLLER] ?? {};
  const values = mergeValues({ ingressClassParams: { spec: { wafv2AclArn: eks.getString('alb_web_acl_arn') } } }, own.values ?? {});
  return { ...env.addons, charts: { ...charts, [LOAD_BALANCER_CONTROLLER]: { ...own, values } } };
}
