import { Construct } from 'constructs';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { partitionOf, policyDocument } from '../core/iam';
import { check, checkAccountId, checkNamePrefix, show } from '../core/validation';

/** The course's two images. */
export const DEFAULT_REPOSITORIES = ['k8sbook/backend-app', 'k8sbook/batch-app'] as const;

/** ECR's repository name rule: lowercase path components separated by '/', each `[a-z0-9]+([._-][a-z0-9]+)*`. */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export interface ContainerRegistryProps {
  /** Prefix of the KMS key alias (`<name>-ecr`), e.g. `eks-work-dev`. */
  readonly name: string;
  /** Account owning the repositories and their key. */
  readonly accountId: string;
  /** Region of the repositories. */
  readonly region: string;
  /** Repository names. @default ["k8sbook/backend-app", "k8sbook/batch-app"] (the course's) */
  readonly repositories?: string[];
  /**
   * `IMMUTABLE`: a pushed tag always names the same image, so a deployment cannot silently change
   * (checkov CKV_AWS_51). `MUTABLE` lets `latest`-style re-tagging work. @default "IMMUTABLE"
   */
  readonly imageTagMutability?: 'IMMUTABLE' | 'MUTABLE';
  /** Days after which untagged images (left over from builds) expire. @default 14 */
  readonly untaggedExpiryDays?: number;
  /** Tagged images kept per repository; older ones expire. @default 30 */
  readonly keepTaggedCount?: number;
  /** Accounts allowed to pull (for example a prod account pulling images built in dev). @default none */
  readonly pullAccountIds?: string[];
  /** KMS key encrypting the images. @default a key created here, rotation on */
  readonly kmsKeyArn?: string;
  /** Let `terraform destroy` delete repositories that still hold images. @default false */
  readonly forceDelete?: boolean;
}

export interface RepositoryInfo {
  readonly name: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what `docker tag` / `docker push` use. */
  readonly url: string;
  readonly arn: string;
}

/**
 * Private ECR repositories: immutable tags, scan on push, KMS encryption, a lifecycle policy
 * (expire untagged images, keep the last N tagged), optional pull access for other accounts.
 */
export class ContainerRegistry extends Construct {
  /** Repositories by name. */
  readonly repositories: Record<string, RepositoryInfo> = {};
  /** `<account>.dkr.ecr.<region>.amazonaws.com`: the host `docker login` targets. */
  readonly registryUrl: string;
  readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const names = props.repositories ?? [...DEFAULT_REPOSITORIES];
    const mutability = props.imageTagMutability ?? 'IMMUTABLE';
    const untaggedDays = props.untaggedExpiryDays ?? 14;
    const keepTagged = props.keepTaggedCount ?? 30;
    const pullAccounts = props.pullAccountIds ?? [];
    checkNamePrefix(props.name, 'name');
    checkAccountId(props.accountId, 'accountId');
    check(Array.isArray(names) && names.length >= 1, 'repositories', 'is empty; allowed: one or more repository names');
    names.forEach((n, i) =>
      check(typeof n === 'string' && n.length >= 2 && n.length <= 256 && REPOSITORY_NAME.test(n), `repositories[${i}]`, `${show(n)} is not a name ECR accepts; allowed: 2-256 lowercase letters, digits and '.', '_', '-' inside '/'-separated parts, each starting and ending with a letter or digit (e.g. "k8sbook/backend-app")`),
    );
    check(new Set(names).size === names.length, 'repositories', `${show(names)} repeats a name; allowed: distinct names`);
    check(['IMMUTABLE', 'MUTABLE'].includes(mutability), 'imageTagMutability', `${show(mutability)} is not allowed; allowed: "IMMUTABLE" | "MUTABLE"`);
    check(Number.isInteger(untaggedDays) && untaggedDays >= 1, 'untaggedExpiryDays', `${show(untaggedDays)} is not a whole number of days >= 1`);
    check(Number.isInteger(keepTagged) && keepTagged >= 1 && keepTagged <= 10000, 'keepTaggedCount', `${show(keepTagged)} is not a count of images; allowed: 1 to 10000`);
    pullAccounts.forEach((a, i) => checkAccountId(a, `pullAccountIds[${i}]`));

    const partition = partitionOf(props.region);
    this.kmsKeyArn =
      props.kmsKeyArn ??
      new EncryptionKey(this, 'key', {
        description: `${props.name} ECR images`,
        alias: `${props.name}-ecr`,
        accountId: props.accountId,
        region: props.region,
      }).keyArn;

    const lifecycle = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${untaggedDays} days`,
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedDays },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: `Keep the last ${keepTagged} tagged images`,
          selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keepTagged },
          action: { type: 'expire' },
        },
      ],
    });

    for (const name of names) {
      const s = slug(name);
      const repo = new EcrRepository(this, `repo-${s}`, {
        name,
        imageTagMutability: mutability,
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: this.kmsKeyArn }],
        forceDelete: props.forceDelete ?? false,
      });
      new EcrLifecyclePolicy(this, `lifecycle-${s}`, { repository: repo.name, policy: lifecycle });
      if (pullAccounts.length > 0) {
        new EcrRepositoryPolicy(this, `policy-${s}`, {
          repository: repo.name,
          policy: policyDocument([
            {
              Sid: 'CrossAccountPull',
              Effect: 'Allow',
              Principal: { AWS: pullAccounts.map((a) => `arn:${partition}:iam::${a}:root`) },
              Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
            },
          ]),
        });
      }
      this.repositories[name] = { name, url: repo.repositoryUrl, arn: repo.arn };
    }
    const suffix = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    this.registryUrl = `${props.accountId}.dkr.ecr.${props.region}.${suffix}`;
  }
}

/** `k8sbook/backend-app` → `k8sbook-backend-app` (construct ids and aliases). */
export function slug(name: string): string {
  return name.replace(/[^a-z0-9]+/g, '-');
}
