import { TerraformLocal } from 'cdktf';
import { IrsaRole, IrsaRoleProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: IrsaRoleProps = {
  roleName: 'eks-work-dev-batch',
  oidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE',
  oidcIssuerUrl: 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE',
  namespace: 'eks-work-batch',
  serviceAccount: 'batch-app',
};

function synth(props: Partial<IrsaRoleProps> = {}) {
  const stack = awsTestStack();
  const role = new IrsaRole(stack, 'irsa', { ...base, ...props });
  return { json: synthesize(stack), role };
}

describe('IrsaRole', () => {
  const { json, role } = synth({
    managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    inlinePolicies: { bucket: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) },
    tags: { team: 'batch' },
  });
  const iamRole = onlyResource(json, 'aws_iam_role');
  const trust = parsePolicy(iamRole.assume_role_policy).Statement;

  test('one statement: web identity through the cluster OIDC provider only', () => {
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Effect: 'Allow', Principal: { Federated: base.oidcProviderArn }, Action: 'sts:AssumeRoleWithWebIdentity' });
  });

  test('trust pins sub to exactly one service account and aud to STS, keyed by the issuer without https://', () => {
    const eq = trust[0].Condition.StringEquals as Record<string, string>;
    expect(Object.keys(trust[0].Condition)).toEqual(['StringEquals']);
    const keys = Object.keys(eq);
    expect(keys).toHaveLength(2);
    const sub = keys.find((k) => k.endsWith(':sub'))!;
    const aud = keys.find((k) => k.endsWith(':aud'))!;
    expect(eq[sub]).toBe('system:serviceaccount:eks-work-batch:batch-app');
    expect(eq[aud]).toBe('sts.amazonaws.com');
    expect(sub).toBe('oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE:sub');
    expect(aud).toBe('oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE:aud');
    expect(role.subject).toBe('system:serviceaccount:eks-work-batch:batch-app');
  });

  test('an issuer known only at apply time is stripped of https:// by Terraform, in a local outside the policy JSON', () => {
    const stack = awsTestStack();
    const issuer = new TerraformLocal(stack, 'issuer', 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/LATER').asString;
    new IrsaRole(stack, 'irsa', { ...base, oidcIssuerUrl: issuer });
    const j = synthesize(stack) as any;
    const keys = Object.keys(parsePolicy(onlyResource(j, 'aws_iam_role').assume_role_policy).Statement[0].Condition.StringEquals);
    expect(keys).toEqual([expect.stringMatching(/^\$\{local\.irsa_issuer-host_\w+\}:sub$/), expect.stringMatching(/^\$\{local\.irsa_issuer-host_\w+\}:aud$/)]);
    const host = Object.entries(j.locals).find(([k]) => k.startsWith('irsa_issuer-host'))![1];
    expect(host).toBe('${replace(local.issuer, "https://", "")}');
  });

  test('attaches the managed and inline policies passed in, and tags', () => {
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(onlyResource(json, 'aws_iam_role_policy').name).toBe('bucket');
    expect(iamRole.name).toBe('eks-work-dev-batch');
    expect(iamRole.tags).toEqual({ team: 'batch' });
    expect(iamRole.description).toBe('IRSA role for eks-work-batch/batch-app');
  });

  test('no policies by default', () => {
    const j = synth().json;
    expect(resourcesOfType(j, 'aws_iam_role_policy_attachment')).toHaveLength(0);
    expect(resourcesOfType(j, 'aws_iam_role_policy')).toHaveLength(0);
  });
});

describe('IrsaRole bad input', () => {
  test.each<[Partial<IrsaRoleProps>, string]>([
    [{ namespace: 'Batch' }, 'namespace: "Batch" is not a Kubernetes namespace name'],
    [{ namespace: 'x'.repeat(64) }, 'namespace: "' + 'x'.repeat(64) + '" is not a Kubernetes namespace name'],
    [{ serviceAccount: 'batch_app' }, 'serviceAccount: "batch_app" is not a service account name'],
    [{ roleName: 'r'.repeat(65) }, 'roleName: "' + 'r'.repeat(65) + '" is not an IAM role name'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
