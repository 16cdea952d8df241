import { EnvironmentConfig } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { ObservabilityStack } from '../stacks';
import { onlyResource, parsePolicy, resourcesOfType } from '../modules/testing';
import { builtEnvironment, synthesizedOnce as synthesize } from './built-environments';

// Built once per config in this file (see built-environments.ts): read, never change.
const build = (config: EnvironmentConfig) => builtEnvironment(config, { offline: true });

const CLUSTER_NAME = '${local.cluster-outputs-outputs-cluster_name}';

describe('ObservabilityStack', () => {
  const stacks = build(dev);
  const stack = stacks.observability;
  const json = synthesize(stack);

  test('createEnvironment adds <env>-observability after the cluster; it needs only the aws provider', () => {
    expect(stack).toBeInstanceOf(ObservabilityStack);
    expect(stack.node.id).toBe('dev-observability');
    expect(stack.dependencies).toContain(stacks.cluster);
    const ids = stacks.all.map((s) => s.node.id);
    expect(ids.indexOf('dev-observability')).toBeGreaterThan(ids.indexOf('dev-cluster'));
    expect(Object.keys((json.terraform as any).required_providers)).toEqual(['aws']);
  });

  test('Container Insights log groups for the consumed cluster name, retention from config, KMS-encrypted', () => {
    const groups = resourcesOfType(json, 'aws_cloudwatch_log_group');
    expect(groups.map((g) => g.name).sort()).toEqual(['application', 'dataplane', 'host', 'performance'].map((k) => `/aws/containerinsights/${CLUSTER_NAME}/${k}`));
    expect(groups.every((g) => g.retention_in_days === 30 && /aws_kms_key\..*\.arn/.test(g.kms_key_id))).toBe(true);
    const prodGroups = resourcesOfType(synthesize(build(prod).observability), 'aws_cloudwatch_log_group');
    expect(prodGroups.every((g) => g.retention_in_days === 90)).toBe(true);
    const noSection = { ...dev, observability: undefined };
    expect(resourcesOfType(synthesize(build(noSection).observability), 'aws_cloudwatch_log_group').every((g) => g.retention_in_days === 90)).toBe(true);
  });

  test('one KMS key for logs and the alarm topic: CloudWatch Logs and CloudWatch alarms may use it', () => {
    const key = onlyResource(json, 'aws_kms_key');
    const sids = parsePolicy(key.policy).Statement.map((s) => s.Sid);
    expect(sids).toEqual(['AccountAdministers', 'CloudWatchLogsUse', 'CloudWatchAlarmsPublish']);
    expect(onlyResource(json, 'aws_sns_topic')).toMatchObject({ name: 'eks-work-dev-alarms', kms_master_key_id: expect.stringMatching(/aws_kms_key\..*\.arn/) });
  });

  test('alarm emails from config: none in dev, the on-call address in prod', () => {
    expect(resourcesOfType(json, 'aws_sns_topic_subscription')).toHaveLength(0);
    const subs = resourcesOfType(synthesize(build(prod).observability), 'aws_sns_topic_subscription');
    expect(subs.map((s) => [s.protocol, s.endpoint])).toEqual([['email', 'platform-oncall@example.com']]);
  });

  test('metric filters, four alarms, two saved queries and a dashboard', () => {
    expect(resourcesOfType(json, 'aws_cloudwatch_log_metric_filter')).toHaveLength(2);
    expect(resourcesOfType(json, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).sort()).toEqual([
      'eks-work-dev-application-errors',
      'eks-work-dev-application-warnings',
      'eks-work-dev-node-cpu',
      'eks-work-dev-pod-restarts',
    ]);
    expect(resourcesOfType(json, 'aws_cloudwatch_query_definition')).toHaveLength(2);
    expect(onlyResource(json, 'aws_cloudwatch_dashboard').dashboard_name).toBe('eks-work-dev-cluster');
  });

  test('IRSA roles of the add-ons trust the consumed OIDC provider', () => {
    const roles = resourcesOfType(json, 'aws_iam_role');
    expect(roles.map((r) => r.name).sort()).toEqual(['eks-work-dev-cloudwatch-agent', 'eks-work-dev-cluster-autoscaler', 'eks-work-dev-fluentd', 'eks-work-dev-load-balancer-controller']);
    for (const r of roles) {
      const [st] = parsePolicy(r.assume_role_policy).Statement;
      expect(st.Principal.Federated).toBe('${local.cluster-outputs-outputs-oidc_provider_arn}');
    }
  });

  test('publishes role ARNs and log group names with ARN-shaped stand-ins', () => {
    expect(stack.stubOutputs).toMatchObject({
      cluster_autoscaler_role_arn: 'arn:aws:iam::111111111111:role/eks-work-dev-cluster-autoscaler',
      fluentd_role_arn: 'arn:aws:iam::111111111111:role/eks-work-dev-fluentd',
      aws_load_balancer_controller_role_arn: 'arn:aws:iam::111111111111:role/eks-work-dev-load-balancer-controller',
      aws_cloudwatch_metrics_role_arn: 'arn:aws:iam::111111111111:role/eks-work-dev-cloudwatch-agent',
      application_log_group_name: '/aws/containerinsights/eks-work-dev/application',
      performance_log_group_name: '/aws/containerinsights/eks-work-dev/performance',
      alarm_topic_arn: 'arn:aws:sns:ap-northeast-2:111111111111:eks-work-dev-alarms',
    });
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(['cluster_autoscaler_role_arn', 'application_log_group_name', 'alarm_topic_arn', 'dashboard_name']));
  });

  test('Fargate on (prod): the Fargate pods\' group, like the others, and the pod execution role may write it; off (dev): neither', () => {
    const p = synthesize(build(prod).observability);
    const group = resourcesOfType(p, 'aws_cloudwatch_log_group').find((g) => String(g.name).endsWith('/fargate'))!;
    expect(group).toMatchObject({ name: `/aws/containerinsights/${CLUSTER_NAME}/fargate`, retention_in_days: 90, kms_key_id: expect.stringMatching(/aws_kms_key\..*\.arn/) });
    const write = resourcesOfType(p, 'aws_iam_role_policy').find((x) => x.name === 'fargate-log-router')!;
    expect(write.role).toBe(CLUSTER_NAME.replace('cluster_name', 'fargate_pod_execution_role_name'));
    expect(parsePolicy(write.policy).Statement[0].Resource).toEqual([expect.stringMatching(/aws_cloudwatch_log_group\.fargate-logs.*\.arn\}$/), expect.stringMatching(/aws_cloudwatch_log_group\.fargate-logs.*\.arn\}:\*$/)]);
    expect(p.output!.fargate_log_group_name.value).toMatch(/aws_cloudwatch_log_group\.fargate-logs.*\.name/);
    expect(build(prod).observability.stubOutputs.fargate_log_group_name).toBe('/aws/containerinsights/eks-work-prod/fargate');

    expect(resourcesOfType(json, 'aws_cloudwatch_log_group').some((g) => String(g.name).endsWith('/fargate'))).toBe(false);
    expect(resourcesOfType(json, 'aws_iam_role_policy').some((x) => x.name === 'fargate-log-router')).toBe(false);
    expect(json.output!.fargate_log_group_name).toBeUndefined();
  });

  test('the Pod Identity choice: an association instead of an IRSA role for the agent', () => {
    const j = synthesize(build({ ...dev, addons: { cloudwatch: 'cloudwatch-observability' } }).observability);
    expect(onlyResource(j, 'aws_eks_pod_identity_association')).toMatchObject({ cluster_name: CLUSTER_NAME, namespace: 'amazon-cloudwatch', service_account: 'cloudwatch-agent' });
  });

  describe('bad input names the environment and field', () => {
    test('a retention CloudWatch does not accept', () => {
      expect(() => build({ ...dev, observability: { logRetentionDays: 45 } })).toThrow('environment "dev": observability.logRetentionDays: 45 is not a CloudWatch Logs retention period; allowed: 1, 3, 5, 7, 14, 30, 60, 90');
    });

    test('two log shippers at once', () => {
      expect(() => build({ ...dev, addons: { logShipper: 'fluentd', charts: { 'aws-for-fluent-bit': { enabled: true } } } })).toThrow(
        'environment "dev": addons.charts.aws-for-fluent-bit: add-on "aws-for-fluent-bit" conflicts with "fluentd": both ship container logs to the application log group',
      );
    });

    test('an unknown add-on name', () => {
      expect(() => build({ ...dev, addons: { charts: { karpenter: { enabled: true } } } })).toThrow('environment "dev": addons.charts.karpenter: unknown add-on "karpenter"; allowed: aws-load-balancer-controller, metrics-server, cluster-autoscaler');
    });

    test('a misspelt field is a schema error', () => {
      expect(() => build({ ...dev, observability: { retentionDays: 90 } as never })).toThrow('environment "dev": observability: unknown field "retentionDays"');
    });
  });
});
