import { Construct } from 'constructs';
import { StateBucket } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings, lockTableName } from './platform-stack';

/**
 * `<env>-state`: the bootstrap stack. It creates the bucket every other stack keeps its state in,
 * so it keeps its own small state locally (commit-free; see the README for where to keep it).
 */
export class StateStack extends PlatformStack {
  readonly stateBucket: StateBucket;

  constructor(scope: Construct, env: ResolvedEnvironment, settings: StackSettings = {}) {
    super(scope, env, 'state', settings, 'local');
    const s = env.state;
    this.stateBucket = forEnvironment(env.name, 'state', () =>
      new StateBucket(this, 'state', {
        bucketName: s.bucket,
        accountId: env.accountId,
        region: s.region ?? env.region,
        noncurrentVersionDays: s.noncurrentVersionDays,
        lockTableName: s.locking === 'dynamodb' ? lockTableName(s.bucket) : undefined,
      }),
      { bucketName: 'bucket' },
    );
    this.publish('state_bucket', this.stateBucket.bucketName, s.bucket, 'S3 bucket holding the Terraform state of this environment');
    this.publish('state_kms_key_arn', this.stateBucket.kmsKeyArn, `arn:aws:kms:${env.region}:${env.accountId}:key/00000000-0000-0000-0000-000000000000`, 'KMS key encrypting the state bucket');
    if (this.stateBucket.lockTableName) {
      this.publish('lock_table', this.stateBucket.lockTableName, lockTableName(s.bucket), 'DynamoDB table for state locking');
    }
  }
}
