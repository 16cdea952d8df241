import { LogsInsightsQueries } from '../modules';
import { awsTestStack, resourcesOfType, synthesize } from '../modules/testing';

const APP = '/aws/containerinsights/eks-work-dev/application';

function synth(backendContainer?: string) {
  const stack = awsTestStack();
  new LogsInsightsQueries(stack, 'q', { folder: 'eks-work-dev', applicationLogGroupName: APP, backendContainer });
  // Requests first, errors second (sorted by name descending for a stable order).
  return resourcesOfType(synthesize(stack), 'aws_cloudwatch_query_definition').sort((a, b) => String(b.name).localeCompare(String(a.name)));
}

describe('LogsInsightsQueries', () => {
  test("saves the course's two questions on the application log group", () => {
    const queries = synth();
    expect(queries.map((q) => q.name)).toEqual(['eks-work-dev/requests-per-backend-container', 'eks-work-dev/errors-per-application']);
    expect(queries.every((q) => q.log_group_names[0] === APP)).toBe(true);
    expect(queries[0].query_string).toContain('filter kubernetes.container_name = "backend-app"');
    expect(queries[0].query_string).toContain('stats count(*) as requests by kubernetes.pod_name');
    expect(queries[1].query_string).toContain('stats count(*) as errors by kubernetes.namespace_name, kubernetes.container_name');
  });

  test('the backend container is configurable and checked', () => {
    expect(synth('api')[0].query_string).toContain('kubernetes.container_name = "api"');
    expect(() => synth('Backend App')).toThrow('backendContainer: "Backend App" is not a container name');
  });
});
