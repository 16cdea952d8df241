import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { SynthesizedJson, planStackOffline, plannedResources, resourcesOfType, synthesize } from 'cdktf-eks-platform/testing';
import { ClusterAddonsStack, PlatformStack, staging } from '../stacks';

function build() {
  const app = Testing.app();
  const platform = new PlatformStack(app, 'platform', staging);
  const addons = new ClusterAddonsStack(app, 'addons', staging, platform);
  return { app, platform, addons };
}

test('the database admits the cluster nodes only, in the database subnets of the VPC built here', () => {
  const json = synthesize(build().platform);
  const rules = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 5432);
  expect(rules.map((r) => r.referenced_security_group_id)).toEqual([expect.stringMatching(/^\$\{aws_security_group\..*node.*\.id\}$/)]);
  expect(rules.every((r) => r.cidr_ipv4 === undefined)).toBe(true);
  const subnetGroup = resourcesOfType(json, 'aws_db_subnet_group')[0];
  expect(subnetGroup.subnet_ids).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\{aws_subnet\..*database.*\.id\}$/)]));
});

test('the add-ons stack reads the cluster from the platform stack and installs the Helm add-ons', () => {
  // The whole app: cdktf turns cross-stack references into outputs and remote-state reads then.
  const { app } = build();
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'addons', 'cdk.tf.json'), 'utf8')) as SynthesizedJson;
  expect(resourcesOfType(json, 'helm_release').map((r) => r.name)).toEqual(expect.arrayContaining(['metrics-server', 'cluster-autoscaler']));
  // The endpoint is the platform stack's output, read through its state.
  expect((json.provider as any).helm[0].kubernetes.host).toMatch(/^\$\{data\.terraform_remote_state\./);
  expect(resourcesOfType(json, 'kubernetes_namespace_v1').map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['shop', 'batch']));
});

test('the platform stack plans with real terraform, offline', async () => {
  const plan = await planStackOffline(build().platform);
  expect(plan.change + plan.destroy).toBe(0);
  expect(plannedResources(plan, 'aws_eks_cluster')[0].name).toBe('shop-staging');
  expect(plannedResources(plan, 'aws_db_instance')[0]).toMatchObject({ identifier: 'shop-staging-db', multi_az: false });
  expect(plannedResources(plan, 'aws_ecr_repository').map((r) => r.name).sort()).toEqual(['shop/api', 'shop/worker']);
  expect(plannedResources(plan, 'aws_eks_fargate_profile')).toHaveLength(1);
});
