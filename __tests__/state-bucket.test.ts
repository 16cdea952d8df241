import { StateBucket, StateBucketProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: StateBucketProps = { bucketName: 'eks-work-dev-tfstate-111111111111', accountId: '111111111111', region: 'ap-northeast-2' };

function synth(props: Partial<StateBucketProps> = {}) {
  const stack = awsTestStack();
  new StateBucket(stack, 'state', { ...base, ...props });
  return synthesize(stack);
}

describe('StateBucket', () => {
  const json = synth();

  test('bucket is versioned, KMS-encrypted with a rotating key, and protected from destroy', () => {
    const bucket = onlyResource(json, 'aws_s3_bucket');
    expect(bucket).toMatchObject({ bucket: base.bucketName, force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    const sse = onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(sse.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(sse.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\./);
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });

  test('all four public access blocks on and ACLs disabled', () => {
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(onlyResource(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test('policy denies every request without TLS', () => {
    const [deny] = parsePolicy(onlyResource(json, 'aws_s3_bucket_policy').policy).Statement;
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(deny.Resource).toHaveLength(2);
  });

  test('old state versions expire after the configured days', () => {
    const rule = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
    expect(onlyResource(synth({ noncurrentVersionDays: 365 }), 'aws_s3_bucket_lifecycle_configuration').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 365 }]);
  });

  test('no DynamoDB table unless asked; when asked it has PITR, KMS encryption and deletion protection', () => {
    expect(resourcesOfType(json, 'aws_dynamodb_table')).toHaveLength(0);
    const table = onlyResource(synth({ lockTableName: 'locks' }), 'aws_dynamodb_table');
    expect(table).toMatchObject({ name: 'locks', hash_key: 'LockID', billing_mode: 'PAY_PER_REQUEST', point_in_time_recovery: { enabled: true }, deletion_protection_enabled: true });
    expect(table.server_side_encryption.enabled).toBe(true);
    expect(table.server_side_encryption.kms_key_arn).toMatch(/aws_kms_key\./);
  });

  test.each<[Partial<StateBucketProps>, string]>([
    [{ bucketName: 'Bad_Bucket' }, 'bucketName: "Bad_Bucket" is not a valid S3 bucket name'],
    [{ bucketName: '192.168.1.1' }, 'bucketName: "192.168.1.1" is not a valid S3 bucket name'],
    [{ accountId: '123' }, 'accountId: "123" is not an AWS account id; allowed: exactly 12 digits'],
    [{ noncurrentVersionDays: 0 }, 'noncurrentVersionDays: 0 is not a whole number of days >= 1'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
