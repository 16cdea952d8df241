import { Network, NetworkProps } from '../modules';
import { awsTestStack, dataSourcesOfType, localExpression, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: NetworkProps = { name: 'eks-work-dev', accountId: '111111111111', region: 'ap-northeast-2', azs: ['ap-northeast-2a', 'ap-northeast-2c'], clusterNames: ['eks-work-dev'] };

function synth(props: Partial<NetworkProps> = {}) {
  const stack = awsTestStack();
  new Network(stack, 'network', { ...base, ...props });
  return synthesize(stack);
}

describe('Network', () => {
  const json = synth();

  test('VPC has DNS support and hostnames on the default course CIDR', () => {
    expect(onlyResource(json, 'aws_vpc')).toMatchObject({ cidr_block: '10.0.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
  });

  test('three subnets per AZ, none assigning public IPs, with load balancer and cluster tags', () => {
    const subnets = resourcesOfType(json, 'aws_subnet');
    expect(subnets).toHaveLength(6);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    const byTier = (t: string) => subnets.filter((s) => s.tags.tier === t);
    expect(byTier('public').every((s) => s.tags['kubernetes.io/role/elb'] === '1' && s.tags['kubernetes.io/cluster/eks-work-dev'] === 'shared')).toBe(true);
    expect(byTier('private').every((s) => s.tags['kubernetes.io/role/internal-elb'] === '1' && s.tags['kubernetes.io/cluster/eks-work-dev'] === 'shared')).toBe(true);
    expect(byTier('database').every((s) => !('kubernetes.io/role/elb' in s.tags) && !('kubernetes.io/role/internal-elb' in s.tags))).toBe(true);
    expect(byTier('private').map((s) => s.availability_zone)).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
  });

  test('only the public route table reaches the internet gateway; the database table has no default route', () => {
    const routes = resourcesOfType(json, 'aws_route');
    const igwRoutes = routes.filter((r) => r.gateway_id);
    expect(igwRoutes).toHaveLength(1);
    expect(igwRoutes[0].route_table_id).toContain('public-rt');
    expect(routes.filter((r) => r.nat_gateway_id)).toHaveLength(2);
    expect(routes.some((r) => String(r.route_table_id).includes('database-rt'))).toBe(false);
  });

  test.each([
    ['single', 1],
    ['perAz', 2],
    ['none', 0],
  ] as const)('natGateways %s creates %i NAT gateways', (mode, count) => {
    const j = synth({ natGateways: mode });
    expect(resourcesOfType(j, 'aws_nat_gateway')).toHaveLength(count);
    expect(resourcesOfType(j, 'aws_eip')).toHaveLength(count);
    expect(resourcesOfType(j, 'aws_route').filter((r) => r.nat_gateway_id)).toHaveLength(count === 0 ? 0 : 2);
  });

  test('the default security group is managed with no rules', () => {
    const sg = onlyResource(json, 'aws_default_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test('the AZs must be available to the account: EC2 is asked at plan time and a missing AZ fails the VPC precondition', () => {
    const [zones] = dataSourcesOfType(json, 'aws_availability_zones');
    expect(zones).toMatchObject({ state: 'available', count: '${var.offline_lookups ? 0 : 1}' });
    const [pre] = onlyResource(json, 'aws_vpc').lifecycle.precondition;
    const local = /local\.([\w-]+)/.exec(pre.condition)![0];
    expect(pre.condition).toBe(`\${(length(setsubtract(["ap-northeast-2a", "ap-northeast-2c"], ${local})) < 1)}`);
    // Offline the configured AZs stand in for the answer, so the check passes without AWS.
    expect(localExpression(json, `\${${local}}`)).toMatch(/^\$\{var\.offline_lookups \? \["ap-northeast-2a", "ap-northeast-2c"\] : one\(data\.aws_availability_zones\.[\w-]+\[\*\]\.names\)\}$/);
    expect(pre.error_message).toContain('azs: ap-northeast-2a, ap-northeast-2c: not every AZ is available');
  });

  test('flow logs go to a KMS-encrypted log group with retention, through a role scoped to it', () => {
    const group = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(onlyResource(json, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const trust = parsePolicy(onlyResource(json, 'aws_iam_role').assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    // DescribeLogGroups is a list call IAM evaluates against log-group:*; scoped to one group it is denied.
    const flowPolicy = parsePolicy(resourcesOfType(json, 'aws_iam_role_policy').find((p) => p.name === 'write-flow-logs')!.policy);
    expect(flowPolicy.Statement.find((s) => s.Action === 'logs:DescribeLogGroups')!.Resource).toBe('arn:aws:logs:ap-northeast-2:111111111111:log-group:*');
    expect(flowPolicy.Statement.flatMap((s) => [s.Action].flat()).sort()).toEqual(['logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents']);
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
    const policy = parsePolicy(onlyResource(json, 'aws_iam_role_policy').policy);
    expect(policy.Statement[0].Resource.every((r: string) => r.includes('aws_cloudwatch_log_group'))).toBe(true);
  });

  test('an S3 gateway endpoint serves the private and database route tables', () => {
    const ep = onlyResource(json, 'aws_vpc_endpoint');
    expect(ep).toMatchObject({ service_name: 'com.amazonaws.ap-northeast-2.s3', vpc_endpoint_type: 'Gateway' });
    expect(ep.route_table_ids).toHaveLength(3);
  });

  test('interface endpoints are opt-in, private-DNS, in private subnets, HTTPS from the VPC only', () => {
    const j = synth({ interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'sts'] });
    const eps = resourcesOfType(j, 'aws_vpc_endpoint').filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(eps.map((e) => e.service_name).sort()).toEqual(['com.amazonaws.ap-northeast-2.ecr.api', 'com.amazonaws.ap-northeast-2.ecr.dkr', 'com.amazonaws.ap-northeast-2.sts']);
    expect(eps.every((e) => e.private_dns_enabled === true && e.subnet_ids.length === 2)).toBe(true);
    expect(onlyResource(j, 'aws_vpc_security_group_ingress_rule')).toMatchObject({ from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/16' });
  });

  test.each<[Partial<NetworkProps>, string]>([
    [{ azs: ['ap-northeast-2a'] }, 'azs: ["ap-northeast-2a"] lists fewer than 2 AZs'],
    [{ azs: ['ap-northeast-2a', 'us-east-1b'] }, 'azs[1]: "us-east-1b" is not an AZ of ap-northeast-2'],
    [{ azs: ['ap-northeast-2a', 'ap-northeast-2a'] }, 'azs: ["ap-northeast-2a","ap-northeast-2a"] repeats an AZ'],
    [{ natGateways: 'double' as never }, 'natGateways: "double" is not a NAT mode; allowed: "single" | "perAz" | "none"'],
    [{ vpcCidr: '10.0.0.0/33' }, 'vpcCidr: "10.0.0.0/33" is not an IPv4 CIDR block'],
    [{ flowLogRetentionDays: 45 }, 'flowLogRetentionDays: 45 is not a CloudWatch Logs retention period'],
    [{ interfaceEndpoints: ['ec2' as never] }, 'interfaceEndpoints[0]: "ec2" is not a supported endpoint'],
    [{ name: 'Bad_Name' }, 'name: "Bad_Name" is not a valid name'],
    [{ region: 'ap-northeast-9', azs: ['ap-northeast-9a', 'ap-northeast-9b'] }, 'region: "ap-northeast-9" is not an AWS region; did you mean "ap-northeast-1", "ap-northeast-2" or "ap-northeast-3"?'],
  ])('bad props are refused before any resource: %j', (props, message) => {
    const stack = awsTestStack();
    expect(() => new Network(stack, 'network', { ...base, ...props })).toThrow(message);
    expect(stack.node.findAll().filter((c) => c.node.id === 'vpc')).toHaveLength(0);
  });
});
