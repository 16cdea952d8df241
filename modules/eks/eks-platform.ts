import { Construct } from 'constructs';
import { checkProviderBindings } from '../core/bindings';
import { Network, NetworkProps } from '../network/network';
import { check, show, within } from '../core/validation';
import { PodIdentityRole, PodIdentityRoleProps } from '../addons/pod-identity-role';
import { DEFAULT_KUBERNETES_VERSION, EksAddonName } from './addon-versions';
import { EksAddons, SecretsStoreCsiDriverOptions } from './eks-addons';
import { EksAccessEntrySpec, EksCluster } from './eks-cluster';
import { FargateProfile, FargateSelector } from './fargate-profile';
import { IrsaRole, IrsaRoleProps } from './irsa-role';
import { ManagedNodeGroup, ManagedNodeGroupProps } from './managed-node-group';
import { iamRoleName } from './names';
import { NodeRole } from './node-role';

/** A VPC made elsewhere (another stack's outputs, a terraform-aws-modules VPC, a data source). */
export interface EksPlatformVpc {
  readonly vpcId: string;
  /** Private subnets with a route to a NAT gateway (or the needed VPC endpoints), in at least two AZs. */
  readonly privateSubnetIds: string[];
  /** CIDR of the VPC, admitted to the private endpoint when `privateAccessFromVpc` is on. @default none */
  readonly vpcCidrBlock?: string;
}

/** What to build when no VPC is given: `Network`'s props less those the platform sets. */
export type EksPlatformNetwork = Omit<NetworkProps, 'name' | 'accountId' | 'region' | 'clusterNames' | 'permissionsBoundaryArn'> & {
  /** Name of the VPC and the prefix of its resources. @default the cluster's name */
  readonly name?: string;
};

/** One managed node group: `ManagedNodeGroup`'s props less the cluster wiring the platform does. */
export type EksPlatformNodeGroup = Omit<
  ManagedNodeGroupProps,
  'clusterName' | 'clusterNameRef' | 'region' | 'subnetIds' | 'securityGroupIds' | 'nodeRoleArn' | 'version' | 'dependsOn' | 'permissionsBoundaryArn'
>;

/** A Fargate profile in the platform's private subnets. */
export interface EksPlatformFargate {
  /** Profile name. @default "fargate" */
  readonly name?: string;
  /** Pods that run on Fargate: namespace, optionally labels (at most five). */
  readonly selectors: FargateSelector[];
}

