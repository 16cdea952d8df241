import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { stableAddress } from '../core/stable-address';
import { managedPolicyArn, serviceTrustPolicy } from '../core/iam';
import { check, checkAccountId, checkRetentionDays, show } from '../core/validation';

/** PostgreSQL major versions RDS currently offers under standard support (update as RDS adds/retires them). */
export const POSTGRES_MAJOR_VERSIONS = ['13', '14', '15', '16', '17'] as const;
/** Intervals (seconds) enhanced monitoring accepts; 0 (off) is deliberately not offered. */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;
/** Log types RDS for PostgreSQL exports to CloudWatch Logs. */
export const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

const DB_PORT = 5432;
const INSTANCE_CLASS = /^db\.[a-z]+\d+[a-z0-9-]*\.(micro|small|medium|large|\d{0,2}xlarge|metal(-\d+xl)?)$/;
const ENGINE_VERSION = /^(\d{2})(\.\d{1,2})?$/;
const BACKUP_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const MAINTENANCE_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
const PG_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

export interface PostgresDatabaseProps {
  /** DB instance identifier, also the prefix of the group, role and log names (e.g. `eks-work-dev-db`). */
  readonly identifier: string;
  /** Account owning the database (KMS key policy, monitoring-role trust). */
  readonly accountId: string;
  /** Region of the database. */
  readonly region: string;
  /** VPC of the database security group. */
  readonly vpcId: string;
  /** Database subnets (at least two AZs) for the DB subnet group. */
  readonly subnetIds: string[];
  /**
   * Security groups admitted on 5432 (EKS nodes, the bastion): one SG-to-SG rule each, never a CIDR,
   * so only members of these groups reach the database.
   */
  readonly allowedSecurityGroupIds: string[];
  /**
   * PostgreSQL version: a major (`"17"`, RDS picks the current minor and upgrades minors itself) or
   * `major.minor` (`"17.4"`). The parameter group family follows the major. @default "17"
   */
  readonly engineVersion?: string;
  /** Instance class. @default "db.t4g.micro" (smallest Graviton burstable class: dev; prod should size up) */
  readonly instanceClass?: string;
  /** Initial gp3 storage in GiB, 20-65536. @default 20 */
  readonly allocatedStorage?: number;
  /** Storage autoscaling ceiling in GiB, at least `allocatedStorage`. @default 100 */
  readonly maxAllocatedStorage?: number;
  /** Standby in a second AZ with automatic failover. @default true (checkov CKV_AWS_157); dev turns it off for cost */
  readonly multiAz?: boolean;
  /** Refuse deletion through the API. @default true; dev turns it off to tear down freely */
  readonly deletionProtection?: boolean;
  /** Take a snapshot `<identifier>-final` when the instance is deleted. @default true; dev may skip it */
  readonly finalSnapshot?: boolean;
  /** Days of automated backups (point-in-time recovery), 1-35. @default 7 */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC `hh24:mi-hh24:mi`. @default "18:00-18:30" (the course's; 03:00 KST) */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC `ddd:hh24:mi-ddd:hh24:mi`. @default "sat:19:00-sat:19:30" (the course's) */
  readonly maintenanceWindow?: string;
  /** Performance Insights retention in days: 7 (free tier), 31 x months (up to 23), or 731. @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** Enhanced monitoring interval in seconds. @default 60 */
  readonly monitoringInterval?: number;
  /** Days to keep the exported PostgreSQL and upgrade logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Master user; its password is generated and rotated by RDS in Secrets Manager. @default "eksdbadmin" (the course's) */
  readonly masterUsername?: string;
  /**
   * Database created with the instance. @default none: the course's app database (`myworkdb`, owned by
   * `mywork`) is created by a one-off Kubernetes job from the secrets (examples/database-user-job),
   * or by hand through the bastion, see docs/data.md
   */
  readonly databaseName?: string;
  /**
   * Extra parameters for the parameter group (name to value, applied at the next reboot).
   * `rds.force_ssl` is always 1 and cannot be overridden. @default log_connections and log_disconnections on
   */
  readonly parameters?: Record<string, string>;
  /** KMS key for storage, Performance Insights, the master secret and the log groups. @default a key created here, rotation on */
  readonly kmsKeyArn?: string;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * RDS for PostgreSQL, private and encrypted: gp3 with storage autoscaling, KMS everywhere, master
 * password managed by RDS in Secrets Manager (never in code or state), its own security group admitting
 * only the given security groups, TLS forced by the parameter group, IAM authentication, backups,
 * Performance Insights, enhanced monitoring and log exports into groups with retention.
 */
export class PostgresDatabase extends Construct {
  readonly instance: DbInstance;
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;
  /** `host:port`. */
  readonly endpoint: string;
  readonly address: string;
  readonly port: number;
  /** ARN of the Secrets Manager secret RDS keeps the master credentials in. */
  readonly masterUserSecretArn: string;
  readonly kmsKeyArn: string;
  /** The major version, e.g. `"17"`. */
  readonly engineMajorVersion: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const engineVersion = props.engineVersion ?? '17';
    const instanceClass = props.instanceClass ?? 'db.t4g.micro';
    const allocated = props.allocatedStorage ?? 20;
    const maxAllocated = props.maxAllocatedStorage ?? 100;
    const backupDays = props.backupRetentionDays ?? 7;
    const backupWindow = props.backupWindow ?? '18:00-18:30';
    const maintenanceWindow = props.maintenanceWindow ?? 'sat:19:00-sat:19:30';
    const piDays = props.performanceInsightsRetentionDays ?? 7;
    const monitoringInterval = props.monitoringInterval ?? 60;
    const logDays = props.logRetentionDays ?? 365;
    const username = props.masterUsername ?? 'eksdbadmin';

