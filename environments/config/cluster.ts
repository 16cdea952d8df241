import { z } from 'zod';
import { AMI_TYPES, CAPACITY_TYPES, EKS_ADDON_NAMES, TAINT_EFFECTS } from '../../modules';
import type { AmiType, CapacityType, EksAddonName, TaintEffect } from '../../modules';

// Owner: the cluster stack. Interface (documented, with @default) and zod schema side by side.
// Shapes and enums are checked here; relations (min <= desired <= max, CIDRs, versions) are checked
// by the constructs and reported as `cluster.<field>: ...`.

/** One managed node group. */
export interface NodeGroupConfig {
  /** Short name, unique in the cluster; the node group is `<cluster>-<name>`. */
  readonly name: string;
  /** Instance types EC2 offers (checked at synth against `@aws-sdk/client-ec2`'s list), all of one CPU architecture. @default ["t3.medium"] */
  readonly instanceTypes?: string[];
  /** ON_DEMAND or SPOT. @default "ON_DEMAND" */
  readonly capacityType?: CapacityType;
  /** AMI type. @default AL2023 standard for the instance types' architecture */
  readonly amiType?: AmiType;
  /** Fewest nodes. @default 2 */
  readonly minSize?: number;
  /** Most nodes (the cluster-autoscaler's ceiling). @default 5 */
  readonly maxSize?: number;
  /** Nodes at creation; the cluster-autoscaler changes it afterwards and Terraform leaves it be. @default minSize */
  readonly desiredSize?: number;
  /** Encrypted gp3 root volume size in GiB. @default 50 */
  readonly diskSizeGiB?: number;
  /** Kubernetes labels on the nodes. @default none */
  readonly labels?: Record<string, string>;
  /** Kubernetes taints on the nodes. @default none */
  readonly taints?: NodeTaintConfig[];
  /**
   * IMDSv2 hop limit of the nodes. 1 keeps pods without host networking away from instance metadata
   * and the node role (every add-on here uses IRSA or Pod Identity). 2 is an opt-in for a workload
   * that truly needs instance metadata: give it its own node group (labels, taints) so other pods
   * keep hop limit 1 (docs/cluster.md). @default 1
   */
  readonly metadataHopLimit?: number;
}

/** A taint every node of the group carries. */
export interface NodeTaintConfig {
  /** Taint key, like a label key. */
  readonly key: string;
  /** Taint value. @default none */
  readonly value?: string;
  /** NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE. */
  readonly effect: TaintEffect;
}

/** Pods that run on Fargate. */
export interface FargateSelectorConfig {
  /** Namespace whose pods run on Fargate, e.g. the batch namespace "eks-work-batch". */
  readonly namespace: string;
  /** Labels the pods must also carry (at most 5). @default any pod of the namespace */
  readonly labels?: Record<string, string>;
}

/** Pods of these namespaces (and labels) run on Fargate instead of nodes. */
export interface FargateConfig {
  /** Create the Fargate profile. @default false */
  readonly enabled?: boolean;
  /** Profile name; the profile is `<cluster>-<name>`. @default "fargate" */
  readonly name?: string;
  /** Selectors, 1 to 5: a namespace and optional labels. */
  readonly selectors: FargateSelectorConfig[];
}

/**
 * The Secrets Store CSI driver with AWS's provider (ASCP), installed as the EKS add-on
 * `aws-secrets-store-csi-driver-provider`: pods mount Secrets Manager secrets as files with their own
 * Pod Identity (or IRSA) role, so no secret passes through Terraform or a Kubernetes Secret.
 */
export interface SecretsStoreConfig {
  /** Install the add-on (its version: `addonVersions["aws-secrets-store-csi-driver-provider"]`, else EKS's default at plan time). @default true */
  readonly enabled?: boolean;
  /**
   * Allow SecretProviderClasses to copy mounted secrets into Kubernetes Secrets (`secretObjects`), for
   * applications that read environment variables (the course's backend-app); the value then also
   * lives in etcd, encrypted with the cluster's KMS key, while a pod mounts it. @default false (files only)
   */
  readonly syncKubernetesSecrets?: boolean;
  /**
   * Re-read mounted secrets this often (a Go duration, e.g. "2m") and update the files and synced
   * Secrets; every poll is one GetSecretValue per secret and pod. @default none (rotation off: pods see a new value when restarted)
   */
  readonly rotationPollInterval?: string;
}

