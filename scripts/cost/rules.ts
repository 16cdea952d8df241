/**
 * How each resource type costs money: a rule turns a planned resource into charges (quantity × a
 * figure of the price table), or says it is free under this configuration. Types without a rule and
 * not in FREE_TYPES are reported as unpriced, so nothing is silently missing.
 */
import type { Assumptions } from './assumptions';
import { PlannedResource, block, list } from './resource';

/** One charge of a resource: `quantity` units of the price `key`, in `region` (default: the resource's). */
export interface Charge {
  readonly item: string;
  readonly quantity: number;
  readonly key: string;
  readonly region?: string;
  /** Multiplier on the price (a Spot discount). @default 1 */
  readonly factor?: number;
  /** The assumption the quantity rests on, when it is not in the plan. */
  readonly usage?: string;
}

/** Free under this configuration, and why. */
export interface Free {
  readonly free: string;
}

export interface RuleContext {
  readonly assumptions: Assumptions;
  /** Another resource of the same stack, by address (`type.name`). */
  resource(address: string): PlannedResource | undefined;
}

export type Rule = (r: PlannedResource, ctx: RuleContext) => Charge[] | Free;

const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : fallback);
const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

/** Root volumes of a node group: its launch template's block device, else `disk_size` (EKS's default 20 GiB). */
function nodeVolume(r: PlannedResource, ctx: RuleContext): { gb: number; type: string; from: string } {
  for (const addr of r.refs('launch_template.0.id').concat(r.refs('launch_template.0.name'))) {
    const lt = ctx.resource(addr);
    const ebs = block(block(lt?.values.block_device_mappings)?.ebs);
    if (ebs?.volume_size !== undefined) return { gb: num(ebs.volume_size), type: String(ebs.volume_type ?? 'gp3'), from: 'launch template' };
  }
  return { gb: num(r.values.disk_size, 20), type: 'gp3', from: 'disk_size (EKS default 20 GiB, gp3 assumed)' };
}

/** GB ingested a month by a log group, and the assumption that says so. */
function logGb(name: string, a: Assumptions): { gb: number; usage: string } {
  const hit = a.logGroupGbByName.find((p) => new RegExp(p.pattern).test(name));
  return hit ? { gb: hit.gbPerMonth, usage: `${hit.gbPerMonth} GB/month: ${hit.why}` } : { gb: a.logGroupGbPerMonth, usage: `${a.logGroupGbPerMonth} GB/month per log group` };
}

