import type { PolicyStatement } from '../core/iam';

/** Release of kubernetes-sigs/aws-load-balancer-controller the policy below is read from (chart 3.5.0 runs it). */
export const LOAD_BALANCER_CONTROLLER_POLICY_SOURCE = {
  repository: 'kubernetes-sigs/aws-load-balancer-controller',
  tag: 'v3.5.0',
  commit: '11eb202c97e4ae2ee45e0658c4cde9a4b59f33d4',
  path: 'docs/install/iam_policy.json',
  /**
   * SHA-256 of that file, which is exactly `JSON.stringify(<document>, null, 4)` plus a newline: check
   * with `git show v3.5.0:docs/install/iam_policy.json | sha256sum`. The test renders the statements
   * below that way (partition `aws`) and compares, so any edit here fails it.
   */
  sha256: '16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a',
} as const;

/**
 * The AWS Load Balancer Controller's IAM policy, statement for statement and in upstream's order, as
 * published for the controller release above (Apache-2.0, kubernetes-sigs/aws-load-balancer-controller
 * v3.5.0 docs/install/iam_policy.json). Only the ARN partition is a parameter: upstream's
 * iam_policy_cn.json and iam_policy_us-gov.json hold these same statements with `arn:aws-cn:` and
 * `arn:aws-us-gov:`.
 *
 * Scoped as upstream scopes it, never wider: every mutating call on a load balancer, target group or
 * security group the controller did not create requires the `elbv2.k8s.aws/cluster` tag it puts on
 * what it creates (`aws:ResourceTag`), and creation requires that tag on the request
 * (`aws:RequestTag`). Upstream leaves unconditioned what IAM cannot scope by that tag (describe calls,
 * listeners and rules, registering targets, WAF/Shield association, rules on the nodes' security
 * group). On a controller upgrade, replace this with the new release's file and update the source,
 * the digest and the chart version together.
 */
export function loadBalancerControllerPolicy(partition: string): PolicyStatement[] {
  const p = partition;
  return [
    {
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage',
        'ec2:DescribeCoipPools', 'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: [
        'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates',
        'iam:GetServerCertificate', 'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL',
        'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection',
        'shield:DeleteProtection',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['ec2:CreateSecurityGroup'],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: `arn:${p}:ec2:*:*:security-group/*`,
      Condition: {
        StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' },
        Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' },
      },
    },
    {
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: `arn:${p}:ec2:*:*:security-group/*`,
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      Resource: '*',
      Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: '*',
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [
        `arn:${p}:elasticloadbalancing:*:*:targetgroup/*/*`,
        `arn:${p}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
        `arn:${p}:elasticloadbalancing:*:*:loadbalancer/app/*/*`,
      ],
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [
        `arn:${p}:elasticloadbalancing:*:*:listener/net/*/*/*`,
        `arn:${p}:elasticloadbalancing:*:*:listener/app/*/*/*`,
        `arn:${p}:elasticloadbalancing:*:*:listener-rule/net/*/*/*`,
        `arn:${p}:elasticloadbalancing:*:*:listener-rule/app/*/*/*`,
      ],
    },
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
      ],
      Resource: '*',
      Condition: { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: [
        `arn:${p}:elasticloadbalancing:*:*:targetgroup/*/*`,
        `arn:${p}:elasticloadbalancing:*:*:loadbalancer/net/*/*`,
        `arn:${p}:elasticloadbalancing:*:*:loadbalancer/app/*/*`,
      ],
      Condition: {
        StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
        Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' },
      },
    },
    {
      Effect: 'Allow',
      Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      Resource: `arn:${p}:elasticloadbalancing:*:*:targetgroup/*/*`,
    },
    {
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities',
      ],
      Resource: '*',
    },
  ];
}
