import { z } from 'zod';
import { CLOUDWATCH_CHOICES, LOG_SHIPPER_CHOICES } from '../../modules';
import type { AlarmThresholds, CloudWatchChoice, LogShipperChoice } from '../../modules';
import { POD_SECURITY_LEVELS } from '../../modules/kubernetes';
import type { ContainerDefaults, NamespaceQuota, PodSecurityLevel } from '../../modules/kubernetes';

// Owner: the addons and observability stacks. Interfaces (documented, with @default) and zod
// schemas side by side. Shapes and enums are checked here; add-on names, dependencies, conflicts,
// retention periods and quantities are checked by the registry and constructs and reported as
// `addons.<field>: ...`, `observability.<field>: ...`, `kubernetes.<field>: ...`.

/** Switch and overrides of one Helm add-on. */
export interface AddonChartConfig {
  /** Install it. @default on for aws-load-balancer-controller, metrics-server, cluster-autoscaler and the chosen agent and log shipper */
  readonly enabled?: boolean;
  /** Chart version instead of the pinned one (ADDON_CHART_VERSIONS); re-check the values keys. @default the table */
  readonly version?: string;
  /**
   * Helm values merged over the add-on's own (objects merge, arrays replace). Every key must exist
   * in the chart's values.yaml: Helm ignores unknown keys silently. @default none
   */
  readonly values?: Record<string, unknown>;
}

/** Cluster add-ons installed through Helm by the `<env>-addons` stack. */
export interface AddonsConfig {
  /**
   * Container Insights agent: `cloudwatch-metrics` (eks-charts aws-cloudwatch-metrics, the course's
   * agent, IRSA), `cloudwatch-observability` (amazon-cloudwatch-observability: agent plus its own
   * Fluent Bit, Pod Identity) or `none`. @default "cloudwatch-metrics"
   */
  readonly cloudwatch?: CloudWatchChoice;
  /**
   * Container log shipper to the application log group: `fluentd` (the course's), `fluent-bit`
   * (aws-for-fluent-bit, lighter) or `none`. Never two: enabling a second one is an error.
   * @default "fluentd", or "none" with cloudwatch "cloudwatch-observability" (it ships logs itself)
   */
  readonly logShipper?: LogShipperChoice;
  /**
   * Switches and overrides keyed by add-on name: aws-load-balancer-controller, metrics-server,
   * cluster-autoscaler, aws-cloudwatch-metrics, amazon-cloudwatch-observability, fluentd,
   * aws-for-fluent-bit. The load balancer controller (on by default; the `alb` IngressClass, the
   * cluster's default) runs two replicas with a disruption budget and a zone spread; `values:
   * { replicaCount: 1 }` saves a pod and drops the budget (dev). @default {}
   */
  readonly charts?: Record<string, AddonChartConfig>;
  /**
   * WAF in front of every ALB of the `alb` IngressClass (its IngressClassParams carry the web ACL, so
   * no Ingress has to name it): `create` makes a REGIONAL web ACL in `<env>-cluster` (AWS managed rules:
   * IP reputation, common rules, known bad inputs; a per-IP rate limit; logs to
   * `aws-waf-logs-<prefix>-alb` kept `albWebAclLogRetentionDays`), `none` leaves ALBs without one
   * (refused in production), or the ARN of a REGIONAL web ACL of the environment's region and account.
   * About $5 a month plus $1 per rule and $0.60 per million requests. @default "create"
   */
  readonly albWebAcl?: string;
  /** Days to keep the ALB web ACL's logs. @default 365 */
  readonly albWebAclLogRetentionDays?: number;
}

/** The AWS side of monitoring, in the `<env>-observability` stack. */
export interface ObservabilityConfig {
  /** Days to keep the Container Insights log groups (a CloudWatch Logs period). @default 90 (about three months, as the course advises) */
  readonly logRetentionDays?: number;
  /** Addresses subscribed to the alarm topic (each confirms by email). @default [] */
  readonly alarmEmails?: string[];
  /** Alarm thresholds. @default errors 10 and warnings 50 per 5 minutes, node CPU 80%, 5 pod restarts */
  readonly alarms?: AlarmThresholds;
  /** Container of the backend API, for the requests-per-container query. @default "backend-app" */
  readonly backendContainer?: string;
}

/** One application namespace of the Kubernetes baseline. */
export interface NamespaceConfig {
  readonly name: string;
  /** Pod Security Admission level enforced (restricted is always warned and audited). @default "baseline" */
  readonly podSecurity?: PodSecurityLevel;
  /** LimitRange defaults for containers without requests/limits. @default 100m/256Mi requests, 500m/512Mi limits */
  readonly containerDefaults?: ContainerDefaults;
  /** ResourceQuota. @default requests 4 CPU/8Gi, limits 8 CPU/16Gi, 50 pods */
  readonly quota?: NamespaceQuota;
  /** CIDRs allowed in past the default-deny ingress policy (e.g. the VPC CIDR for load balancers). @default [] */
  readonly allowIngressFromCidrs?: string[];
}

/** The Kubernetes baseline the `<env>-addons` stack applies. */
export interface KubernetesConfig {
  /**
   * Application namespaces; must include the batch namespace (`batch.namespace`), where the batch
   * app's service account is created. @default [{ name: "eks-work" }, { name: <batch namespace> }]
   */
  readonly namespaces?: NamespaceConfig[];
  /**
   * Kubernetes group given read-only access to the application namespaces; the IAM principals in
   * `cluster.viewerPrincipalArns` are put in it by their access entries. @default "eks-work-viewers"
   */
  readonly viewerGroup?: string;
}

const addonChartSchema = z
  .object({
    enabled: z.boolean().optional(),
    version: z.string().optional(),
    values: z.record(z.unknown()).optional(),
  })
  .strict();

export const addonsSchema = z
  .object({
    cloudwatch: z.enum(CLOUDWATCH_CHOICES).optional(),
    logShipper: z.enum(LOG_SHIPPER_CHOICES).optional(),
    charts: z.record(addonChartSchema).optional(),
    albWebAcl: z.string().optional(),
    albWebAclLogRetentionDays: z.number().int().optional(),
  })
  .strict();

export const observabilitySchema = z
  .object({
    logRetentionDays: z.number().int().optional(),
    alarmEmails: z.array(z.string()).optional(),
    alarms: z
      .object({
        errorsPer5Minutes: z.number().optional(),
        warningsPer5Minutes: z.number().optional(),
        nodeCpuPercent: z.number().optional(),
        podRestarts: z.number().optional(),
      })
      .strict()
      .optional(),
    backendContainer: z.string().optional(),
  })
  .strict();

const namespaceSchema = z
  .object({
    name: z.string(),
    podSecurity: z.enum(POD_SECURITY_LEVELS).optional(),
    containerDefaults: z
      .object({ cpuRequest: z.string().optional(), memoryRequest: z.string().optional(), cpuLimit: z.string().optional(), memoryLimit: z.string().optional() })
      .strict()
      .optional(),
    quota: z
      .object({
        requestsCpu: z.string().optional(),
        requestsMemory: z.string().optional(),
        limitsCpu: z.string().optional(),
        limitsMemory: z.string().optional(),
        pods: z.number().optional(),
      })
      .strict()
      .optional(),
    allowIngressFromCidrs: z.array(z.string()).optional(),
  })
  .strict();

export const kubernetesSchema = z
  .object({
    namespaces: z.array(namespaceSchema).optional(),
    viewerGroup: z.string().optional(),
  })
  .strict();
