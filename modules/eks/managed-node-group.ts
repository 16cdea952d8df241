import { Construct } from 'constructs';
import { ITerraformDependable, Token } from 'cdktf';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { checkProviderBindings } from '../core/bindings';
import { check, show } from '../core/validation';
import { checkInstanceType } from '../core/aws-catalog';
import { stableAddress } from '../core/stable-address';
import { NodeRole } from './node-role';
import { CLUSTER_NAME_PATTERN, checkClusterName, iamRoleName } from './names';

export const CAPACITY_TYPES = ['ON_DEMAND', 'SPOT'] as const;
/** On-demand (steady) or Spot (cheaper, may be reclaimed with two minutes' notice). */
export type CapacityType = (typeof CAPACITY_TYPES)[number];

export const TAINT_EFFECTS = ['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export interface NodeTaint {
  readonly key: string;
  /** @default no value */
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** AL2023 EKS-optimised AMI types, one per CPU architecture. */
export const AMI_TYPES = ['AL2023_x86_64_STANDARD', 'AL2023_ARM_64_STANDARD', 'AL2023_x86_64_NVIDIA', 'AL2023_ARM_64_NVIDIA', 'AL2023_x86_64_NEURON', 'BOTTLEROCKET_x86_64', 'BOTTLEROCKET_ARM_64'] as const;
export type AmiType = (typeof AMI_TYPES)[number];


/** True for Graviton (arm64) instance types: a1, t4g, m7g, c7gn, r8g, x2gd, ... */
export function isArmInstanceType(instanceType: string): boolean {
  const family = instanceType.split('.')[0];
  return family === 'a1' || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family.replace(/-.*/, ''));
}

export interface ManagedNodeGroupProps {
  /**
   * Name of the cluster, as a literal (it goes into the cluster-autoscaler tag key). Pass the
   * cluster resource (or add-ons) in `dependsOn` so the group waits for it.
   */
  readonly clusterName: string;
  /**
   * The same name as a reference to the cluster resource (`EksCluster.clusterName`), so Terraform
   * creates this after the cluster; `clusterName` stays the literal that names and tags derive from.
   * @default clusterName
   */
  readonly clusterNameRef?: string;
  /** Short name of the group, e.g. `default`; the node group is `<cluster>-<name>`. */
  readonly name: string;
  /** Region, for the partition of the node role's policy ARNs. */
  readonly region: string;
  /** Private subnets for the nodes (never public: nodes get no public IP). */
  readonly subnetIds: string[];
  /** Security groups of the nodes (the cluster's node security group). */
  readonly securityGroupIds: string[];
  /** Node IAM role ARN, e.g. a shared `NodeRole`. @default a `NodeRole` created here */
  readonly nodeRoleArn?: string;
  /**
   * Instance types EC2 offers (checked against `@aws-sdk/client-ec2`'s list), all of one CPU
   * architecture; several help Spot find capacity. @default ["t3.medium"]
   */
  readonly instanceTypes?: string[];
  /** ON_DEMAND or SPOT. @default "ON_DEMAND" */
  readonly capacityType?: CapacityType;
  /** AMI type. @default AL2023 standard for the instance types' architecture (x86_64 or ARM_64) */
  readonly amiType?: AmiType;
  /** Fewest nodes. @default 2 (the course's --nodes-min) */
  readonly minSize?: number;
  /** Most nodes. @default 5 (the course's --nodes-max) */
  readonly maxSize?: number;
  /**
   * Nodes at creation; later changes by the cluster-autoscaler are kept (Terraform ignores drift in
   * desired size). @default minSize
   */
  readonly desiredSize?: number;
  /** Root volume (gp3, encrypted) in GiB. @default 50 (room for images; the AMI needs 20) */
  readonly diskSizeGiB?: number;
  /** KMS key for the root volume. @default the account's EBS default key (aws/ebs) */
  readonly diskKmsKeyArn?: string;
  /** Kubernetes labels on every node. @default none */
  readonly labels?: Record<string, string>;
  /** Kubernetes taints on every node. @default none */
  readonly taints?: NodeTaint[];
  /** Kubernetes version of the nodes; pass the cluster's so upgrades roll the nodes. @default the cluster's at creation */
  readonly version?: string;
  /**
   * IMDSv2 hop limit. 1 answers only the node itself and pods with host networking (aws-node,
   * kube-proxy, the Pod Identity agent, the CloudWatch agent): every other pod is cut off from
   * instance metadata and so from the node role's credentials (checkov CKV_AWS_341). Pods get AWS
   * credentials from IRSA or Pod Identity instead. 2 lets pods without host networking reach IMDS;
   * choose it only for a workload that truly needs instance metadata, on its own node group.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /** Share of nodes replaced at once during updates. @default 33 */
  readonly maxUnavailablePercentage?: number;
  /** Resources to wait for (the cluster, vpc-cni, node role policies). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Tags on every resource of this construct, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * An EKS managed node group in private subnets from a launch template: IMDSv2 required with hop
 * limit 1 (pods without host networking cannot reach the node role), encrypted gp3 root volume, no
 * SSH (use SSM Session Manager), cluster-autoscaler discovery tags, and a desired size Terraform
 * does not fight the autoscaler over.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly nodeGroupName: string;
  readonly nodeRoleArn: string;
  /** The role created here, when no `nodeRoleArn` was given. */
  readonly nodeRole?: NodeRole;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const instanceTypes = props.instanceTypes ?? ['t3.medium'];
    const capacityType = props.capacityType ?? 'ON_DEMAND';
    const minSize = props.minSize ?? 2;
    const maxSize = props.maxSize ?? 5;
    const desiredSize = props.desiredSize ?? minSize;
    const diskSize = props.diskSizeGiB ?? 50;
    const hopLimit = props.metadataHopLimit ?? 1;
    const maxUnavailable = props.maxUnavailablePercentage ?? 33;
    const taints = props.taints ?? [];
    const labels = props.labels ?? {};

