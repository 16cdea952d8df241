import { Construct } from 'constructs';
import { Fn, ITerraformDependable } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { partitionOf } from '../core/iam';
import { check, show, within } from '../core/validation';
import { DEFAULT_KUBERNETES_VERSION } from '../eks/addon-versions';
import { AppNamespace, AppNamespaceProps } from '../kubernetes/app-namespace';
import { ReadOnlyAccess } from '../kubernetes/read-only-access';
import { ContainerInsightsLogGroups } from '../observability/container-insights-log-groups';
import { AddonClusterFacts, CONTAINER_INSIGHTS_LOG_KINDS, ContainerInsightsLogKind } from './addon';
import { AddonIdentities } from './addon-identities';
import { AddonReleases } from './addon-releases';
import { AddonSelectionProps, SelectedAddon, selectAddons } from './registry';
import { LOAD_BALANCER_CONTROLLER } from './load-balancer-controller';

/**
 * How long destroying an application namespace may take with the load balancer controller on: it
 * deletes each Ingress's load balancer, then its security groups, which AWS refuses until the load
 * balancer's network interfaces are released (minutes); the provider's default is 5 minutes.
 */
export const NAMESPACE_DELETE_TIMEOUT_WITH_INGRESS = '20m';

/** Read access for a Kubernetes group to the application namespaces (the course's RBAC example). */
export interface ClusterAddonsViewers {
  /** Name of the ClusterRole. */
  readonly roleName: string;
  /** Kubernetes group bound to it in each namespace (map IAM principals to it with an access entry). */
  readonly group: string;
}

export interface ClusterAddonsProps {
  /** Name of the cluster (a literal or a reference). */
  readonly clusterName: string;
  /** API server endpoint (`https://...`). */
  readonly endpoint: string;
  /** Base64-encoded CA certificate, as EKS reports it (`certificate_authority[0].data`). */
  readonly certificateAuthorityData: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * ID of the cluster's VPC (`aws_eks_cluster` `vpc_config[0].vpc_id`): the load balancer controller
   * needs it (its pods cannot read instance metadata). Required while that add-on is on (the default).
   * @default none
   */
  readonly vpcId?: string;
  /** Kubernetes minor version of the cluster (chart values depend on it). @default "1.35" */
  readonly kubernetesVersion?: string;
  /** Which add-ons, and overrides of their values. @default aws-load-balancer-controller, metrics-server, cluster-autoscaler, the CloudWatch agent and Fluentd */
  readonly addons?: AddonSelectionProps;
  /**
   * IAM role ARN per add-on that calls AWS, made elsewhere (e.g. an AWS-only stack). @default roles
   * created here with `AddonIdentities` (IRSA ones need `oidcProviderArn` and `oidcIssuerUrl`)
   */
  readonly roleArns?: Readonly<Record<string, string>>;
  /** The cluster's IAM OIDC provider, for the roles created here. @default none */
  readonly oidcProviderArn?: string;
  /** The cluster's OIDC issuer URL, with `oidcProviderArn`. @default none */
  readonly oidcIssuerUrl?: string;
  /** Prefix of the role names created here (`<prefix>-cluster-autoscaler`...). @default clusterName */
  readonly roleNamePrefix?: string;
  /**
   * Container Insights log group names, made elsewhere. @default the four groups created here, KMS-
   * encrypted with a key created here, kept `logRetentionDays`
   */
  readonly logGroups?: Readonly<Record<ContainerInsightsLogKind, string>>;
  /** Days to keep the log groups created here. @default 90 */
  readonly logRetentionDays?: number;
  /** Application namespaces with their guard rails (Pod Security, quota, network policies). @default none */
  readonly namespaces?: AppNamespaceProps[];
  /** Read-only RBAC for a group in `namespaces`. @default none */
  readonly viewers?: ClusterAddonsViewers;
  /**
   * Providers to install with. @default a helm and a kubernetes provider created here, pointed at
   * `endpoint`, authenticating with `aws eks get-token` on every run (no kubeconfig, never expires mid-apply)
   */
  readonly providers?: { readonly helm: HelmProvider; readonly kubernetes: KubernetesProvider };
  /** What the releases wait for (e.g. node groups in the same stack). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Permissions boundary for the roles created here. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The Helm add-ons and the Kubernetes baseline against any EKS cluster, given its endpoint, CA and
 * (for IRSA roles) OIDC provider: the selected charts pinned and configured from the cluster's facts,
 * their IAM roles and Container Insights log groups unless given, application namespaces and read-only
 * RBAC. Stack it on `EksPlatform`, or on a cluster made elsewhere.
 */
export class ClusterAddons extends Construct {
  readonly addons: SelectedAddon[];
  readonly helmProvider: HelmProvider;
  readonly kubernetesProvider: KubernetesProvider;
  /** The roles created here, when `roleArns` was not given. */
  readonly identities?: AddonIdentities;
  /** The log groups (and their key) created here, when `logGroups` was not given. */
  readonly logGroups?: ContainerInsightsLogGroups;
  readonly logKey?: EncryptionKey;
  readonly releases: AddonReleases;
  readonly namespaces: AppNamespace[];
  readonly viewers?: ReadOnlyAccess;

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    checkProviderBindings(this, 'helm', 'kubernetes');
    // The selection first: a conflict fails before any resource exists.
    this.addons = within('addons', () => selectAddons(props.addons));
    const namespaces = props.namespaces ?? [];
    namespaces.forEach((n, i) => check(namespaces.findIndex((o) => o.name === n.name) === i, `namespaces[${i}].name`, `${show(n.name)} is listed twice; allowed: each namespace once`));

