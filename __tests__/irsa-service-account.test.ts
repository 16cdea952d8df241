import { IrsaServiceAccount } from '../modules/kubernetes';
import { onlyResource, synthesize } from '../modules/testing';
import { kubernetesTestStack } from './addons-fixtures';

const ROLE = 'arn:aws:iam::111111111111:role/eks-work-dev-batch-app';

function synth(name = 'batch-app', roleArn = ROLE) {
  const stack = kubernetesTestStack();
  new IrsaServiceAccount(stack, 'sa', { name, namespace: 'eks-work-batch', roleArn });
  return onlyResource(synthesize(stack), 'kubernetes_service_account_v1');
}

describe('IrsaServiceAccount', () => {
  test('annotated with its IRSA role, no API token mounted', () => {
    const sa = synth();
    expect(sa.metadata).toMatchObject({ name: 'batch-app', namespace: 'eks-work-batch', annotations: { 'eks.amazonaws.com/role-arn': ROLE } });
    expect(sa.automount_service_account_token).toBe(false);
  });

  test('bad input is refused', () => {
    expect(() => synth('Batch')).toThrow('name: "Batch" is not a service account name');
    expect(() => synth('batch-app', '')).toThrow('roleArn: is required');
  });
});
