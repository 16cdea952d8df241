import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { PrivateBucket } from '../core/private-bucket';
import { stableAddress } from '../core/stable-address';
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
  /**
   * Where S3 server access logs of the state bucket go: the record of who read or wrote which state
   * (state holds secrets; checkov CKV_AWS_18). Unset: a log bucket `<bucketName>-logs` is created
   * here, private, SSE-S3 (server access logging cannot deliver into SSE-KMS buckets), expiring after
   * `accessLogRetentionDays`, receiving through a bucket policy for `logging.s3.amazonaws.com`. A
   * bucket name: an existing bucket in the same account and region that admits that service (SSE-S3,
   * bucket policy, see docs/usage.md). `false`: no access logging.
   * @default a log bucket created here
   */
  readonly accessLogBucket?: string | false;
  /** Days the created log bucket keeps access logs. @default 365 */
  readonly accessLogRetentionDays?: number;
  /**
   * Refuse `terraform destroy` of the bucket, key, table and the created log bucket
   * (`lifecycle.prevent_destroy`). Losing state orphans every resource it tracks; the access logs are
   * the audit trail of reads of that state. @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The S3 bucket (and optional DynamoDB table) that hold every other stack's Terraform state:
 * versioned, KMS-encrypted, private, TLS-only, protected from accidental destroy, with S3 server
 * access logs in a log bucket of its own (or one you name).
 */
export class StateBucket extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** ARN of the key's alias (`alias/<bucket>-state`): what S3 backends put in `kms_key_id`. */
  readonly kmsAliasArn: string;
  readonly lockTableName?: string;
  /** The log bucket created for the access logs (unless `accessLogBucket` names one or is false). */
  readonly accessLogs?: PrivateBucket;
  /** Name of the bucket receiving the access logs (a reference when created here). */
  readonly accessLogBucketName?: string;
  /** The state bucket's server access logging configuration, unless `accessLogBucket` is false. */
  readonly logging?: S3BucketLoggingA;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    checkBucketName(props.bucketName, 'bucketName');
    checkAccountId(props.accountId, 'accountId');
    const keepDays = props.noncurrentVersionDays ?? 90;
    check(Number.isInteger(keepDays) && keepDays >= 1, 'noncurrentVersionDays', `${show(keepDays)} is not a whole number of days >= 1`);
    const lifecycle = { preventDestroy: props.preventDestroy ?? true };
    const logRetention = props.accessLogRetentionDays ?? 365;
    const createLogBucket = props.accessLogBucket === undefined;
    const logBucketName: string | undefined = createLogBucket ? `${props.bucketName}-logs` : props.accessLogBucket || undefined;
    check(props.accessLogBucket !== '', 'accessLogBucket', 'is empty; allowed: an existing bucket name, false for no access logging, or unset to create one');
    if (createLogBucket) {
      check(logBucketName!.length <= 63, 'accessLogBucket', `unset makes the log bucket ${show(logBucketName)}, ${logBucketName!.length} characters; allowed: a bucketName of at most 58 characters, or an existing bucket's name`);
      check(Number.isInteger(logRetention) && logRetention >= 1, 'accessLogRetentionDays', `${show(logRetention)} is not a whole number of days >= 1`);
    } else {
      check(props.accessLogRetentionDays === undefined, 'accessLogRetentionDays', `is set but no log bucket is created here (accessLogBucket is ${show(props.accessLogBucket)}); allowed: leave it unset and expire the logs in your bucket, or unset accessLogBucket`);
    }
    if (logBucketName !== undefined && !Token.isUnresolved(logBucketName)) {
      checkBucketName(logBucketName, 'accessLogBucket');
      check(logBucketName !== props.bucketName, 'accessLogBucket', 'is the state bucket itself (each log delivery would be logged again); allowed: another bucket');
    }

    const key = new EncryptionKey(this, 'key', {
      description: `Terraform state in ${props.bucketName}`,
      alias: stateKeyAlias(props.bucketName),
      accountId: props.accountId,
      region: props.region,
      stableAddresses: true,
    });
    key.key.lifecycle = lifecycle;

    // The state resources keep addresses without cdktf's hash (stableAddress): the docs' import and
    // state mv commands name them, and the bootstrap stack's local state is the one most often recovered by hand.
    const bucket = stableAddress(new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: false, lifecycle }));
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
    if (createLogBucket) {
      this.accessLogs = new PrivateBucket(this, 'access-logs', {
        bucketName: logBucketName!,
        accountId: props.accountId,
        region: props.region,
        expirationDays: logRetention,
        noncurrentVersionDays: 30,
        receivesS3AccessLogs: true,
      });
      // Like the state itself: a config change must not delete the audit trail of state reads.
      this.accessLogs.bucket.lifecycle = lifecycle;
    }
    this.accessLogBucketName = this.accessLogs?.bucketName ?? logBucketName;
    if (this.accessLogBucketName) {
      this.logging = new S3BucketLoggingA(this, 'logging', {
        bucket: bucket.id,
        targetBucket: this.accessLogBucketName,
        targetPrefix: `${props.bucketName}/`,
        // Delivery rests on the log bucket's policy (ACLs are disabled): configure logging once it is in place.
        dependsOn: this.accessLogs ? [this.accessLogs.policy, this.accessLogs.ownershipControls] : undefined,
      });
    }

    if (props.lockTableName) {
      const table = stableAddress(new DynamodbTable(this, 'lock-table', {
        name: props.lockTableName,
        billingMode: 'PAY_PER_REQUEST',
        hashKey: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.keyArn },
        deletionProtectionEnabled: true,
        lifecycle,
      }));
      this.lockTableName = table.name;
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = key.keyArn;
    this.kmsAliasArn = stateKeyAliasArn(props.bucketName, props.region, props.accountId);
  }
}
