import { Construct } from 'constructs';
import { Fn, ITerraformDependable, TerraformLocal, Token } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { checkProviderBindings } from '../core/bindings';
import { policyDocument } from '../core/iam';
import { check, checkNamespaceName, checkServiceAccountName, show } from '../core/validation';

export interface IrsaRoleProps {
  /** Role name. */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer URL of the cluster (`https://oidc.eks.<region>.amazonaws.com/id/<ID>`); the scheme is stripped here. */
  readonly oidcIssuerUrl: string;
  /** Namespace of the one service account that may assume the role. */
  readonly namespace: string;
  /** Name of that service account. */
  readonly serviceAccount: string;
  /** Managed policy ARNs to attach. @default none */
  readonly managedPolicyArns?: string[];
  /** Inline policies, name to JSON document. @default none */
  readonly inlinePolicies?: Record<string, string>;
  /** @default a description naming the service account */
  readonly description?: string;
  /** Tags on the role, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}


/**
 * An IAM role exactly one Kubernetes service account can assume through the cluster's OIDC
 * provider (IRSA): the trust policy pins both `sub` (system:serviceaccount:<ns>:<name>) and `aud`
 * (sts.amazonaws.com). Annotate the service account with `eks.amazonaws.com/role-arn: <roleArn>`.
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;
  /** `system:serviceaccount:<namespace>:<name>`. */
  readonly subject: string;
  /** The role's managed-policy attachments and inline policies: what a user of the role waits for. */
  readonly policies: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    checkNamespaceName(props.namespace, 'namespace');
    checkServiceAccountName(props.serviceAccount, 'serviceAccount');
    check(/^[\w+=,.@-]{1,64}$/.test(props.roleName), 'roleName', `${show(props.roleName)} is not an IAM role name; allowed: 1-64 of letters, digits and +=,.@_-`);
    this.subject = `system:serviceaccount:${props.namespace}:${props.serviceAccount}`;
    // The condition keys name the issuer host. A literal URL is stripped here; a reference is stripped
    // by Terraform in a local, so the policy JSON holds only `${local.x}` (no quoted expression inside
    // a JSON string) and stays parseable before apply.
    const issuer = Token.isUnresolved(props.oidcIssuerUrl)
      ? new TerraformLocal(this, 'issuer-host', Fn.replace(props.oidcIssuerUrl, 'https://', '')).asString
      : props.oidcIssuerUrl.replace(/^https:\/\//, '');
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description ?? `IRSA role for ${props.namespace}/${props.serviceAccount}`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Federated: props.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${issuer}:sub`]: this.subject, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
        },
      ]),
      ...(props.tags ? { tags: props.tags } : {}),
    });
    this.policies = [
      ...(props.managedPolicyArns ?? []).map((arn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn: arn })),
      ...Object.entries(props.inlinePolicies ?? {}).map(([name, doc]) => new IamRolePolicy(this, `inline-${name}`, { role: this.role.id, name, policy: doc })),
    ];
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
