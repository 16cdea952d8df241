import { ClusterDashboard } from '../modules';
import { awsTestStack, onlyResource, synthesize } from '../modules/testing';

function synth(dashboardName = 'eks-work-dev-cluster') {
  const stack = awsTestStack();
  new ClusterDashboard(stack, 'd', {
    dashboardName,
    clusterName: 'eks-work-dev',
    region: 'ap-northeast-2',
    metricNamespace: 'eks-work-dev/ApplicationLogs',
    applicationLogGroupName: '/aws/containerinsights/eks-work-dev/application',
    alarmArns: ['arn:aws:cloudwatch:ap-northeast-2:111111111111:alarm:eks-work-dev-node-cpu'],
  });
  return onlyResource(synthesize(stack), 'aws_cloudwatch_dashboard');
}

describe('ClusterDashboard', () => {
  test('node CPU and memory, log-derived metrics, restarts, the errors query and the alarms', () => {
    const d = synth();
    expect(d.dashboard_name).toBe('eks-work-dev-cluster');
    const { widgets } = JSON.parse(d.dashboard_body);
    expect(widgets.map((w: any) => w.properties.title)).toEqual([
      'Node CPU utilization (%)',
      'Node memory utilization (%)',
      'ERROR lines per container',
      'WARN lines per container',
      'Container restarts (max per pod)',
      'Errors per application',
      'Alarms',
    ]);
    expect(widgets[0].properties.metrics[0]).toEqual(['ContainerInsights', 'node_cpu_utilization', 'ClusterName', 'eks-work-dev', { stat: 'Average', label: 'average' }]);
    expect(widgets[2].properties.metrics[0][0].expression).toBe(`SEARCH('{"eks-work-dev/ApplicationLogs",ContainerName} MetricName="ApplicationErrors"', 'Sum', 300)`);
    expect(widgets[5].properties.query).toMatch(/^SOURCE '\/aws\/containerinsights\/eks-work-dev\/application' \| fields /);
    expect(widgets.every((w: any) => !w.properties.region || w.properties.region === 'ap-northeast-2')).toBe(true);
  });

  test('an invalid dashboard name is refused', () => {
    expect(() => synth('eks work')).toThrow('dashboardName: "eks work" is not a dashboard name');
  });
});
