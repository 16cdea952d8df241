import { PrivateBucket, PrivateBucketProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: PrivateBucketProps = { bucketName: 'eks-work-dev-data-111111111111', accountId: '111111111111', region: 'ap-northeast-2' };

function synth(props: Partial<PrivateBucketProps> = {}, configure?: (b: PrivateBucket) => void) {
  const stack = awsTestStack();
  const bucket = new PrivateBucket(stack, 'bucket', { ...base, ...props });
  configure?.(bucket);
  return synthesize(stack);
}

describe('PrivateBucket', () => {
  const json = synth();

  test('all four public-access blocks on, ACLs disabled, versioned, no force destroy', () => {
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({ bucket: base.bucketName, force_destroy: false });
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(onlyResource(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(onlyResource(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('SSE-S3 by default, SSE-KMS with a bucket key when a key is given', () => {
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    const arn = 'arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-4000-8000-000000000000';
    expect(onlyResource(synth({ kmsKeyArn: arn }), 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: arn }, bucket_key_enabled: true },
    ]);
  });

  test('policy denies non-TLS requests, is applied after the public-access block, and takes added statements', () => {
    const policy = onlyResource(json, 'aws_s3_bucket_policy');
    expect(parsePolicy(policy.policy).Statement).toEqual([expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
    const added = synth({}, (b) => b.addToPolicy({ Sid: 'Extra', Effect: 'Allow', Principal: { Service: 'example.amazonaws.com' }, Action: 's3:GetObject', Resource: `${b.bucketArn}/*` }));
    expect(parsePolicy(onlyResource(added, 'aws_s3_bucket_policy').policy).Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'Extra']);
  });

  test('lifecycle expires old versions and incomplete uploads; objects only when asked', () => {
    const rules = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(rules).toEqual([expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 90 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] })]);
    expect(onlyResource(synth({ expirationDays: 30 }), 'aws_s3_bucket_lifecycle_configuration').rule[1]).toMatchObject({ id: 'expire-objects', expiration: [{ days: 30 }] });
  });

  test('access logging and log-delivery grant only when asked', () => {
    expect(resourcesOfType(json, 'aws_s3_bucket_logging')).toHaveLength(0);
    expect(onlyResource(synth({ accessLogBucket: 'my-logs' }), 'aws_s3_bucket_logging')).toMatchObject({ target_bucket: 'my-logs', target_prefix: `s3/${base.bucketName}/` });
    const st = parsePolicy(onlyResource(synth({ receivesS3AccessLogs: true }), 'aws_s3_bucket_policy').policy).Statement[1];
    expect(st).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } });
  });

  test.each<[Partial<PrivateBucketProps>, string]>([
    [{ bucketName: 'UPPER' }, 'bucketName: "UPPER" is not a valid S3 bucket name'],
    [{ accountId: 'x' }, 'accountId: "x" is not an AWS account id'],
    [{ objectOwnership: 'Public' as any }, 'objectOwnership: "Public" is not an object ownership'],
    [{ noncurrentVersionDays: 0 }, 'noncurrentVersionDays: 0 is not a whole number of days >= 1'],
    [{ expirationDays: 1.5 }, 'expirationDays: 1.5 is not a whole number of days >= 1'],
    [{ accessLogBucket: 'A' }, 'accessLogBucket: "A" is not a valid S3 bucket name'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
