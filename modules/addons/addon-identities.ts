import { Construct } from 'constructs';
import { checkProviderBindings } from '../core/bindings';
import type { AddonClusterFacts } from './addon';
import type { SelectedAddon } from './registry';
import { IrsaRole } from '../eks/irsa-role';
import { PodIdentityRole } from './pod-identity-role';
import { managedPolicyArn, policyDocument } from '../core/iam';
import { check, show, within } from '../core/validation';

export interface AddonIdentitiesProps {
  /** Role names are `<namePrefix>-<roleSuffix>` (e.g. `eks-work-dev-cluster-autoscaler`). */
  readonly namePrefix: string;
  /** The add-ons to create identities for (from `selectAddons`); those without `iam` get none. */
  readonly addons: readonly SelectedAddon[];
  /** Cluster facts the policies are built from. */
  readonly facts: AddonClusterFacts;
  /**
   * ARN of the cluster's IAM OIDC provider. Required as soon as one add-on binds its role through
   * IRSA; a cluster without OIDC can only run add-ons that need no IAM or use Pod Identity.
   * @default none
   */
  readonly oidcProviderArn?: string;
  /** The cluster's OIDC issuer URL; required with `oidcProviderArn`. @default none */
  readonly oidcIssuerUrl?: string;
  /**
   * Permissions boundary for the IAM roles created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates them). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/** The IAM side of one add-on. */
export interface AddonIdentity {
  readonly addon: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly binding: 'irsa' | 'irsa-external-service-account' | 'pod-identity';
}

/**
 * One IAM role per add-on that calls AWS, bound to exactly that add-on's service account: IRSA where
 * the chart (or Terraform) can annotate the service account, EKS Pod Identity where it cannot. Never
 * a policy on the node role. AWS-only: lives in a stack Terraform can plan offline.
 */
export class AddonIdentities extends Construct {
  /** By add-on name. */
  readonly identities: Readonly<Record<string, AddonIdentity>>;

  constructor(scope: Construct, id: string, props: AddonIdentitiesProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const withIam = props.addons.filter((a) => a.definition.iam);
    const irsa = withIam.filter((a) => a.definition.iam!.binding !== 'pod-identity');
    if (irsa.length > 0) {
      const names = irsa.map((a) => show(a.definition.name)).join(', ');
      check(
        typeof props.oidcProviderArn === 'string' && props.oidcProviderArn.length > 0,
        'oidcProviderArn',
        `add-on${irsa.length > 1 ? 's' : ''} ${names} need${irsa.length > 1 ? '' : 's'} IRSA, but the cluster has no IAM OIDC provider; allowed: the cluster's OIDC provider ARN (enable IRSA on the cluster), or disable ${names}`,
      );
      check(typeof props.oidcIssuerUrl === 'string' && props.oidcIssuerUrl.length > 0, 'oidcIssuerUrl', `is required with oidcProviderArn (add-ons ${names} use IRSA); allowed: the cluster's issuer URL, https://oidc.eks.<region>.amazonaws.com/id/<ID>`);
    }
    const out: Record<string, AddonIdentity> = {};
    for (const a of withIam) {
      const d = a.definition;
      const iam = d.iam!;
      const roleName = `${props.namePrefix}-${iam.roleSuffix}`;
      const managedPolicyArns = (iam.managedPolicies ?? []).map((p) => managedPolicyArn(props.facts.region, p));
      const statements = iam.statements?.(props.facts) ?? [];
      const inlinePolicies = statements.length > 0 ? { [iam.roleSuffix]: policyDocument(statements) } : undefined;
      const common = { roleName, namespace: d.namespace, serviceAccount: iam.serviceAccount, managedPolicyArns, inlinePolicies, description: `${d.description} (${d.name})`, permissionsBoundaryArn: props.permissionsBoundaryArn };
      const role = within(`charts.${d.name}`, () =>
        iam.binding === 'pod-identity'
          ? new PodIdentityRole(this, d.name, { ...common, clusterName: props.facts.clusterName })
          : new IrsaRole(this, d.name, { ...common, oidcProviderArn: props.oidcProviderArn!, oidcIssuerUrl: props.oidcIssuerUrl! }),
      );
      out[d.name] = { addon: d.name, roleArn: role.roleArn, roleName, namespace: d.namespace, serviceAccount: iam.serviceAccount, binding: iam.binding };
    }
    this.identities = out;
  }
}
