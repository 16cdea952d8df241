import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { checkProviderBindings } from '../core/bindings';
import { policyDocument } from '../core/iam';
import { check, checkNamespaceName, checkServiceAccountName, show } from '../core/validation';

export interface PodIdentityRoleProps {
  readonly roleName: string;
  /** Cluster the association is made in. */
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Managed policy ARNs to attach. @default none */
  readonly managedPolicyArns?: string[];
  /** Inline policies, name to JSON document. @default none */
  readonly inlinePolicies?: Record<string, string>;
  /** @default a description naming the service account */
  readonly description?: string;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}


/**
 * An IAM role for one service account through EKS Pod Identity, for charts whose service account
 * takes no IRSA annotation. The trust policy admits only `pods.eks.amazonaws.com` sessions tagged
 * with this cluster, namespace and service account (the session tags Pod Identity sets), so no other
 * association in the account can use the role. The cluster needs the `eks-pod-identity-agent` add-on.
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    checkNamespaceName(props.namespace, 'namespace');
    checkServiceAccountName(props.serviceAccount, 'serviceAccount');
    check(/^[\w+=,.@-]{1,64}$/.test(props.roleName), 'roleName', `${show(props.roleName)} is not an IAM role name; allowed: 1-64 of letters, digits and +=,.@_-`);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description ?? `EKS Pod Identity role for ${props.namespace}/${props.serviceAccount}`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyDocument([
        {
          Sid: 'EksPodIdentity',
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:RequestTag/eks-cluster-name': props.clusterName,
              'aws:RequestTag/kubernetes-namespace': props.namespace,
              'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
            },
          },
        },
      ]),
    });
    (props.managedPolicyArns ?? []).forEach((arn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn: arn }));
    Object.entries(props.inlinePolicies ?? {}).forEach(([name, doc]) => new IamRolePolicy(this, `inline-${name}`, { role: this.role.id, name, policy: doc }));
    this.roleArn = this.role.arn;
    this.association = new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }
}
