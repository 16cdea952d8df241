import { ContainerRegistry, ContainerRegistryProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: ContainerRegistryProps = { name: 'eks-work-dev', accountId: '111111111111', region: 'ap-northeast-2' };

function build(props: Partial<ContainerRegistryProps> = {}) {
  const stack = awsTestStack();
  const registry = new ContainerRegistry(stack, 'registry', { ...base, ...props });
  return { registry, json: synthesize(stack) };
}
const synth = (props: Partial<ContainerRegistryProps> = {}) => build(props).json;

describe('ContainerRegistry', () => {
  const { registry, json } = build();
  const repos = resourcesOfType(json, 'aws_ecr_repository');

  test("the course's two repositories by default", () => {
    expect(repos.map((r) => r.name).sort()).toEqual(['k8sbook/backend-app', 'k8sbook/batch-app']);
    expect(Object.keys(registry.repositories).sort()).toEqual(['k8sbook/backend-app', 'k8sbook/batch-app']);
    expect(registry.registryUrl).toBe('111111111111.dkr.ecr.ap-northeast-2.amazonaws.com');
  });

  test('immutable tags, scan on push, KMS encryption with a rotating key, no force delete', () => {
    for (const r of repos) {
      expect(r).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true }, force_delete: false });
      expect(r.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: expect.stringMatching(/aws_kms_key\./) }]);
    }
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/eks-work-dev-ecr');
  });

  test('lifecycle policy per repository: untagged expire after N days, keep the last M tagged', () => {
    const policies = resourcesOfType(json, 'aws_ecr_lifecycle_policy');
    expect(policies).toHaveLength(2);
    const { rules } = JSON.parse(policies[0].policy);
    expect(rules[0]).toMatchObject({ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } });
    expect(rules[1]).toMatchObject({ rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } });
    const custom = JSON.parse(onlyResource(synth({ repositories: ['app'], untaggedExpiryDays: 3, keepTaggedCount: 5 }), 'aws_ecr_lifecycle_policy').policy).rules;
    expect([custom[0].selection.countNumber, custom[1].selection.countNumber]).toEqual([3, 5]);
  });

  test('no repository policy unless other accounts may pull; then pull actions only', () => {
    expect(resourcesOfType(json, 'aws_ecr_repository_policy')).toHaveLength(0);
    const j = synth({ repositories: ['k8sbook/backend-app'], pullAccountIds: ['222222222222'] });
    const [s] = parsePolicy(onlyResource(j, 'aws_ecr_repository_policy').policy).Statement;
    expect(s).toEqual({ Sid: 'CrossAccountPull', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:root'] }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'] });
  });

  test('MUTABLE is a documented knob', () => {
    expect(onlyResource(synth({ repositories: ['app'], imageTagMutability: 'MUTABLE' }), 'aws_ecr_repository').image_tag_mutability).toBe('MUTABLE');
  });

  test.each<[Partial<ContainerRegistryProps>, string]>([
    [{ repositories: ['K8sbook/Backend'] }, 'repositories[0]: "K8sbook/Backend" is not a name ECR accepts'],
    [{ repositories: ['k8sbook//backend'] }, 'repositories[0]: "k8sbook//backend" is not a name ECR accepts'],
    [{ repositories: ['k8sbook/backend-'] }, 'repositories[0]: "k8sbook/backend-" is not a name ECR accepts'],
    [{ repositories: ['ok', 'bad name'] }, 'repositories[1]: "bad name" is not a name ECR accepts'],
    [{ repositories: ['a'] }, 'repositories[0]: "a" is not a name ECR accepts'],
    [{ repositories: [] }, 'repositories: is empty'],
    [{ repositories: ['app', 'app'] }, 'repositories: ["app","app"] repeats a name'],
    [{ untaggedExpiryDays: 0 }, 'untaggedExpiryDays: 0 is not a whole number of days >= 1'],
    [{ keepTaggedCount: 0 }, 'keepTaggedCount: 0 is not a count of images'],
    [{ pullAccountIds: ['22222'] }, 'pullAccountIds[0]: "22222" is not an AWS account id'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
