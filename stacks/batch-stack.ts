import { Construct } from 'constructs';
import { BatchStorage, iamRoleName, partitionOf } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';
import type { ClusterStack } from './cluster-stack';

/** Defaults of the batch app's service account (the add-ons stack creates it with the role annotation). */
export const DEFAULT_BATCH_NAMESPACE = 'eks-work-batch';
export const DEFAULT_BATCH_SERVICE_ACCOUNT = 'batch-app';

/**
 * `<env>-batch`: the batch app's bucket and the IRSA role its service account assumes (instead of the
 * course's IAM user and access keys). Publishes the role for the add-ons stack to annotate the
 * service account with.
 */
export class BatchStack extends PlatformStack {
  readonly storage: BatchStorage;

  constructor(scope: Construct, env: ResolvedEnvironment, cluster: ClusterStack, settings: StackSettings = {}) {
    super(scope, env, 'batch', settings);
    const eks = this.consume(cluster);
    const b = env.batch ?? {};
    const namespace = b.namespace ?? DEFAULT_BATCH_NAMESPACE;
    const serviceAccount = b.serviceAccount ?? DEFAULT_BATCH_SERVICE_ACCOUNT;
    const bucketName = b.bucketName ?? `${env.prefix}-batch-${env.accountId}`;
    const roleName = iamRoleName(env.prefix, 'batch-app');
    this.storage = forEnvironment(env.name, 'batch', () =>
      new BatchStorage(this, 'batch', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        bucketName,
        accountId: env.accountId,
        region: env.region,
        roleName,
        oidcProviderArn: eks.getString('oidc_provider_arn'),
        oidcIssuerUrl: eks.getString('cluster_oidc_issuer_url'),
        namespace,
        serviceAccount,
        noncurrentVersionDays: b.noncurrentVersionDays,
        accessLogRetentionDays: b.accessLogRetentionDays,
      }),
    );
    const s = this.storage;
    const partition = partitionOf(env.region);
    this.publish('batch_bucket_id', s.bucketName, bucketName, 'Bucket of the batch app (its ConfigMap bucket-name)');
    this.publish('batch_bucket_arn', s.bucketArn, `arn:${partition}:s3:::${bucketName}`, 'ARN of the batch bucket');
    this.publish('batch_role_arn', s.roleArn, `arn:${partition}:iam::${env.accountId}:role/${roleName}`, 'IRSA role: annotate the service account with eks.amazonaws.com/role-arn');
    this.publish('batch_service_account_namespace', namespace, namespace, 'Namespace of the batch service account the role trusts');
    this.publish('batch_service_account_name', serviceAccount, serviceAccount, 'Name of the batch service account the role trusts');
  }
}
