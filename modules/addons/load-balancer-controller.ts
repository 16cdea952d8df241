import type { AddonDefinition } from './addon';
import { check, show } from '../core/validation';
import { loadBalancerControllerPolicy } from './load-balancer-controller-policy';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES } from './versions';

export const LOAD_BALANCER_CONTROLLER = 'aws-load-balancer-controller';
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';
/** The IngressClass the controller creates and makes the cluster's default. */
export const ALB_INGRESS_CLASS = 'alb';

/**
 * AWS Load Balancer Controller (eks-charts `aws-load-balancer-controller`): an ALB per Ingress (or per
 * `group.name`), an NLB per Service of type LoadBalancer. Region and VPC are given, because the nodes
 * keep pods away from instance metadata (hop limit 1). IRSA role with upstream's policy for the same
 * controller release (`load-balancer-controller-policy.ts`).
 *
 * - The `alb` IngressClass is created and annotated as the cluster's default, so an Ingress without
 *   `ingressClassName` gets an ALB.
 * - Targets are pod IPs (`defaultTargetType: ip`, what the chart advises for the VPC CNI): backends
 *   may be ClusterIP Services, and Fargate pods can be targets.
 * - Two replicas (one leader, one standby that also answers webhooks), a disruption budget of one
 *   and a spread over zones; the chart renders the budget only with more than one replica, so an
 *   environment that sets `replicaCount: 1` (dev) gets none.
 * - `installFirst`: the chart's Service mutating webhook fails closed, so any Service created while
 *   no controller pod answers is refused; every other release waits for this one.
 */
export const loadBalancerControllerAddon: AddonDefinition = {
  name: LOAD_BALANCER_CONTROLLER,
  description: 'Application and Network Load Balancers for Ingresses and Services',
  chart: 'aws-load-balancer-controller',
  repository: ADDON_REPOSITORIES.eksCharts,
  version: ADDON_CHART_VERSIONS['aws-load-balancer-controller'],
  namespace: 'kube-system',
  installFirst: true,
  iam: {
    binding: 'irsa',
    serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    roleSuffix: 'load-balancer-controller',
    statements: (f) => loadBalancerControllerPolicy(f.partition),
  },
  values: (ctx) => ({
    clusterName: ctx.clusterName,
    region: ctx.region,
    vpcId: ctx.vpcId,
    replicaCount: 2,
    serviceAccount: {
      create: true,
      name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
      annotations: { 'eks.amazonaws.com/role-arn': ctx.roleArn },
    },
    ingressClass: ALB_INGRESS_CLASS,
    createIngressClassResource: true,
    ingressClassConfig: { default: true },
    defaultTargetType: 'ip',
    podDisruptionBudget: { maxUnavailable: 1 },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        // A preference: a zone without a schedulable node must not keep the standby from starting.
        whenUnsatisfiable: 'ScheduleAnyway',
        // The chart's selector labels (name = chart, instance = release).
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller', 'app.kubernetes.io/instance': LOAD_BALANCER_CONTROLLER } },
        matchLabelKeys: ['pod-template-hash'],
      },
    ],
    // No CPU limit: a throttled webhook that fails closed would refuse Services cluster-wide.
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  }),
  check: (values) => {
    for (const key of ['clusterName', 'region'] as const) {
      check(typeof values[key] === 'string' && values[key] !== '', `values.${key}`, `is not set; allowed: the cluster's ${key === 'region' ? 'region' : 'name'}`);
    }
    check(
      typeof values.vpcId === 'string' && values.vpcId !== '',
      'values.vpcId',
      'is not set, and the controller cannot read it from instance metadata (the nodes answer IMDS with hop limit 1); allowed: the ID of the cluster\'s VPC (ClusterAddons vpcId), or disable the add-on (charts.aws-load-balancer-controller.enabled: false)',
    );
    const replicas = values.replicaCount;
    check(typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 1, 'values.replicaCount', `${show(replicas)} is not a number of replicas; allowed: 1 (dev: no standby, no disruption budget) or more (2 keeps a standby and a disruption budget)`);
  },
};
