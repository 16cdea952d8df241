import { Construct } from 'constructs';
import { Lazy, Token } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { checkProviderBindings } from './bindings';
import { stableAddress } from './stable-address';
import { PolicyStatement, denyInsecureTransport, partitionOf, policyDocument } from './iam';
import { check, checkAccountId, checkBucketName, show } from './validation';

export const OBJECT_OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;
export type ObjectOwnership = (typeof OBJECT_OWNERSHIP)[number];

export interface PrivateBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Account that owns the bucket (log-delivery conditions). */
  readonly accountId: string;
  /** Region of the bucket (ARN partition). */
  readonly region: string;
  /**
   * Customer-managed KMS key for default encryption (SSE-KMS with an S3 bucket key).
   * @default SSE-S3 (AES256): the only encryption S3 server access logging can deliver into, so log
   * buckets use it; data buckets should pass a key
   */
  readonly kmsKeyArn?: string;
  /**
   * Object ownership. ACLs stay disabled unless a log source needs them (CloudFront standard logging
   * writes through an ACL grant, so its bucket needs `BucketOwnerPreferred`). @default "BucketOwnerEnforced"
   */
  readonly objectOwnership?: ObjectOwnership;
  /** Days to keep noncurrent object versions. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Days after which current objects expire (log buckets). @default never */
  readonly expirationDays?: number;
  /**
   * Bucket receiving this bucket's S3 server access logs: a reference (`PrivateBucket.bucketName`)
   * when it is made in the same stack, so Terraform creates it first. @default no server access logging
   */
  readonly accessLogBucket?: string;
  /** Key prefix of this bucket's access logs in `accessLogBucket`. @default "s3/<bucketName>/" */
  readonly accessLogPrefix?: string;
  /**
   * Let S3 server access logging of buckets in `accountId` deliver into this bucket (the bucket-policy
   * grant to `logging.s3.amazonaws.com` AWS recommends over the log-delivery group ACL). @default false
   */
  readonly receivesS3AccessLogs?: boolean;
  /** Let `terraform destroy` delete a non-empty bucket. @default false (objects are data) */
  readonly forceDestroy?: boolean;
}

/**
 * An S3 bucket that is private whatever else is configured: all four public-access blocks on,
 * ownership controls, default encryption, versioning, lifecycle for old versions and incomplete
 * uploads, and a bucket policy that denies every request not made over TLS. Callers add their own
 * statements with `addToPolicy` (rendered at synth time, so statements may refer to resources made
 * after the bucket, such as a CloudFront distribution).
 */
export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `<bucket>.s3.amazonaws.com` (CloudFront standard logging target). */
  readonly bucketDomainName: string;
  /** `<bucket>.s3.<region>.amazonaws.com` (CloudFront S3 origin). */
  readonly bucketRegionalDomainName: string;
  readonly policy: S3BucketPolicy;
  readonly ownershipControls: S3BucketOwnershipControls;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** The server access logging configuration, when `accessLogBucket` is set. */
  readonly logging?: S3BucketLoggingA;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    checkBucketName(props.bucketName, 'bucketName');
    checkAccountId(props.accountId, 'accountId');
    const ownership = props.objectOwnership ?? 'BucketOwnerEnforced';
    check((OBJECT_OWNERSHIP as readonly string[]).includes(ownership), 'objectOwnership', `${show(ownership)} is not an object ownership; allowed: ${OBJECT_OWNERSHIP.join(', ')}`);
    const keepDays = props.noncurrentVersionDays ?? 90;
    check(Number.isInteger(keepDays) && keepDays >= 1, 'noncurrentVersionDays', `${show(keepDays)} is not a whole number of days >= 1`);
    if (props.expirationDays !== undefined) {
      check(Number.isInteger(props.expirationDays) && props.expirationDays >= 1, 'expirationDays', `${show(props.expirationDays)} is not a whole number of days >= 1`);
    }
    if (props.accessLogBucket !== undefined && !Token.isUnresolved(props.accessLogBucket)) checkBucketName(props.accessLogBucket, 'accessLogBucket');

    // Buckets are what users import and move: an address without cdktf's hash (`<path>_bucket`).
    this.bucket = stableAddress(new S3Bucket(this, 'bucket', { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false }));
    const bucket = this.bucket.id;
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: ownership } });
    new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: keepDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ];
    if (props.expirationDays !== undefined) {
      rules.push({ id: 'expire-objects', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.expirationDays }] });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket, rule: rules });
    if (props.accessLogBucket) {
      this.logging = new S3BucketLoggingA(this, 'logging', { bucket, targetBucket: props.accessLogBucket, targetPrefix: props.accessLogPrefix ?? `s3/${props.bucketName}/` });
    }

    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.bucketDomainName = this.bucket.bucketDomainName;
    this.bucketRegionalDomainName = this.bucket.bucketRegionalDomainName;

    this.statements.push(denyInsecureTransport(this.bucketArn));
    if (props.receivesS3AccessLogs) {
      const partition = partitionOf(props.region);
      this.statements.push({
        Sid: 'S3ServerAccessLogsDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${this.bucketArn}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:s3:::*` },
          StringEquals: { 'aws:SourceAccount': props.accountId },
        },
      });
    }
    // Rendered at synth time so statements added later (addToPolicy) are included. Applied after the
    // public-access block so a mistakenly public statement is refused rather than briefly live.
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
      dependsOn: [this.publicAccessBlock],
    });
  }

  /** Adds a statement to the bucket policy (which always denies requests without TLS). */
  addToPolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
}