/** The EKS cluster. */
export interface ClusterConfig {
  /** Cluster name; also tags the subnets for load balancers. 1-100 characters: letters, digits, '-', '_'. */
  readonly name: string;
  /** Kubernetes minor version `1.N`. @default "1.35" (in standard support; add-on versions are pinned for it) */
  readonly version?: string;
  /** Also expose the API endpoint publicly (private access is always on). @default false */
  readonly endpointPublicAccess?: boolean;
  /** CIDRs allowed to the public endpoint; required when it is public. `0.0.0.0/0` needs allowOpenPublicEndpoint. @default [] */
  readonly publicAccessCidrs?: string[];
  /** Accept `0.0.0.0/0` in publicAccessCidrs, outside production only: a production environment refuses it whatever this says. @default false */
  readonly allowOpenPublicEndpoint?: boolean;
  /** Let the whole VPC CIDR reach the private endpoint on 443 (bastion, CI runners, VPN). @default true */
  readonly privateAccessFromVpc?: boolean;
  /**
   * IAM role/user ARNs made cluster admins through access entries (AmazonEKSClusterAdminPolicy,
   * cluster scope). Add an ARN here and apply to grant a new admin. @default []
   */
  readonly adminPrincipalArns?: string[];
  /**
   * IAM role/user ARNs given read-only access to the application namespaces: an access entry with no
   * access policy, in the Kubernetes group `kubernetes.viewerGroup`, which the add-ons stack binds to a
   * read-only ClusterRole in each application namespace (pods and logs, deployments, services, jobs;
   * no Secrets, no exec). @default []
   */
  readonly viewerPrincipalArns?: string[];
  /** Also make whoever creates the cluster an admin (unmanaged entry; changing it replaces the cluster). @default false */
  readonly bootstrapClusterCreatorAdminPermissions?: boolean;
  /** Days to keep control-plane logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Managed node groups. @default one group "default": t3.medium, ON_DEMAND, 2/5/2 */
  readonly nodeGroups?: NodeGroupConfig[];
  /** Fargate profile. @default none */
  readonly fargate?: FargateConfig;
  /**
   * Pinned EKS managed add-on versions, e.g. `{ coredns: "v1.13.2-eksbuild.4" }`. An add-on without a
   * pin gets, at plan time, the version EKS reports for the cluster version (`addonVersionSelection`);
   * pin in production so no plan upgrades an add-on by surprise. @default no pins
   */
  readonly addonVersions?: Partial<Record<EksAddonName, string>>;
  /**
   * Version an unpinned add-on gets: `default` (what EKS marks default for the cluster version) or
   * `latest` (its most recent build). @default "default"
   */
  readonly addonVersionSelection?: 'default' | 'latest';
  /** Secrets Store CSI driver with the AWS provider (EKS add-on). @default installed, no sync to Kubernetes Secrets, no rotation */
  readonly secretsStore?: SecretsStoreConfig;
}

const labels = z.record(z.string());

const nodeGroupSchema = z
  .object({
    name: z.string(),
    instanceTypes: z.array(z.string()).optional(),
    capacityType: z.enum(CAPACITY_TYPES).optional(),
    amiType: z.enum(AMI_TYPES).optional(),
    minSize: z.number().optional(),
    maxSize: z.number().optional(),
    desiredSize: z.number().optional(),
    diskSizeGiB: z.number().optional(),
    labels: labels.optional(),
    taints: z.array(z.object({ key: z.string(), value: z.string().optional(), effect: z.enum(TAINT_EFFECTS) }).strict()).optional(),
    metadataHopLimit: z.number().optional(),
  })
  .strict();

const addonVersionsSchema = z
  .object(Object.fromEntries(EKS_ADDON_NAMES.map((n) => [n, z.string().optional()])) as Record<EksAddonName, z.ZodOptional<z.ZodString>>)
  .strict();

export const clusterSchema = z
  .object({
    name: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'allowed: 1-100 characters of letters, digits, "-" and "_", starting with a letter or digit'),
    version: z.string().optional(),
    endpointPublicAccess: z.boolean().optional(),
    publicAccessCidrs: z.array(z.string()).optional(),
    allowOpenPublicEndpoint: z.boolean().optional(),
    privateAccessFromVpc: z.boolean().optional(),
    adminPrincipalArns: z.array(z.string()).optional(),
    viewerPrincipalArns: z.array(z.string()).optional(),
    bootstrapClusterCreatorAdminPermissions: z.boolean().optional(),
    logRetentionDays: z.number().optional(),
    nodeGroups: z.array(nodeGroupSchema).optional(),
    fargate: z
      .object({
        enabled: z.boolean().optional(),
        name: z.string().optional(),
        selectors: z.array(z.object({ namespace: z.string(), labels: labels.optional() }).strict()),
      })
      .strict()
      .optional(),
    addonVersions: addonVersionsSchema.optional(),
    addonVersionSelection: z.enum(['default', 'latest']).optional(),
    secretsStore: z
      .object({ enabled: z.boolean().optional(), syncKubernetesSecrets: z.boolean().optional(), rotationPollInterval: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();
