import { z } from 'zod';
import { MINIMUM_PROTOCOL_VERSIONS, PRICE_CLASSES } from '../../modules';
import type { MinimumProtocolVersion, PriceClass } from '../../modules';

// Owner: the data, registry, frontend and batch stacks. Interfaces (documented, with @default)
// and zod schemas side by side. Shapes and enums are checked here; values (versions, ranges, names
// AWS would refuse) are checked by the constructs and reported as `<section>.<field>: ...`.

/** RDS for PostgreSQL (`<env>-data`). Defaults are the secure ones; dev relaxes them explicitly. */
export interface DatabaseConfig {
  /** PostgreSQL major (`"17"`) or major.minor (`"17.4"`); a major lets RDS apply minor upgrades. @default "17" */
  readonly engineVersion?: string;
  /** Instance class `db.<family>.<size>` (pattern only: the AWS SDK has no list of RDS classes). @default "db.t4g.micro" (dev-sized; prod sets a larger class) */
  readonly instanceClass?: string;
  /** Initial gp3 storage, GiB (20-65536). @default 20 */
  readonly allocatedStorage?: number;
  /** Storage autoscaling ceiling, GiB, at least allocatedStorage. @default 100 */
  readonly maxAllocatedStorage?: number;
  /** Standby in a second AZ. @default true */
  readonly multiAz?: boolean;
  /** Refuse deletion through the API. @default true */
  readonly deletionProtection?: boolean;
  /** Snapshot `<env prefix>-db-final` on deletion. @default true */
  readonly finalSnapshot?: boolean;
  /** Days of automated backups, 1-35. @default 7 */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC. @default "18:00-18:30" (the course's) */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC. @default "sat:19:00-sat:19:30" (the course's) */
  readonly maintenanceWindow?: string;
  /** Performance Insights retention: 7, 31 x months, or 731 days. @default 7 (free tier) */
  readonly performanceInsightsRetentionDays?: number;
  /** Enhanced monitoring interval, seconds (1, 5, 10, 15, 30, 60). @default 60 */
  readonly monitoringInterval?: number;
  /** Days to keep the exported postgresql/upgrade logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Master user (password managed by RDS in Secrets Manager). @default "eksdbadmin" (the course's) */
  readonly masterUsername?: string;
  /** Database created with the instance. @default none (the app's `myworkdb` is made through the bastion) */
  readonly databaseName?: string;
  /** Extra DB parameters (name to value); `rds.force_ssl` is always 1. @default log_connections, log_disconnections */
  readonly parameters?: Record<string, string>;
}

/** The SSM-only operator host next to the database (`<env>-data`). */
export interface BastionConfig {
  /** Create the bastion. @default true */
  readonly enabled?: boolean;
  /** Instance type EC2 offers (checked at synth against `@aws-sdk/client-ec2`'s list); Graviton types get the arm64 image. @default "t4g.nano" */
  readonly instanceType?: string;
  /** Root volume, GiB (>= 8). @default 8 */
  readonly rootVolumeSize?: number;
  /** PostgreSQL client major installed at boot (Amazon Linux 2023 packages 15, 16, 17). @default "16" */
  readonly postgresClientVersion?: string;
  /** Outbound HTTPS destinations (SSM, package repositories, AWS APIs). @default ["0.0.0.0/0"] */
  readonly httpsEgressCidrs?: string[];
}

/** ECR repositories (`<env>-registry`). */
export interface RegistryConfig {
  /** Repository names. @default ["k8sbook/backend-app", "k8sbook/batch-app"] */
  readonly repositories?: string[];
  /** `IMMUTABLE` or `MUTABLE` tags. @default "IMMUTABLE" */
  readonly imageTagMutability?: 'IMMUTABLE' | 'MUTABLE';
  /** Days before untagged images expire. @default 14 */
  readonly untaggedExpiryDays?: number;
  /** Tagged images kept per repository. @default 30 */
  readonly keepTaggedCount?: number;
  /** Other accounts allowed to pull. @default [] */
  readonly pullAccountIds?: string[];
}