export interface EksPlatformProps {
  /** Cluster name; also the base of the IAM role and security group names. */
  readonly name: string;
  /** Account that owns the cluster. */
  readonly accountId: string;
  readonly region: string;
  /** An existing VPC. Give this or `network`. @default none: a VPC is built from `network` */
  readonly vpc?: EksPlatformVpc;
  /** The VPC to build (three subnet tiers, NAT, flow logs), when `vpc` is not given. @default none */
  readonly network?: EksPlatformNetwork;
  /** Kubernetes minor version. @default "1.35" */
  readonly version?: string;
  /** Also expose the API endpoint publicly, to `publicAccessCidrs` only. @default false */
  readonly endpointPublicAccess?: boolean;
  /** @default none */
  readonly publicAccessCidrs?: string[];
  /** Accept `0.0.0.0/0` in `publicAccessCidrs`. @default false */
  readonly allowOpenPublicEndpoint?: boolean;
  /** Admit the VPC's CIDR to the private endpoint on 443 (bastion, CI runners in the VPC). @default true */
  readonly privateAccessFromVpc?: boolean;
  /** Cluster admins (access entries with AmazonEKSClusterAdminPolicy). @default none */
  readonly adminPrincipalArns?: string[];
  /** Principals in `viewerGroup` only (RBAC decides what they read). @default none */
  readonly viewerPrincipalArns?: string[];
  /** @default none (required with `viewerPrincipalArns`) */
  readonly viewerGroup?: string;
  /** Further access entries (CI roles...). @default none */
  readonly accessEntries?: EksAccessEntrySpec[];
  /** Make whoever applies a cluster admin. @default false (then list `adminPrincipalArns`) */
  readonly bootstrapClusterCreatorAdminPermissions?: boolean;
  /** Days to keep control-plane logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Managed node groups, all sharing one node role. @default one group "default" (t3.medium, 2-5 nodes) */
  readonly nodeGroups?: EksPlatformNodeGroup[];
  /** A Fargate profile (e.g. for batch namespaces). @default none */
  readonly fargate?: EksPlatformFargate;
  /** Pinned managed add-on versions. @default none: EKS's default for the Kubernetes version, at plan time */
  readonly addonVersions?: Partial<Record<EksAddonName, string>>;
  /** @default "default" */
  readonly addonVersionSelection?: 'default' | 'latest';
  /** VPC CNI network policy enforcement. @default true */
  readonly networkPolicy?: boolean;
  /** The EBS CSI driver add-on. @default true */
  readonly ebsCsiDriver?: boolean;
  /** The Secrets Store CSI driver with AWS's provider (EKS add-on). @default installed, no sync to Kubernetes Secrets, no rotation */
  readonly secretsStore?: SecretsStoreCsiDriverOptions;
  /** Permissions boundary on every IAM role created here. @default none */
  readonly permissionsBoundaryArn?: string;
  /** Tags on the cluster's resources, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A working EKS cluster in one construct, in the order a first apply needs: the VPC (given, or built),
 * the control plane (KMS, logs, access entries, OIDC provider), vpc-cni, kube-proxy and the Pod
 * Identity agent, one node role, the node groups, then coredns, the EBS CSI driver and the Secrets
 * Store CSI driver once nodes exist, and an optional Fargate profile. `irsaRole` and `podIdentityRole` make application roles.
 *
 * The lower-level constructs it composes (`Network`, `EksCluster`, `EksAddons`, `NodeRole`,
 * `ManagedNodeGroup`, `FargateProfile`) stay available for other shapes.
 */
export class EksPlatform extends Construct {
  /** The VPC built here, when `vpc` was not given. */
  readonly network?: Network;
  readonly cluster: EksCluster;
  readonly addons: EksAddons;
  readonly nodeRole: NodeRole;
  readonly nodeGroups: ManagedNodeGroup[];
  readonly fargateProfile?: FargateProfile;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  private readonly props: EksPlatformProps;

