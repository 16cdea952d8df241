import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { checkProviderBindings } from './bindings';
import { PolicyStatement, partitionOf, policyDocument } from './iam';
import { stableAddress } from './stable-address';
import { checkAccountId } from './validation';

export interface EncryptionKeyProps {
  /** Shown in the KMS console. */
  readonly description: string;
  /** Alias without the `alias/` prefix. @default no alias */
  readonly alias?: string;
  /** Account that owns the key; its root principal administers it (the KMS default, made explicit). */
  readonly accountId: string;
  /** Region of the key, for service conditions. */
  readonly region: string;
  /** Let CloudWatch Logs in this account and region use the key (for encrypted log groups). @default false */
  readonly allowCloudWatchLogs?: boolean;
  /** Further key-policy statements (e.g. a service principal). @default none */
  readonly extraStatements?: PolicyStatement[];
  /** Days before a scheduled deletion happens. @default 30 (the maximum: most time to undo a mistake) */
  readonly deletionWindowInDays?: number;
  /**
   * Give the key and its alias addresses without cdktf's hash suffix (`stableAddress`), for keys
   * users import or move (the state key). @default false
   */
  readonly stableAddresses?: boolean;
}

/** A customer-managed KMS key with rotation on and an explicit key policy. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  /** The alias, when `alias` is set. */
  readonly alias?: KmsAlias;
  readonly keyArn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    checkAccountId(props.accountId, 'accountId');
    const partition = partitionOf(props.region);
    const statements: PolicyStatement[] = [
      {
        Sid: 'AccountAdministers',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${props.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: 'CloudWatchLogsUse',
        Effect: 'Allow',
        Principal: { Service: `logs.${props.region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:*` },
        },
      });
    }
    statements.push(...(props.extraStatements ?? []));
    const stable = <T extends KmsKey | KmsAlias>(r: T): T => (props.stableAddresses ? stableAddress(r) : r);
    this.key = stable(
      new KmsKey(this, 'key', {
        description: props.description,
        enableKeyRotation: true,
        deletionWindowInDays: props.deletionWindowInDays ?? 30,
        policy: policyDocument(statements),
      }),
    );
    if (props.alias) this.alias = stable(new KmsAlias(this, 'alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId }));
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
  }
}
