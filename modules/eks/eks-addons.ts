import { Construct } from 'constructs';
import { ITerraformDependable, dependable } from 'cdktf';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { checkProviderBindings } from '../core/bindings';
import { managedPolicyArn } from '../core/iam';
import { PlanTimeLookup } from '../core/plan-time-lookup';
import { check, show } from '../core/validation';
import { ADDON_VERSION_PATTERN, DEFAULT_KUBERNETES_VERSION, EKS_ADDON_NAMES, EksAddonName, OFFLINE_ADDON_VERSION } from './addon-versions';
import { IrsaRole } from './irsa-role';
import { checkKubernetesVersion, iamRoleName } from './names';

/** How one managed add-on is installed. */
interface AddonSpec {
  /** `before`: nodes need it to become Ready (created before node groups); `after`: it needs nodes to schedule on. */
  readonly phase: 'before' | 'after';
  /** The service account its IRSA role is for, and the managed policies that role gets. */
  readonly irsa?: { readonly namespace: string; readonly serviceAccount: string; readonly policies: string[]; readonly roleSuffix: string };
}

const ADDON_SPECS: Record<EksAddonName, AddonSpec> = {
  // Pod networking: without it nodes never become Ready. Own IRSA role, so the node role needs no CNI policy.
  'vpc-cni': { phase: 'before', irsa: { namespace: 'kube-system', serviceAccount: 'aws-node', policies: ['AmazonEKS_CNI_Policy'], roleSuffix: 'vpc-cni' } },
  // Service routing on each node; the CNI's aws-node reaches the API through the kubernetes service.
  'kube-proxy': { phase: 'before' },
  // DaemonSet that hands out Pod Identity credentials; ready before workloads land.
  'eks-pod-identity-agent': { phase: 'before' },
  // Deployments: they need nodes, and EKS waits for them to be healthy.
  coredns: { phase: 'after' },
  'aws-ebs-csi-driver': {
    phase: 'after',
    irsa: { namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa', policies: ['service-role/AmazonEBSCSIDriverPolicy'], roleSuffix: 'ebs-csi' },
  },
  // The Secrets Store CSI driver and AWS's provider (ASCP): DaemonSets, so after the nodes. No role of
  // its own: it fetches each secret with the identity of the pod that mounts it.
  'aws-secrets-store-csi-driver-provider': { phase: 'after' },
};

/** Go durations (`2m`, `90s`, `1h30m`), as the CSI driver's `rotationPollInterval` takes them. */
const GO_DURATION = /^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/;

/** The Secrets Store CSI driver with the AWS provider (EKS add-on `aws-secrets-store-csi-driver-provider`). */
export interface SecretsStoreCsiDriverOptions {
  /** Install it. @default true */
  readonly enabled?: boolean;
  /**
   * Let SecretProviderClasses copy mounted secrets into Kubernetes Secrets (`secretObjects`), for
   * applications that read environment variables: the driver gets RBAC to write Secrets, and the
   * value then also lives in etcd (encrypted with the cluster's KMS key) while a pod mounts it.
   * @default false (files in the pod's tmpfs only)
   */
  readonly syncKubernetesSecrets?: boolean;
  /**
   * Poll Secrets Manager this often and update mounted files (and synced Secrets) when a secret
   * changes, a Go duration such as `"2m"`. Each poll is a `GetSecretValue` per mounted secret and pod.
   * @default none: rotation off, a pod sees a new value when it restarts
   */
  readonly rotationPollInterval?: string;
}

export interface EksAddonsProps {
  /** Cluster name; pass the cluster resource's attribute so add-ons wait for the cluster. */
  readonly clusterName: string;
  /** Base of the IRSA role names (`<base>-vpc-cni`, `<base>-ebs-csi`), usually the literal cluster name. */
  readonly roleNamePrefix: string;
  /** Kubernetes minor version of the cluster (a literal): the versions looked up are built for it. @default "1.35" */
  readonly kubernetesVersion?: string;
  /** Region, for the partition of policy ARNs. */
  readonly region: string;
  /** The cluster's IAM OIDC provider ARN (IRSA roles trust it). */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: string;
  /**
   * Pinned versions, e.g. `{ coredns: "v1.13.2-eksbuild.4" }`. An add-on without a pin gets the version
   * EKS reports for `kubernetesVersion` at plan time (`aws_eks_addon_version`, see `addonVersionSelection`).
   * Pin in production so a plan never upgrades an add-on by surprise. @default no pins
   */
  readonly addonVersions?: Partial<Record<EksAddonName, string>>;
  /**
   * Which version an unpinned add-on gets: `default` is the one EKS marks default for the Kubernetes
   * version (what the console installs), `latest` the most recent build. @default "default"
   */
  readonly addonVersionSelection?: 'default' | 'latest';
  /** VPC CNI network policy enforcement, so NetworkPolicy works without Calico. @default true */
  readonly networkPolicy?: boolean;
  /** Install the EBS CSI driver (PersistentVolumes on EBS). @default true */
  readonly ebsCsiDriver?: boolean;
  /** The Secrets Store CSI driver with AWS's provider, for secrets mounted from Secrets Manager. @default installed, no sync to Kubernetes Secrets, no rotation */
  readonly secretsStore?: SecretsStoreCsiDriverOptions;
  /** Tags on every resource of this construct, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
  /**
   * Permissions boundary for the IAM roles created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates them). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The cluster's EKS managed add-ons, at pinned versions or the ones EKS reports for the cluster version: vpc-cni (IRSA, network policy on), kube-proxy
 * and eks-pod-identity-agent before any node joins; coredns and aws-ebs-csi-driver (IRSA) after the
 * nodes exist. Create this before the node groups, give them `beforeCompute` as `dependsOn`, then
 * call `runAfter(...nodeGroups)`. Conflicts on create are overwritten (the cluster is new, so there
 * is nothing of ours to lose).
 */
export class EksAddons extends Construct {
  /** Each installed add-on by name. */
  readonly addons: Partial<Record<EksAddonName, EksAddon>>;
  /** Version of each installed add-on: the pin, or a token read from EKS at plan time. */
  readonly versions: Readonly<Partial<Record<EksAddonName, string>>>;
  /** Add-ons node groups must wait for. */
  readonly beforeCompute: EksAddon[];
  /** Add-ons that wait for the node groups (see `runAfter`). */
  readonly afterCompute: EksAddon[];
  readonly vpcCniRole: IrsaRole;
  readonly ebsCsiRole?: IrsaRole;

  constructor(scope: Construct, id: string, props: EksAddonsProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const k8s = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    const overrides = props.addonVersions ?? {};
    checkKubernetesVersion(k8s, 'kubernetesVersion');
    check(/^[\w+=,.@-]{1,100}$/.test(props.roleNamePrefix), 'roleNamePrefix', `${show(props.roleNamePrefix)} cannot start an IAM role name; allowed: letters, digits and +=,.@_-`);
    for (const [name, v] of Object.entries(overrides)) {
      check((EKS_ADDON_NAMES as readonly string[]).includes(name), `addonVersions.${name}`, `${show(name)} is not an add-on this library installs; allowed: ${EKS_ADDON_NAMES.join(', ')}`);
      check(typeof v === 'string' && ADDON_VERSION_PATTERN.test(v), `addonVersions.${name}`, `${show(v)} is not an EKS add-on version; allowed: "vX.Y.Z-eksbuild.N" (see aws eks describe-addon-versions)`);
    }
    const selection = props.addonVersionSelection ?? 'default';
    check(selection === 'default' || selection === 'latest', 'addonVersionSelection', `${show(selection)} is not a version selection; allowed: "default" | "latest"`);
    const store = props.secretsStore ?? {};
    if (store.rotationPollInterval !== undefined) {
      check(GO_DURATION.test(store.rotationPollInterval), 'secretsStore.rotationPollInterval', `${show(store.rotationPollInterval)} is not a duration; allowed: a Go duration such as "2m", "90s" or "1h30m"`);
    }
    const optional: Partial<Record<EksAddonName, boolean>> = {
      'aws-ebs-csi-driver': props.ebsCsiDriver ?? true,
      'aws-secrets-store-csi-driver-provider': store.enabled ?? true,
    };
    const wanted = EKS_ADDON_NAMES.filter((n) => optional[n] ?? true);
    // Unpinned: ask EKS at plan time (offline plans use a stand-in), never a version typed here unverified.
    const resolve = (n: EksAddonName): string => {
      const pin = overrides[n];
      if (pin !== undefined) return pin;
      const lookup = new PlanTimeLookup(new DataAwsEksAddonVersion(this, `${n}-version`, { addonName: n, kubernetesVersion: k8s, mostRecent: selection === 'latest' }));
      return lookup.string('version', OFFLINE_ADDON_VERSION);
    };
    this.versions = Object.fromEntries(wanted.map((n) => [n, resolve(n)])) as Record<EksAddonName, string>;

    const roles: Partial<Record<EksAddonName, IrsaRole>> = {};
    const addons: Partial<Record<EksAddonName, EksAddon>> = {};
    for (const n of wanted) {
      const spec = ADDON_SPECS[n];
      if (spec.irsa) {
        const roleName = iamRoleName(props.roleNamePrefix, spec.irsa.roleSuffix);
        roles[n] = new IrsaRole(this, `${n}-irsa`, {
          roleName,
          oidcProviderArn: props.oidcProviderArn,
          oidcIssuerUrl: props.oidcIssuerUrl,
          namespace: spec.irsa.namespace,
          serviceAccount: spec.irsa.serviceAccount,
          managedPolicyArns: spec.irsa.policies.map((p) => managedPolicyArn(props.region, p)),
          description: `EKS add-on ${n} (${spec.irsa.namespace}/${spec.irsa.serviceAccount})`,
          permissionsBoundaryArn: props.permissionsBoundaryArn,
          tags: { ...props.tags, Name: roleName },
        });
      }
      const configuration = n === 'vpc-cni' ? (props.networkPolicy ?? true ? { enableNetworkPolicy: 'true' } : undefined) : n === 'aws-secrets-store-csi-driver-provider' ? secretsStoreConfiguration(store) : undefined;
      addons[n] = new EksAddon(this, n, {
        clusterName: props.clusterName,
        addonName: n,
        addonVersion: this.versions[n]!,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
        ...(roles[n] ? { serviceAccountRoleArn: roles[n]!.roleArn } : {}),
        // The role's policies, not only the role: aws-node without EC2 permissions keeps nodes NotReady.
        ...(roles[n] ? { dependsOn: roles[n]!.policies } : {}),
        tags: { ...props.tags, Name: n },
      });
    }
    this.addons = addons;
    this.beforeCompute = wanted.filter((n) => ADDON_SPECS[n].phase === 'before').map((n) => addons[n]!);
    this.afterCompute = wanted.filter((n) => ADDON_SPECS[n].phase === 'after').map((n) => addons[n]!);
    this.vpcCniRole = roles['vpc-cni']!;
    this.ebsCsiRole = roles['aws-ebs-csi-driver'];
  }

  /** Makes the after-compute add-ons (coredns, EBS CSI, Secrets Store CSI) wait for `deps`, normally the node groups. */
  runAfter(...deps: ITerraformDependable[]): void {
    for (const addon of this.afterCompute) {
      addon.dependsOn = [...(addon.dependsOn ?? []), ...deps.map((d) => dependable(d))];
    }
  }
}

/**
 * Configuration values of the Secrets Store add-on: the driver's own chart values go under
 * `secrets-store-csi-driver` (the add-on installs it as a dependency of AWS's provider chart and
 * passes them through unchecked, so the keys are those of kubernetes-sigs/secrets-store-csi-driver's
 * `values.yaml`: `syncSecret.enabled`, `enableSecretRotation`, `rotationPollInterval`). Nothing when
 * the defaults (no sync, no rotation) are wanted.
 */
export function secretsStoreConfiguration(options: SecretsStoreCsiDriverOptions): Record<string, unknown> | undefined {
  const driver: Record<string, unknown> = {};
  if (options.syncKubernetesSecrets) driver.syncSecret = { enabled: true };
  if (options.rotationPollInterval !== undefined) Object.assign(driver, { enableSecretRotation: true, rotationPollInterval: options.rotationPollInterval });
  return Object.keys(driver).length ? { 'secrets-store-csi-driver': driver } : undefined;
}
