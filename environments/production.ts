import { LOAD_BALANCER_CONTROLLER, check, show } from '../modules';
import type { EnvironmentConfig } from './types';

/** Shortest retention production accepts for audit, flow and control-plane logs: a year. */
export const PRODUCTION_MIN_LOG_RETENTION_DAYS = 365;

/**
 * Log retentions production holds to a year: the records of who reached or changed what.
 * Container Insights groups (observability.logRetentionDays: application, host and performance
 * logs) are not among them. An unset field takes its construct's default, 365 for all of these.
 */
const AUDIT_LOG_RETENTIONS: ReadonlyArray<{ field: string; what: string; days: (c: EnvironmentConfig) => number | undefined }> = [
  { field: 'cluster.logRetentionDays', what: 'EKS control-plane logs (API server, audit, authenticator)', days: (c) => c.cluster.logRetentionDays },
  { field: 'network.flowLogRetentionDays', what: 'VPC flow logs', days: (c) => c.network.flowLogRetentionDays },
  { field: 'database.logRetentionDays', what: 'PostgreSQL logs (connections and disconnections)', days: (c) => c.database?.logRetentionDays },
  { field: 'frontend.logRetentionDays', what: 'CloudFront access and WAF logs', days: (c) => c.frontend?.logRetentionDays },
  { field: 'addons.albWebAclLogRetentionDays', what: 'the ALB web ACL logs', days: (c) => c.addons?.albWebAclLogRetentionDays },
  { field: 'batch.accessLogRetentionDays', what: 'S3 access logs of the batch bucket', days: (c) => c.batch?.accessLogRetentionDays },
  { field: 'state.accessLogRetentionDays', what: 'S3 access logs of the state bucket', days: (c) => c.state.accessLogRetentionDays },
  { field: 'cicd.clusterRunner.logRetentionDays', what: 'CI runner logs (the jobs that changed the cluster)', days: (c) => c.cicd?.clusterRunner?.logRetentionDays },
];

/**
 * Guardrails of a production environment (`production: true`), checked with the config's shape
 * before any stack is built. Dev's cost choices are refused here, with no flag to override them:
 * the way out is `production: false`, visible in review. Throws a ValidationError naming the field.
 */
export function checkProduction(config: EnvironmentConfig): void {
  if (!config.production) return;
  const refused = 'which production refuses';

  const c = config.cluster;
  (c.endpointPublicAccess ? (c.publicAccessCidrs ?? []) : []).forEach((cidr, i) =>
    check(
      !/\/0$/.test(cidr),
      `cluster.publicAccessCidrs[${i}]`,
      `${show(cidr)} opens the Kubernetes API to the whole internet, ${refused} (allowOpenPublicEndpoint does not apply); allowed: specific CIDRs (office, VPN, CI), or endpointPublicAccess: false`,
    ),
  );

  // Nodes and Fargate pods always run in the private subnets, so their way out is the NAT gateways.
  const nat = config.network.natGateways ?? 'single';
  check(
    nat === 'perAz',
    'network.natGateways',
    `${show(nat)}${config.network.natGateways === undefined ? ' (the default)' : ''} leaves the private nodes ${nat === 'none' ? 'without a NAT gateway' : 'behind one NAT gateway, a single AZ'}, ${refused}; allowed: "perAz"`,
  );

  const db = config.database ?? {};
  check(db.multiAz ?? true, 'database.multiAz', `false keeps the database in one AZ, ${refused}; allowed: true (the default)`);
  check(db.deletionProtection ?? true, 'database.deletionProtection', `false lets an API call delete the database, ${refused}; allowed: true (the default)`);
  check(db.finalSnapshot ?? true, 'database.finalSnapshot', `false deletes the database without a final snapshot, ${refused}; allowed: true (the default)`);
  check(
    db.appUser?.recoveryWindowDays !== 0,
    'database.appUser.recoveryWindowDays',
    `0 deletes the application user's secret at once on destroy (no recovery window), ${refused}; allowed: 7 to 30 (the default is 30)`,
  );

  check(
    config.state.accessLogBucket !== false,
    'state.accessLogBucket',
    `false turns off the access logs of the state bucket (the record of who read the state and its secrets), ${refused}; allowed: unset (a log bucket is created) or an existing bucket's name`,
  );

  // Dev runs one controller pod; a production cluster keeps the standby and the disruption budget.
  const lbc = config.addons?.charts?.[LOAD_BALANCER_CONTROLLER];
  const replicas = lbc?.enabled === false ? undefined : lbc?.values?.replicaCount;
  check(
    replicas === undefined || (typeof replicas === 'number' && replicas >= 2),
    `addons.charts.${LOAD_BALANCER_CONTROLLER}.values.replicaCount`,
    `${show(replicas)} leaves the load balancer controller without a standby or a disruption budget (while its one pod restarts, its webhook refuses every new Service), ${refused}; allowed: 2 or more (the default is 2)`,
  );

  check(
    config.addons?.albWebAcl !== 'none' || lbc?.enabled === false,
    'addons.albWebAcl',
    `"none" leaves the application load balancers without a web ACL, ${refused}; allowed: "create" (the default) or a REGIONAL web ACL ARN`,
  );

  for (const r of AUDIT_LOG_RETENTIONS) {
    const days = r.days(config);
    check(
      days === undefined || days >= PRODUCTION_MIN_LOG_RETENTION_DAYS,
      r.field,
      `${days} days keeps ${r.what} under a year, ${refused}; allowed: ${PRODUCTION_MIN_LOG_RETENTION_DAYS} or more`,
    );
  }
}
