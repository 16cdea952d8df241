import { check, show } from '../core/validation';

/**
 * Helm chart versions of the add-ons, one table. Every values key an add-on sets was checked against
 * the chart's values.yaml at exactly this version, so changing a version is a deliberate act:
 * `__tests__/addon-versions.test.ts` pins this table; re-check the keys when you bump it.
 */
export const ADDON_CHART_VERSIONS = {
  // Controller v3.5.0 (appVersion); needs Kubernetes 1.22+. Its IAM policy is pinned to the same
  // release (load-balancer-controller-policy.ts): bump both together.
  'aws-load-balancer-controller': '3.5.0',
  'aws-cloudwatch-metrics': '0.0.11',
  'amazon-cloudwatch-observability': '6.4.0',
  fluentd: '0.6.0',
  'aws-for-fluent-bit': '0.2.0',
  'cluster-autoscaler': '9.59.0',
  'metrics-server': '3.13.1',
  // Argo CD v3.4.4 (appVersion); chart kubeVersion >=1.25. The CRDs ship in the chart (crds.install).
  'argo-cd': '9.7.1',
  // Renders AppProjects and Applications from values; no image, no CRDs of its own.
  'argocd-apps': '2.0.5',
} as const;

/** Helm repositories of the charts. */
export const ADDON_REPOSITORIES = {
  eksCharts: 'https://aws.github.io/eks-charts',
  awsObservability: 'https://aws-observability.github.io/helm-charts',
  fluent: 'https://fluent.github.io/helm-charts',
  autoscaler: 'https://kubernetes.github.io/autoscaler',
  metricsServer: 'https://kubernetes-sigs.github.io/metrics-server/',
  argo: 'https://argoproj.github.io/argo-helm',
} as const;


/**
 * cluster-autoscaler image tag per Kubernetes minor version: the autoscaler's minor must match the
 * cluster's (its scheduler simulation is built from that Kubernetes release). The `.0` release of
 * each minor; moving to a newer patch is a deliberate edit pinned by the versions test. Override per
 * environment with `addons.charts.cluster-autoscaler.values.image.tag`.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  '1.30': 'v1.30.0',
  '1.31': 'v1.31.0',
  '1.32': 'v1.32.0',
  '1.33': 'v1.33.0',
  '1.34': 'v1.34.0',
  '1.35': 'v1.35.0',
};

/** The cluster-autoscaler image tag for a cluster version; throws for a version the table lacks. */
export function clusterAutoscalerImageTag(kubernetesVersion: string, field = 'kubernetesVersion'): string {
  const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[kubernetesVersion];
  check(tag !== undefined, field, `${show(kubernetesVersion)} has no cluster-autoscaler image in the versions table; allowed: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(', ')} (or set addons.charts.cluster-autoscaler.values.image.tag)`);
  return tag;
}