export const RULES: Record<string, Rule> = {
  aws_eks_cluster: (_r, { assumptions: a }) => [{ item: 'EKS control plane (standard support)', quantity: a.hoursPerMonth, key: 'eks.cluster' }],

  aws_eks_node_group: (r, ctx) => {
    const a = ctx.assumptions;
    const scaling = block(r.values.scaling_config) ?? {};
    const desired = num(scaling.desired_size);
    const types = list(r.values.instance_types).map(String);
    const type = types[0];
    const spot = r.values.capacity_type === 'SPOT';
    const vol = nodeVolume(r, ctx);
    const others = types.length > 1 ? ` (first of ${types.join(', ')})` : '';
    return [
      {
        item: `${desired} × ${type ?? '?'} ${spot ? 'Spot' : 'on-demand'} node${desired === 1 ? '' : 's'}${others}`,
        quantity: desired * a.hoursPerMonth,
        key: `ec2.instance.${type}`,
        factor: spot ? 1 - a.spotDiscount : 1,
        usage: `desired size ${desired}, around the clock${spot ? `; Spot at ${Math.round(a.spotDiscount * 100)} % off on-demand` : ''}`,
      },
      { item: `${desired} × ${vol.gb} GB ${vol.type} root volume${desired === 1 ? '' : 's'}`, quantity: desired * vol.gb, key: `ebs.${vol.type}`, usage: `from the ${vol.from}` },
    ];
  },

  aws_eks_fargate_profile: (_r, { assumptions: a }) => {
    const f = a.fargate;
    const usage = `${f.podHoursPerMonth} pod-hours/month of ${f.vcpu} vCPU, ${f.memoryGb} GB pods`;
    return [
      { item: 'Fargate pods: vCPU', quantity: f.podHoursPerMonth * f.vcpu, key: 'fargate.vcpu', usage },
      { item: 'Fargate pods: memory', quantity: f.podHoursPerMonth * f.memoryGb, key: 'fargate.memory', usage },
    ];
  },

  aws_instance: (r, { assumptions: a }) => {
    const root = block(r.values.root_block_device) ?? {};
    const charges: Charge[] = [
      { item: `${r.values.instance_type} instance`, quantity: a.hoursPerMonth, key: `ec2.instance.${r.values.instance_type}` },
      { item: `${num(root.volume_size, 8)} GB ${root.volume_type ?? 'gp3'} root volume`, quantity: num(root.volume_size, 8), key: `ebs.${root.volume_type ?? 'gp3'}` },
    ];
    if (r.values.associate_public_ip_address === true) charges.push({ item: 'public IPv4 address', quantity: a.hoursPerMonth, key: 'vpc.publicIpv4' });
    if (r.values.monitoring === true) charges.push({ item: 'detailed monitoring (custom metrics)', quantity: a.ec2DetailedMonitoringMetrics, key: 'cloudwatch.metric', usage: `${a.ec2DetailedMonitoringMetrics} metrics at 1-minute resolution` });
    return charges;
  },

  aws_db_instance: (r, { assumptions: a }) => {
    const v = r.values;
    const az = v.multi_az === true ? 'multiAz' : 'singleAz';
    const azText = v.multi_az === true ? 'Multi-AZ' : 'Single-AZ';
    const storage = String(v.storage_type ?? 'gp2');
    const charges: Charge[] = [
      { item: `${v.instance_class} ${v.engine} ${azText}`, quantity: a.hoursPerMonth, key: `rds.${v.engine}.${az}.${v.instance_class}` },
      { item: `${num(v.allocated_storage)} GB ${storage} storage (${azText})`, quantity: num(v.allocated_storage), key: `rds.${storage}.${az}`, usage: 'allocated storage; autoscaling up to max_allocated_storage is not counted' },
    ];
    if (v.performance_insights_enabled === true && num(v.performance_insights_retention_period, 7) > 7) {
      charges.push({ item: `Performance Insights, ${v.performance_insights_retention_period} days`, quantity: 1, key: `rds.performanceInsights.${v.instance_class}` });
    }
    if (v.manage_master_user_password === true) charges.push({ item: 'master password secret (Secrets Manager, managed by RDS)', quantity: 1, key: 'secretsmanager.secret' });
    if (num(v.monitoring_interval) > 0) charges.push({ item: 'Enhanced Monitoring (RDSOSMetrics log ingestion)', quantity: a.rdsEnhancedMonitoringGbPerMonth, key: 'logs.ingestion', usage: `${a.rdsEnhancedMonitoringGbPerMonth} GB/month` });
    return charges;
  },

  aws_nat_gateway: (r, { assumptions: a }) => [
    { item: `NAT gateway${r.values.connectivity_type === 'private' ? ' (private)' : ''}`, quantity: a.hoursPerMonth, key: 'vpc.natGateway' },
    { item: 'NAT data processed', quantity: a.natGatewayGbPerMonth, key: 'vpc.natGatewayData', usage: `${a.natGatewayGbPerMonth} GB/month per NAT gateway` },
  ],

  aws_eip: (_r, { assumptions: a }) => [{ item: 'public IPv4 address (Elastic IP)', quantity: a.hoursPerMonth, key: 'vpc.publicIpv4' }],

  aws_vpc_endpoint: (r, { assumptions: a }) => {
    const type = String(r.values.vpc_endpoint_type ?? 'Gateway');
    if (type === 'Gateway') return { free: 'gateway endpoints (S3, DynamoDB) have no charge' };
    const service = String(r.values.service_name ?? '').split('.').slice(3).join('.') || String(r.values.service_name);
    const azs = r.listLength('subnet_ids') ?? 1;
    return [
      { item: `interface endpoint ${service} × ${azs} AZ`, quantity: azs * a.hoursPerMonth, key: 'vpc.interfaceEndpoint' },
      { item: `interface endpoint ${service} data`, quantity: a.interfaceEndpointGbPerMonth, key: 'vpc.interfaceEndpointData', usage: `${a.interfaceEndpointGbPerMonth} GB/month per endpoint` },
    ];
  },

  aws_cloudwatch_log_group: (r, { assumptions: a }) => {
    const name = String(r.values.name ?? r.address);
    const { gb, usage } = logGb(name, a);
    const vended = /flow-logs|^aws-waf-logs-/.test(name);
    const days = num(r.values.retention_in_days);
    const months = days > 0 ? days / (365 / 12) : a.logMonthsWhenNeverExpiring;
    const kept = days > 0 ? `${days} days kept` : `never expire: ${a.logMonthsWhenNeverExpiring} months counted`;
    return [
      { item: `logs ingested ${name}`, quantity: gb, key: vended ? 'logs.vendedIngestion' : 'logs.ingestion', usage },
      { item: `logs stored ${name}`, quantity: gb * months, key: 'logs.storage', usage: `${usage}, ${kept} (${fmt(gb * months)} GB once full)` },
    ];
  },

  aws_cloudwatch_metric_alarm: (r) => {
    const metrics = list(r.values.metric_query).filter((q) => block(q)?.metric !== undefined && list(block(q)?.metric).length > 0).length;
    return [{ item: `alarm ${r.values.alarm_name ?? ''}`.trim(), quantity: Math.max(1, metrics), key: 'cloudwatch.alarm' }];
  },

  aws_cloudwatch_dashboard: (r) => [{ item: `dashboard ${r.values.dashboard_name ?? ''}`.trim(), quantity: 1, key: 'cloudwatch.dashboard' }],

  aws_cloudwatch_log_metric_filter: (r) => [{ item: `metric of log filter ${r.values.name ?? ''}`.trim(), quantity: Math.max(1, list(r.values.metric_transformation).length), key: 'cloudwatch.metric', usage: 'one custom metric per transformation' }],

  aws_kms_key: (_r, { assumptions: a }) => [
    { item: 'KMS key', quantity: 1, key: 'kms.key', usage: 'one key version (rotation adds $1/month for each of the first two rotations)' },
    { item: 'KMS requests', quantity: a.kmsRequestsPerKeyPerMonth / 10_000, key: 'kms.requests', usage: `${a.kmsRequestsPerKeyPerMonth} requests/month` },
  ],

  aws_secretsmanager_secret: () => [{ item: 'secret', quantity: 1, key: 'secretsmanager.secret' }],

  aws_ecr_repository: (r, { assumptions: a }) => [{ item: `ECR images ${r.values.name ?? ''}`.trim(), quantity: a.ecrGbPerRepository, key: 'ecr.storage', usage: `${a.ecrGbPerRepository} GB of images` }],

  aws_s3_bucket: (_r, { assumptions: a }) => {
    const s = a.s3;
    const usage = `${s.gbPerBucket} GB, ${s.putsPerBucket} PUTs, ${s.getsPerBucket} GETs a month`;
    return [
      { item: 'S3 storage', quantity: s.gbPerBucket, key: 's3.standard', usage },
      { item: 'S3 PUT requests', quantity: s.putsPerBucket / 1000, key: 's3.putRequests', usage },
      { item: 'S3 GET requests', quantity: s.getsPerBucket / 10_000, key: 's3.getRequests', usage },
    ];
  },

  aws_cloudfront_distribution: (_r, { assumptions: a }) => {
    const c = a.cloudFront;
    const usage = `${c.gbPerMonth} GB, ${c.requestsPerMonth} HTTPS requests a month, viewers in Korea`;
    return [
      { item: 'CloudFront data to viewers', quantity: c.gbPerMonth, key: 'cloudfront.dataOut', region: 'global', usage },
      { item: 'CloudFront HTTPS requests', quantity: c.requestsPerMonth / 10_000, key: 'cloudfront.httpsRequests', region: 'global', usage },
    ];
  },

  aws_wafv2_web_acl: (r, { assumptions: a }) => {
    const rules = list(r.values.rule).length;
    return [
      { item: 'WAF web ACL', quantity: 1, key: 'waf.webAcl' },
      { item: `WAF rules (${rules}; a managed rule group counts as one)`, quantity: rules, key: 'waf.rule' },
      { item: 'WAF requests', quantity: a.wafRequestsPerMonth / 1_000_000, key: 'waf.requests', usage: `${a.wafRequestsPerMonth} requests/month` },
    ];
  },

  aws_codebuild_project: (r, { assumptions: a }) => {
    const env = block(r.values.environment) ?? {};
    return [{ item: `CodeBuild ${env.compute_type} build minutes`, quantity: a.codeBuildMinutesPerMonth, key: `codebuild.${env.type}.${env.compute_type}`, usage: `${a.codeBuildMinutesPerMonth} build minutes/month` }];
  },
};

