import { ClusterAlarms, ClusterAlarmsProps } from '../modules';
import { awsTestStack, resourcesOfType, synthesize } from '../modules/testing';

const TOPIC = 'arn:aws:sns:ap-northeast-2:111111111111:eks-work-dev-alarms';

function synth(props: Partial<ClusterAlarmsProps> = {}) {
  const stack = awsTestStack();
  new ClusterAlarms(stack, 'alarms', {
    namePrefix: 'eks-work-dev',
    clusterName: 'eks-work-dev',
    applicationLogGroupName: '/aws/containerinsights/eks-work-dev/application',
    metricNamespace: 'eks-work-dev/ApplicationLogs',
    alarmTopicArn: TOPIC,
    ...props,
  });
  const json = synthesize(stack);
  const alarm = (name: string) => resourcesOfType(json, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === name)!;
  return { json, alarm };
}

describe('ClusterAlarms', () => {
  const { json, alarm } = synth();

  test('metric filters count ERROR and WARN lines per container in the application group', () => {
    const filters = resourcesOfType(json, 'aws_cloudwatch_log_metric_filter');
    expect(filters.map((f) => [f.name, f.pattern])).toEqual([
      ['eks-work-dev-application-errors', '{ $.log = %ERROR|[Ee]rror% }'],
      ['eks-work-dev-application-warnings', '{ $.log = %WARN|[Ww]arn% }'],
    ]);
    for (const f of filters) {
      expect(f.log_group_name).toBe('/aws/containerinsights/eks-work-dev/application');
      expect(f.metric_transformation).toMatchObject({ namespace: 'eks-work-dev/ApplicationLogs', value: '1', unit: 'Count', dimensions: { ContainerName: '$.kubernetes.container_name' } });
    }
  });

  test('error and warning alarms sum the per-container metrics with Metrics Insights', () => {
    const errors = alarm('eks-work-dev-application-errors');
    expect(errors.threshold).toBe(10);
    expect(errors.metric_query).toEqual([{ id: 'errors', expression: 'SELECT SUM(ApplicationErrors) FROM SCHEMA("eks-work-dev/ApplicationLogs", ContainerName)', period: 300, return_data: true }]);
    expect(errors.treat_missing_data).toBe('notBreaching');
    expect(alarm('eks-work-dev-application-warnings').threshold).toBe(50);
  });

  test('node CPU above 80% on the Container Insights metric of this cluster', () => {
    expect(alarm('eks-work-dev-node-cpu')).toMatchObject({
      namespace: 'ContainerInsights',
      metric_name: 'node_cpu_utilization',
      dimensions: { ClusterName: 'eks-work-dev' },
      statistic: 'Average',
      threshold: 80,
      comparison_operator: 'GreaterThanThreshold',
      evaluation_periods: 2,
    });
  });

  test('pod restarts: the most restarted pod of this cluster', () => {
    const [q] = alarm('eks-work-dev-pod-restarts').metric_query;
    expect(q.expression).toBe("SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = 'eks-work-dev'");
    expect(alarm('eks-work-dev-pod-restarts').threshold).toBe(5);
  });

  test('every alarm notifies the topic on alarm and recovery', () => {
    const all = resourcesOfType(json, 'aws_cloudwatch_metric_alarm');
    expect(all).toHaveLength(4);
    expect(all.every((a) => a.alarm_actions[0] === TOPIC && a.ok_actions[0] === TOPIC)).toBe(true);
  });

  test('thresholds come from props', () => {
    const { alarm: a } = synth({ alarms: { nodeCpuPercent: 70, errorsPer5Minutes: 1 } });
    expect(a('eks-work-dev-node-cpu').threshold).toBe(70);
    expect(a('eks-work-dev-application-errors').threshold).toBe(1);
  });

  test('unusable thresholds are refused', () => {
    expect(() => synth({ alarms: { nodeCpuPercent: 120 } })).toThrow('alarms.nodeCpuPercent: 120 is not a percentage');
    expect(() => synth({ alarms: { podRestarts: 0 } })).toThrow('alarms.podRestarts: 0 is not a usable threshold');
    expect(() => synth({ metricNamespace: 'AWS/Mine' })).toThrow('metricNamespace: "AWS/Mine" is not a custom metric namespace');
  });
});