    if (props.providers) {
      this.helmProvider = props.providers.helm;
      this.kubernetesProvider = props.providers.kubernetes;
    } else {
      const host = props.endpoint;
      const clusterCaCertificate = Fn.base64decode(props.certificateAuthorityData);
      const exec = {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', props.clusterName, '--region', props.region],
      };
      this.helmProvider = new HelmProvider(this, 'helm', { kubernetes: { host, clusterCaCertificate, exec } });
      this.kubernetesProvider = new KubernetesProvider(this, 'kubernetes', { host, clusterCaCertificate, exec: [exec] });
    }

    let logGroups = props.logGroups;
    if (!logGroups) {
      this.logKey = new EncryptionKey(this, 'log-key', {
        description: `Container Insights logs of ${props.clusterName}`,
        accountId: props.accountId,
        region: props.region,
        allowCloudWatchLogs: true,
      });
      // Its field names are this construct's (logRetentionDays): errors need no prefix.
      this.logGroups = new ContainerInsightsLogGroups(this, 'container-insights', { clusterName: props.clusterName, logRetentionDays: props.logRetentionDays, kmsKeyArn: this.logKey!.keyArn });
      logGroups = this.logGroups.names;
    }
    const facts: AddonClusterFacts = {
      clusterName: props.clusterName,
      region: props.region,
      accountId: props.accountId,
      partition: partitionOf(props.region),
      kubernetesVersion: props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      logGroups: Object.fromEntries(CONTAINER_INSIGHTS_LOG_KINDS.map((k) => [k, logGroups![k]])) as Record<ContainerInsightsLogKind, string>,
      vpcId: props.vpcId,
    };

    let roleArns = props.roleArns;
    if (!roleArns) {
      this.identities = within('addons', () =>
        new AddonIdentities(this, 'addon-identities', {
          namePrefix: props.roleNamePrefix ?? props.clusterName,
          addons: this.addons,
          facts,
          oidcProviderArn: props.oidcProviderArn,
          oidcIssuerUrl: props.oidcIssuerUrl,
          permissionsBoundaryArn: props.permissionsBoundaryArn,
        }),
      );
      roleArns = Object.fromEntries(Object.values(this.identities.identities).map((i) => [i.addon, i.roleArn]));
    }
    this.releases = within('addons', () => new AddonReleases(this, 'releases', { addons: this.addons, facts, roleArns, dependsOn: props.dependsOn }));

    // With a load balancer controller, the namespaces (and the Ingresses and LoadBalancer Services
    // deployed in them) are destroyed while it still runs, so it deletes their load balancers before
    // it goes; otherwise they would outlive the cluster and block the VPC's deletion.
    const first = this.releases.installedFirst;
    const ingress = this.addons.some((a) => a.definition.name === LOAD_BALANCER_CONTROLLER);
    this.namespaces = namespaces.map((n, i) =>
      within(`namespaces[${i}]`, () =>
        new AppNamespace(this, `namespace-${n.name}`, {
          ...n,
          dependsOn: [...(n.dependsOn ?? []), ...first],
          // A pod behind an ALB counts as ready only once the ALB sees it healthy (rolling updates without 502s).
          labels: ingress ? { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled', ...n.labels } : n.labels,
          deleteTimeout: n.deleteTimeout ?? (ingress ? NAMESPACE_DELETE_TIMEOUT_WITH_INGRESS : undefined),
        }),
      ),
    );
    if (props.viewers) {
      this.viewers = within('viewers', () => new ReadOnlyAccess(this, 'viewers', { ...props.viewers!, namespaces: this.namespaces }));
    }
  }
}
