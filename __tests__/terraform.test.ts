/**
 * Real Terraform: every stack whose providers are all `aws`, of every environment, must pass an
 * offline `terraform plan` (which validates the configuration first; mock credentials, local state,
 * stub upstream outputs), read back with `terraform show -json`. Synth assertions alone miss wrong
 * attribute combinations; this does not. The stacks share one `terraform init` and plan in parallel.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../main';
import { environments } from '../environments';
import { OFFLINE_ADDON_VERSION, OFFLINE_AMI_ID, OFFLINE_PASSWORD_STUB, loadBalancerControllerPolicy } from '../modules';
import { OfflinePlanResult, isAwsOnly, listStacks, offlineTerraformEnv, planAllOffline } from '../modules/testing';

const root = path.resolve(__dirname, '..');
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-platform-plan-'));
buildApp(outdir, { PLATFORM_OFFLINE: '1' }).synth();
const stacks = listStacks(outdir);
const awsStacks = stacks.filter(isAwsOnly);
const results = new Map<string, OfflinePlanResult | Error>();

// The plans run in the background (one per core); one hook per stack waits for that stack's plan, so
// each plan has its own time budget instead of all sixteen sharing one hook's.
const finished = new Map(awsStacks.map((s) => {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return [s.id, { promise, resolve }] as const;
}));
beforeAll(() => {
  planAllOffline(awsStacks, offlineTerraformEnv(root), {
    root,
    onResult: (s, r) => {
      results.set(s.id, r);
      finished.get(s.id)!.resolve();
    },
  }).catch((e: Error) => {
    for (const s of awsStacks) if (!results.has(s.id)) results.set(s.id, e);
    for (const f of finished.values()) f.resolve();
  });
});
for (const s of awsStacks) beforeAll(() => finished.get(s.id)!.promise);

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function plan(id: string): OfflinePlanResult {
  const r = results.get(id);
  if (!r) throw new Error(`${id} was not planned`);
  if (r instanceof Error) throw r;
  return r;
}

function planned(id: string, type: string): Array<Record<string, any>> {
  return (plan(id).plan.resource_changes ?? []).filter((c) => c.type === type).map((c) => c.change.after ?? {});
}

test('every environment has its network and state stacks planned with real terraform', () => {
  for (const env of Object.keys(environments)) {
    expect(awsStacks.map((s) => s.id)).toEqual(expect.arrayContaining([`${env}-state`, `${env}-network`]));
  }
});

test.each(awsStacks.map((s) => s.id))('%s: offline terraform plan (validation included) succeeds', (id) => {
  const r = plan(id);
  expect(r.add).toBeGreaterThan(0);
  expect(r.change + r.destroy).toBe(0);
});

test('network plans show real, non-overlapping subnet CIDRs and one NAT in dev, one per AZ in prod', () => {
  const devSubnets = planned('dev-network', 'aws_subnet').map((s) => s.cidr_block);
  expect(devSubnets.sort()).toEqual(['10.0.0.0/20', '10.0.128.0/24', '10.0.129.0/24', '10.0.16.0/20', '10.0.192.0/24', '10.0.193.0/24']);
  expect(planned('dev-network', 'aws_nat_gateway')).toHaveLength(1);
  expect(planned('prod-network', 'aws_nat_gateway')).toHaveLength(3);
  expect(planned('prod-network', 'aws_subnet').every((s) => s.map_public_ip_on_launch === false)).toBe(true);
});

test('the state bucket plan is versioned, KMS-encrypted and fully private, with access logs in an SSE-S3 log bucket', () => {
  expect(planned('dev-state', 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration[0].status)).toEqual(['Enabled', 'Enabled']);
  // The state bucket with its KMS key; its log bucket with SSE-S3, the only encryption S3 access logging delivers into.
  const sse = planned('dev-state', 'aws_s3_bucket_server_side_encryption_configuration').map((c) => c.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm);
  expect(sse.sort()).toEqual(['AES256', 'aws:kms']);
  for (const pab of planned('dev-state', 'aws_s3_bucket_public_access_block')) {
    expect([pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls, pab.restrict_public_buckets]).toEqual([true, true, true, true]);
  }
  expect(planned('dev-state', 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['eks-work-dev-tfstate-111111111111', 'eks-work-dev-tfstate-111111111111-logs']);
  expect(planned('dev-state', 'aws_s3_bucket_logging')).toEqual([expect.objectContaining({ target_bucket: 'eks-work-dev-tfstate-111111111111-logs', target_prefix: 'eks-work-dev-tfstate-111111111111/' })]);
});

test('the runner plans: a CodeBuild project in the private subnets authenticated by the connection, a queued-job webhook, HTTPS-only egress', () => {
  for (const env of ['dev', 'prod'] as const) {
    const [project] = planned(`${env}-runner`, 'aws_codebuild_project');
    expect(project.source[0]).toMatchObject({ type: 'GITHUB', auth: [{ type: 'CODECONNECTIONS', resource: environments[env].cicd!.clusterRunner!.codeConnectionArn }] });
    expect(project.environment[0]).toMatchObject({ type: 'LINUX_CONTAINER', compute_type: 'BUILD_GENERAL1_SMALL', privileged_mode: false });
    expect(project.vpc_config[0].subnets).toHaveLength(environments[env].network.azs.length);
    expect(project.vpc_config[0].subnets.every((id: string) => id.startsWith('subnet-prv-'))).toBe(true);
    expect(planned(`${env}-runner`, 'aws_codebuild_webhook')[0].filter_group).toEqual([{ filter: [{ exclude_matched_pattern: false, pattern: 'WORKFLOW_JOB_QUEUED', type: 'EVENT' }] }]);
    expect(planned(`${env}-runner`, 'aws_vpc_security_group_egress_rule').map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([['tcp', 443, 443, '0.0.0.0/0']]);
    expect(planned(`${env}-runner`, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
  }
});

test('the dev cluster plan has access entries for the admin and both GitHub deploy roles, with their policies and scopes', () => {
  const entries = Object.fromEntries(planned('dev-cluster', 'aws_eks_access_entry').map((e) => [e.principal_arn.split('/').at(-1), e]));
  expect(Object.keys(entries).sort()).toEqual(['eks-work-dev-github-apply', 'eks-work-dev-github-plan', 'eks-work-platform-admin']);
  expect(entries['eks-work-dev-github-plan'].kubernetes_groups).toEqual(['platform-deploy-plan']);
  const assoc = planned('dev-cluster', 'aws_eks_access_policy_association').map((a) => [a.principal_arn.split('/').at(-1), a.policy_arn.split('/').at(-1), a.access_scope[0].type, a.access_scope[0].namespaces ?? null]);
  expect(assoc.sort()).toEqual([
    ['eks-work-dev-github-apply', 'AmazonEKSClusterAdminPolicy', 'cluster', null],
    ['eks-work-dev-github-plan', 'AmazonEKSSecretReaderPolicy', 'namespace', ['amazon-cloudwatch', 'kube-system']],
    ['eks-work-dev-github-plan', 'AmazonEKSViewPolicy', 'cluster', null],
    ['eks-work-platform-admin', 'AmazonEKSClusterAdminPolicy', 'cluster', null],
  ]);
});

test('the dev cluster plan has the control plane, KMS key, log group, OIDC provider, node group with launch template and managed add-ons', () => {
  for (const type of ['aws_eks_cluster', 'aws_kms_key', 'aws_cloudwatch_log_group', 'aws_iam_openid_connect_provider', 'aws_eks_node_group', 'aws_launch_template', 'aws_eks_addon']) {
    expect([type, planned('dev-cluster', type).length > 0]).toEqual([type, true]);
  }
  const eks = planned('dev-cluster', 'aws_eks_cluster')[0];
  expect(eks).toMatchObject({ name: 'eks-work-dev', version: '1.35', bootstrap_self_managed_addons: false });
  expect(eks.access_config[0]).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
  expect(eks.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  expect(eks.vpc_config[0]).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  // Subnets come from the network stack's (stub) outputs.
  expect(eks.vpc_config[0].subnet_ids).toHaveLength(2);
  expect(planned('dev-cluster', 'aws_cloudwatch_log_group')[0]).toMatchObject({ name: '/aws/eks/eks-work-dev/cluster', retention_in_days: 30 });
  expect(planned('dev-cluster', 'aws_kms_key')[0].enable_key_rotation).toBe(true);
  expect(planned('dev-cluster', 'aws_iam_openid_connect_provider')[0].client_id_list).toEqual(['sts.amazonaws.com']);
  const ng = planned('dev-cluster', 'aws_eks_node_group')[0];
  expect(ng).toMatchObject({ node_group_name: 'eks-work-dev-default', capacity_type: 'ON_DEMAND', ami_type: 'AL2023_x86_64_STANDARD', remote_access: [] });
  expect(ng.scaling_config[0]).toEqual({ min_size: 2, max_size: 5, desired_size: 2 });
  const lt = planned('dev-cluster', 'aws_launch_template')[0];
  expect(lt.metadata_options[0]).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
  expect(lt.block_device_mappings[0]).toMatchObject({ device_name: '/dev/xvda', ebs: [expect.objectContaining({ encrypted: 'true', volume_type: 'gp3' })] });
  const addons = Object.fromEntries(planned('dev-cluster', 'aws_eks_addon').map((a) => [a.addon_name, a]));
  expect(Object.keys(addons).sort()).toEqual(['aws-ebs-csi-driver', 'aws-secrets-store-csi-driver-provider', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
  // Versions come from aws_eks_addon_version at plan time; offline, its stand-in.
  expect(Object.values(addons).every((a: any) => a.addon_version === OFFLINE_ADDON_VERSION)).toBe(true);
  expect(JSON.parse(addons['vpc-cni'].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  // Dev lets the course's backend read its database password from an environment variable (a synced Secret).
  expect(JSON.parse(addons['aws-secrets-store-csi-driver-provider'].configuration_values)).toEqual({ 'secrets-store-csi-driver': { syncSecret: { enabled: true } } });
  expect(plan('dev-cluster').plan.planned_values?.outputs?.cluster_version?.value).toBe('1.35');
});

test('the prod cluster plan keeps the endpoint private and runs the batch namespace on Fargate', () => {
  expect(planned('prod-cluster', 'aws_eks_cluster')[0].vpc_config[0].endpoint_public_access).toBe(false);
  expect(planned('prod-cluster', 'aws_eks_fargate_profile')[0].selector).toEqual([{ labels: null, namespace: 'eks-work-batch' }]);
  expect(planned('prod-cluster', 'aws_eks_cluster')[0].vpc_config[0].subnet_ids).toHaveLength(3);
});

test('the observability plans: Container Insights groups with retention and KMS, alarms, queries, dashboard and add-on roles', () => {
  const changes = (id: string, type: string) => (plan(id).plan.resource_changes ?? []).filter((c) => c.type === type) as Array<{ change: { after?: Record<string, any>; after_unknown?: Record<string, any> } }>;
  const groups = changes('dev-observability', 'aws_cloudwatch_log_group');
  expect(groups.map((g) => g.change.after!.name).sort()).toEqual(['application', 'dataplane', 'host', 'performance'].map((k) => `/aws/containerinsights/eks-work-dev/${k}`));
  expect(groups.every((g) => g.change.after!.retention_in_days === 30 && g.change.after_unknown!.kms_key_id === true)).toBe(true);
  expect(planned('prod-observability', 'aws_cloudwatch_log_group').every((g) => g.retention_in_days === 90)).toBe(true);
  expect(planned('dev-observability', 'aws_kms_key')[0].enable_key_rotation).toBe(true);
  expect(changes('dev-observability', 'aws_sns_topic')[0].change.after_unknown!.kms_master_key_id).toBe(true);
  expect(planned('prod-observability', 'aws_sns_topic_subscription').map((s) => [s.protocol, s.endpoint])).toEqual([['email', 'platform-oncall@example.com']]);

  const filters = planned('dev-observability', 'aws_cloudwatch_log_metric_filter');
  expect(filters.map((f) => f.pattern).sort()).toEqual(['{ $.log = %ERROR|[Ee]rror% }', '{ $.log = %WARN|[Ww]arn% }']);
  expect(filters[0].metric_transformation[0].dimensions).toEqual({ ContainerName: '$.kubernetes.container_name' });
  const alarms = Object.fromEntries(planned('dev-observability', 'aws_cloudwatch_metric_alarm').map((a) => [a.alarm_name, a]));
  expect(Object.keys(alarms).sort()).toEqual(['eks-work-dev-application-errors', 'eks-work-dev-application-warnings', 'eks-work-dev-node-cpu', 'eks-work-dev-pod-restarts']);
  expect(alarms['eks-work-dev-node-cpu']).toMatchObject({ namespace: 'ContainerInsights', metric_name: 'node_cpu_utilization', dimensions: { ClusterName: 'eks-work-dev' }, threshold: 80 });
  expect(alarms['eks-work-dev-pod-restarts'].metric_query[0].expression).toContain("WHERE ClusterName = 'eks-work-dev'");
  expect(planned('dev-observability', 'aws_cloudwatch_query_definition').map((q) => q.name).sort()).toEqual(['eks-work-dev/errors-per-application', 'eks-work-dev/requests-per-backend-container']);
  expect(JSON.parse(planned('dev-observability', 'aws_cloudwatch_dashboard')[0].dashboard_body).widgets).toHaveLength(7);

  const roles = Object.fromEntries(planned('dev-observability', 'aws_iam_role').map((r) => [r.name, JSON.parse(r.assume_role_policy)]));
  expect(Object.keys(roles).sort()).toEqual(['eks-work-dev-cloudwatch-agent', 'eks-work-dev-cluster-autoscaler', 'eks-work-dev-fluentd', 'eks-work-dev-load-balancer-controller']);
  const trust = roles['eks-work-dev-cluster-autoscaler'].Statement[0].Condition.StringEquals;
  expect(trust).toEqual({
    'oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000OFFLINE:sub': 'system:serviceaccount:kube-system:cluster-autoscaler',
    'oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000OFFLINE:aud': 'sts.amazonaws.com',
  });
  const ca = JSON.parse(planned('dev-observability', 'aws_iam_role_policy').find((p) => p.name === 'cluster-autoscaler')!.policy);
  expect(ca.Statement[1].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/eks-work-dev': 'owned' } });
  // The load balancer controller's policy reaches the plan as upstream's v3.5.0 document (pinned by digest in its own test).
  const lbc = JSON.parse(planned('dev-observability', 'aws_iam_role_policy').find((p) => p.name === 'load-balancer-controller')!.policy);
  expect(lbc).toEqual({ Version: '2012-10-17', Statement: loadBalancerControllerPolicy('aws') });
});

test('the data plans: private, encrypted PostgreSQL admitting only the node and bastion groups; prod Multi-AZ and protected', () => {
  const [devDb] = planned('dev-data', 'aws_db_instance');
  expect(devDb).toMatchObject({ engine: 'postgres', engine_version: '17', instance_class: 'db.t4g.micro', storage_type: 'gp3', storage_encrypted: true, publicly_accessible: false, manage_master_user_password: true, iam_database_authentication_enabled: true, performance_insights_enabled: true, multi_az: false, deletion_protection: false, skip_final_snapshot: true });
  expect(devDb.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
  expect(devDb.backup_retention_period).toBeGreaterThanOrEqual(7);
  const [prodDb] = planned('prod-data', 'aws_db_instance');
  expect(prodDb).toMatchObject({ instance_class: 'db.m7g.large', multi_az: true, deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: 'eks-work-prod-db-final' });
  expect(planned('prod-data', 'aws_db_parameter_group')[0].parameter).toContainEqual(expect.objectContaining({ name: 'rds.force_ssl', value: '1' }));
  const ingress = planned('dev-data', 'aws_vpc_security_group_ingress_rule');
  expect(ingress).toHaveLength(2);
  expect(ingress.every((r) => r.from_port === 5432 && r.to_port === 5432 && r.cidr_ipv4 == null)).toBe(true);
  expect(ingress.map((r) => r.referenced_security_group_id)).toContain('sg-0offline0node0000');
  const [bastion] = planned('dev-data', 'aws_instance');
  // The image id is read from SSM at plan time; offline, its stand-in.
  expect(bastion).toMatchObject({ ami: OFFLINE_AMI_ID, associate_public_ip_address: false, subnet_id: 'subnet-prv-0offline100' });
  expect(bastion.key_name == null).toBe(true);
  expect(bastion.metadata_options[0].http_tokens).toBe('required');
  expect(bastion.root_block_device[0].encrypted).toBe(true);
});

test('the application user secret plans without its password: no secret version, no value in the plan, the writer\'s environment references the ephemeral local', () => {
  expect(planned('dev-data', 'aws_secretsmanager_secret')).toEqual([expect.objectContaining({ name: 'eks-work-dev/backend-app/db', recovery_window_in_days: 0 })]);
  expect(planned('prod-data', 'aws_secretsmanager_secret')).toEqual([expect.objectContaining({ name: 'eks-work-prod/backend-app/db', recovery_window_in_days: 30 })]);
  for (const id of ['dev-data', 'prod-data']) {
    const p = plan(id).plan as Record<string, any>;
    expect(planned(id, 'aws_secretsmanager_secret_version')).toEqual([]);
    // Terraform evaluated the password's (ephemeral) local to plan, and recorded it nowhere: not in the
    // planned values, not in the configuration it keeps, not among the outputs.
    expect(JSON.stringify(p)).not.toContain(OFFLINE_PASSWORD_STUB);
    const [writer] = p.configuration.root_module.resources.filter((r: any) => r.type === 'terraform_data');
    // A JSON-syntax configuration keeps the template text; the password enters only through the local.
    const env = writer.provisioners[0].expressions.environment;
    expect(env.references).toEqual(expect.arrayContaining([expect.stringMatching(/^local\.app-database-user_password-random_password/)]));
    expect(planned(id, 'terraform_data')[0].triggers_replace).toMatchObject({ username: 'mywork', dbname: 'myworkdb', engine: 'postgres', passwordVersion: 1, port: '5432' });
    // The ephemeral generator is in the configuration, not among the resources Terraform plans or stores.
    expect((p.resource_changes ?? []).filter((c: any) => /random_password/.test(c.address))).toEqual([]);
  }
});

test('the registry plan: the two course repositories, immutable, scanned on push, KMS-encrypted', () => {
  const repos = planned('dev-registry', 'aws_ecr_repository');
  expect(repos.map((r) => r.name).sort()).toEqual(['k8sbook/backend-app', 'k8sbook/batch-app']);
  for (const r of repos) {
    expect(r.image_tag_mutability).toBe('IMMUTABLE');
    expect(r.image_scanning_configuration[0].scan_on_push).toBe(true);
    expect(r.encryption_configuration[0].encryption_type).toBe('KMS');
  }
  expect(planned('dev-registry', 'aws_ecr_lifecycle_policy')).toHaveLength(2);
});

test('the frontend plans: HTTPS-only CloudFront with OAC in front of a private bucket; a web ACL in prod only', () => {
  const [dist] = planned('dev-frontend', 'aws_cloudfront_distribution');
  expect(dist).toMatchObject({ default_root_object: 'index.html', price_class: 'PriceClass_200' });
  expect(dist.default_cache_behavior[0].viewer_protocol_policy).toBe('redirect-to-https');
  expect(dist.custom_error_response.map((e: any) => [e.error_code, e.response_code, e.response_page_path])).toEqual([[403, 200, '/index.html'], [404, 200, '/index.html']]);
  expect(planned('dev-frontend', 'aws_cloudfront_origin_access_control')[0]).toMatchObject({ signing_behavior: 'always', signing_protocol: 'sigv4', origin_access_control_origin_type: 's3' });
  const pabs = planned('dev-frontend', 'aws_s3_bucket_public_access_block');
  expect(pabs).toHaveLength(2);
  expect(pabs.every((p) => p.block_public_acls && p.block_public_policy && p.ignore_public_acls && p.restrict_public_buckets)).toBe(true);
  expect(planned('dev-frontend', 'aws_wafv2_web_acl')).toHaveLength(0);
  const [acl] = planned('prod-frontend', 'aws_wafv2_web_acl');
  expect(acl.scope).toBe('CLOUDFRONT');
  expect(acl.rule).toHaveLength(4);
});

test('the batch plans: an IRSA role for the batch service account and a private, KMS-encrypted bucket; no IAM user', () => {
  const role = planned('dev-batch', 'aws_iam_role').find((r) => r.name === 'eks-work-dev-batch-app')!;
  expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals).toEqual({
    'oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000OFFLINE:sub': 'system:serviceaccount:eks-work-batch:batch-app',
    'oidc.eks.ap-northeast-2.amazonaws.com/id/0000000000000000OFFLINE:aud': 'sts.amazonaws.com',
  });
  expect(planned('dev-batch', 'aws_iam_user')).toHaveLength(0);
  expect(planned('dev-batch', 'aws_iam_access_key')).toHaveLength(0);
  const buckets = planned('dev-batch', 'aws_s3_bucket').map((b) => b.bucket).sort();
  expect(buckets).toEqual(['eks-work-dev-batch-111111111111', 'eks-work-dev-batch-111111111111-logs']);
  const sse = planned('dev-batch', 'aws_s3_bucket_server_side_encryption_configuration').map((c) => c.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm).sort();
  expect(sse).toEqual(['AES256', 'aws:kms']);
});

test('the prod plans with Fargate: kubelet 10250 open from the nodes to the primary group; a Fargate log group the pod execution role may write', () => {
  const kubelet = planned('prod-cluster', 'aws_vpc_security_group_ingress_rule').filter((r) => r.description === 'metrics-server on the nodes to the kubelet of Fargate pods');
  expect(kubelet).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 10250, to_port: 10250, cidr_ipv4: null })]);
  expect(planned('dev-cluster', 'aws_vpc_security_group_ingress_rule').some((r) => r.description === kubelet[0].description)).toBe(false);
  const group = planned('prod-observability', 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/containerinsights/eks-work-prod/fargate');
  expect(group).toMatchObject({ retention_in_days: 90 });
  expect(planned('prod-observability', 'aws_iam_role_policy').find((p) => p.name === 'fargate-log-router')).toMatchObject({ role: 'eks-work-prod-batch-fargate' });
});
