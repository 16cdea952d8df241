import { Construct } from 'constructs';
import { CodeBuildGithubRunner, check, iamRoleName, partitionOf, show } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import type { ClusterRunnerConfig } from '../environments/config/cicd';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';
import type { NetworkStack } from './network-stack';

/** Name of the environment's CodeBuild runner project (and of its role, security group and log group). */
export function clusterRunnerName(env: ResolvedEnvironment): string {
  return iamRoleName(env.prefix, 'cluster-runner');
}

/**
 * `<env>-runner` (only with `cicd.clusterRunner`): a CodeBuild-hosted GitHub Actions runner in the
 * network stack's private subnets, for the CI jobs that talk to the Kubernetes API. Its own small
 * state: it depends on the VPC only, so the pipeline applies it with the other AWS stacks, before the
 * jobs that need it. The cluster's private endpoint admits it through the VPC CIDR rule
 * (`cluster.privateAccessFromVpc`), or else through a rule the cluster stack adds for its security group.
 */
export class RunnerStack extends PlatformStack {
  readonly runner: CodeBuildGithubRunner;

  constructor(scope: Construct, env: ResolvedEnvironment, network: NetworkStack, settings: StackSettings = {}) {
    super(scope, env, 'runner', settings);
    const config: ClusterRunnerConfig | undefined = env.cicd?.clusterRunner;
    if (!config || !env.cicd) throw new Error(`environment "${env.name}" has no cicd.clusterRunner: create no RunnerStack`);
    const cicd = env.cicd;
    forEnvironment(env.name, 'cicd', () =>
      check(
        (env.network.natGateways ?? 'single') !== 'none',
        'clusterRunner',
        `needs a way out of the private subnets (GitHub, AWS APIs), but network.natGateways is ${show(env.network.natGateways)}; allowed: natGateways "single" or "perAz", or no clusterRunner`,
      ),
    );
    const net = this.consume(network);
    const name = clusterRunnerName(env);
    this.runner = forEnvironment(env.name, 'cicd.clusterRunner', () =>
      new CodeBuildGithubRunner(this, 'runner', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        name,
        githubRepository: cicd.githubRepository,
        codeConnectionArn: config.codeConnectionArn,
        accountId: env.accountId,
        region: env.region,
        vpcId: net.getString('vpc_id'),
        subnetIds: net.getList('private_subnets'),
        computeType: config.computeType,
        image: config.image,
        timeoutMinutes: config.timeoutMinutes,
        logRetentionDays: config.logRetentionDays,
      }),
    );
    const partition = partitionOf(env.region);
    this.publish('runner_project_name', this.runner.projectName, name, 'CodeBuild project of the runner: set it as the CLUSTER_RUNNER_PROJECT repository variable');
    this.publish('runner_security_group_id', this.runner.securityGroupId, 'sg-0offline0runner00', 'Security group of the runner builds (admit it where CI must reach)');
    this.publish('runner_role_arn', this.runner.roleArn, `arn:${partition}:iam::${env.accountId}:role/${name}`, 'Service role of the runner project (no AWS access for jobs)');
  }
}
