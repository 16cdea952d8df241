import type { PolicyStatement } from '../core/iam';

/** The four Container Insights log groups of a cluster. */
export const CONTAINER_INSIGHTS_LOG_KINDS = ['application', 'dataplane', 'host', 'performance'] as const;
export type ContainerInsightsLogKind = (typeof CONTAINER_INSIGHTS_LOG_KINDS)[number];

/** `/aws/containerinsights/<cluster>/<kind>`: the names the agents and log shippers write to. */
export function containerInsightsLogGroupName(clusterName: string, kind: ContainerInsightsLogKind): string {
  return `/aws/containerinsights/${clusterName}/${kind}`;
}

/**
 * What an add-on may know about the cluster. Values may be Terraform tokens (read from the cluster
 * stack's outputs) except `kubernetesVersion`, which picks table entries at synth time.
 */
export interface AddonClusterFacts {
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  /** ARN partition of the region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Kubernetes minor version of the cluster, e.g. "1.35". */
  readonly kubernetesVersion: string;
  /** Names of the Container Insights log groups, created by Terraform before any agent runs. */
  readonly logGroups: Readonly<Record<ContainerInsightsLogKind, string>>;
  /**
   * ID of the cluster's VPC, for add-ons that cannot read it from instance metadata (the nodes answer
   * IMDS with hop limit 1, so pods do not reach it). @default none (add-ons that need it refuse to install)
   */
  readonly vpcId?: string;
}

/** What an add-on's values are built from: the cluster facts plus the add-on's own identity. */
export interface AddonValuesContext extends AddonClusterFacts {
  /** Namespace the release is installed into. */
  readonly namespace: string;
  /** ARN of the add-on's IAM role, when it has one (`iam` set). */
  readonly roleArn?: string;
}

/**
 * How an add-on's pods get AWS credentials.
 * - `irsa`: an IRSA role; the chart annotates its own service account from values.
 * - `irsa-external-service-account`: an IRSA role, but the chart cannot annotate its service account
 *   through values, so Terraform creates the annotated service account and the chart is told to use it.
 * - `pod-identity`: an EKS Pod Identity association (the chart's service account takes no
 *   annotations at all); needs the `eks-pod-identity-agent` EKS add-on on the cluster.
 */
export type AddonIdentityBinding = 'irsa' | 'irsa-external-service-account' | 'pod-identity';

/** The AWS permissions an add-on needs, for exactly one service account. Never the node role. */
export interface AddonIam {
  readonly binding: AddonIdentityBinding;
  /** Service account the role is bound to (set explicitly in the values, so the trust policy matches). */
  readonly serviceAccount: string;
  /** Suffix of the role name (`<prefix>-<suffix>`); short, so the name stays within IAM's 64 characters. */
  readonly roleSuffix: string;
  /** AWS managed policies by name, e.g. `CloudWatchAgentServerPolicy`. @default none */
  readonly managedPolicies?: readonly string[];
  /** Inline policy statements, built from the cluster's facts. @default none */
  readonly statements?: (facts: AddonClusterFacts) => PolicyStatement[];
}

/** Another add-on this one cannot run next to, and why. */
export interface AddonConflict {
  readonly name: string;
  readonly reason: string;
}

/**
 * One Helm add-on, always the same shape (after cdk-eks-blueprints): chart coordinates pinned in
 * `versions.ts`, the namespace, the values it builds from the cluster's facts, the IAM it needs, and
 * the add-ons it depends on or conflicts with. Definitions are data; `selectAddons` checks them
 * against each other and the constructs turn them into resources.
 */
export interface AddonDefinition {
  /** Add-on name: the Helm release name and the key under `addons.charts` in config. */
  readonly name: string;
  /** One line for docs and the release description. */
  readonly description: string;
  readonly chart: string;
  /** Helm repository URL. */
  readonly repository: string;
  /** Pinned chart version (from `ADDON_CHART_VERSIONS`). */
  readonly version: string;
  readonly namespace: string;
  /**
   * Pod Security Admission level enforced on the add-on's namespace (created by Terraform); `restricted`
   * is warned and audited below it. Node agents that mount host paths need `privileged`.
   * @default "privileged"
   */
  readonly podSecurity?: 'privileged' | 'baseline' | 'restricted';
  /** Add-ons that must be enabled with this one. @default none */
  readonly dependsOn?: readonly string[];
  /** Add-ons that must not be enabled with this one (declare on either side; checked both ways). @default none */
  readonly conflictsWith?: readonly AddonConflict[];
  /** AWS permissions of the add-on's pods. @default none (the add-on calls no AWS API) */
  readonly iam?: AddonIam;
  /**
   * The add-on registers admission webhooks that fail closed on objects other releases create (the
   * AWS Load Balancer Controller's Service mutator rejects every new Service until its pods answer).
   * Every other release, and the application namespaces, then wait until it is ready, and on
   * destroy go before it. @default false
   */
  readonly installFirst?: boolean;
  /** Helm values; every key must exist in the chart's values.yaml at `version`. */
  values(ctx: AddonValuesContext): Record<string, unknown>;
  /**
   * Checks the final values (after config overrides are merged in) and throws a ValidationError
   * naming the field; for facts that may come from either the tables or an override. @default none
   */
  check?(values: Record<string, unknown>, ctx: AddonValuesContext): void;
}

/**
 * Merges `override` into `base`: objects merge key by key, anything else (arrays included)
 * replaces, as Helm merges values files.
 */
export function mergeValues(base: Record<string, unknown>, override: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ARNs that cover a log group and its streams (`…:log-group:<name>` and `…:log-group:<name>:*`). */
export function logGroupArns(facts: AddonClusterFacts, names: string[]): string[] {
  return names.flatMap((n) => {
    const arn = `arn:${facts.partition}:logs:${facts.region}:${facts.accountId}:log-group:${n}`;
    return [arn, `${arn}:*`];
  });
}