/** Resource types with no charge of their own, and why (prefixes end with `*`). */
export const FREE_TYPES: Record<string, string> = {
  aws_vpc: 'no charge',
  aws_subnet: 'no charge',
  aws_route_table: 'no charge',
  aws_route: 'no charge',
  aws_route_table_association: 'no charge',
  aws_internet_gateway: 'no charge (data transfer out is usage, not estimated)',
  aws_default_security_group: 'no charge',
  aws_security_group: 'no charge',
  aws_vpc_security_group_ingress_rule: 'no charge',
  aws_vpc_security_group_egress_rule: 'no charge',
  aws_flow_log: 'delivery is billed as vended logs in its log group (priced there)',
  'aws_iam_*': 'IAM has no charge',
  aws_kms_alias: 'no charge',
  aws_s3_bucket_policy: 'no charge',
  aws_s3_bucket_versioning: 'no charge (older versions are storage, within the bucket assumption)',
  aws_s3_bucket_lifecycle_configuration: 'no charge (transitions of a small bucket are negligible)',
  aws_s3_bucket_logging: 'log objects are storage in the target bucket (priced there)',
  aws_s3_bucket_ownership_controls: 'no charge',
  aws_s3_bucket_public_access_block: 'no charge',
  aws_s3_bucket_server_side_encryption_configuration: 'no charge (KMS requests priced at the key)',
  aws_cloudfront_origin_access_control: 'no charge',
  aws_cloudfront_response_headers_policy: 'no charge',
  aws_wafv2_web_acl_logging_configuration: 'logs are billed in the log group (priced there)',
  aws_ecr_lifecycle_policy: 'no charge',
  aws_eks_access_entry: 'no charge',
  aws_eks_access_policy_association: 'no charge',
  aws_eks_pod_identity_association: 'no charge',
  aws_eks_addon: 'no charge: add-on pods run on the node groups (priced there)',
  aws_launch_template: 'no charge: its instances and volumes are priced at the node group',
  aws_db_parameter_group: 'no charge',
  aws_db_subnet_group: 'no charge',
  aws_cloudwatch_query_definition: 'no charge (queries are usage, not estimated)',
  aws_sns_topic: 'no charge for the topic; a few alarm notifications a month cost fractions of a cent (not counted)',
  aws_sns_topic_subscription: 'no charge',
  aws_codebuild_webhook: 'no charge',
  aws_secretsmanager_secret_version: 'no charge (the secret is priced)',
  aws_ssm_parameter: 'standard parameters have no charge',
  helm_release: 'no charge of its own: the chart runs on the node groups (priced in the cluster stack); load balancers its controllers create for Ingresses are not in any plan',
  'kubernetes_*': 'Kubernetes objects have no AWS charge',
  terraform_data: 'no charge',
};

/** Why a type is free, or undefined when it is not listed. */
export function freeReason(type: string): string | undefined {
  if (FREE_TYPES[type]) return FREE_TYPES[type];
  const prefix = Object.keys(FREE_TYPES).find((k) => k.endsWith('*') && type.startsWith(k.slice(0, -1)));
  return prefix ? FREE_TYPES[prefix] : undefined;
}
