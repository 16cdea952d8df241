import type { AddonDefinition } from './addon';
import { check, show } from '../core/validation';
import { ADDON_CHART_VERSIONS, ADDON_REPOSITORIES, CLUSTER_AUTOSCALER_IMAGE_TAGS } from './versions';

export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = 'cluster-autoscaler';

/**
 * cluster-autoscaler (kubernetes/autoscaler chart) with ASG auto-discovery by cluster name: EKS
 * managed node groups tag their ASGs `k8s.io/cluster-autoscaler/enabled` and
 * `k8s.io/cluster-autoscaler/<cluster>` = `owned`, the chart's default discovery tags. The image
 * minor matches the cluster's (`CLUSTER_AUTOSCALER_IMAGE_TAGS`). IRSA policy from the autoscaler's
 * AWS README: the describe calls on `*` (they take no resource), and the two mutating calls only on
 * ASGs tagged as owned by this cluster.
 */
export const clusterAutoscalerAddon: AddonDefinition = {
  name: 'cluster-autoscaler',
  description: 'Node autoscaling for the managed node groups',
  chart: 'cluster-autoscaler',
  repository: ADDON_REPOSITORIES.autoscaler,
  version: ADDON_CHART_VERSIONS['cluster-autoscaler'],
  namespace: 'kube-system',
  iam: {
    binding: 'irsa',
    serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
    roleSuffix: 'cluster-autoscaler',
    statements: (f) => [
      {
        Sid: 'DiscoverNodeGroups',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
          'eks:DescribeNodegroup',
        ],
        Resource: '*',
      },
      {
        Sid: 'ScaleThisClustersNodeGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: '*',
        Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${f.clusterName}`]: 'owned' } },
      },
    ],
  },
  values: (ctx) => ({
    cloudProvider: 'aws',
    awsRegion: ctx.region,
    autoDiscovery: { clusterName: ctx.clusterName },
    rbac: {
      serviceAccount: {
        create: true,
        name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
        annotations: { 'eks.amazonaws.com/role-arn': ctx.roleArn },
      },
    },
    image: { tag: CLUSTER_AUTOSCALER_IMAGE_TAGS[ctx.kubernetesVersion] },
    extraArgs: {
      'balance-similar-node-groups': true,
      expander: 'least-waste',
      'skip-nodes-with-local-storage': false,
    },
    // The course's manifest: 100m CPU, 300Mi memory.
    resources: { requests: { cpu: '100m', memory: '300Mi' }, limits: { cpu: '100m', memory: '300Mi' } },
  }),
  check: (values, ctx) => {
    const tag = (values.image as { tag?: unknown } | undefined)?.tag;
    check(
      typeof tag === 'string' && tag.length > 0,
      'values.image.tag',
      `no cluster-autoscaler image for Kubernetes ${show(ctx.kubernetesVersion)}; allowed: a version in the table (${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(', ')}) or an explicit image.tag such as "v1.35.0"`,
    );
  },
};
