import type { InterfaceEndpointService, NatMode, SubnetPrefixes } from '../modules';
import type { ClusterConfig } from './config/cluster';
import type { AppDatabaseUserConfig, BastionConfig, BatchConfig, DatabaseConfig, FrontendConfig, RegistryConfig } from './config/data';
import type { AddonsConfig, KubernetesConfig, ObservabilityConfig } from './config/addons';
import type { CicdConfig } from './config/cicd';
import type { ApplicationConfig } from './config/application';
import type { GitopsConfig } from './config/gitops';

export type { CicdConfig, ApplicationConfig, GitopsConfig };
export type { ClusterConfig, BatchConfig, AddonsConfig, ObservabilityConfig, KubernetesConfig, DatabaseConfig, AppDatabaseUserConfig, BastionConfig, RegistryConfig, FrontendConfig };

/** Where Terraform state lives. */
export interface StateConfig {
  /** S3 bucket for every stack's state, created by the `<env>-state` bootstrap stack. Globally unique. */
  readonly bucket: string;
  /** Region of the state bucket, a region code the AWS SDK lists (checked at synth). @default the environment's region */
  readonly region?: string;
  /**
   * Locking: `s3` uses S3-native lock files (`use_lockfile`, Terraform >= 1.10); `dynamodb` creates and
   * uses a DynamoDB table named `<bucket>-lock` for older Terraform. @default "s3"
   */
  readonly locking?: 's3' | 'dynamodb';
  /** Days to keep old state versions. @default 90 */
  readonly noncurrentVersionDays?: number;
  /**
   * S3 server access logs of the state bucket (who read or wrote which state). Unset: the state
   * stack creates a log bucket `<bucket>-logs` (private, SSE-S3, logs expire after
   * `accessLogRetentionDays`, protected from destroy like the state bucket). A bucket name: an
   * existing bucket in the same account and region that admits `logging.s3.amazonaws.com` in its
   * policy and uses SSE-S3. `false`: no access logging (refused in production). @default a log bucket created
   */
  readonly accessLogBucket?: string | false;
  /** Days the created log bucket keeps the access logs (production: at least 365). @default 365 */
  readonly accessLogRetentionDays?: number;
}

/** The VPC. */
export interface NetworkConfig {
  /** VPC CIDR, private (RFC 1918), /16 to /28. @default "10.0.0.0/16" */
  readonly vpcCidr?: string;
  /** AZs of the region, listed explicitly (no AZ lookup at plan time). At least 2. */
  readonly azs: string[];
  /** `single` (one NAT, cheap), `perAz` (one per AZ, resilient) or `none`. @default "single" */
  readonly natGateways?: NatMode;
  /** Subnet prefix lengths per tier. @default public 24, private 20, database 24 */
  readonly subnetPrefixes?: SubnetPrefixes;
  /** Days to keep VPC flow logs. @default 365 */
  readonly flowLogRetentionDays?: number;
  /** Interface endpoints for private nodes (each costs per AZ-hour). @default [] */
  readonly interfaceEndpoints?: InterfaceEndpointService[];
}


/** One environment: plain data; a diff of two of these shows how environments differ. */
export interface EnvironmentConfig {
  /** Environment name, used in stack ids (`<name>-network`) and resource names. Lowercase, 2-16 characters. */
  readonly name: string;
  /**
   * Whether this environment is production. Production refuses, with no override: a public API
   * endpoint open to `0.0.0.0/0` (allowOpenPublicEndpoint does not apply), a NAT mode other than
   * `perAz` (nodes are private), a database without Multi-AZ, deletion protection or final snapshot,
   * an application user's secret deleted without recovery window (database.appUser.recoveryWindowDays: 0),
   * state bucket access logs turned off (state.accessLogBucket: false), and under 365 days of audit,
   * flow and control-plane logs (cluster.logRetentionDays, network.flowLogRetentionDays,
   * database.logRetentionDays, frontend.logRetentionDays, batch.accessLogRetentionDays,
   * state.accessLogRetentionDays). Required, so that no environment skips the guardrails by omission.
   */
  readonly production: boolean;
  /** Project name, the first part of every resource name (`<project>-<name>`). @default "eks-work" */
  readonly project?: string;
  /** The AWS account this environment deploys to; credentials of any other account are refused. */
  readonly accountId: string;
  /** AWS region code, one the AWS SDK lists (`@aws-sdk/core` partitions; checked at synth). @default "ap-northeast-2" (Seoul, as in the course) */
  readonly region?: string;
  /** Extra tags for every taggable resource (project, environment and managed-by are always set). */
  readonly tags?: Record<string, string>;
  readonly state: StateConfig;
  readonly network: NetworkConfig;
  readonly cluster: ClusterConfig;
  /** RDS for PostgreSQL. @default see DatabaseConfig */
  readonly database?: DatabaseConfig;
  /** SSM-only bastion next to the database. @default see BastionConfig */
  readonly bastion?: BastionConfig;
  /** ECR repositories. @default see RegistryConfig */
  readonly registry?: RegistryConfig;
  /** Static frontend (S3 + CloudFront). @default see FrontendConfig */
  readonly frontend?: FrontendConfig;
  /** Batch bucket and IRSA identity. @default see BatchConfig */
  readonly batch?: BatchConfig;
  /** Helm add-ons. @default see AddonsConfig */
  readonly addons?: AddonsConfig;
  /** Container Insights log groups, alarms, saved queries and dashboard. @default see ObservabilityConfig */
  readonly observability?: ObservabilityConfig;
  /** Kubernetes baseline: namespaces, quotas, network policies, read-only group. @default see KubernetesConfig */
  readonly kubernetes?: KubernetesConfig;
  /** The course's backend API on the platform (manifests in `apps/backend-app/`). @default the defaults of ApplicationConfig */
  readonly application?: ApplicationConfig;
  /** GitHub Actions deploy roles (OIDC) in the `<env>-state` stack, and optionally a CodeBuild runner in the VPC (`<env>-runner`). @default none: no CI roles */
  readonly cicd?: CicdConfig;
  /**
   * GitOps: Argo CD in `<env>-addons` syncs the applications from Git (one AppProject, the backend-app by
   * default), and image CI roles for the application repositories in `<env>-registry`. @default none: no Argo CD
   */
  readonly gitops?: GitopsConfig;
}
