import { Construct } from 'constructs';
import { IResolveContext, ITerraformDependable, Token } from 'cdktf';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { managedPolicyArn } from '../core/iam';
import { check, show } from '../core/validation';
import { ADDON_VERSION_PATTERN, DEFAULT_KUBERNETES_VERSION, EKS_ADDON_NAMES, EKS_ADDON_VERSIONS, EksAddonName, addonVersionsFor } from './addon-versions';
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
};

export interface EksAddonsProps {
  /** Cluster name; pass the cluster resource's attribute so add-ons wait for the cluster. */
  readonly clusterName: string;
  /** Base of the IRSA role names (`<base>-vpc-cni`, `<base>-ebs-csi`), usually the literal cluster name. */
  readonly roleNamePrefix: string;
  /** Kubernetes minor version of the cluster (a literal), selecting the pinned versions. @default "1.35" */
  readonly kubernetesVersion?: string;
  /** Region, for the partition of policy ARNs. */
  readonly region: string;
  /** The cluster's IAM OIDC provider ARN (IRSA roles trust it). */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: string;
  /**
   * Versions overriding the pinned table `EKS_ADDON_VERSIONS`, e.g. `{ coredns: "v1.13.2-eksbuild.4" }`.
   * Required for every add-on when the table has no entry for `kubernetesVersion`. @default the table
   */
  readonly addonVersions?: Partial<Record<EksAddonName, string>>;
  /** VPC CNI network policy enforcement, so NetworkPolicy works without Calico. @default true */
  readonly networkPolicy?: boolean;
  /** Install the EBS CSI driver (PersistentVolumes on EBS). @default true */
  readonly ebsCsiDriver?: boolean;
  /** Tags on every resource of this construct, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
}

/**
 * The cluster's EKS managed add-ons at pinned versions: vpc-cni (IRSA, network policy on), kube-proxy
 * and eks-pod-identity-agent before any node joins; coredns and aws-ebs-csi-driver (IRSA) after the
 * nodes exist. Create this before the node groups, give them `beforeCompute` as `dependsOn`, then
 * call `runAfter(...nodeGroups)`. Conflicts on create are overwritten (the cluster is new, so there
 * is nothing of ours to lose).
 */
export class EksAddons extends Construct {
  /** Each installed add-on by name. */
  readonly addons: Partial<Record<EksAddonName, EksAddon>>;
  /** Versions actually installed. */
  readonly versions: Readonly<Record<EksAddonName, string>>;
  /** Add-ons node groups must wait for. */
  readonly beforeCompute: EksAddon[];
  /** Add-ons that wait for the node groups (see `runAfter`). */
  readonly afterCompute: EksAddon[];
  readonly vpcCniRole: IrsaRole;
  readonly ebsCsiRole?: IrsaRole;

  constructor(scope: Construct, id: string, props: EksAddonsProps) {
    super(scope, id);
    const k8s = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    const overrides = props.addonVersions ?? {};
    checkKubernetesVersion(k8s, 'kubernetesVersion');
    check(/^[\w+=,.@-]{1,100}$/.test(props.roleNamePrefix), 'roleNamePrefix', `${show(props.roleNamePrefix)} cannot start an IAM role name; allowed: letters, digits and +=,.@_-`);
    for (const [name, v] of Object.entries(overrides)) {
      check((EKS_ADDON_NAMES as readonly string[]).includes(name), `addonVersions.${name}`, `${show(name)} is not an add-on this library installs; allowed: ${EKS_ADDON_NAMES.join(', ')}`);
      check(typeof v === 'string' && ADDON_VERSION_PATTERN.test(v), `addonVersions.${name}`, `${show(v)} is not an EKS add-on version; allowed: "vX.Y.Z-eksbuild.N" (see aws eks describe-addon-versions)`);
    }
    const pinned = addonVersionsFor(k8s);
    const wanted = EKS_ADDON_NAMES.filter((n) => n !== 'aws-ebs-csi-driver' || (props.ebsCsiDriver ?? true));
    for (const n of wanted) {
      check(
        pinned !== undefined || overrides[n] !== undefined,
        `addonVersions.${n}`,
        `no version pinned for Kubernetes ${k8s} (the table covers ${Object.keys(EKS_ADDON_VERSIONS).join(', ')}); allowed: a version for every add-on in addonVersions, or a covered Kubernetes version`,
      );
    }
    this.versions = Object.fromEntries(EKS_ADDON_NAMES.map((n) => [n, overrides[n] ?? pinned?.[n] ?? ''])) as Record<EksAddonName, string>;

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
          tags: { ...props.tags, Name: roleName },
        });
      }
      const configuration = n === 'vpc-cni' && (props.networkPolicy ?? true) ? { enableNetworkPolicy: 'true' } : undefined;
      addons[n] = new EksAddon(this, n, {
        clusterName: props.clusterName,
        addonName: n,
        addonVersion: this.versions[n],
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
        ...(roles[n] ? { serviceAccountRoleArn: roles[n]!.roleArn } : {}),
        tags: { ...props.tags, Name: n },
      });
    }
    this.addons = addons;
    this.beforeCompute = wanted.filter((n) => ADDON_SPECS[n].phase === 'before').map((n) => addons[n]!);
    this.afterCompute = wanted.filter((n) => ADDON_SPECS[n].phase === 'after').map((n) => addons[n]!);
    this.vpcCniRole = roles['vpc-cni']!;
    this.ebsCsiRole = roles['aws-ebs-csi-driver'];
  }

  /** Makes the after-compute add-ons (coredns, EBS CSI) wait for `deps`, normally the node groups. */
  runAfter(...deps: ITerraformDependable[]): void {
    for (const addon of this.afterCompute) {
      addon.dependsOn = [...(addon.dependsOn ?? []), ...deps.map(dependsOnEntry)];
    }
  }
}

/** A `depends_on` entry added after construction, rendered as cdktf renders a `dependsOn` prop (a bare address). */
function dependsOnEntry(d: ITerraformDependable): string {
  return Token.asString({
    creationStack: [],
    resolve: (context: IResolveContext) => {
      context.suppressBraces = true;
      return d.fqn;
    },
    toString: () => d.fqn,
  });
}