  constructor(scope: Construct, id: string, props: EksPlatformProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    this.props = props;
    check(!!props.vpc !== !!props.network, props.vpc ? 'network' : 'vpc', props.vpc ? 'is given with vpc; allowed: one of vpc (an existing VPC) or network (the VPC to build)' : 'is missing; allowed: vpc (an existing VPC: vpcId, privateSubnetIds) or network (the VPC to build: azs at least)');
    const groups = props.nodeGroups ?? [{ name: 'default' }];
    check(groups.length > 0, 'nodeGroups', 'is empty; allowed: at least one node group (coredns and the EBS CSI controller run on nodes)');
    groups.forEach((g, i) => check(groups.findIndex((o) => o.name === g.name) === i, `nodeGroups[${i}].name`, `${show(g.name)} is used by another node group; allowed: a unique name`));

    if (props.network) {
      this.network = within('network', () =>
        new Network(this, 'network', { ...props.network!, name: props.network!.name ?? props.name, accountId: props.accountId, region: props.region, clusterNames: [props.name], permissionsBoundaryArn: props.permissionsBoundaryArn }),
      );
    }
    const vpc: EksPlatformVpc = props.vpc ?? { vpcId: this.network!.vpcId, privateSubnetIds: this.network!.privateSubnetIds, vpcCidrBlock: this.network!.vpcCidrBlock };
    this.vpcId = vpc.vpcId;
    this.privateSubnetIds = vpc.privateSubnetIds;
    const version = props.version ?? DEFAULT_KUBERNETES_VERSION;
    const boundary = props.permissionsBoundaryArn;

    this.cluster = new EksCluster(this, 'cluster', {
      permissionsBoundaryArn: boundary,
      name: props.name,
      accountId: props.accountId,
      region: props.region,
      vpcId: vpc.vpcId,
      subnetIds: vpc.privateSubnetIds,
      version,
      endpointPublicAccess: props.endpointPublicAccess,
      publicAccessCidrs: props.publicAccessCidrs,
      allowOpenPublicEndpoint: props.allowOpenPublicEndpoint,
      privateAccessCidrs: (props.privateAccessFromVpc ?? true) && vpc.vpcCidrBlock ? [vpc.vpcCidrBlock] : [],
      adminPrincipalArns: props.adminPrincipalArns,
      viewerPrincipalArns: props.viewerPrincipalArns,
      viewerGroup: props.viewerGroup,
      accessEntries: props.accessEntries,
      bootstrapClusterCreatorAdminPermissions: props.bootstrapClusterCreatorAdminPermissions,
      logRetentionDays: props.logRetentionDays,
      runsFargatePods: props.fargate !== undefined,
      tags: props.tags,
    });
    const cluster = this.cluster;

    this.addons = new EksAddons(this, 'addons', {
      permissionsBoundaryArn: boundary,
      clusterName: cluster.clusterName,
      roleNamePrefix: props.name,
      kubernetesVersion: version,
      region: props.region,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      addonVersions: props.addonVersions,
      addonVersionSelection: props.addonVersionSelection,
      networkPolicy: props.networkPolicy,
      ebsCsiDriver: props.ebsCsiDriver,
      secretsStore: props.secretsStore,
      tags: props.tags,
    });

    // One role for every node group (published by the app as node_iam_role_arn).
    this.nodeRole = new NodeRole(this, 'node-role', { roleName: iamRoleName(props.name, 'node'), region: props.region, permissionsBoundaryArn: boundary, tags: props.tags });
    this.nodeGroups = groups.map((g, i) =>
      within(`nodeGroups[${i}]`, () =>
        new ManagedNodeGroup(this, `node-group-${g.name}`, {
          ...g,
          tags: props.tags || g.tags ? { ...props.tags, ...g.tags } : undefined,
          permissionsBoundaryArn: boundary,
          clusterName: props.name,
          clusterNameRef: cluster.clusterName,
          region: props.region,
          subnetIds: vpc.privateSubnetIds,
          securityGroupIds: [cluster.nodeSecurityGroupId],
          nodeRoleArn: this.nodeRole.roleArn,
          version: cluster.version,
          // The cluster (through the add-ons), vpc-cni/kube-proxy before nodes, and the node role's policies.
          dependsOn: [cluster.cluster, ...this.addons.beforeCompute, ...this.nodeRole.attachments],
        }),
      ),
    );
    this.addons.runAfter(...this.nodeGroups.map((g) => g.nodeGroup));

    if (props.fargate) {
      const f = props.fargate;
      this.fargateProfile = within('fargate', () =>
        new FargateProfile(this, 'fargate', {
          permissionsBoundaryArn: boundary,
          clusterName: props.name,
          clusterNameRef: cluster.clusterName,
          name: f.name ?? 'fargate',
          accountId: props.accountId,
          region: props.region,
          subnetIds: vpc.privateSubnetIds,
          selectors: f.selectors,
          dependsOn: [cluster.cluster],
          tags: props.tags,
        }),
      );
    }
  }

  /** An IAM role for one service account through IRSA, trusting this cluster's OIDC provider. */
  irsaRole(id: string, props: Omit<IrsaRoleProps, 'oidcProviderArn' | 'oidcIssuerUrl'>): IrsaRole {
    return new IrsaRole(this, id, { permissionsBoundaryArn: this.props.permissionsBoundaryArn, ...props, oidcProviderArn: this.cluster.oidcProviderArn, oidcIssuerUrl: this.cluster.oidcIssuerUrl });
  }

  /** An IAM role for one service account through EKS Pod Identity (the agent is installed). */
  podIdentityRole(id: string, props: Omit<PodIdentityRoleProps, 'clusterName'>): PodIdentityRole {
    return new PodIdentityRole(this, id, { permissionsBoundaryArn: this.props.permissionsBoundaryArn, ...props, clusterName: this.cluster.clusterName });
  }
}
