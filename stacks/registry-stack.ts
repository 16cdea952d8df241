import { Construct } from 'constructs';
import { ContainerRegistry, DEFAULT_REPOSITORIES, partitionOf } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';

/** `<env>-registry`: the ECR repositories the course's images are pushed to. No upstream stack. */
export class RegistryStack extends PlatformStack {
  readonly registry: ContainerRegistry;

  constructor(scope: Construct, env: ResolvedEnvironment, settings: StackSettings = {}) {
    super(scope, env, 'registry', settings);
    const r = env.registry ?? {};
    this.registry = forEnvironment(env.name, 'registry', () =>
      new ContainerRegistry(this, 'registry', {
        name: env.prefix,
        accountId: env.accountId,
        region: env.region,
        repositories: r.repositories,
        imageTagMutability: r.imageTagMutability,
        untaggedExpiryDays: r.untaggedExpiryDays,
        keepTaggedCount: r.keepTaggedCount,
        pullAccountIds: r.pullAccountIds,
      }),
    );
    const repos = Object.values(this.registry.repositories);
    const names = r.repositories ?? [...DEFAULT_REPOSITORIES];
    const partition = partitionOf(env.region);
    const map = (f: (x: (typeof repos)[number]) => string) => Object.fromEntries(repos.map((x) => [x.name, f(x)]));
    this.publish('registry_url', this.registry.registryUrl, this.registry.registryUrl, 'Registry host for `docker login`');
    this.publish('repository_url', map((x) => x.url), Object.fromEntries(names.map((n) => [n, `${this.registry.registryUrl}/${n}`])), 'Repository URL (docker tag/push target) by repository name');
    this.publish('repository_arn', map((x) => x.arn), Object.fromEntries(names.map((n) => [n, `arn:${partition}:ecr:${env.region}:${env.accountId}:repository/${n}`])), 'Repository ARN by repository name');
  }
}
