import { Construct } from 'constructs';
import { Fn, Op, Token } from 'cdktf';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { DataAwsEksClusterVersions } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-versions';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { PlanTimeLookup } from '../core/plan-time-lookup';
import { stableAddress } from '../core/stable-address';
import { managedPolicyArn, partitionOf, policyDocument, serviceTrustPolicy } from '../core/iam';
import { check, checkAccountId, checkRetentionDays, show } from '../core/validation';
import { DEFAULT_KUBERNETES_VERSION } from './addon-versions';
import { checkClusterName, checkKubernetesVersion, iamRoleName, stableId } from './names';

/** The five control-plane log types; all of them go to the cluster's log group. */
export const CLUSTER_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Ports the control plane opens to nodes: kubelet, and the webhook/extension-API ports add-ons listen on. */
export const CONTROL_PLANE_TO_NODE_PORTS: ReadonlyArray<{ port: number; why: string }> = [
  { port: 443, why: 'extension API servers and webhooks on 443' },
  { port: 4443, why: 'metrics-server' },
  { port: 6443, why: 'webhooks on 6443' },
  { port: 8443, why: 'webhooks on 8443 (e.g. Karpenter, Gatekeeper)' },
  { port: 9443, why: 'webhooks on 9443 (AWS Load Balancer Controller)' },
  { port: 10250, why: 'kubelet (logs, exec, metrics)' },
];

/**
 * EKS access policies an access entry can be given here. ClusterAdmin is `*` on everything; Admin
 * and Edit are namespace administration (no cluster-scoped objects, no CRDs); View reads most
 * objects but no Secrets and no RBAC; AdminView reads everything, Secrets included; SecretReader
 * reads only Secrets (give it a namespace scope). docs/cluster.md lists their rules.
 */
export const EKS_ACCESS_POLICIES = [
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSAdminPolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSViewPolicy',
  'AmazonEKSAdminViewPolicy',
  'AmazonEKSSecretReaderPolicy',
] as const;
export type EksAccessPolicyName = (typeof EKS_ACCESS_POLICIES)[number];

/** ARN of an EKS access policy (`arn:<partition>:eks::aws:cluster-access-policy/<name>`). */
export function eksAccessPolicyArn(region: string, policy: EksAccessPolicyName): string {
  return `arn:${partitionOf(region)}:eks::aws:cluster-access-policy/${policy}`;
}

/** One access policy of an access entry, for the whole cluster or some namespaces. */
export interface EksAccessPolicyGrant {
  readonly policy: EksAccessPolicyName;
  /** Namespaces the policy applies in (EKS accepts a trailing `*` wildcard). @default the whole cluster */
  readonly namespaces?: string[];
}

/**
 * An IAM principal's access to the cluster (authentication mode API): one access entry of type
 * `STANDARD` with access policies and/or Kubernetes groups (which RBAC bindings then grant).
 */
