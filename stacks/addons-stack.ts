import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import {
  AddonClusterFacts,
  AddonReleases,
  AppNamespace,
  CONTAINER_INSIGHTS_LOG_KINDS,
  ContainerInsightsLogKind,
  DEFAULT_KUBERNETES_VERSION,
  FargateLogRouter,
  IrsaServiceAccount,
  RbacReadAccess,
  ReadOnlyAccess,
  SelectedAddon,
  check,
  partitionOf,
  selectAddons,
  show,
} from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import type { NamespaceConfig } from '../environments/config/addons';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';
import type { ClusterStack } from './cluster-stack';
import { ObservabilityStack, addonRoleOutput, logGroupOutput } from './observability-stack';
import { BatchStack, DEFAULT_BATCH_NAMESPACE, DEFAULT_BATCH_SERVICE_ACCOUNT } from './batch-stack';
import { DEPLOY_PLAN_GROUP, viewerGroup } from './cluster-access';

/** Namespace of the application (the course's `eks-work`). */
export const DEFAULT_APP_NAMESPACE = 'eks-work';
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
    this.addons = forEnvironment(env.name, 'addons', () => selectAddons(env.addons));

    const clusterName = eks.getString('cluster_name');
    const host = eks.getString('cluster_endpoint');
    const clusterCaCertificate = Fn.base64decode(eks.getString('cluster_certificate_authority_data'));
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', clusterName, '--region', env.region],
    };
    this.helmProvider = new HelmProvider(this, 'helm', { kubernetes: { host, clusterCaCertificate, exec } });
    this.kubernetesProvider = new KubernetesProvider(this, 'kubernetes', { host, clusterCaCertificate, exec: [exec] });

    const logGroups = Object.fromEntries(CONTAINER_INSIGHTS_LOG_KINDS.map((k) => [k, obs.getString(logGroupOutput(k))])) as Record<ContainerInsightsLogKind, string>;
    const facts: AddonClusterFacts = {
      clusterName,
      region: env.region,
      accountId: env.accountId,
      partition: partitionOf(env.region),
      kubernetesVersion: env.cluster.version ?? DEFAULT_KUBERNETES_VERSION,
      logGroups,
    };
    const roleArns: Record<string, string> = {};
    for (const a of this.addons) if (a.definition.iam) roleArns[a.definition.name] = obs.getString(addonRoleOutput(a.definition.name));
    this.releases = forEnvironment(env.name, 'addons', () => new AddonReleases(this, 'releases', { addons: this.addons, facts, roleArns }));

    if (env.cluster.fargate?.enabled) {
      // Before any Fargate pod starts (the router reads its ConfigMap at pod start), after the log group exists.
      this.fargateLogRouter = forEnvironment(env.name, 'cluster.fargate', () =>
        new FargateLogRouter(this, 'fargate-log-router', { region: env.region, logGroupName: obs.getString('fargate_log_group_name') }),
      );
    }

    // Kubernetes baseline.
    const k = env.kubernetes ?? {};
    const batchNamespace = env.batch?.namespace ?? DEFAULT_BATCH_NAMESPACE;
    const namespaces: NamespaceConfig[] = k.namespaces ?? [{ name: DEFAULT_APP_NAMESPACE }, { name: batchNamespace }];
    forEnvironment(env.name, 'kubernetes', () => {
      check(namespaces.length > 0, 'namespaces', 'is empty; allowed: at least one application namespace');
      namespaces.forEach((n, i) => check(namespaces.findIndex((o) => o.name === n.name) === i, `namespaces[${i}].name`, `${show(n.name)} is listed twice; allowed: each namespace once`));
      if (inputs.batch) {
        check(namespaces.some((n) => n.name === batchNamespace), 'namespaces', `does not include the batch namespace ${show(batchNamespace)} (batch.namespace), where the batch app's service account lives; allowed: a list that includes it`);
      }
    });
    this.namespaces = namespaces.map((n, i) => forEnvironment(env.name, `kubernetes.namespaces[${i}]`, () => new AppNamespace(this, `namespace-${n.name}`, n)));
    this.viewers = forEnvironment(env.name, 'kubernetes', () =>
      new ReadOnlyAccess(this, 'viewers', {
        roleName: `${env.prefix}-viewer`,
        // The group the cluster stack puts cluster.viewerPrincipalArns in.
        group: viewerGroup(env),
        namespaces: this.namespaces,
      }),
    );

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
