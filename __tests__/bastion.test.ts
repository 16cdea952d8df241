import { Bastion, BastionProps, OFFLINE_AMI_ID, instanceArchitecture } from '../modules';
import { awsTestStack, dataSourcesOfType, localExpression, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: BastionProps = {
  name: 'eks-work-dev',
  region: 'ap-northeast-2',
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidr: '10.0.0.0/16',
  subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
};

function synth(props: Partial<BastionProps> = {}) {
  const stack = awsTestStack();
  new Bastion(stack, 'bastion', { ...base, ...props });
  return synthesize(stack);
}

describe('Bastion', () => {
  const json = synth();
  const instance = onlyResource(json, 'aws_instance');

  test('private subnet, no public IP, no key pair', () => {
    expect(instance).toMatchObject({ subnet_id: base.subnetId, associate_public_ip_address: false });
    expect(instance.key_name).toBeUndefined();
    expect(resourcesOfType(json, 'aws_key_pair')).toHaveLength(0);
  });

  test('security group without any inbound rule; egress HTTPS and PostgreSQL to the VPC only', () => {
    const sg = onlyResource(json, 'aws_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(resourcesOfType(json, 'aws_vpc_security_group_ingress_rule')).toHaveLength(0);
    const egress = resourcesOfType(json, 'aws_vpc_security_group_egress_rule');
    expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      ['tcp', 443, 443, '0.0.0.0/0'],
      ['tcp', 5432, 5432, '10.0.0.0/16'],
    ]);
    expect(instance.vpc_security_group_ids).toEqual([expect.stringMatching(/aws_security_group\./)]);
  });

  test('HTTPS egress can be narrowed to the VPC (SSM interface endpoints)', () => {
    const egress = resourcesOfType(synth({ httpsEgressCidrs: ['10.0.0.0/16'] }), 'aws_vpc_security_group_egress_rule');
    expect(egress.filter((r) => r.from_port === 443).map((r) => r.cidr_ipv4)).toEqual(['10.0.0.0/16']);
  });

  test('role trusted by EC2 with AmazonSSMManagedInstanceCore only, through an instance profile', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(parsePolicy(role.assume_role_policy).Statement[0]).toMatchObject({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(resourcesOfType(json, 'aws_iam_role_policy')).toHaveLength(0);
    expect(JSON.stringify(json)).not.toContain('AmazonEC2RoleforSSM');
    expect(onlyResource(json, 'aws_iam_instance_profile').role).toMatch(/aws_iam_role\./);
    expect(instance.iam_instance_profile).toMatch(/aws_iam_instance_profile\./);
  });

  test('IMDSv2 required, hop limit 1', () => {
    expect(instance.metadata_options).toMatchObject({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
  });

  test('encrypted gp3 root volume; EBS-optimized; detailed monitoring', () => {
    expect(instance.root_block_device).toMatchObject({ encrypted: true, volume_type: 'gp3', volume_size: 8, delete_on_termination: true });
    expect(instance).toMatchObject({ ebs_optimized: true, monitoring: true });
  });

  test('Amazon Linux 2023 read from its public SSM parameter at plan time, never handed to EC2 as resolve:ssm (DescribeImages fails on it)', () => {
    const [param] = dataSourcesOfType(json, 'aws_ssm_parameter');
    expect(param).toMatchObject({ name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64', count: '${var.offline_lookups ? 0 : 1}' });
    const [id] = Object.keys(json.data!.aws_ssm_parameter);
    expect(localExpression(json, instance.ami)).toBe(`\${var.offline_lookups ? "${OFFLINE_AMI_ID}" : one(data.aws_ssm_parameter.${id}[*].insecure_value)}`);
    expect(instance.lifecycle).toEqual({ ignore_changes: ['ami'] });
    const x86 = synth({ instanceType: 't3.micro' });
    expect(dataSourcesOfType(x86, 'aws_ssm_parameter')[0].name).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    const custom = synth({ imageId: 'resolve:ssm:/my/golden-ami' });
    expect(dataSourcesOfType(custom, 'aws_ssm_parameter')[0].name).toBe('/my/golden-ami');
  });

  test('an AMI id is used as given, with no lookup', () => {
    const j = synth({ imageId: 'ami-0123456789abcdef0' });
    expect(onlyResource(j, 'aws_instance').ami).toBe('ami-0123456789abcdef0');
    expect(j.data).toBeUndefined();
  });

  test('architecture follows the instance type', () => {
    expect(['t4g.nano', 'm7g.large', 'c7gn.xlarge', 'a1.medium', 'r8g.2xlarge'].map(instanceArchitecture)).toEqual(['arm64', 'arm64', 'arm64', 'arm64', 'arm64']);
    expect(['t3.micro', 'm5.large', 'c7i.xlarge', 'g5.xlarge'].map(instanceArchitecture)).toEqual(['x86_64', 'x86_64', 'x86_64', 'x86_64']);
  });

  test('user data installs the PostgreSQL client; a change replaces the instance', () => {
    expect(instance.user_data).toContain('dnf install -y postgresql16');
    expect(instance.user_data_replace_on_change).toBe(true);
    expect(onlyResource(synth({ postgresClientVersion: '17' }), 'aws_instance').user_data).toContain('dnf install -y postgresql17');
  });

  test('burstable types use standard credits', () => {
    expect(instance.credit_specification).toEqual({ cpu_credits: 'standard' });
    expect(onlyResource(synth({ instanceType: 'm7g.medium' }), 'aws_instance').credit_specification).toBeUndefined();
  });

  test.each<[Partial<BastionProps>, string]>([
    [{ instanceType: 'tiny' }, 'instanceType: "tiny" is not an EC2 instance type'],
    [{ instanceType: 't4g.nanoo' }, 'instanceType: "t4g.nanoo" is not an EC2 instance type; did you mean "t4g.nano"?'],
    [{ instanceType: 'm9z.large' }, 'instanceType: "m9z.large" is not an EC2 instance type'],
    [{ rootVolumeSize: 4 }, 'rootVolumeSize: 4 is not a root volume size; allowed: whole GiB from 8'],
    [{ postgresClientVersion: '10' }, 'postgresClientVersion: "10" is not a PostgreSQL client Amazon Linux 2023 packages; allowed: 15, 16, 17'],
    [{ httpsEgressCidrs: [] }, 'httpsEgressCidrs: is empty'],
    [{ httpsEgressCidrs: ['anywhere'] }, 'httpsEgressCidrs[0]: "anywhere" is not an IPv4 CIDR'],
    [{ vpcCidr: '10.0.0.0' }, 'vpcCidr: "10.0.0.0" is not an IPv4 CIDR'],
    [{ imageId: 'amazon-linux' }, 'imageId: "amazon-linux" is not an image reference'],
    [{ name: 'Bad Name' }, 'name: "Bad Name" is not a valid name'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