export interface EksAccessEntrySpec {
  /** IAM role or user ARN (one entry per principal). Use role ARNs without a path. */
  readonly principalArn: string;
  /** EKS access policies, each at most once. @default none */
  readonly accessPolicies?: EksAccessPolicyGrant[];
  /** Kubernetes groups of the principal, for RBAC bindings. @default none */
  readonly kubernetesGroups?: string[];
  /**
   * Construct id of the entry: keep it stable, since a new id replaces the entry (and briefly
   * revokes the access). @default derived from the principal ARN
   */
  readonly id?: string;
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;
/** Namespace names (DNS labels), or an EKS access scope wildcard such as `team-*`. */
const NAMESPACE_SCOPE = /^[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?$/;
/** Prefixes EKS keeps for itself in access-entry user and group names. */
const RESERVED_GROUP_PREFIX = /^(system|eks|aws|amazon|iam):/;

/** Checks a Kubernetes group an access entry may carry (EKS refuses its reserved prefixes). */
export function checkKubernetesGroup(group: unknown, field: string): void {
  check(
    typeof group === 'string' && group.length > 0 && group.length <= 255 && !RESERVED_GROUP_PREFIX.test(group),
    field,
    `${show(group)} is not a usable Kubernetes group; allowed: a non-empty name not starting with system:, eks:, aws:, amazon: or iam: (EKS keeps those)`,
  );
}

export interface EksClusterProps {
  /** Cluster name: 1-100 letters, digits, '-' and '_'. Also the base of the IAM role and security group names. */
  readonly name: string;
  /** Account that owns the cluster (key policy, ARNs). */
  readonly accountId: string;
  /** Region of the cluster. */
  readonly region: string;
  /** VPC of the cluster's security groups. */
  readonly vpcId: string;
  /** Subnets for the control-plane network interfaces: the private subnets, in at least two AZs. */
  readonly subnetIds: string[];
  /** Kubernetes minor version, `1.N`. @default "1.35" (in EKS standard support; 1.33 has left it) */
  readonly version?: string;
  /**
   * Also expose the API endpoint publicly (it is always reachable privately from the VPC). Needs an
   * explicit `publicAccessCidrs` allowlist. @default false (private only)
   */
  readonly endpointPublicAccess?: boolean;
  /** CIDRs allowed to reach the public endpoint; required when `endpointPublicAccess` is true. @default none */
  readonly publicAccessCidrs?: string[];
  /**
   * Accept `0.0.0.0/0` in `publicAccessCidrs`. Off by default so an open API endpoint is never an
   * accident; production configurations must leave it off. @default false
   */
  readonly allowOpenPublicEndpoint?: boolean;
  /**
   * CIDRs allowed to reach the private endpoint on 443 through the cluster security group, e.g. the
   * VPC CIDR for a bastion or CI runners in the VPC. Nodes are always allowed. @default none
   */
  readonly privateAccessCidrs?: string[];
  /**
   * IAM role or user ARNs that get a cluster access entry with AmazonEKSClusterAdminPolicy at cluster
   * scope (authentication mode API: no aws-auth ConfigMap). Use role ARNs without a path.
   * @default none (then `bootstrapClusterCreatorAdminPermissions` must be true)
   */
  readonly adminPrincipalArns?: string[];
  /**
   * IAM role or user ARNs that get an access entry with no access policy, only the Kubernetes group
   * `viewerGroup`: what they may read is what RBAC grants that group (e.g. `ReadOnlyAccess`
   * bindings in the application namespaces). Use role ARNs without a path. @default none
   */
  readonly viewerPrincipalArns?: string[];
  /** Kubernetes group of `viewerPrincipalArns`. Required when viewers are listed. @default none */
  readonly viewerGroup?: string;
  /**
   * Further access entries, e.g. CI deploy roles: access policies with a scope and/or Kubernetes
   * groups. A principal may appear once across admins, viewers and these. @default none
   */
  readonly accessEntries?: EksAccessEntrySpec[];
  /**
   * Make whoever runs `terraform apply` a cluster admin through an implicit, unmanaged access entry.
   * Off so that admin access is only what `adminPrincipalArns` lists (code-reviewed, removable);
   * turning it on or off later replaces the cluster. @default false
   */
  readonly bootstrapClusterCreatorAdminPermissions?: boolean;
  /** KMS key ARN for envelope encryption of Kubernetes secrets. @default a key created here, rotation on */
  readonly kmsKeyArn?: string;
  /**
   * KMS key ARN for the control-plane log group; its policy must let CloudWatch Logs use it.
   * @default the key created here (its policy allows CloudWatch Logs), or `kmsKeyArn` when that is given
   */
  readonly logKmsKeyArn?: string;
  /** Days to keep control-plane logs. @default 365 (checkov CKV_AWS_338 asks for a year; dev may choose less) */
  readonly logRetentionDays?: number;
  /**
   * The cluster runs Fargate pods (a Fargate profile exists). They carry only the EKS-managed primary
   * security group, whose default rules admit nothing but itself, so metrics-server on the nodes could
   * not scrape their kubelet: this opens TCP 10250 from the node group to the primary group, nothing
   * else. (The control plane already reaches them: its network interfaces carry the primary group.)
   * @default false
   */
  readonly runsFargatePods?: boolean;
  /** Tags on every resource of this construct, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * An EKS control plane: cluster IAM role, KMS envelope encryption of secrets, all control-plane logs
 * in a log group created first (retention, encrypted), private endpoint (public only with an
 * allowlist), API authentication mode with access entries (admins, viewers, any `accessEntries`),
 * the IAM OIDC provider for IRSA, and the cluster and node security groups with the rules add-ons need.
 *
 * `bootstrap_self_managed_addons` is false: vpc-cni, kube-proxy and coredns are installed as EKS
 * managed add-ons (`EksAddons`), never as unmanaged copies the cluster creates on its own.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  /** The cluster name as given (a literal: usable in tag keys). */
  readonly name: string;
  /** The cluster name from the resource (a reference: makes users wait for the cluster). */
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly version: string;
  readonly oidcIssuerUrl: string;
  readonly oidcProviderArn: string;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** Security group this construct adds to the control plane. */
  readonly clusterSecurityGroupId: string;
  /** Security group EKS creates and attaches to the control plane and Fargate pods. */
  readonly primarySecurityGroupId: string;
  /** Security group for nodes (put it on node launch templates). */
  readonly nodeSecurityGroupId: string;
  /**
   * The cluster's VPC as EKS reports it (`vpc_config[0].vpc_id`, a reference): for add-ons that must
   * be told their VPC, such as the AWS Load Balancer Controller.
   */
  readonly vpcId: string;
  readonly kmsKeyArn: string;
  readonly logGroupName: string;
  readonly clusterRoleArn: string;
  readonly partition: string;
  /** The access entries made here (admins, viewers, `accessEntries`), by principal ARN. */
  readonly accessEntries: Record<string, EksAccessEntry>;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const version = props.version ?? DEFAULT_KUBERNETES_VERSION;
    const publicAccess = props.endpointPublicAccess ?? false;
    const publicCidrs = props.publicAccessCidrs ?? [];
    const privateCidrs = props.privateAccessCidrs ?? [];
    const admins = props.adminPrincipalArns ?? [];
    const bootstrapAdmin = props.bootstrapClusterCreatorAdminPermissions ?? false;
    const retention = props.logRetentionDays ?? 365;

    checkClusterName(props.name, 'name');
    checkAccountId(props.accountId, 'accountId');
    checkKubernetesVersion(version, 'version');
    if (!Token.isUnresolved(props.subnetIds)) {
      check(props.subnetIds.length >= 2, 'subnetIds', `${show(props.subnetIds)} lists fewer than 2 subnets; allowed: subnets in at least two AZs (EKS requires two)`);
    }
    check(
      !publicAccess || publicCidrs.length > 0,
      'publicAccessCidrs',
      'is empty but endpointPublicAccess is true; allowed: an explicit allowlist such as ["203.0.113.0/24"] (an open endpoint is never the default), or endpointPublicAccess: false',
    );
    check(publicAccess || publicCidrs.length === 0, 'publicAccessCidrs', `${show(publicCidrs)} is set but endpointPublicAccess is false; allowed: no CIDRs for a private-only endpoint, or endpointPublicAccess: true`);
    publicCidrs.forEach((cidr, i) => {
      check(IPV4_CIDR.test(cidr), `publicAccessCidrs[${i}]`, `${show(cidr)} is not an IPv4 CIDR; allowed: a.b.c.d/n`);
      check(
        cidr !== '0.0.0.0/0' || props.allowOpenPublicEndpoint === true,
        `publicAccessCidrs[${i}]`,
        '"0.0.0.0/0" opens the Kubernetes API to the whole internet; allowed: specific CIDRs (office, VPN, CI), or allowOpenPublicEndpoint: true outside production',
      );
    });
    privateCidrs.forEach((cidr, i) => {
      if (!Token.isUnresolved(cidr)) check(IPV4_CIDR.test(cidr), `privateAccessCidrs[${i}]`, `${show(cidr)} is not an IPv4 CIDR; allowed: a.b.c.d/n`);
    });
    admins.forEach((arn, i) => {
      check(Token.isUnresolved(arn) || PRINCIPAL_ARN.test(arn), `adminPrincipalArns[${i}]`, `${show(arn)} is not an IAM role or user ARN; allowed: arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>`);
      check(admins.indexOf(arn) === i, `adminPrincipalArns[${i}]`, `${show(arn)} is listed twice; allowed: each principal once`);
    });
    const viewers = props.viewerPrincipalArns ?? [];
    const entries = props.accessEntries ?? [];
    // One access entry per principal (EKS refuses a second): remember where each ARN was listed.
    const listedAt = new Map<string, string>();
    admins.forEach((arn, i) => listedAt.set(arn, `adminPrincipalArns[${i}]`));
    const principalOnce = (arn: string, field: string) => {
      const other = listedAt.get(arn);
      check(other === undefined, field, `${show(arn)} is also in ${other}; allowed: one access entry per principal (EKS refuses a second), so list it once`);
      listedAt.set(arn, field);
    };
    viewers.forEach((arn, i) => {
      check(Token.isUnresolved(arn) || PRINCIPAL_ARN.test(arn), `viewerPrincipalArns[${i}]`, `${show(arn)} is not an IAM role or user ARN; allowed: arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>`);
      principalOnce(arn, `viewerPrincipalArns[${i}]`);
    });
    if (viewers.length > 0) {
      check(typeof props.viewerGroup === 'string' && props.viewerGroup.length > 0, 'viewerGroup', 'is not set but viewerPrincipalArns lists principals; allowed: the Kubernetes group RBAC grants read access to');
    }
    if (props.viewerGroup !== undefined) checkKubernetesGroup(props.viewerGroup, 'viewerGroup');
    const entryIds = new Set<string>();
    entries.forEach((e, i) => {
      const at = `accessEntries[${i}]`;
      check(Token.isUnresolved(e.principalArn) || PRINCIPAL_ARN.test(e.principalArn), `${at}.principalArn`, `${show(e.principalArn)} is not an IAM role or user ARN; allowed: arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>`);
      principalOnce(e.principalArn, `${at}.principalArn`);
      const id = e.id ?? stableId('access', e.principalArn);
      check(/^[A-Za-z0-9][\w-]*$/.test(id) && !entryIds.has(id), `${at}.id`, `${show(id)} is not a unique construct id; allowed: letters, digits, '-' and '_', unique among the entries`);
      entryIds.add(id);
      const policies = e.accessPolicies ?? [];
      (e.kubernetesGroups ?? []).forEach((g, j) => checkKubernetesGroup(g, `${at}.kubernetesGroups[${j}]`));
      check(policies.length > 0 || (e.kubernetesGroups ?? []).length > 0, at, `${show(e.principalArn)} has neither an access policy nor a Kubernetes group, so it could only discover the API; allowed: accessPolicies and/or kubernetesGroups`);
      policies.forEach((p, j) => {
        check((EKS_ACCESS_POLICIES as readonly string[]).includes(p.policy), `${at}.accessPolicies[${j}].policy`, `${show(p.policy)} is not an access policy this library grants; allowed: ${EKS_ACCESS_POLICIES.join(', ')}`);
        check(policies.findIndex((o) => o.policy === p.policy) === j, `${at}.accessPolicies[${j}].policy`, `${show(p.policy)} is listed twice; allowed: each policy once per entry (EKS associates a policy once), with all its namespaces`);
        if (p.namespaces !== undefined) {
          check(p.namespaces.length > 0, `${at}.accessPolicies[${j}].namespaces`, 'is empty; allowed: one or more namespaces, or leave it out for the whole cluster');
          p.namespaces.forEach((n, k) => check(NAMESPACE_SCOPE.test(n), `${at}.accessPolicies[${j}].namespaces[${k}]`, `${show(n)} is not a namespace name; allowed: lowercase letters, digits and '-' (a '*' wildcard is allowed)`));
        }
      });
    });
    check(
      admins.length > 0 || bootstrapAdmin,
      'adminPrincipalArns',
      'is empty and bootstrapClusterCreatorAdminPermissions is false, so nobody could administer the cluster; allowed: at least one IAM role ARN, or bootstrapClusterCreatorAdminPermissions: true',
    );
    checkRetentionDays(retention, 'logRetentionDays');

    const name = props.name;
    const partition = partitionOf(props.region);
    const tags = (n: string, extra: Record<string, string> = {}) => ({ ...props.tags, Name: n, ...extra });

    // Secrets envelope key (also used for the log group unless another key is given).
    const ownKey = props.kmsKeyArn
      ? undefined
      : new EncryptionKey(this, 'key', {
          description: `EKS cluster ${name}: Kubernetes secrets and control-plane logs`,
          alias: `eks/${name}`,
          accountId: props.accountId,
          region: props.region,
          allowCloudWatchLogs: true,
        });
    const kmsKeyArn = props.kmsKeyArn ?? ownKey!.keyArn;
    const logKmsKeyArn = props.logKmsKeyArn ?? kmsKeyArn;

    // Created before the cluster, so EKS writes into it instead of creating an unmanaged group without retention.
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: retention,
      kmsKeyId: logKmsKeyArn,
      tags: tags(`/aws/eks/${name}/cluster`),
    });

