import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { Bastion, PostgresDatabase, partitionOf } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';
import type { NetworkStack } from './network-stack';
import type { ClusterStack } from './cluster-stack';

/**
 * `<env>-data`: RDS for PostgreSQL in the database subnets, reachable on 5432 from the EKS nodes'
 * security group and the SSM-only bastion's, published with terraform-aws-modules' output names.
 */
export class DataStack extends PlatformStack {
  readonly database: PostgresDatabase;
  readonly bastion?: Bastion;

  constructor(scope: Construct, env: ResolvedEnvironment, network: NetworkStack, cluster: ClusterStack, settings: StackSettings = {}) {
    super(scope, env, 'data', settings);
    const net = this.consume(network);
    const eks = this.consume(cluster);
    const db = env.database ?? {};
    const b = env.bastion ?? {};
    const vpcId = net.getString('vpc_id');

    if (b.enabled ?? true) {
      this.bastion = forEnvironment(env.name, 'bastion', () =>
        new Bastion(this, 'bastion', {
          permissionsBoundaryArn: this.permissionsBoundaryArn,
          name: env.prefix,
          region: env.region,
          vpcId,
          vpcCidr: net.getString('vpc_cidr_block'),
          // First private subnet (a token list: index it in Terraform, not in TypeScript).
          subnetId: Token.asString(Fn.element(net.getList('private_subnets'), 0)),
          instanceType: b.instanceType,
          rootVolumeSize: b.rootVolumeSize,
          postgresClientVersion: b.postgresClientVersion,
          httpsEgressCidrs: b.httpsEgressCidrs,
        }),
      );
    }

    // Pods on Fargate (prod's batch CronJob) carry the cluster's primary security group, not the
    // node group: admit it too when Fargate is on.
    const fargateSg = env.cluster.fargate?.enabled ? [eks.getString('cluster_primary_security_group_id')] : [];
    const sources = [eks.getString('node_security_group_id'), ...fargateSg, ...(this.bastion ? [this.bastion.securityGroupId] : [])];

    this.database = forEnvironment(env.name, 'database', () =>
      new PostgresDatabase(this, 'database', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        identifier: `${env.prefix}-db`,
        accountId: env.accountId,
        region: env.region,
        vpcId,
        subnetIds: net.getList('database_subnets'),
        allowedSecurityGroupIds: sources,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        allocatedStorage: db.allocatedStorage,
        maxAllocatedStorage: db.maxAllocatedStorage,
        multiAz: db.multiAz,
        deletionProtection: db.deletionProtection,
        finalSnapshot: db.finalSnapshot,
        backupRetentionDays: db.backupRetentionDays,
        backupWindow: db.backupWindow,
        maintenanceWindow: db.maintenanceWindow,
        performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
        monitoringInterval: db.monitoringInterval,
        logRetentionDays: db.logRetentionDays,
        masterUsername: db.masterUsername,
        databaseName: db.databaseName,
        parameters: db.parameters,
      }),
    );

    // Stand-ins for offline plans of downstream stacks.
    const d = this.database;
    const host = `${env.prefix}-db.c0offline0000.${env.region}.rds.amazonaws.com`;
    const partition = partitionOf(env.region);
    this.publish('db_instance_endpoint', d.endpoint, `${host}:5432`, 'Connection endpoint of the database (host:port)');
    this.publish('db_instance_address', d.address, host, 'Host name of the database');
    this.publish('db_instance_port', d.port, 5432, 'Port of the database');
    this.publish('db_instance_master_user_secret_arn', d.masterUserSecretArn, `arn:${partition}:secretsmanager:${env.region}:${env.accountId}:secret:rds!db-00000000-0000-4000-8000-000000000000-OFFLNE`, 'Secrets Manager secret holding the master user credentials (managed and rotated by RDS)');
    this.publish('db_security_group_id', d.securityGroupId, 'sg-0offline0db00000', 'Security group of the database');
    this.publish('db_kms_key_arn', d.kmsKeyArn, `arn:${partition}:kms:${env.region}:${env.accountId}:key/00000000-0000-4000-8000-000000000001`, 'KMS key encrypting the database, its master secret, Performance Insights and logs');
    if (this.bastion) {
      this.publish('bastion_instance_id', this.bastion.instanceId, 'i-0offline000000000', 'Instance id of the SSM bastion (aws ssm start-session --target)');
      this.publish('bastion_security_group_id', this.bastion.securityGroupId, 'sg-0offline0bastion0', 'Security group of the bastion');
    }
  }
}
