import { Testing } from 'cdktf';
import { EnvironmentConfig } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { RunnerStack, createEnvironment } from '../stacks';
import { localExpression, onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { configWith } from './config-fixtures';

const build = (config: EnvironmentConfig = dev) => createEnvironment(Testing.app(), config, { offline: true });
const ids = (stacks: { node: { id: string } }[]) => stacks.map((s) => s.node.id);

describe('RunnerStack', () => {
  const stacks = build();
  const runner = stacks.runner!;
  const json = synthesize(runner);

  test('<env>-runner, after the network and before the cluster, aws only', () => {
    expect(runner).toBeInstanceOf(RunnerStack);
    expect(ids(stacks.all).slice(0, 4)).toEqual(['dev-state', 'dev-network', 'dev-runner', 'dev-cluster']);
    expect(ids(runner.dependencies)).toEqual(['dev-network']);
    expect(Object.keys((json.terraform as any).required_providers)).toEqual(['aws']);
  });

  test('the project runs in the network stack\'s private subnets and VPC, with the repository of cicd', () => {
    const project = onlyResource(json, 'aws_codebuild_project');
    expect(localExpression(json, project.vpc_config.subnets)).toContain('outputs.private_subnets');
    expect(localExpression(json, project.vpc_config.vpc_id)).toContain('outputs.vpc_id');
    expect(project).toMatchObject({ name: 'eks-work-dev-cluster-runner', source: { location: 'https://github.com/example-org/eks-work-platform.git', auth: { resource: dev.cicd!.clusterRunner!.codeConnectionArn } } });
    expect(onlyResource(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
  });

  test('its role carries the deploy boundary', () => {
    expect(onlyResource(json, 'aws_iam_role').permissions_boundary).toBe('arn:aws:iam::111111111111:policy/eks-work-dev-deploy-boundary');
  });

  test('publishes the project name (the CLUSTER_RUNNER_PROJECT variable), its security group and role', () => {
    expect(Object.keys(runner.stubOutputs).sort()).toEqual(['runner_project_name', 'runner_role_arn', 'runner_security_group_id']);
    expect(runner.stubOutputs.runner_project_name).toBe('eks-work-dev-cluster-runner');
    expect(json.output!.runner_project_name.value).toMatch(/^\$\{aws_codebuild_project\.\w+\.name\}$/);
  });

  test('no clusterRunner, or no cicd: no runner stack', () => {
    for (const config of [configWith(dev, 'cicd.clusterRunner', undefined), configWith(configWith(dev, 'cicd', undefined), 'gitops.imageRepositories', [])]) {
      const s = build(config);
      expect(s.runner).toBeUndefined();
      expect(ids(s.all)).not.toContain('dev-runner');
    }
  });

  test('the cluster admits the runner\'s group on 443 only when the VPC CIDR is not admitted', () => {
    const cluster = synthesize(stacks.cluster);
    expect(resourcesOfType(cluster, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.description).includes('CI runner'))).toEqual([]);
    expect(ids(stacks.cluster.dependencies)).not.toContain('dev-runner');

    const closed = build(configWith(dev, 'cluster.privateAccessFromVpc', false));
    const json2 = synthesize(closed.cluster);
    const rules = resourcesOfType(json2, 'aws_vpc_security_group_ingress_rule').filter((r) => String(r.description).includes('CI runner'));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443 });
    expect(localExpression(json2, rules[0].referenced_security_group_id)).toContain('runner-outputs[*].outputs.runner_security_group_id');
    expect(rules[0].security_group_id).toMatch(/^\$\{aws_security_group\.cluster_cluster-sg_\w+\.id\}$/);
    expect(ids(closed.cluster.dependencies)).toContain('dev-runner');
  });

  test('prod (private endpoint) has a runner too, keeping its logs a year', () => {
    const p = build(prod);
    expect(p.runner?.node.id).toBe('prod-runner');
    expect(onlyResource(synthesize(p.runner!), 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  test.each<[string, unknown, string]>([
    ['network.natGateways', 'none', 'environment "dev": cicd.clusterRunner: needs a way out of the private subnets (GitHub, AWS APIs), but network.natGateways is "none"; allowed: natGateways "single" or "perAz", or no clusterRunner'],
    ['cicd.clusterRunner.codeConnectionArn', 'arn:aws:codeconnections:ap-northeast-2:111111111111:host/abc', 'environment "dev": cicd.clusterRunner.codeConnectionArn: "arn:aws:codeconnections:ap-northeast-2:111111111111:host/abc" is not an AWS CodeConnections connection ARN'],
    ['cicd.clusterRunner.computeType', 'BUILD_GENERAL1_HUGE', 'environment "dev": cicd.clusterRunner.computeType: "BUILD_GENERAL1_HUGE" is not allowed; allowed: "BUILD_GENERAL1_SMALL" | "BUILD_GENERAL1_MEDIUM" | "BUILD_GENERAL1_LARGE"'],
    ['cicd.clusterRunner.image', 'ubuntu:24.04', 'environment "dev": cicd.clusterRunner.image: "ubuntu:24.04" is not a CodeBuild-curated x86_64 Linux image'],
    ['cicd.clusterRunner.timeoutMinutes', 4000, 'environment "dev": cicd.clusterRunner.timeoutMinutes: 4000 is not a build timeout'],
    ['cicd.clusterRunner.token', 'ghp_x', 'environment "dev": cicd.clusterRunner: unknown field "token"'],
    ['cicd.clusterRunner.codeConnectionArn', undefined, 'environment "dev": cicd.clusterRunner.codeConnectionArn: is required'],
  ])('%s = %j is refused in one line', (field, value, message) => {
    const run = () => build(configWith(dev, field, value));
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
      expect((e as Error).name).toBe('ConfigError');
    }
  });

  test('production keeps the runner logs at least a year', () => {
    expect(() => build(configWith(prod, 'cicd.clusterRunner.logRetentionDays', 30))).toThrow(
      'environment "prod": cicd.clusterRunner.logRetentionDays: 30 days keeps CI runner logs (the jobs that changed the cluster) under a year, which production refuses; allowed: 365 or more',
    );
  });
});
