import { Construct } from 'constructs';
import { ContainerRegistry, DEFAULT_REPOSITORIES, GithubImagePushRole, check, githubOidcProviderArn, partitionOf, show } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';

/** Name of the image CI role of an application repository: `<prefix>-image-<repository name>`. */
export const imageCiRoleName = (env: ResolvedEnvironment, githubRepository: string) => `${env.prefix}-image-${githubRepository.split('/')[1] ?? githubRepository}`;

/**
 * `<env>-registry`: the ECR repositories the course's images are pushed to, and with
 * `gitops.imageRepositories` the GitHub OIDC role of each application repository that pushes to
 * them (image CI). No upstream stack.
 */
export class RegistryStack extends PlatformStack {
  readonly registry: ContainerRegistry;
  /** Image CI roles by GitHub repository (`owner/name`). */
  readonly imageCiRoles: Record<string, GithubImagePushRole> = {};

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
    const images = env.gitops?.imageRepositories ?? [];
    images.forEach((img, i) =>
      forEnvironment(env.name, `gitops.imageRepositories[${i}]`, () => {
        // The role trusts the account's GitHub OIDC provider, which `<env>-state` creates with a cicd section.
        check(env.cicd !== undefined, 'githubRepository', 'needs the account\'s GitHub Actions OIDC provider; allowed: a cicd section (its <env>-state stack creates the provider, or names it with createOidcProvider: false)');
        img.ecrRepositories.forEach((n, j) => check(this.registry.repositories[n] !== undefined, `ecrRepositories[${j}]`, `${show(n)} is not a repository of this environment; allowed: ${Object.keys(this.registry.repositories).join(', ')}`));
        check(this.imageCiRoles[img.githubRepository] === undefined, 'githubRepository', `${show(img.githubRepository)} is listed twice; allowed: each repository once`);
        this.imageCiRoles[img.githubRepository] = new GithubImagePushRole(this, `image-ci-${img.githubRepository.replace(/[^A-Za-z0-9-]/g, '-')}`, {
          roleName: imageCiRoleName(env, img.githubRepository),
          githubRepository: img.githubRepository,
          branch: img.branch,
          subjectTemplate: img.subjectFormat,
          oidcProviderArn: githubOidcProviderArn(env.region, env.accountId),
          repositoryArns: img.ecrRepositories.map((n) => this.registry.repositories[n].arn),
          kmsKeyArn: this.registry.kmsKeyArn,
          region: env.region,
          permissionsBoundaryArn: this.permissionsBoundaryArn,
        });
      }),
    );
    if (images.length > 0) {
      const roles = Object.entries(this.imageCiRoles);
      this.publish(
        'image_ci_role_arn',
        Object.fromEntries(roles.map(([repo, r]) => [repo, r.roleArn])),
        Object.fromEntries(roles.map(([repo]) => [repo, `arn:${partition}:iam::${env.accountId}:role/${imageCiRoleName(env, repo)}`])),
        'Image CI role (GitHub OIDC) by application repository: set it as the AWS_ROLE_ARN variable of that repository',
      );
    }
    this.publish('repository_arn', map((x) => x.arn), Object.fromEntries(names.map((n) => [n, `arn:${partition}:ecr:${env.region}:${env.accountId}:repository/${n}`])), 'Repository ARN by repository name');
  }
}