    checkClusterName(props.clusterName, 'clusterName');
    check(typeof props.name === 'string' && CLUSTER_NAME_PATTERN.test(props.name), 'name', `${show(props.name)} is not a valid node group name; allowed: letters, digits, "-" and "_", starting with a letter or digit`);
    const fullName = `${props.clusterName}-${props.name}`;
    check(fullName.length <= 63, 'name', `"${fullName}" is ${fullName.length} characters; allowed: <cluster>-<name> of at most 63 characters`);
    check(Array.isArray(instanceTypes) && instanceTypes.length > 0, 'instanceTypes', `${show(instanceTypes)} lists no instance type; allowed: one or more EC2 instance types such as ["t3.medium"]`);
    instanceTypes.forEach((t, i) => checkInstanceType(t, `instanceTypes[${i}]`));
    const arm = instanceTypes.map(isArmInstanceType);
    check(arm.every((a) => a === arm[0]), 'instanceTypes', `${show(instanceTypes)} mixes arm64 (Graviton) and x86_64 types; allowed: types of one architecture per node group`);
    check((CAPACITY_TYPES as readonly string[]).includes(capacityType), 'capacityType', `${show(capacityType)} is not a capacity type; allowed: ${CAPACITY_TYPES.map((c) => show(c)).join(' | ')}`);
    const amiType = props.amiType ?? (arm[0] ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD');
    check((AMI_TYPES as readonly string[]).includes(amiType), 'amiType', `${show(amiType)} is not a supported AMI type; allowed: ${AMI_TYPES.join(', ')}`);
    check(/ARM_64/.test(amiType) === arm[0], 'amiType', `${show(amiType)} does not match the ${arm[0] ? 'arm64' : 'x86_64'} instance types ${show(instanceTypes)}; allowed: an AMI type of the same architecture`);
    check(Number.isInteger(minSize) && minSize >= 0, 'minSize', `${show(minSize)} is not a node count; allowed: an integer >= 0`);
    check(Number.isInteger(maxSize) && maxSize >= 1, 'maxSize', `${show(maxSize)} is not a node count; allowed: an integer >= 1`);
    check(minSize <= maxSize, 'minSize', `${minSize} is greater than maxSize ${maxSize}; allowed: minSize <= maxSize`);
    check(Number.isInteger(desiredSize) && desiredSize >= minSize && desiredSize <= maxSize, 'desiredSize', `${show(desiredSize)} is outside [minSize, maxSize] = [${minSize}, ${maxSize}]; allowed: an integer from ${minSize} to ${maxSize}`);
    check(Number.isInteger(diskSize) && diskSize >= 20 && diskSize <= 16384, 'diskSizeGiB', `${show(diskSize)} is not a root volume size; allowed: an integer from 20 (the AMI's size) to 16384 GiB`);
    check(Number.isInteger(hopLimit) && hopLimit >= 1 && hopLimit <= 64, 'metadataHopLimit', `${show(hopLimit)} is not a hop limit; allowed: 1 (host only) to 64, usually 1 or 2`);
    check(Number.isInteger(maxUnavailable) && maxUnavailable >= 1 && maxUnavailable <= 100, 'maxUnavailablePercentage', `${show(maxUnavailable)} is not a percentage; allowed: 1 to 100`);
    for (const [k, v] of Object.entries(labels)) {
      check(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k), `labels.${k}`, `${show(k)} is not a Kubernetes label key; allowed: [prefix/]name, name of at most 63 letters, digits, '-', '_', '.'`);
      check(typeof v === 'string' && /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v), `labels.${k}`, `${show(v)} is not a Kubernetes label value; allowed: at most 63 letters, digits, '-', '_', '.'`);
    }
    check(taints.length <= 50, 'taints', `lists ${taints.length} taints; allowed: at most 50`);
    taints.forEach((t, i) => {
      check(typeof t.key === 'string' && /^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(t.key), `taints[${i}].key`, `${show(t.key)} is not a taint key; allowed: [prefix/]name like a label key`);
      check((TAINT_EFFECTS as readonly string[]).includes(t.effect), `taints[${i}].effect`, `${show(t.effect)} is not a taint effect; allowed: ${TAINT_EFFECTS.map((e) => show(e)).join(' | ')}`);
    });

    const tags = (n: string, extra: Record<string, string> = {}) => ({ ...props.tags, Name: n, ...extra });

    if (!props.nodeRoleArn) {
      this.nodeRole = new NodeRole(this, 'node-role', { roleName: iamRoleName(fullName, 'node'), region: props.region, tags: props.tags, permissionsBoundaryArn: props.permissionsBoundaryArn });
    }
    this.nodeRoleArn = props.nodeRoleArn ?? this.nodeRole!.roleArn;

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: fullName,
      description: `EKS managed node group ${fullName}`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: props.securityGroupIds,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: hopLimit,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: diskSize,
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
            ...(props.diskKmsKeyArn ? { kmsKeyId: props.diskKmsKeyArn } : {}),
          },
        },
      ],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags: tags(fullName) })),
      tags: tags(fullName),
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterNameRef ?? props.clusterName,
      nodeGroupName: fullName,
      nodeRoleArn: this.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes,
      capacityType,
      amiType,
      ...(props.version ? { version: props.version } : {}),
      scalingConfig: { minSize, maxSize, desiredSize },
      updateConfig: { maxUnavailablePercentage: maxUnavailable },
      labels: Object.keys(labels).length > 0 ? labels : undefined,
      taint: taints.length > 0 ? taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      tags: tags(fullName, {
        'k8s.io/cluster-autoscaler/enabled': 'true',
        [`k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned',
      }),
      // The cluster-autoscaler owns the node count once the group exists.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: [...(props.dependsOn ?? []), ...(this.nodeRole?.attachments ?? [])],
    });
    // Users import and move node groups: an address without cdktf's hash (`aws_eks_node_group.<path>`).
    stableAddress(this.nodeGroup);
    if (this.nodeGroup.dependsOn?.length === 0) this.nodeGroup.dependsOn = undefined;
    this.nodeGroupName = this.nodeGroup.nodeGroupName;
  }
}