    check(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.identifier) && props.identifier.length <= 50, 'identifier', `${show(props.identifier)} is not a DB instance identifier; allowed: up to 50 lowercase letters, digits and single hyphens, starting with a letter`);
    checkAccountId(props.accountId, 'accountId');
    const version = ENGINE_VERSION.exec(engineVersion);
    check(version !== null, 'engineVersion', `${show(engineVersion)} is not an RDS for PostgreSQL version; allowed: a major such as "17" or major.minor such as "17.4"`);
    const major = version[1];
    check((POSTGRES_MAJOR_VERSIONS as readonly string[]).includes(major), 'engineVersion', `${show(engineVersion)} is not a supported PostgreSQL major; allowed: ${POSTGRES_MAJOR_VERSIONS.join(', ')}`);
    check(INSTANCE_CLASS.test(instanceClass), 'instanceClass', `${show(instanceClass)} is not an RDS instance class; allowed: db.<family>.<size>, e.g. db.t4g.micro, db.m7g.large`);
    check(Number.isInteger(allocated) && allocated >= 20 && allocated <= 65536, 'allocatedStorage', `${show(allocated)} GiB is outside gp3's range; allowed: whole GiB from 20 to 65536`);
    check(Number.isInteger(maxAllocated) && maxAllocated <= 65536, 'maxAllocatedStorage', `${show(maxAllocated)} is not a whole number of GiB up to 65536`);
    check(allocated <= maxAllocated, 'allocatedStorage', `${allocated} GiB is above maxAllocatedStorage (${maxAllocated} GiB); allowed: at most maxAllocatedStorage`);
    check(Number.isInteger(backupDays) && backupDays >= 1 && backupDays <= 35, 'backupRetentionDays', `${show(backupDays)} is outside what RDS keeps; allowed: whole days from 1 to 35 (0 would turn backups off)`);
    check(BACKUP_WINDOW.test(backupWindow), 'backupWindow', `${show(backupWindow)} is not a backup window; allowed: UTC "hh24:mi-hh24:mi", e.g. "18:00-18:30"`);
    check(MAINTENANCE_WINDOW.test(maintenanceWindow), 'maintenanceWindow', `${show(maintenanceWindow)} is not a maintenance window; allowed: UTC "ddd:hh24:mi-ddd:hh24:mi", e.g. "sat:19:00-sat:19:30"`);
    const piOk = piDays === 7 || piDays === 731 || (Number.isInteger(piDays) && piDays % 31 === 0 && piDays >= 31 && piDays <= 713);
    check(piOk, 'performanceInsightsRetentionDays', `${show(piDays)} is not a Performance Insights retention; allowed: 7, 31 x months (31, 62, ... 713) or 731`);
    check((MONITORING_INTERVALS as readonly number[]).includes(monitoringInterval), 'monitoringInterval', `${show(monitoringInterval)} is not an enhanced monitoring interval; allowed: ${MONITORING_INTERVALS.join(', ')}`);
    checkRetentionDays(logDays, 'logRetentionDays');
    check(PG_IDENTIFIER.test(username) && !/^rds/i.test(username), 'masterUsername', `${show(username)} is not a usable master user name; allowed: 1-63 letters, digits and '_', starting with a letter, not starting with "rds"`);
    if (props.databaseName !== undefined) {
      check(PG_IDENTIFIER.test(props.databaseName), 'databaseName', `${show(props.databaseName)} is not a database name; allowed: 1-63 letters, digits and '_', starting with a letter`);
    }
    check(Array.isArray(props.subnetIds) && (Token.isUnresolved(props.subnetIds) || props.subnetIds.length >= 2), 'subnetIds', `${show(props.subnetIds)} lists fewer than 2 subnets; allowed: database subnets in at least 2 AZs`);
    check(Array.isArray(props.allowedSecurityGroupIds) && props.allowedSecurityGroupIds.length >= 1, 'allowedSecurityGroupIds', 'is empty; allowed: one or more security group ids (nothing could reach the database)');
    props.allowedSecurityGroupIds.forEach((sg, i) =>
      check(Token.isUnresolved(sg) || /^sg-[0-9a-f]{8,17}$/.test(sg), `allowedSecurityGroupIds[${i}]`, `${show(sg)} is not a security group id; allowed: "sg-..." (CIDR ranges are not accepted)`),
    );
    const parameters: Record<string, string> = { log_connections: '1', log_disconnections: '1', ...props.parameters };
    check(parameters['rds.force_ssl'] === undefined || parameters['rds.force_ssl'] === '1', 'parameters', `"rds.force_ssl" = ${show(parameters['rds.force_ssl'])} would allow unencrypted connections; allowed: leave it out (always 1)`);
    parameters['rds.force_ssl'] = '1';