    const role = new IamRole(this, 'cluster-role', {
      name: iamRoleName(name, 'cluster'),
      description: `EKS control plane of ${name}`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: serviceTrustPolicy('eks.amazonaws.com'),
      tags: tags(iamRoleName(name, 'cluster')),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', { role: role.name, policyArn: managedPolicyArn(props.region, 'AmazonEKSClusterPolicy') });
    const keyPolicy = new IamRolePolicy(this, 'cluster-encryption', {
      role: role.id,
      name: 'secrets-encryption',
      policy: policyDocument([{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: kmsKeyArn }]),
    });

    // Security groups: one added to the control plane, one for every node.
    const clusterSg = new SecurityGroup(this, 'cluster-sg', {
      name: `${name}-cluster`,
      description: `EKS control plane of ${name}`,
      vpcId: props.vpcId,
      tags: tags(`${name}-cluster`),
    });
    const nodeSg = new SecurityGroup(this, 'node-sg', {
      name: `${name}-node`,
      description: `EKS nodes of ${name}`,
      vpcId: props.vpcId,
      // The AWS Load Balancer Controller looks for exactly one group with this tag on a node's ENI.
      tags: tags(`${name}-node`, { [`kubernetes.io/cluster/${name}`]: 'owned' }),
    });

    const ingress = (rid: string, sg: string, description: string, rule: { ipProtocol: string; fromPort?: number; toPort?: number; referencedSecurityGroupId?: string; cidrIpv4?: string }) =>
      new VpcSecurityGroupIngressRule(this, rid, { securityGroupId: sg, description, ...rule, tags: tags(`${name}-${rid}`) });
    const egress = (rid: string, sg: string, description: string, rule: { ipProtocol: string; fromPort?: number; toPort?: number; referencedSecurityGroupId?: string; cidrIpv4?: string }) =>
      new VpcSecurityGroupEgressRule(this, rid, { securityGroupId: sg, description, ...rule, tags: tags(`${name}-${rid}`) });

    ingress('cluster-443-from-nodes', clusterSg.id, 'Nodes to the Kubernetes API', { ipProtocol: 'tcp', fromPort: 443, toPort: 443, referencedSecurityGroupId: nodeSg.id });
    privateCidrs.forEach((cidr, i) =>
      ingress(`cluster-443-from-cidr-${i}`, clusterSg.id, `Kubernetes API from ${cidr}`, { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: cidr }),
    );
    for (const { port, why } of CONTROL_PLANE_TO_NODE_PORTS) {
      ingress(`node-${port}-from-cluster`, nodeSg.id, `Control plane to nodes: ${why}`, { ipProtocol: 'tcp', fromPort: port, toPort: port, referencedSecurityGroupId: clusterSg.id });
      egress(`cluster-${port}-to-nodes`, clusterSg.id, `Control plane to nodes: ${why}`, { ipProtocol: 'tcp', fromPort: port, toPort: port, referencedSecurityGroupId: nodeSg.id });
    }
    ingress('node-all-from-nodes', nodeSg.id, 'Node to node, all traffic (pod to pod)', { ipProtocol: '-1', referencedSecurityGroupId: nodeSg.id });
    // Explicit even though node-to-node covers it: DNS must survive a later tightening of that rule.
    ingress('node-dns-tcp-from-nodes', nodeSg.id, 'CoreDNS (TCP) among nodes', { ipProtocol: 'tcp', fromPort: 53, toPort: 53, referencedSecurityGroupId: nodeSg.id });
    ingress('node-dns-udp-from-nodes', nodeSg.id, 'CoreDNS (UDP) among nodes', { ipProtocol: 'udp', fromPort: 53, toPort: 53, referencedSecurityGroupId: nodeSg.id });
    egress('node-egress-all', nodeSg.id, 'Nodes to anywhere (images, AWS APIs, NAT)', { ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' });

    // Only EKS knows which versions it offers in the region today: ask at plan time, so a version
    // that is gone (or not yet there) stops the plan instead of CreateCluster (offline: assumed offered).
    const offered = new PlanTimeLookup(new DataAwsEksClusterVersions(this, 'version-offered', { clusterVersionsOnly: [version] })).list('cluster_versions', [version]);
    this.cluster = new EksClusterResource(this, 'cluster', {
      name,
      version,
      lifecycle: {
        precondition: [
          {
            condition: Op.gte(Fn.lengthOf(offered), 1) as unknown as boolean,
            errorMessage: `version: EKS does not offer Kubernetes ${version} in this region; allowed: a version \`aws eks describe-cluster-versions\` lists`,
          },
        ],
      },
      roleArn: role.arn,
      enabledClusterLogTypes: [...CLUSTER_LOG_TYPES],
      bootstrapSelfManagedAddons: false,
      vpcConfig: {
        subnetIds: props.subnetIds,
        securityGroupIds: [clusterSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccess,
        ...(publicAccess ? { publicAccessCidrs: publicCidrs } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: kmsKeyArn } },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: bootstrapAdmin },
      tags: tags(name),
      dependsOn: [logGroup, clusterPolicy, keyPolicy],
    });
    // Users import and move the cluster: an address without cdktf's hash (`aws_eks_cluster.<path>`).
    stableAddress(this.cluster);
    const cluster = this.cluster;

    // Fargate pods carry the EKS-managed primary group, not the node group: let them resolve DNS on nodes.
    const primarySg = cluster.vpcConfig.clusterSecurityGroupId;
    ingress('node-dns-tcp-from-primary', nodeSg.id, 'CoreDNS (TCP) from Fargate pods (cluster primary group)', { ipProtocol: 'tcp', fromPort: 53, toPort: 53, referencedSecurityGroupId: primarySg });
    ingress('node-dns-udp-from-primary', nodeSg.id, 'CoreDNS (UDP) from Fargate pods (cluster primary group)', { ipProtocol: 'udp', fromPort: 53, toPort: 53, referencedSecurityGroupId: primarySg });
    if (props.runsFargatePods) {
      // Nodes reach it through their egress-all rule; the primary group's self rule already admits the control plane.
      ingress('primary-10250-from-nodes', primarySg, 'metrics-server on the nodes to the kubelet of Fargate pods', { ipProtocol: 'tcp', fromPort: 10250, toPort: 10250, referencedSecurityGroupId: nodeSg.id });
    }

    // Access entries. Admins keep their original construct ids (`admin-<hash>`, `<id>-policy`), so
    // existing entries are not replaced.
    const accessEntry = (key: string, principalArn: string, kubernetesGroups?: string[]) =>
      new EksAccessEntry(this, key, {
        clusterName: cluster.name,
        principalArn,
        type: 'STANDARD',
        ...(kubernetesGroups && kubernetesGroups.length > 0 ? { kubernetesGroups } : {}),
        tags: tags(`${name}-${key}`),
      });
    const associate = (id: string, entry: EksAccessEntry, grant: EksAccessPolicyGrant) =>
      new EksAccessPolicyAssociation(this, id, {
        // The entry's attributes, so the association waits for the entry it belongs to.
        clusterName: entry.clusterName,
        principalArn: entry.principalArn,
        policyArn: eksAccessPolicyArn(props.region, grant.policy),
        accessScope: grant.namespaces ? { type: 'namespace', namespaces: grant.namespaces } : { type: 'cluster' },
      });
    this.accessEntries = {};
    for (const arn of admins) {
      const key = stableId('admin', arn);
      this.accessEntries[arn] = accessEntry(key, arn);
      associate(`${key}-policy`, this.accessEntries[arn], { policy: 'AmazonEKSClusterAdminPolicy' });
    }
    for (const arn of viewers) {
      // No access policy: the group's RBAC bindings are all the access there is.
      this.accessEntries[arn] = accessEntry(stableId('viewer', arn), arn, [props.viewerGroup!]);
    }
    for (const e of entries) {
      const key = e.id ?? stableId('access', e.principalArn);
      const entry = accessEntry(key, e.principalArn, e.kubernetesGroups);
      this.accessEntries[e.principalArn] = entry;
      for (const grant of e.accessPolicies ?? []) associate(`${key}-${grant.policy}`, entry, grant);
    }

    const issuer = cluster.identity.get(0).oidc.get(0).issuer;
    // No thumbprint_list: provider 5.x makes it optional and IAM trusts the EKS issuer's CA itself;
    // computing one would need the tls provider calling out at plan time.
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: issuer,
      clientIdList: ['sts.amazonaws.com'],
      tags: tags(`${name}-irsa`),
    });

    this.name = name;
    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.get(0).data;
    this.version = cluster.version;
    this.oidcIssuerUrl = issuer;
    this.oidcProviderArn = this.oidcProvider.arn;
    this.clusterSecurityGroupId = clusterSg.id;
    this.primarySecurityGroupId = primarySg;
    this.vpcId = cluster.vpcConfig.vpcId;
    this.nodeSecurityGroupId = nodeSg.id;
    this.kmsKeyArn = kmsKeyArn;
    this.logGroupName = logGroup.name;
    this.clusterRoleArn = role.arn;
    this.partition = partition;
  }
}
