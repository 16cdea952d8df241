import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { checkProviderBindings } from '../core/bindings';
import { managedPolicyArn, serviceTrustPolicy } from '../core/iam';
import { check, show } from '../core/validation';

/**
 * Managed policies every node gets, and nothing more. AmazonEKS_CNI_Policy is left off because the
 * vpc-cni add-on runs with its own IRSA role (`EksAddons`); AutoScalingFullAccess and
 * CloudWatchAgentServerPolicy belong on the cluster-autoscaler's and CloudWatch agent's own
 * service-account roles, never on the node, where every pod could use them.
 */
export const NODE_ROLE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore'] as const;

export interface NodeRoleProps {
  /** Role name, at most 64 characters. */
  readonly roleName: string;
  /** Region, for the partition of the managed policy ARNs. */
  readonly region: string;
  /**
   * Also attach AmazonEKS_CNI_Policy, for a vpc-cni that does not use IRSA. @default false (vpc-cni has
   * its own IRSA role)
   */
  readonly attachCniPolicy?: boolean;
  /** Tags on the role, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/** The IAM role EC2 nodes run as: EKS worker, ECR read-only and SSM Session Manager (no SSH). */
export class NodeRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;
  /** Policy attachments: node groups wait for them so nodes can join as soon as they boot. */
  readonly attachments: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    check(/^[\w+=,.@-]{1,64}$/.test(props.roleName), 'roleName', `${show(props.roleName)} is not an IAM role name; allowed: 1-64 of letters, digits and +=,.@_-`);
    const policies: string[] = [...NODE_ROLE_POLICIES, ...(props.attachCniPolicy ? ['AmazonEKS_CNI_Policy'] : [])];
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'EKS nodes',
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
      tags: { ...props.tags, Name: props.roleName },
    });
    this.attachments = policies.map((p) => new IamRolePolicyAttachment(this, p, { role: this.role.name, policyArn: managedPolicyArn(props.region, p) }));
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
