import { BatchStorage, BatchStorageProps } from '../modules';
import { awsTestStack, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: BatchStorageProps = {
  bucketName: 'eks-work-dev-batch-111111111111',
  accountId: '111111111111',
  region: 'ap-northeast-2',
  roleName: 'eks-work-dev-batch-app',
  oidcProviderArn: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE',
  oidcIssuerUrl: 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE',
  namespace: 'eks-work-batch',
  serviceAccount: 'batch-app',
};

function synth(props: Partial<BatchStorageProps> = {}) {
  const stack = awsTestStack();
  new BatchStorage(stack, 'batch', { ...base, ...props });
  return synthesize(stack);
}

type Json = ReturnType<typeof synth>;
const bucketRef = (json: Json, name: string) => {
  const entry = Object.entries(json.resource!.aws_s3_bucket).find(([, b]) => b.bucket === name);
  if (!entry) throw new Error(`no bucket ${name}`);
  return entry[0];
};
const forBucket = (json: Json, type: string, name: string) => {
  const ref = `\${aws_s3_bucket.${bucketRef(json, name)}.id}`;
  const found = resourcesOfType(json, type).filter((r) => r.bucket === ref);
  if (found.length !== 1) throw new Error(`expected one ${type} for ${name}, found ${found.length}`);
  return found[0];
};

describe('BatchStorage', () => {
  const json = synth();
  const bucket = base.bucketName;
  const ref = bucketRef(json, bucket);

  test('bucket private: four public-access blocks, ACLs disabled, no force destroy', () => {
    expect(forBucket(json, 'aws_s3_bucket_public_access_block', bucket)).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(forBucket(json, 'aws_s3_bucket_ownership_controls', bucket).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(json.resource!.aws_s3_bucket[ref].force_destroy).toBe(false);
  });

  test('bucket KMS-encrypted with a rotating key and versioned', () => {
    const sse = forBucket(json, 'aws_s3_bucket_server_side_encryption_configuration', bucket).rule[0];
    expect(sse).toEqual({ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\./) }, bucket_key_enabled: true });
    expect(resourcesOfType(json, 'aws_kms_key').every((k) => k.enable_key_rotation === true)).toBe(true);
    expect(forBucket(json, 'aws_s3_bucket_versioning', bucket).versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('bucket policy denies requests without TLS', () => {
    const [deny] = parsePolicy(forBucket(json, 'aws_s3_bucket_policy', bucket).policy).Statement;
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('server access logs go to a private log bucket', () => {
    expect(forBucket(json, 'aws_s3_bucket_logging', bucket)).toMatchObject({ target_bucket: '${aws_s3_bucket.batch_log-bucket.bucket}' });
    expect(resourcesOfType(json, 'aws_s3_bucket').map((b) => b.bucket)).toContain(`${bucket}-logs`);
    expect(forBucket(json, 'aws_s3_bucket_public_access_block', `${bucket}-logs`)).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
    const given = synth({ accessLogBucket: 'central-access-logs' });
    expect(resourcesOfType(given, 'aws_s3_bucket')).toHaveLength(1);
    expect(resourcesOfType(given, 'aws_s3_bucket_logging')[0].target_bucket).toBe('central-access-logs');
  });

  test('IRSA role trusted by exactly one service account (sub and aud pinned)', () => {
    const role = resourcesOfType(json, 'aws_iam_role')[0];
    expect(role.name).toBe('eks-work-dev-batch-app');
    const [trust] = parsePolicy(role.assume_role_policy).Statement;
    expect(trust).toMatchObject({ Effect: 'Allow', Principal: { Federated: base.oidcProviderArn }, Action: 'sts:AssumeRoleWithWebIdentity' });
    const cond = trust.Condition.StringEquals;
    expect(Object.values(cond).sort()).toEqual(['sts.amazonaws.com', 'system:serviceaccount:eks-work-batch:batch-app']);
  });

  test('role may only Get/Put/Delete objects, List the bucket and use the bucket key through S3', () => {
    expect(resourcesOfType(json, 'aws_iam_role_policy_attachment')).toHaveLength(0);
    const [inline] = resourcesOfType(json, 'aws_iam_role_policy');
    const st = parsePolicy(inline.policy).Statement;
    const arn = `\${aws_s3_bucket.${ref}.arn}`;
    expect(st).toEqual([
      { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn },
      { Sid: 'ReadWriteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${arn}/*` },
      { Sid: 'UseBucketKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: expect.stringMatching(/aws_kms_key\..*\.arn/), Condition: { StringEquals: { 'kms:ViaService': 's3.ap-northeast-2.amazonaws.com' } } },
    ]);
    expect(JSON.stringify(st)).not.toMatch(/"\*"|s3:\*/);
  });

  test('no IAM user, no access key, no SSM parameter', () => {
    for (const type of ['aws_iam_user', 'aws_iam_access_key', 'aws_ssm_parameter']) expect(resourcesOfType(json, type)).toHaveLength(0);
  });

  test.each<[Partial<BatchStorageProps>, string]>([
    [{ bucketName: 'Batch_Bucket' }, 'bucketName: "Batch_Bucket" is not a valid S3 bucket name'],
    [{ bucketName: 'b'.repeat(60) }, 'bucketName: "' + 'b'.repeat(60) + '" leaves no room for its log bucket'],
    [{ accessLogBucket: 'x' }, 'accessLogBucket: "x" is not a valid S3 bucket name'],
    [{ namespace: 'Batch' }, 'namespace: "Batch" is not a Kubernetes namespace name'],
    [{ serviceAccount: 'batch_app' }, 'serviceAccount: "batch_app" is not a service account name'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
