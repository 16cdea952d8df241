import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EncryptionKey } from '../core/encryption-key';
import { denyInsecureTransport, policyDocument } from '../core/iam';
import { partitionOf } from '../core/iam';
import { check, checkAccountId, checkBucketName, show } from '../core/validation';

/**
 * Alias (without `alias/`) of the KMS key of a state bucket: `<bucket>-state`, dots made dashes (KMS
 * aliases allow letters, digits, `/`, `_` and `-`). Known before the key exists, so S3 backends can
 * name it (`kms_key_id`) while the key's own id is still unknown.
 */
export function stateKeyAlias(bucketName: string): string {
  return `${bucketName.replace(/\./g, '-')}-state`;
}

/** ARN of a state bucket's key alias, for an S3 backend's `kms_key_id`. */
export function stateKeyAliasArn(bucketName: string, region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${accountId}:alias/${stateKeyAlias(bucketName)}`;
}

export interface StateBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Account that owns the bucket and its KMS key. */
  readonly accountId: string;
  /** Region of the bucket. */
  readonly region: string;
  /** Days to keep noncurrent state versions (your undo history). @default 90 */
  readonly noncurrentVersionDays?: number;
  /**
   * Create a DynamoDB lock table of this name, for teams on Terraform < 1.10 that cannot use S3-native
   * locking (`use_lockfile`). @default no table
   */
  readonly lockTableName?: string;
  /** Bucket receiving S3 server access logs for the state bucket. @default no access logging */
  readonly accessLogBucket?: string;
  /**
   * Refuse `terraform destroy` of the bucket, key and table (`lifecycle.prevent_destroy`). Losing
   * state orphans every resource it tracks. @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The S3 bucket (and optional DynamoDB table) that hold every other stack's Terraform state:
 * versioned, KMS-encrypted, private, TLS-only, protected from accidental destroy.
 */
export class StateBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** ARN of the key's alias (`alias/<bucket>-state`): what S3 backends put in `kms_key_id`. */
  readonly kmsAliasArn: string;
  readonly lockTableName?: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    checkBucketName(props.bucketName, 'bucketName');
    checkAccountId(props.accountId, 'accountId');
    const keepDays = props.noncurrentVersionDays ?? 90;
    check(Number.isInteger(keepDays) && keepDays >= 1, 'noncurrentVersionDays', `${show(keepDays)} is not a whole number of days >= 1`);
    const lifecycle = { preventDestroy: props.preventDestroy ?? true };

    const key = new EncryptionKey(this, 'key', {
      description: `Terraform state in ${props.bucketName}`,
      alias: stateKeyAlias(props.bucketName),
      accountId: props.accountId,
      region: props.region,
    });
    key.key.lifecycle = lifecycle;

    const bucket = new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: false, lifecycle });
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.keyArn }, bucketKeyEnabled: true }],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // After the public access block, like every bucket here: concurrent bucket-config writes on a new
    // bucket can fail with OperationAborted.
    new S3BucketPolicy(this, 'policy', { bucket: bucket.id, policy: policyDocument([denyInsecureTransport(bucket.arn)]), dependsOn: [publicAccessBlock] });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: keepDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    if (props.accessLogBucket) {
      new S3BucketLoggingA(this, 'logging', { bucket: bucket.id, targetBucket: props.accessLogBucket, targetPrefix: `${props.bucketName}/` });
    }

    if (props.lockTableName) {
      const table = new DynamodbTable(this, 'lock-table', {
        name: props.lockTableName,
        billingMode: 'PAY_PER_REQUEST',
        hashKey: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.keyArn },
        deletionProtectionEnabled: true,
        lifecycle,
      });
      this.lockTableName = table.name;
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = key.keyArn;
    this.kmsAliasArn = stateKeyAliasArn(props.bucketName, props.region, props.accountId);
  }
}
