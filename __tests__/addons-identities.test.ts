import { AddonIdentities, AddonIdentitiesProps, selectAddons } from '../modules';
import { awsTestStack, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';
import { FACTS, OIDC_ARN, OIDC_HOST, OIDC_URL } from './addons-fixtures';

function synth(props: Partial<AddonIdentitiesProps> = {}) {
  const stack = awsTestStack();
  const ids = new AddonIdentities(stack, 'ids', { namePrefix: 'eks-work-dev', addons: selectAddons(), facts: FACTS, oidcProviderArn: OIDC_ARN, oidcIssuerUrl: OIDC_URL, ...props });
  const json = synthesize(stack);
  const role = (name: string) => resourcesOfType(json, 'aws_iam_role').find((r) => r.name === name)!;
  const inline = (name: string) => parsePolicy(resourcesOfType(json, 'aws_iam_role_policy').find((p) => p.name === name)!.policy).Statement;
  return { ids, json, role, inline };
}

describe('AddonIdentities', () => {
  const { ids, json, role, inline } = synth();

  test('one role per add-on that calls AWS, none for metrics-server', () => {
    expect(Object.keys(ids.identities).sort()).toEqual(['aws-cloudwatch-metrics', 'aws-load-balancer-controller', 'cluster-autoscaler', 'fluentd']);
    expect(resourcesOfType(json, 'aws_iam_role').map((r) => r.name).sort()).toEqual(['eks-work-dev-cloudwatch-agent', 'eks-work-dev-cluster-autoscaler', 'eks-work-dev-fluentd', 'eks-work-dev-load-balancer-controller']);
  });

  test.each([
    ['eks-work-dev-cluster-autoscaler', 'kube-system', 'cluster-autoscaler'],
    ['eks-work-dev-load-balancer-controller', 'kube-system', 'aws-load-balancer-controller'],
    ['eks-work-dev-cloudwatch-agent', 'amazon-cloudwatch', 'cloudwatch-agent'],
    ['eks-work-dev-fluentd', 'amazon-cloudwatch', 'fluentd'],
  ])('%s trusts only %s/%s through the OIDC provider', (name, ns, sa) => {
    const [st] = parsePolicy(role(name).assume_role_policy).Statement;
    expect(st.Principal).toEqual({ Federated: OIDC_ARN });
    expect(st.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(st.Condition).toEqual({ StringEquals: { [`${OIDC_HOST}:sub`]: `system:serviceaccount:${ns}:${sa}`, [`${OIDC_HOST}:aud`]: 'sts.amazonaws.com' } });
  });

  test('cluster-autoscaler: describe calls on *, scaling only on ASGs tagged as owned by this cluster', () => {
    const [describe, scale] = inline('cluster-autoscaler');
    expect(describe.Resource).toBe('*');
    expect(describe.Action).toEqual(expect.arrayContaining(['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations', 'autoscaling:DescribeScalingActivities', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup']));
    expect(describe.Action.every((a: string) => /:(Describe|Get)/.test(a))).toBe(true);
    expect(scale.Action).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    expect(scale.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/eks-work-dev': 'owned' } });
  });

  /** The group and its streams, for each Container Insights group a shipper writes. */
  const groupArns = (...kinds: string[]) =>
    kinds.flatMap((k) => {
      const group = `arn:aws:logs:ap-northeast-2:111111111111:log-group:/aws/containerinsights/eks-work-dev/${k}`;
      return [group, `${group}:*`];
    });

  test('fluentd: log-stream writes on exactly the application, dataplane and host groups, DescribeLogGroups to find them, no group creation', () => {
    const [write, find] = inline('fluentd');
    expect(write.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    expect(write.Resource).toEqual(groupArns('application', 'dataplane', 'host'));
    expect(find).toMatchObject({ Action: 'logs:DescribeLogGroups', Resource: 'arn:aws:logs:ap-northeast-2:111111111111:log-group:*' });
    expect(JSON.stringify(inline('fluentd'))).not.toMatch(/CreateLogGroup|PutRetentionPolicy|logs:\*/);
  });

  test('the CloudWatch agent gets CloudWatchAgentServerPolicy, nothing inline', () => {
    const attached = resourcesOfType(json, 'aws_iam_role_policy_attachment');
    expect(attached.map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
    expect(resourcesOfType(json, 'aws_iam_role_policy').map((p) => p.name).sort()).toEqual(['cluster-autoscaler', 'fluentd', 'load-balancer-controller']);
  });

  test('aws-for-fluent-bit: the same log-stream writes on the same three groups, without DescribeLogGroups', () => {
    const { inline: fb } = synth({ addons: selectAddons({ logShipper: 'fluent-bit' }) });
    const statements = fb('fluent-bit');
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    expect(statements[0].Resource).toEqual(groupArns('application', 'dataplane', 'host'));
  });

  test('amazon-cloudwatch-observability gets a Pod Identity role and association, not IRSA', () => {
    const { json: j, ids: i } = synth({ addons: selectAddons({ cloudwatch: 'cloudwatch-observability' }) });
    expect(i.identities['amazon-cloudwatch-observability'].binding).toBe('pod-identity');
    const [assoc] = resourcesOfType(j, 'aws_eks_pod_identity_association');
    expect(assoc).toMatchObject({ cluster_name: 'eks-work-dev', namespace: 'amazon-cloudwatch', service_account: 'cloudwatch-agent' });
    const role = resourcesOfType(j, 'aws_iam_role').find((r) => r.name === 'eks-work-dev-cw-observability')!;
    const [st] = parsePolicy(role.assume_role_policy).Statement;
    expect(st.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(st.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(st.Condition.StringEquals['aws:RequestTag/kubernetes-service-account']).toBe('cloudwatch-agent');
  });

  test('a cluster without OIDC cannot run an add-on that needs IRSA', () => {
    expect(() => synth({ oidcProviderArn: undefined, oidcIssuerUrl: undefined })).toThrow(
      'oidcProviderArn: add-ons "aws-load-balancer-controller", "cluster-autoscaler", "aws-cloudwatch-metrics", "fluentd" need IRSA, but the cluster has no IAM OIDC provider; allowed: the cluster\'s OIDC provider ARN (enable IRSA on the cluster), or disable "aws-load-balancer-controller", "cluster-autoscaler", "aws-cloudwatch-metrics", "fluentd"',
    );
    // Pod Identity and no-IAM add-ons need no OIDC provider.
    const podIdentityOnly = selectAddons({ cloudwatch: 'cloudwatch-observability', charts: { 'cluster-autoscaler': { enabled: false }, 'aws-load-balancer-controller': { enabled: false } } });
    expect(() => synth({ addons: podIdentityOnly, oidcProviderArn: undefined, oidcIssuerUrl: undefined })).not.toThrow();
  });
});