    const name = props.identifier;
    this.engineMajorVersion = major;
    this.kmsKeyArn =
      props.kmsKeyArn ??
      new EncryptionKey(this, 'key', {
        description: `${name} PostgreSQL storage, Performance Insights, master secret and logs`,
        alias: `${name}-postgres`,
        accountId: props.accountId,
        region: props.region,
        allowCloudWatchLogs: true,
      }).keyArn;

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: `${name}-postgres`,
      description: `PostgreSQL ${name}: 5432 from the allowed security groups only`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-postgres` },
      // No egress rule: Terraform removes AWS's default allow-all, and the database needs none.
    });
    props.allowedSecurityGroupIds.forEach(
      (source, i) =>
        new VpcSecurityGroupIngressRule(this, `ingress-${i}`, {
          securityGroupId: this.securityGroup.id,
          description: 'PostgreSQL from an allowed security group',
          ipProtocol: 'tcp',
          fromPort: DB_PORT,
          toPort: DB_PORT,
          referencedSecurityGroupId: source,
        }),
    );

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name,
      description: `Database subnets of ${name}`,
      subnetIds: props.subnetIds,
    });

    const parameterGroup = new DbParameterGroup(this, 'parameter-group', {
      namePrefix: `${name}-postgres${major}-`,
      family: `postgres${major}`,
      description: `${name}: TLS required (rds.force_ssl), connection logging`,
      parameter: Object.entries(parameters)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([n, value]) => ({ name: n, value, applyMethod: 'pending-reboot' })),
      // A family change (major upgrade) needs a new group attached before the old one can go.
      lifecycle: { createBeforeDestroy: true },
    });

    const monitoringRole = new IamRole(this, 'monitoring-role', {
      name: `${name}-rds-monitoring`,
      description: `Enhanced monitoring of ${name}`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: serviceTrustPolicy('monitoring.rds.amazonaws.com', props.accountId),
    });
    const monitoringAttachment = new IamRolePolicyAttachment(this, 'monitoring-policy', {
      role: monitoringRole.name,
      policyArn: managedPolicyArn(props.region, 'service-role/AmazonRDSEnhancedMonitoringRole'),
    });

    // Created here, not by RDS on first export, so they have retention and encryption.
    const logGroups = POSTGRES_LOG_EXPORTS.map(
      (type) =>
        new CloudwatchLogGroup(this, `log-group-${type}`, {
          name: `/aws/rds/instance/${name}/${type}`,
          retentionInDays: logDays,
          kmsKeyId: this.kmsKeyArn,
        }),
    );

    const finalSnapshot = props.finalSnapshot ?? true;
    this.instance = new DbInstance(this, 'instance', {
      identifier: name,
      engine: 'postgres',
      engineVersion,
      instanceClass,
      allocatedStorage: allocated,
      maxAllocatedStorage: maxAllocated,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: this.kmsKeyArn,
      username,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.kmsKeyArn,
      dbName: props.databaseName,
      port: DB_PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameterGroup.name,
      publiclyAccessible: false,
      multiAz: props.multiAz ?? true,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: !finalSnapshot,
      finalSnapshotIdentifier: finalSnapshot ? `${name}-final` : undefined,
      backupRetentionPeriod: backupDays,
      backupWindow,
      maintenanceWindow,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: this.kmsKeyArn,
      performanceInsightsRetentionPeriod: piDays,
      monitoringInterval,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      dependsOn: [...logGroups, monitoringAttachment],
    });
    // Users import and move the database: an address without cdktf's hash (`aws_db_instance.<path>`).
    stableAddress(this.instance);

    this.securityGroupId = this.securityGroup.id;
    this.endpoint = this.instance.endpoint;
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;
  }
}