/** The SPA's bucket and CloudFront distribution (`<env>-frontend`). */
export interface FrontendConfig {
  /** Content bucket. @default "<project>-<env>-frontend-<accountId>" */
  readonly bucketName?: string;
  /** Log bucket. @default "<bucketName>-logs" */
  readonly logBucketName?: string;
  /** CloudFront price class. @default "PriceClass_200" (includes Korea and Japan) */
  readonly priceClass?: PriceClass;
  /**
   * Viewer TLS policy of the custom domain (needs `domainNames`: the default `*.cloudfront.net`
   * certificate always uses CloudFront's TLSv1 policy). @default "TLSv1.2_2021"
   */
  readonly minimumProtocolVersion?: MinimumProtocolVersion;
  /** Custom domain names. @default none (the `*.cloudfront.net` name) */
  readonly domainNames?: string[];
  /** Route 53 zone for certificate validation and alias records. @default none */
  readonly hostedZoneId?: string;
  /** Existing ACM certificate in us-east-1. @default created and DNS-validated when hostedZoneId is set */
  readonly certificateArn?: string;
  /** `"create"`, `"none"`, or a CLOUDFRONT-scope web ACL ARN. @default "create" */
  readonly webAcl?: string;
  /** Requests per IP per 5 minutes before the created web ACL blocks. @default 2000 */
  readonly rateLimit?: number;
  /** Days to keep access and WAF logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Content-Security-Policy header. @default none */
  readonly contentSecurityPolicy?: string;
  /** Viewer countries allowed (ISO alpha-2). @default all */
  readonly allowedCountries?: string[];
}

/** The batch application's storage and identity (`<env>-batch`). */
export interface BatchConfig {
  /** Namespace of the batch app's service account. @default "eks-work-batch" */
  readonly namespace?: string;
  /** The batch app's service account, the only one that may assume its IRSA role. @default "batch-app" */
  readonly serviceAccount?: string;
  /** The batch data bucket. @default "<project>-<env>-batch-<accountId>" */
  readonly bucketName?: string;
  /** Days to keep overwritten or deleted object versions. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Days to keep the bucket's access logs. @default 365 */
  readonly accessLogRetentionDays?: number;
}

const int = z.number().int();

export const databaseSchema = z
  .object({
    engineVersion: z.string().optional(),
    instanceClass: z.string().optional(),
    allocatedStorage: int.optional(),
    maxAllocatedStorage: int.optional(),
    multiAz: z.boolean().optional(),
    deletionProtection: z.boolean().optional(),
    finalSnapshot: z.boolean().optional(),
    backupRetentionDays: int.optional(),
    backupWindow: z.string().optional(),
    maintenanceWindow: z.string().optional(),
    performanceInsightsRetentionDays: int.optional(),
    monitoringInterval: int.optional(),
    logRetentionDays: int.optional(),
    masterUsername: z.string().optional(),
    databaseName: z.string().optional(),
    parameters: z.record(z.string()).optional(),
  })
  .strict();

export const bastionSchema = z
  .object({
    enabled: z.boolean().optional(),
    instanceType: z.string().optional(),
    rootVolumeSize: int.optional(),
    postgresClientVersion: z.string().optional(),
    httpsEgressCidrs: z.array(z.string()).optional(),
  })
  .strict();

export const registrySchema = z
  .object({
    repositories: z.array(z.string()).optional(),
    imageTagMutability: z.enum(['IMMUTABLE', 'MUTABLE']).optional(),
    untaggedExpiryDays: int.optional(),
    keepTaggedCount: int.optional(),
    pullAccountIds: z.array(z.string()).optional(),
  })
  .strict();

export const frontendSchema = z
  .object({
    bucketName: z.string().optional(),
    logBucketName: z.string().optional(),
    priceClass: z.enum(PRICE_CLASSES).optional(),
    minimumProtocolVersion: z.enum(MINIMUM_PROTOCOL_VERSIONS).optional(),
    domainNames: z.array(z.string()).optional(),
    hostedZoneId: z.string().optional(),
    certificateArn: z.string().optional(),
    webAcl: z.string().optional(),
    rateLimit: int.optional(),
    logRetentionDays: int.optional(),
    contentSecurityPolicy: z.string().optional(),
    allowedCountries: z.array(z.string()).optional(),
  })
  .strict();

export const batchSchema = z
  .object({
    namespace: z.string().optional(),
    serviceAccount: z.string().optional(),
    bucketName: z.string().optional(),
    noncurrentVersionDays: int.optional(),
    accessLogRetentionDays: int.optional(),
  })
  .strict();
