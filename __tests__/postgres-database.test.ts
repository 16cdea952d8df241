import { PostgresDatabase, PostgresDatabaseProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: PostgresDatabaseProps = {
  identifier: 'eks-work-dev-db',
  accountId: '111111111111',
  region: 'ap-northeast-2',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
  allowedSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaa1', 'sg-0bbbbbbbbbbbbbbb2'],
};

function synth(props: Partial<PostgresDatabaseProps> = {}) {
  const stack = awsTestStack();
  new PostgresDatabase(stack, 'db', { ...base, ...props });
  return synthesize(stack);
}

describe('PostgresDatabase', () => {
  const json = synth();
  const db = onlyResource(json, 'aws_db_instance');

  test('PostgreSQL of a supported major on gp3 with storage autoscaling', () => {
    expect(db).toMatchObject({ identifier: 'eks-work-dev-db', engine: 'postgres', engine_version: '17', instance_class: 'db.t4g.micro', storage_type: 'gp3', allocated_storage: 20, max_allocated_storage: 100, port: 5432 });
  });

  test('storage encrypted with a customer-managed rotating key', () => {
    expect(db.storage_encrypted).toBe(true);
    expect(db.kms_key_id).toMatch(/aws_kms_key\./);
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  test('master password managed by RDS in Secrets Manager, never in code or state', () => {
    expect(db.manage_master_user_password).toBe(true);
    expect(db.master_user_secret_kms_key_id).toMatch(/aws_kms_key\./);
    expect(db.password).toBeUndefined();
    expect(db.username).toBe('eksdbadmin');
  });

  test('private: DB subnet group on the given subnets, never publicly accessible', () => {
    expect(db.publicly_accessible).toBe(false);
    const group = onlyResource(json, 'aws_db_subnet_group');
    expect(group.subnet_ids).toEqual(base.subnetIds);
    expect(db.db_subnet_group_name).toMatch(/aws_db_subnet_group\./);
  });

  test('own security group: 5432 only from the given security groups, no CIDR, no egress', () => {
    const sg = onlyResource(json, 'aws_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(db.vpc_security_group_ids).toEqual([expect.stringMatching(/aws_security_group\./)]);
    const rules = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => r.referenced_security_group_id)).toEqual(base.allowedSecurityGroupIds);
    for (const r of rules) {
      expect(r).toMatchObject({ ip_protocol: 'tcp', from_port: 5432, to_port: 5432 });
      expect(r.cidr_ipv4).toBeUndefined();
      expect(r.cidr_ipv6).toBeUndefined();
    }
    expect(resourcesOfType(json, 'aws_vpc_security_group_egress_rule')).toHaveLength(0);
  });

  test('parameter group of the matching family forces TLS, with name prefix and create-before-destroy', () => {
    const pg = onlyResource(json, 'aws_db_parameter_group');
    expect(pg).toMatchObject({ family: 'postgres17', name_prefix: 'eks-work-dev-db-postgres17-', lifecycle: { create_before_destroy: true } });
    expect(pg.name).toBeUndefined();
    expect(pg.parameter).toContainEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' });
    expect(db.parameter_group_name).toMatch(/aws_db_parameter_group\./);
    expect(onlyResource(synth({ engineVersion: '16.4' }), 'aws_db_parameter_group').family).toBe('postgres16');
  });

  test('rds.force_ssl cannot be turned off; other parameters are added', () => {
    expect(() => synth({ parameters: { 'rds.force_ssl': '0' } })).toThrow('parameters: "rds.force_ssl" = "0" would allow unencrypted connections');
    const params = onlyResource(synth({ parameters: { log_min_duration_statement: '1000' } }), 'aws_db_parameter_group').parameter;
    expect(params).toContainEqual({ name: 'log_min_duration_statement', value: '1000', apply_method: 'pending-reboot' });
  });

  test('backups kept 7 days with backup and maintenance windows; tags copied to snapshots; minor upgrades on', () => {
    expect(db).toMatchObject({ backup_retention_period: 7, backup_window: '18:00-18:30', maintenance_window: 'sat:19:00-sat:19:30', copy_tags_to_snapshot: true, auto_minor_version_upgrade: true });
  });

  test('Performance Insights encrypted with the key', () => {
    expect(db).toMatchObject({ performance_insights_enabled: true, performance_insights_retention_period: 7 });
    expect(db.performance_insights_kms_key_id).toMatch(/aws_kms_key\./);
  });

  test('enhanced monitoring with its own role trusted by monitoring.rds.amazonaws.com', () => {
    expect(db.monitoring_interval).toBe(60);
    expect(db.monitoring_role_arn).toMatch(/aws_iam_role\./);
    const trust = parsePolicy(onlyResource(json, 'aws_iam_role').assume_role_policy).Statement[0];
    expect(trust).toMatchObject({ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } });
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole');
  });

  test('postgresql and upgrade logs exported into encrypted groups with retention, created first', () => {
    expect(db.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
    const groups = resourcesOfType(json, 'aws_cloudwatch_log_group');
    expect(groups.map((g) => g.name).sort()).toEqual(['/aws/rds/instance/eks-work-dev-db/postgresql', '/aws/rds/instance/eks-work-dev-db/upgrade']);
    expect(groups.every((g) => g.retention_in_days === 365 && /aws_kms_key\./.test(g.kms_key_id))).toBe(true);
    expect(db.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]));
    const keyPolicy = parsePolicy(onlyResource(json, 'aws_kms_key').policy).Statement;
    expect(keyPolicy.map((s) => s.Sid)).toContain('CloudWatchLogsUse');
  });

  test('IAM database authentication on', () => {
    expect(db.iam_database_authentication_enabled).toBe(true);
  });

  test('secure by default: Multi-AZ, deletion protection, final snapshot', () => {
    expect(db).toMatchObject({ multi_az: true, deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: 'eks-work-dev-db-final' });
  });

  test('dev knobs turn them off explicitly', () => {
    const dev = onlyResource(synth({ multiAz: false, deletionProtection: false, finalSnapshot: false }), 'aws_db_instance');
    expect(dev).toMatchObject({ multi_az: false, deletion_protection: false, skip_final_snapshot: true });
    expect(dev.final_snapshot_identifier).toBeUndefined();
  });

  test('a given key is used instead of creating one', () => {
    const arn = 'arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-4000-8000-000000000000';
    const j = synth({ kmsKeyArn: arn });
    expect(resourcesOfType(j, 'aws_kms_key')).toHaveLength(0);
    expect(onlyResource(j, 'aws_db_instance')).toMatchObject({ kms_key_id: arn, performance_insights_kms_key_id: arn });
  });

  test.each<[Partial<PostgresDatabaseProps>, string]>([
    [{ engineVersion: 'latest' }, 'engineVersion: "latest" is not an RDS for PostgreSQL version; allowed: a major such as "17"'],
    [{ engineVersion: '9.6.24' }, 'engineVersion: "9.6.24" is not an RDS for PostgreSQL version'],
    [{ engineVersion: '10' }, 'engineVersion: "10" is not a supported PostgreSQL major; allowed: 13, 14, 15, 16, 17'],
    [{ instanceClass: 't4g.micro' }, 'instanceClass: "t4g.micro" is not an RDS instance class; allowed: db.<family>.<size>'],
    [{ instanceClass: 'db.t4g.huge' }, 'instanceClass: "db.t4g.huge" is not an RDS instance class'],
    [{ backupRetentionDays: 0 }, 'backupRetentionDays: 0 is outside what RDS keeps; allowed: whole days from 1 to 35'],
    [{ backupRetentionDays: 36 }, 'backupRetentionDays: 36 is outside what RDS keeps; allowed: whole days from 1 to 35'],
    [{ allocatedStorage: 200, maxAllocatedStorage: 100 }, 'allocatedStorage: 200 GiB is above maxAllocatedStorage (100 GiB); allowed: at most maxAllocatedStorage'],
    [{ allocatedStorage: 10 }, "allocatedStorage: 10 GiB is outside gp3's range; allowed: whole GiB from 20 to 65536"],
    [{ backupWindow: '18:00' }, 'backupWindow: "18:00" is not a backup window'],
    [{ maintenanceWindow: 'saturday 19:00' }, 'maintenanceWindow: "saturday 19:00" is not a maintenance window'],
    [{ performanceInsightsRetentionDays: 30 }, 'performanceInsightsRetentionDays: 30 is not a Performance Insights retention'],
    [{ monitoringInterval: 0 }, 'monitoringInterval: 0 is not an enhanced monitoring interval; allowed: 1, 5, 10, 15, 30, 60'],
    [{ logRetentionDays: 45 }, 'logRetentionDays: 45 is not a CloudWatch Logs retention period'],
    [{ masterUsername: 'rdsadmin' }, 'masterUsername: "rdsadmin" is not a usable master user name'],
    [{ databaseName: 'my-db' }, 'databaseName: "my-db" is not a database name'],
    [{ identifier: 'Eks_DB' }, 'identifier: "Eks_DB" is not a DB instance identifier'],
    [{ subnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] }, 'subnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] lists fewer than 2 subnets'],
    [{ allowedSecurityGroupIds: [] }, 'allowedSecurityGroupIds: is empty'],
    [{ allowedSecurityGroupIds: ['10.0.0.0/16'] }, 'allowedSecurityGroupIds[0]: "10.0.0.0/16" is not a security group id; allowed: "sg-..." (CIDR ranges are not accepted)'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
