import { StateBucket, StateBucketProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: StateBucketProps = { bucketName: 'eks-work-dev-tfstate-111111111111', accountId: '111111111111', region: 'ap-northeast-2' };

function synth(props: Partial<StateBucketProps> = {}) {
  const stack = awsTestStack();
  new StateBucket(stack, 'state', { ...base, ...props });
  return synthesize(stack);
}

/** The resource of `type` belonging to the state bucket itself (not its access-log bucket). */
function own(json: any, type: string) {
  const all = resourcesOfType(json, type).filter((r) => (type === 'aws_s3_bucket' ? r.bucket === base.bucketName : !/access-logs/.test(JSON.stringify(r))));
  expect(all).toHaveLength(1);
  return all[0];
}

describe('StateBucket', () => {
  const json = synth();

  test('bucket is versioned, KMS-encrypted with a rotating key, and protected from destroy', () => {
    const bucket = own(json, 'aws_s3_bucket');
    expect(bucket).toMatchObject({ bucket: base.bucketName, force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(own(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    const sse = own(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(sse.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(sse.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\./);
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });

  test('all four public access blocks on and ACLs disabled', () => {
    expect(own(json, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(own(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test('policy denies every request without TLS', () => {
    const [deny] = parsePolicy(own(json, 'aws_s3_bucket_policy').policy).Statement;
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(deny.Resource).toHaveLength(2);
  });

  test('old state versions expire after the configured days', () => {
    const rule = own(json, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
    expect(own(synth({ noncurrentVersionDays: 365 }), 'aws_s3_bucket_lifecycle_configuration').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 365 }]);
  });

  test('no DynamoDB table unless asked; when asked it has PITR, KMS encryption and deletion protection', () => {
    expect(resourcesOfType(json, 'aws_dynamodb_table')).toHaveLength(0);
    const table = onlyResource(synth({ lockTableName: 'locks' }), 'aws_dynamodb_table');
    expect(table).toMatchObject({ name: 'locks', hash_key: 'LockID', billing_mode: 'PAY_PER_REQUEST', point_in_time_recovery: { enabled: true }, deletion_protection_enabled: true });
    expect(table.server_side_encryption.enabled).toBe(true);
    expect(table.server_side_encryption.kms_key_arn).toMatch(/aws_kms_key\./);
  });

  test('access logs by default: a private SSE-S3 log bucket of its own, expiring, receiving through its policy, kept like the state', () => {
    const logBucket = resourcesOfType(json, 'aws_s3_bucket').find((b) => b.bucket === `${base.bucketName}-logs`)!;
    expect(logBucket).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    const logs = (type: string) => resourcesOfType(json, type).find((r) => /access-logs/.test(String(r.bucket)))!;
    // S3 server access logging cannot deliver into SSE-KMS buckets.
    expect(logs('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    expect(logs('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(logs('aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(logs('aws_s3_bucket_lifecycle_configuration').rule.find((r: any) => r.id === 'expire-objects').expiration).toEqual([{ days: 365 }]);
    const delivery = parsePolicy(logs('aws_s3_bucket_policy').policy).Statement.find((st: any) => st.Sid === 'S3ServerAccessLogsDelivery');
    expect(delivery).toMatchObject({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceAccount': base.accountId } } });

    const logging = onlyResource(json, 'aws_s3_bucket_logging');
    expect(logging.bucket).toBe('${aws_s3_bucket.state_bucket.id}');
    // A reference to the created bucket, not its name typed again; configured once its policy admits S3's log delivery.
    expect(logging.target_bucket).toBe('${aws_s3_bucket.state_access-logs_bucket.bucket}');
    expect(logging.target_prefix).toBe(`${base.bucketName}/`);
    expect(logging.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_policy\.state_access-logs_policy/), expect.stringMatching(/^aws_s3_bucket_ownership_controls\.state_access-logs_ownership/)]));
    const days = resourcesOfType(synth({ accessLogRetentionDays: 30 }), 'aws_s3_bucket_lifecycle_configuration').flatMap((l) => l.rule.filter((r: any) => r.id === 'expire-objects'));
    expect(days.map((r: any) => r.expiration)).toEqual([[{ days: 30 }]]);
  });

  test('access logs to an existing bucket (nothing created) or off', () => {
    const existing = synth({ accessLogBucket: 'my-org-s3-access-logs' });
    expect(resourcesOfType(existing, 'aws_s3_bucket').map((b) => b.bucket)).toEqual([base.bucketName]);
    expect(onlyResource(existing, 'aws_s3_bucket_logging')).toMatchObject({ target_bucket: 'my-org-s3-access-logs', target_prefix: `${base.bucketName}/` });
    expect(onlyResource(existing, 'aws_s3_bucket_logging').depends_on).toBeUndefined();
    const off = synth({ accessLogBucket: false });
    expect(resourcesOfType(off, 'aws_s3_bucket')).toHaveLength(1);
    expect(resourcesOfType(off, 'aws_s3_bucket_logging')).toHaveLength(0);
  });

  test('preventDestroy: false releases the log bucket too (retiring an environment)', () => {
    expect(resourcesOfType(synth({ preventDestroy: false }), 'aws_s3_bucket').map((b) => b.lifecycle)).toEqual([{ prevent_destroy: false }, { prevent_destroy: false }]);
  });

  test.each<[Partial<StateBucketProps>, string]>([
    [{ bucketName: 'Bad_Bucket' }, 'bucketName: "Bad_Bucket" is not a valid S3 bucket name'],
    [{ bucketName: `state-${'x'.repeat(54)}` }, `accessLogBucket: unset makes the log bucket "state-${'x'.repeat(54)}-logs", 65 characters; allowed: a bucketName of at most 58 characters, or an existing bucket's name`],
    [{ accessLogBucket: 'Bad_Logs' }, 'accessLogBucket: "Bad_Logs" is not a valid S3 bucket name'],
    [{ accessLogBucket: '' }, 'accessLogBucket: is empty; allowed: an existing bucket name, false for no access logging, or unset to create one'],
    [{ accessLogBucket: base.bucketName }, 'accessLogBucket: is the state bucket itself'],
    [{ accessLogBucket: 'my-org-s3-access-logs', accessLogRetentionDays: 30 }, 'accessLogRetentionDays: is set but no log bucket is created here (accessLogBucket is "my-org-s3-access-logs")'],
    [{ accessLogRetentionDays: 0 }, 'accessLogRetentionDays: 0 is not a whole number of days >= 1'],
    [{ bucketName: '192.168.1.1' }, 'bucketName: "192.168.1.1" is not a valid S3 bucket name'],
    [{ accountId: '123' }, 'accountId: "123" is not an AWS account id; allowed: exactly 12 digits'],
    [{ noncurrentVersionDays: 0 }, 'noncurrentVersionDays: 0 is not a whole number of days >= 1'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
