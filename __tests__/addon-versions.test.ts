import { ADDON_CATALOG, LOAD_BALANCER_CONTROLLER_POLICY_SOURCE, ADDON_CHART_VERSIONS, ADDON_REPOSITORIES, CLUSTER_AUTOSCALER_IMAGE_TAGS, DEFAULT_KUBERNETES_VERSION, clusterAutoscalerImageTag } from '../modules';

// Changing a chart version is a deliberate act: every values key an add-on sets was checked against
// that chart's values.yaml at exactly these versions. Bump here and in versions.ts together, after
// re-checking the keys (docs/addons.md).
test('pins the chart versions table', () => {
  expect(ADDON_CHART_VERSIONS).toEqual({
    'aws-load-balancer-controller': '3.5.0',
    'aws-cloudwatch-metrics': '0.0.11',
    'amazon-cloudwatch-observability': '6.4.0',
    fluentd: '0.6.0',
    'aws-for-fluent-bit': '0.2.0',
    'cluster-autoscaler': '9.59.0',
    'metrics-server': '3.13.1',
    'argo-cd': '9.7.1',
    'argocd-apps': '2.0.5',
  });
});

test('pins the cluster-autoscaler image per Kubernetes minor, v1.35.0 for the default 1.35', () => {
  expect(CLUSTER_AUTOSCALER_IMAGE_TAGS).toEqual({
    '1.30': 'v1.30.0',
    '1.31': 'v1.31.0',
    '1.32': 'v1.32.0',
    '1.33': 'v1.33.0',
    '1.34': 'v1.34.0',
    '1.35': 'v1.35.0',
  });
  expect(DEFAULT_KUBERNETES_VERSION).toBe('1.35');
  expect(clusterAutoscalerImageTag(DEFAULT_KUBERNETES_VERSION)).toBe('v1.35.0');
  // Every tag's minor is the key's minor: the autoscaler must match the cluster.
  for (const [minor, tag] of Object.entries(CLUSTER_AUTOSCALER_IMAGE_TAGS)) expect(tag.startsWith(`v${minor}.`)).toBe(true);
});

test('a cluster version without an autoscaler image is refused with the table', () => {
  expect(() => clusterAutoscalerImageTag('1.29')).toThrow('kubernetesVersion: "1.29" has no cluster-autoscaler image in the versions table; allowed: 1.30, 1.31, 1.32, 1.33, 1.34, 1.35');
});

test('every add-on takes its chart version and repository from the tables', () => {
  expect(Object.fromEntries(ADDON_CATALOG.map((d) => [d.name, [d.chart, d.version, d.repository]]))).toEqual({
    'aws-load-balancer-controller': ['aws-load-balancer-controller', '3.5.0', 'https://aws.github.io/eks-charts'],
    'metrics-server': ['metrics-server', '3.13.1', 'https://kubernetes-sigs.github.io/metrics-server/'],
    'cluster-autoscaler': ['cluster-autoscaler', '9.59.0', 'https://kubernetes.github.io/autoscaler'],
    'aws-cloudwatch-metrics': ['aws-cloudwatch-metrics', '0.0.11', 'https://aws.github.io/eks-charts'],
    'amazon-cloudwatch-observability': ['amazon-cloudwatch-observability', '6.4.0', 'https://aws-observability.github.io/helm-charts'],
    fluentd: ['fluentd', '0.6.0', 'https://fluent.github.io/helm-charts'],
    'aws-for-fluent-bit': ['aws-for-fluent-bit', '0.2.0', 'https://aws.github.io/eks-charts'],
    'argo-cd': ['argo-cd', '9.7.1', 'https://argoproj.github.io/argo-helm'],
    'argocd-apps': ['argocd-apps', '2.0.5', 'https://argoproj.github.io/argo-helm'],
  });
  expect(new Set(ADDON_CATALOG.map((d) => d.repository))).toEqual(new Set(Object.values(ADDON_REPOSITORIES)));
});

test('the load balancer controller policy comes from the release the chart runs', () => {
  // Chart 3.5.0 has appVersion v3.5.0: the policy must be that release's (bump both together).
  expect(LOAD_BALANCER_CONTROLLER_POLICY_SOURCE.tag).toBe(`v${ADDON_CHART_VERSIONS['aws-load-balancer-controller']}`);
});
