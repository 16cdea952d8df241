import type { AddonDefinition } from './addon';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';

/**
 * metrics-server (kubernetes-sigs chart) in kube-system: the resource metrics API that
 * HorizontalPodAutoscalers and `kubectl top` read. Calls no AWS API; the chart's defaults
 * (system-cluster-critical, hardened security context, kubelet InternalIP) fit EKS as they are.
 */
export const metricsServerAddon: AddonDefinition = {
  name: 'metrics-server',
  description: 'Resource metrics API for HorizontalPodAutoscalers and kubectl top',
  chart: 'metrics-server',
  repository: ADDON_REPOSITORIES.metricsServer,
  version: ADDON_CHART_VERSIONS['metrics-server'],
  namespace: 'kube-system',
  values: () => ({
    serviceAccount: { create: true, name: 'metrics-server' },
  }),
};
