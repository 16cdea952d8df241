import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { EksFargateProfile } from '@cdktf/provider-aws/lib/eks-fargate-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { checkProviderBindings } from '../core/bindings';
import { managedPolicyArn, partitionOf, policyDocument } from '../core/iam';
import { check, checkAccountId, checkNamespaceName, show } from '../core/validation';
import { CLUSTER_NAME_PATTERN, checkClusterName, iamRoleName } from './names';

/** Pods that run on Fargate: a namespace, and optionally labels they must all carry. */
export interface FargateSelector {
  readonly namespace: string;
  /** @default any pod of the namespace */
  readonly labels?: Record<string, string>;
}

export interface FargateProfileProps {
  /** Name of the cluster, as a literal (the pod execution role's SourceArn condition names it). */
  readonly clusterName: string;
  /**
   * The same name as a reference to the cluster resource (`EksCluster.clusterName`), so Terraform
   * creates this after the cluster; `clusterName` stays the literal that names and tags derive from.
   * @default clusterName
   */
  readonly clusterNameRef?: string;
  /** Profile name; the profile is `<cluster>-<name>`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Private subnets for the pods (Fargate accepts no public subnet). */
  readonly subnetIds: string[];
  /** Which pods run on Fargate: 1 to 5 selectors. */
  readonly selectors: FargateSelector[];
  /** Pod execution role ARN. @default a role created here (AmazonEKSFargatePodExecutionRolePolicy) */
  readonly podExecutionRoleArn?: string;
  /** Resources to wait for: the cluster (its name here is a literal). @default none */
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
 * A Fargate profile: selected pods run on Fargate in the private subnets, pulling images with a pod
 * execution role only this cluster's profiles can use (aws:SourceArn condition). Fargate runs no
 * DaemonSets: node agents (log shippers, CloudWatch agent) do not cover these pods; Fargate's own
 * log router does (`FargatePodLogs` grants this role its log group, `FargateLogRouter` configures it).
 */
export class FargateProfile extends Construct {
  readonly profile: EksFargateProfile;
  readonly podExecutionRoleArn: string;
  /**
   * Name of the pod execution role when this construct created it (a reference to the role), for
   * policies added elsewhere, e.g. the Fargate log router's write access. Undefined when the role
   * was passed in.
   */
  readonly podExecutionRoleName?: string;
  readonly profileName: string;

  constructor(scope: Construct, id: string, props: FargateProfileProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    checkClusterName(props.clusterName, 'clusterName');
    checkAccountId(props.accountId, 'accountId');
    const fullName = `${props.clusterName}-${props.name}`;
    check(typeof props.name === 'string' && CLUSTER_NAME_PATTERN.test(props.name) && fullName.length <= 100, 'name', `${show(props.name)} is not a valid profile name; allowed: letters, digits, "-" and "_", with <cluster>-<name> at most 100 characters`);
    check(Array.isArray(props.selectors) && props.selectors.length >= 1 && props.selectors.length <= 5, 'selectors', `lists ${props.selectors?.length ?? 0} selectors; allowed: 1 to 5`);
    props.selectors.forEach((s, i) => {
      checkNamespaceName(s.namespace, `selectors[${i}].namespace`);
      check(Object.keys(s.labels ?? {}).length <= 5, `selectors[${i}].labels`, `has ${Object.keys(s.labels ?? {}).length} labels; allowed: at most 5`);
    });

    const partition = partitionOf(props.region);
    const tags = (n: string) => ({ ...props.tags, Name: n });
    let roleArn = props.podExecutionRoleArn;
    let roleNameRef: string | undefined;
    const deps: ITerraformDependable[] = [...(props.dependsOn ?? [])];
    if (!roleArn) {
      const roleName = iamRoleName(fullName, 'fargate');
      const role = new IamRole(this, 'pod-execution-role', {
        name: roleName,
        description: `Fargate pod execution for ${fullName}`,
        permissionsBoundary: props.permissionsBoundaryArn,
        assumeRolePolicy: policyDocument([
          {
            Effect: 'Allow',
            Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { ArnLike: { 'aws:SourceArn': `arn:${partition}:eks:${props.region}:${props.accountId}:fargateprofile/${props.clusterNameRef ?? props.clusterName}/*` } },
          },
        ]),
        tags: tags(roleName),
      });
      deps.push(new IamRolePolicyAttachment(this, 'pod-execution-policy', { role: role.name, policyArn: managedPolicyArn(props.region, 'AmazonEKSFargatePodExecutionRolePolicy') }));
      roleArn = role.arn;
      roleNameRef = role.name;
    }

    this.profile = new EksFargateProfile(this, 'profile', {
      clusterName: props.clusterNameRef ?? props.clusterName,
      fargateProfileName: fullName,
      podExecutionRoleArn: roleArn,
      subnetIds: props.subnetIds,
      selector: props.selectors.map((s) => ({ namespace: s.namespace, ...(s.labels && Object.keys(s.labels).length > 0 ? { labels: s.labels } : {}) })),
      tags: tags(fullName),
      ...(deps.length > 0 ? { dependsOn: deps } : {}),
    });
    this.podExecutionRoleArn = roleArn;
    this.podExecutionRoleName = roleNameRef;
    this.profileName = this.profile.fargateProfileName;
  }
}
