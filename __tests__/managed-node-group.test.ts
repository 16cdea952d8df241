import { ManagedNodeGroup, ManagedNodeGroupProps, NODE_ROLE_POLICIES, NodeRole, isArmInstanceType } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: ManagedNodeGroupProps = {
  clusterName: 'eks-work-dev',
  name: 'default',
  region: 'ap-northeast-2',
  subnetIds: ['subnet-prv-a', 'subnet-prv-c'],
  securityGroupIds: ['sg-node'],
};

function synth(props: Partial<ManagedNodeGroupProps> = {}) {
  const stack = awsTestStack();
  new ManagedNodeGroup(stack, 'ng', { ...base, ...props });
  return synthesize(stack);
}

describe('ManagedNodeGroup', () => {
  const json = synth();
  const ng = onlyResource(json, 'aws_eks_node_group');
  const lt = onlyResource(json, 'aws_launch_template');

  test('defaults: the course 2/5/2 on t3.medium, on-demand, AL2023 x86_64, private subnets', () => {
    expect(ng).toMatchObject({
      cluster_name: 'eks-work-dev',
      node_group_name: 'eks-work-dev-default',
      instance_types: ['t3.medium'],
      capacity_type: 'ON_DEMAND',
      ami_type: 'AL2023_x86_64_STANDARD',
      scaling_config: { min_size: 2, max_size: 5, desired_size: 2 },
      subnet_ids: ['subnet-prv-a', 'subnet-prv-c'],
      update_config: { max_unavailable_percentage: 33 },
    });
  });

  test('no SSH: no remote_access and no key pair; disk size lives in the launch template', () => {
    expect(ng.remote_access).toBeUndefined();
    expect(ng.disk_size).toBeUndefined();
    expect(lt.key_name).toBeUndefined();
  });

  test('the cluster-autoscaler owns desired_size and discovers the group by tag', () => {
    expect(ng.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
    expect(ng.tags).toMatchObject({ 'k8s.io/cluster-autoscaler/enabled': 'true', 'k8s.io/cluster-autoscaler/eks-work-dev': 'owned' });
  });

  test('launch template: IMDSv2 required with hop limit 1 (pods cannot reach the node role), encrypted gp3 root volume on /dev/xvda, node security group', () => {
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' });
    expect(lt.block_device_mappings).toEqual([{ device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }]);
    expect(lt.vpc_security_group_ids).toEqual(['sg-node']);
    expect(lt.image_id).toBeUndefined();
    expect(ng.launch_template).toEqual({ id: expect.stringMatching(/aws_launch_template\..*\.id/), version: expect.stringMatching(/aws_launch_template\..*\.latest_version/) });
  });

  test('node role has exactly the worker, ECR read-only and SSM policies: no CNI, autoscaling or CloudWatch agent', () => {
    const arns = resourcesOfType(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn).sort();
    expect(arns).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(arns.some((a) => /AutoScalingFullAccess|CloudWatchAgentServerPolicy|AmazonEKS_CNI_Policy/.test(a))).toBe(false);
    expect(resourcesOfType(json, 'aws_iam_role_policy')).toHaveLength(0);
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('eks-work-dev-default-node');
    expect(parsePolicy(role.assume_role_policy).Statement[0]).toMatchObject({ Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    // Nodes join only once the role can do its job.
    expect(ng.depends_on).toHaveLength(3);
    expect(ng.depends_on.every((d: string) => d.startsWith('aws_iam_role_policy_attachment.'))).toBe(true);
  });

  test('NODE_ROLE_POLICIES is the whole list, and the CNI policy is opt-in', () => {
    expect([...NODE_ROLE_POLICIES]).toEqual(['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore']);
    const stack = awsTestStack();
    new NodeRole(stack, 'r', { roleName: 'x-node', region: 'ap-northeast-2', attachCniPolicy: true });
    expect(resourcesOfType(synthesize(stack), 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy');
  });

  test('a shared role ARN is used as is, and no role is created', () => {
    const j = synth({ nodeRoleArn: 'arn:aws:iam::111111111111:role/shared-node' });
    expect(resourcesOfType(j, 'aws_iam_role')).toHaveLength(0);
    expect(onlyResource(j, 'aws_eks_node_group').node_role_arn).toBe('arn:aws:iam::111111111111:role/shared-node');
  });

  test('spot, Graviton, labels and taints', () => {
    const j = synth({
      instanceTypes: ['t4g.large', 'm7g.large'],
      capacityType: 'SPOT',
      minSize: 0,
      maxSize: 3,
      desiredSize: 1,
      labels: { workload: 'batch' },
      taints: [{ key: 'workload', value: 'batch', effect: 'NO_SCHEDULE' }],
      metadataHopLimit: 2,
      diskSizeGiB: 80,
    });
    const g = onlyResource(j, 'aws_eks_node_group');
    expect(g).toMatchObject({ capacity_type: 'SPOT', ami_type: 'AL2023_ARM_64_STANDARD', labels: { workload: 'batch' }, scaling_config: { min_size: 0, max_size: 3, desired_size: 1 } });
    expect(g.taint).toEqual([{ key: 'workload', value: 'batch', effect: 'NO_SCHEDULE' }]);
    const t = onlyResource(j, 'aws_launch_template');
    // The documented opt-in for a workload that needs instance metadata.
    expect(t.metadata_options.http_put_response_hop_limit).toBe(2);
    expect(t.block_device_mappings[0].ebs.volume_size).toBe(80);
  });

  test.each([
    ['t3.medium', false],
    ['t4g.medium', true],
    ['m7g.large', true],
    ['c7gn.xlarge', true],
    ['m6gd.large', true],
    ['a1.large', true],
    ['g5.xlarge', false],
    ['g4dn.xlarge', false],
    ['m5dn.large', false],
    ['c7a.large', false],
  ])('isArmInstanceType(%s) = %s', (t, arm) => {
    expect(isArmInstanceType(t)).toBe(arm);
  });
});

describe('ManagedNodeGroup bad input', () => {
  test.each<[Partial<ManagedNodeGroupProps>, string]>([
    [{ minSize: 4, maxSize: 3, desiredSize: 3 }, 'minSize: 4 is greater than maxSize 3; allowed: minSize <= maxSize'],
    [{ minSize: 2, maxSize: 5, desiredSize: 6 }, 'desiredSize: 6 is outside [minSize, maxSize] = [2, 5]; allowed: an integer from 2 to 5'],
    [{ minSize: 2, maxSize: 5, desiredSize: 1 }, 'desiredSize: 1 is outside [minSize, maxSize] = [2, 5]'],
    [{ minSize: -1 }, 'minSize: -1 is not a node count'],
    [{ capacityType: 'RESERVED' as any }, 'capacityType: "RESERVED" is not a capacity type; allowed: "ON_DEMAND" | "SPOT"'],
    [{ instanceTypes: [] }, 'instanceTypes: [] lists no instance type; allowed: one or more EC2 instance types'],
    [{ instanceTypes: ['large'] }, 'instanceTypes[0]: "large" is not an EC2 instance type; allowed: an instance type of @aws-sdk/client-ec2\'s list'],
    // Well-formed but not a type EC2 offers: the family/size pattern let these through.
    [{ instanceTypes: ['t3.medium', 't3.mediun'] }, 'instanceTypes[1]: "t3.mediun" is not an EC2 instance type; did you mean "t3.medium"?'],
    [{ instanceTypes: ['m9z.large'] }, 'instanceTypes[0]: "m9z.large" is not an EC2 instance type'],
    [{ instanceTypes: ['t3.medium', 't4g.medium'] }, 'instanceTypes: ["t3.medium","t4g.medium"] mixes arm64 (Graviton) and x86_64 types'],
    [{ amiType: 'AL2023_ARM_64_STANDARD' }, 'amiType: "AL2023_ARM_64_STANDARD" does not match the x86_64 instance types'],
    [{ diskSizeGiB: 8 }, 'diskSizeGiB: 8 is not a root volume size'],
    [{ metadataHopLimit: 0 }, 'metadataHopLimit: 0 is not a hop limit'],
    [{ name: 'x'.repeat(60) }, `name: "eks-work-dev-${'x'.repeat(60)}" is 73 characters; allowed: <cluster>-<name> of at most 63`],
    [{ taints: [{ key: 'dedicated', effect: 'NoSchedule' as any }] }, 'taints[0].effect: "NoSchedule" is not a taint effect; allowed: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE"'],
    [{ labels: { 'bad key!': 'x' } }, 'labels.bad key!: "bad key!" is not a Kubernetes label key'],
    [{ clusterName: 'bad name' }, 'clusterName: "bad name" is not a valid EKS cluster name'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
