import { Testing } from 'cdktf';
import { onlyResource, planStackOffline, plannedResources, resourcesOfType, synthesize } from 'cdktf-eks-platform/testing';
import { EksInExistingVpcStack, config } from '../stack';

const stack = () => new EksInExistingVpcStack(Testing.app(), 'eks-existing-vpc', config);

test('no VPC is built: the cluster and its nodes use the VPC variables', () => {
  const json = synthesize(stack());
  expect(resourcesOfType(json, 'aws_vpc')).toHaveLength(0);
  expect(onlyResource(json, 'aws_eks_cluster').vpc_config.subnet_ids).toBe('${var.private_subnet_ids}');
  expect(resourcesOfType(json, 'aws_eks_node_group').map((g) => [g.node_group_name, g.subnet_ids])).toEqual([
    ['orders-general', '${var.private_subnet_ids}'],
    ['orders-spot', '${var.private_subnet_ids}'],
  ]);
});

test('the stack plans with real terraform, offline, with the variables\' defaults', async () => {
  const plan = await planStackOffline(stack());
  expect(plan.change + plan.destroy).toBe(0);
  expect(plannedResources(plan, 'aws_eks_cluster')[0]).toMatchObject({ name: 'orders', vpc_config: [expect.objectContaining({ subnet_ids: config.privateSubnetIds.slice().sort() })] });
  expect(plannedResources(plan, 'aws_eks_node_group').map((g) => g.capacity_type)).toEqual(['ON_DEMAND', 'SPOT']);
  expect(plannedResources(plan, 'aws_iam_role').map((r) => r.name)).toContain('orders-api');
});
