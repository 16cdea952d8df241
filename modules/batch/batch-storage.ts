import { Construct } from 'constructs';
import { dependable } from 'cdktf';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { PrivateBucket } from '../core/private-bucket';
import { policyDocument } from '../core/iam';
import { check, checkAccountId, checkBucketName, show } from '../core/validation';
import { IrsaRole } from '../eks/irsa-role';

export interface BatchStorageProps {
  /** Bucket of the batch app's input and output files (globally unique). */
  readonly bucketName: string;
  /** Account owning the bucket, key and role. */
  readonly accountId: string;
  /** Region of the bucket. */
  readonly region: string;
  /** IAM role name for the batch app's service account. */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer URL of the cluster (`https://oidc.eks.<region>.amazonaws.com/id/<ID>`). */
  readonly oidcIssuerUrl: string;
  /** Namespace of the batch app's service account. */
  readonly namespace: string;
  /** The batch app's service account: the only identity that may assume the role. */
  readonly serviceAccount: string;
  /**
   * Bucket receiving the data bucket's S3 server access logs. @default a `<bucketName>-logs` bucket
   * created here (SSE-S3, the only encryption server access logging delivers into)
   */
  readonly accessLogBucket?: string;
  /** Days to keep the access logs in the bucket created here. @default 365 */
  readonly accessLogRetentionDays?: number;
  /** Days to keep overwritten or deleted object versions. @default 90 */
  readonly noncurrentVersionDays?: number;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * The batch application's bucket (private, KMS-encrypted, versioned, TLS-only, access-logged) and an
 * IRSA role for exactly one service account, allowed Get/Put/Delete on the bucket's objects, List on
 * the bucket and the matching use of its key. It replaces the course's IAM user with access keys in
 * plain SSM parameters: no user, no key anywhere; pods get short-lived credentials from the role.
 */
export class BatchStorage extends Construct {
  readonly bucket: PrivateBucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  readonly role: IrsaRole;
  readonly roleArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;

  constructor(scope: Construct, id: string, props: BatchStorageProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    checkBucketName(props.bucketName, 'bucketName');
    checkAccountId(props.accountId, 'accountId');
    if (props.accessLogBucket !== undefined) checkBucketName(props.accessLogBucket, 'accessLogBucket');

    let accessLogBucket = props.accessLogBucket;
    let logBucket: PrivateBucket | undefined;
    if (accessLogBucket === undefined) {
      accessLogBucket = `${props.bucketName}-logs`;
      check(accessLogBucket.length <= 63, 'bucketName', `${show(props.bucketName)} leaves no room for its log bucket "<bucketName>-logs"; allowed: at most 58 characters, or set accessLogBucket`);
      // A reference, not the name typed again: the logging configuration waits for the bucket.
      logBucket = new PrivateBucket(this, 'log-bucket', {
        bucketName: accessLogBucket,
        accountId: props.accountId,
        region: props.region,
        expirationDays: props.accessLogRetentionDays ?? 365,
        noncurrentVersionDays: 30,
        receivesS3AccessLogs: true,
      });
      accessLogBucket = logBucket.bucketName;
    }

    const key = new EncryptionKey(this, 'key', {
      description: `Batch data in ${props.bucketName}`,
      alias: `${props.bucketName.replace(/\./g, '-')}-data`,
      accountId: props.accountId,
      region: props.region,
    });
    this.bucket = new PrivateBucket(this, 'bucket', {
      bucketName: props.bucketName,
      accountId: props.accountId,
      region: props.region,
      kmsKeyArn: key.keyArn,
      noncurrentVersionDays: props.noncurrentVersionDays,
      accessLogBucket,
    });
    // Delivery rests on the log bucket's policy; write the logging configuration once it is in place.
    if (logBucket) this.bucket.logging!.dependsOn = [dependable(logBucket.policy), dependable(logBucket.ownershipControls)];

    const arn = this.bucket.bucketArn;
    this.role = new IrsaRole(this, 'role', {
      roleName: props.roleName,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      description: `Batch app ${props.namespace}/${props.serviceAccount}: objects of ${props.bucketName}`,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      inlinePolicies: {
        'batch-bucket': policyDocument([
          { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn },
          { Sid: 'ReadWriteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${arn}/*` },
          {
            Sid: 'UseBucketKey',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: key.keyArn,
            Condition: { StringEquals: { 'kms:ViaService': `s3.${props.region}.amazonaws.com` } },
          },
        ]),
      },
    });

    this.bucketName = this.bucket.bucketName;
    this.bucketArn = arn;
    this.kmsKeyArn = key.keyArn;
    this.roleArn = this.role.roleArn;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
  }
}
