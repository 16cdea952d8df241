import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { StaticSite } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';

/**
 * `<env>-frontend`: the SPA's private bucket behind CloudFront. A second AWS provider (alias
 * `us-east-1`) holds what CloudFront only accepts from there: the certificate and the web ACL.
 */
export class FrontendStack extends PlatformStack {
  readonly site: StaticSite;
  readonly usEast1: AwsProvider;

  constructor(scope: Construct, env: ResolvedEnvironment, settings: StackSettings = {}) {
    super(scope, env, 'frontend', settings);
    const f = env.frontend ?? {};
    // Same account guard, default tags and offline behaviour as the stack's own provider.
    this.usEast1 = this.addAwsProvider('aws-us-east-1', 'us-east-1', 'us-east-1');
    const bucketName = f.bucketName ?? `${env.prefix}-frontend-${env.accountId}`;
    this.site = forEnvironment(env.name, 'frontend', () =>
      new StaticSite(this, 'site', {
        name: `${env.prefix}-frontend`,
        accountId: env.accountId,
        region: env.region,
        bucketName,
        logBucketName: f.logBucketName,
        usEast1Provider: this.usEast1,
        priceClass: f.priceClass,
        minimumProtocolVersion: f.minimumProtocolVersion,
        domainNames: f.domainNames,
        hostedZoneId: f.hostedZoneId,
        certificateArn: f.certificateArn,
        webAcl: f.webAcl,
        rateLimit: f.rateLimit,
        logRetentionDays: f.logRetentionDays,
        contentSecurityPolicy: f.contentSecurityPolicy,
        allowedCountries: f.allowedCountries,
      }),
    );
    const s = this.site;
    const stubDomain = 'd0offline00000.cloudfront.net';
    const firstDomain = f.domainNames?.[0];
    this.publish('s3_bucket_id', s.bucketName, bucketName, 'Content bucket: `aws s3 sync dist s3://<this> --delete`');
    this.publish('cloudfront_distribution_id', s.distributionId, 'E0OFFLINE00000', 'Distribution id: `aws cloudfront create-invalidation --distribution-id <this> --paths "/*"`');
    this.publish('cloudfront_distribution_arn', s.distributionArn, `arn:aws:cloudfront::${env.accountId}:distribution/E0OFFLINE00000`, 'ARN of the distribution');
    this.publish('cloudfront_distribution_domain_name', s.distributionDomainName, stubDomain, 'Domain name of the distribution (*.cloudfront.net)');
    this.publish('cloudfront_url', s.url, firstDomain && !firstDomain.startsWith('*') ? `https://${firstDomain}` : `https://${stubDomain}`, 'URL of the site');
    this.publish('log_bucket_id', s.logBucket.bucketName, f.logBucketName ?? `${bucketName}-logs`, 'Bucket holding CloudFront (cloudfront/) and S3 (s3/) access logs');
    if (s.webAclArn) {
      this.publish('web_acl_arn', s.webAclArn, f.webAcl && f.webAcl.startsWith('arn:') ? f.webAcl : `arn:aws:wafv2:us-east-1:${env.accountId}:global/webacl/${env.prefix}-frontend-cloudfront/00000000-0000-4000-8000-000000000000`, 'Web ACL protecting the distribution');
    }
  }
}
