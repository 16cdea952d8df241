import { SecretReaderRole, SecretReaderRoleProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const SECRET = 'arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:eks-work-dev/backend-app/db-AbCdEf';
const MASTER = 'arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:rds!db-1234-AbCdEf';
const KEY = 'arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-4000-8000-000000000001';
const base: SecretReaderRoleProps = {
  roleName: 'eks-work-dev-database-admin',
  clusterName: 'eks-work-dev',
  namespace: 'eks-work',
  serviceAccount: 'database-admin',
  secretArns: [MASTER, SECRET],
  kmsKeyArns: [KEY],
  region: 'ap-northeast-2',
};

function synth(props: Partial<SecretReaderRoleProps> = {}) {
  const stack = awsTestStack();
  new SecretReaderRole(stack, 'reader', { ...base, ...props });
  return synthesize(stack);
}

describe('SecretReaderRole', () => {
  const json = synth({ permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/eks-work-dev-deploy-boundary' });

  test('one service account of one cluster gets it, through EKS Pod Identity (session tags pinned), bounded', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'eks-work-dev-database-admin', permissions_boundary: 'arn:aws:iam::111111111111:policy/eks-work-dev-deploy-boundary' });
    const [trust] = parsePolicy(role.assume_role_policy).Statement;
    expect(trust.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(trust.Condition.StringEquals).toEqual({
      'aws:RequestTag/eks-cluster-name': 'eks-work-dev',
      'aws:RequestTag/kubernetes-namespace': 'eks-work',
      'aws:RequestTag/kubernetes-service-account': 'database-admin',
    });
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({ cluster_name: 'eks-work-dev', namespace: 'eks-work', service_account: 'database-admin' });
  });

  test('reads exactly the given secrets and decrypts only through Secrets Manager; no managed policy, no write', () => {
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(policy.name).toBe('read-secrets');
    expect(parsePolicy(policy.policy).Statement).toEqual([
      { Sid: 'ReadTheseSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [MASTER, SECRET] },
      { Sid: 'DecryptTheseSecrets', Effect: 'Allow', Action: 'kms:Decrypt', Resource: [KEY], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-northeast-2.amazonaws.com' } } },
    ]);
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment')).toEqual([]);
  });
});

describe('SecretReaderRole bad input', () => {
  test.each<[Partial<SecretReaderRoleProps>, string]>([
    [{ secretArns: [] }, 'secretArns: is empty; allowed: the ARNs of the secrets the role reads'],
    [{ secretArns: ['eks-work-dev/backend-app/db'] }, 'secretArns[0]: "eks-work-dev/backend-app/db" is not a Secrets Manager secret ARN'],
    [{ kmsKeyArns: ['alias/eks-work-dev-db-postgres'] }, 'kmsKeyArns[0]: "alias/eks-work-dev-db-postgres" is not a KMS key ARN'],
    [{ kmsKeyArns: [] }, 'kmsKeyArns: is empty'],
    [{ serviceAccount: 'Database_Admin' }, 'serviceAccount: "Database_Admin" is not a service account name'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
