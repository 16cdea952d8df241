/**
 * The same kind of tests the platform has for itself, with its helpers from
 * `cdktf-eks-platform/testing`: assertions on the synthesized JSON, and a real offline `terraform plan`
 * (mock credentials, local state; needs terraform on PATH).
 */
import { Testing } from 'cdktf';
import { onlyResource, parsePolicy, planStackOffline, plannedResources, resourcesOfType, synthesize } from 'cdktf-eks-platform/testing';
import { config } from '../config';
import { VpcEksStack } from '../stack';

const stack = () => new VpcEksStack(Testing.app(), 'vpc-eks', config);

test('the VPC and cluster are in eu-west-1 with private nodes', () => {
  const json = synthesize(stack());
  expect(json.provider?.aws?.[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['123456789012'] });
  expect(onlyResource(json, 'aws_vpc').cidr_block).toBe('10.20.0.0/16');
  expect(onlyResource(json, 'aws_eks_cluster')).toMatchObject({ name: 'demo-euw1', version: '1.35' });
  expect(onlyResource(json, 'aws_eks_node_group').scaling_config).toMatchObject({ min_size: 1, max_size: 3 });
  expect(resourcesOfType(json, 'aws_nat_gateway')).toHaveLength(1);
});

test('only the web-app service account can assume the app role', () => {
  const json = synthesize(stack());
  const role = resourcesOfType(json, 'aws_iam_role').find((r) => r.name === 'demo-euw1-web-app')!;
  const [statement] = parsePolicy(role.assume_role_policy).Statement;
  expect(JSON.stringify(statement.Condition)).toContain('system:serviceaccount:web:web-app');
});

test('the stack plans with real terraform, offline', async () => {
  const plan = await planStackOffline(stack());
  expect(plan.change + plan.destroy).toBe(0);
  expect(plannedResources(plan, 'aws_subnet').map((s) => s.cidr_block)).toHaveLength(6);
  expect(plannedResources(plan, 'aws_eks_cluster')[0].name).toBe('demo-euw1');
});
