import { PodIdentityRole, PodIdentityRoleProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, synthesize } from '../modules/testing';

function synth(props: Partial<PodIdentityRoleProps> = {}) {
  const stack = awsTestStack();
  new PodIdentityRole(stack, 'r', {
    roleName: 'eks-work-dev-cw-observability',
    clusterName: 'eks-work-dev',
    namespace: 'amazon-cloudwatch',
    serviceAccount: 'cloudwatch-agent',
    managedPolicyArns: ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'],
    ...props,
  });
  return synthesize(stack);
}

describe('PodIdentityRole', () => {
  const json = synth();

  test('trusts Pod Identity sessions of this cluster, namespace and service account only', () => {
    const [st] = parsePolicy(onlyResource(json, 'aws_iam_role').assume_role_policy).Statement;
    expect(st.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(st.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(st.Condition).toEqual({
      StringEquals: {
        'aws:RequestTag/eks-cluster-name': 'eks-work-dev',
        'aws:RequestTag/kubernetes-namespace': 'amazon-cloudwatch',
        'aws:RequestTag/kubernetes-service-account': 'cloudwatch-agent',
      },
    });
  });

  test('associates the role with the service account and attaches the policies', () => {
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({ cluster_name: 'eks-work-dev', namespace: 'amazon-cloudwatch', service_account: 'cloudwatch-agent' });
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy');
  });

  test('a namespace that is not a Kubernetes name is refused', () => {
    expect(() => synth({ namespace: 'Amazon_CloudWatch' })).toThrow('namespace: "Amazon_CloudWatch" is not a Kubernetes namespace name');
  });
});
