import { Construct } from 'constructs';
import { Lazy, TerraformProvider, dependable } from 'cdktf';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { S3BucketAcl } from '@cdktf/provider-aws/lib/s3-bucket-acl';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { ManagedRulesWebAcl } from '../core/managed-rules-web-acl';
import { dnsValidatedCertificate } from '../core/dns-validated-certificate';
import { PrivateBucket } from '../core/private-bucket';
import { check, checkAccountId, checkBucketName, checkHostedZoneId, checkNamePrefix, checkRetentionDays, show } from '../core/validation';

export const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];
/** Viewer TLS policies offered for a custom domain (older ones allow TLS 1.0/1.1 or weak ciphers). */
export const MINIMUM_PROTOCOL_VERSIONS = ['TLSv1.2_2019', 'TLSv1.2_2021'] as const;
export type MinimumProtocolVersion = (typeof MINIMUM_PROTOCOL_VERSIONS)[number];
/** CloudFront's managed `CachingOptimized` cache policy. */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';
/** Canonical user id of `awslogsdelivery`, the account CloudFront standard logging writes as. */
export const CLOUDFRONT_LOG_DELIVERY_CANONICAL_ID = 'c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0';

const GLOBAL_WEB_ACL_ARN = /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;
const CERTIFICATE_ARN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface StaticSiteProps {
  /** Prefix of every name (OAC, policies, web ACL), unique per site, e.g. `eks-work-dev-frontend`. */
  readonly name: string;
  /** Account owning the buckets and keys. */
  readonly accountId: string;
  /** Region of the buckets. */
  readonly region: string;
  /** Content bucket (globally unique). */
  readonly bucketName: string;
  /** Log bucket for CloudFront standard logs and the content bucket's access logs. @default "<bucketName>-logs" */
  readonly logBucketName?: string;
  /**
   * AWS provider for us-east-1, where CloudFront's certificates and web ACLs must live. Required when
   * this construct creates a certificate (`domainNames` + `hostedZoneId`) or a web ACL (`webAcl: "create"`).
   * @default none
   */
  readonly usEast1Provider?: TerraformProvider;
  /** Edge locations served: 100 (North America, Europe), 200 (+ Asia, Middle East, Africa), All. @default "PriceClass_200" (includes Korea and Japan) */
  readonly priceClass?: PriceClass;
  /**
   * Viewer TLS policy of the custom domain's certificate (ACM, SNI). Only a custom domain can have
   * one: with the default `*.cloudfront.net` certificate (`cloudfront_default_certificate = true`)
   * CloudFront ignores `minimum_protocol_version` and applies its `TLSv1` policy, so setting this
   * without `domainNames` is an error. @default "TLSv1.2_2021" (checkov CKV_AWS_174)
   */
  readonly minimumProtocolVersion?: MinimumProtocolVersion;
  /** Custom domain names (aliases), e.g. `["www.example.com"]`. @default none: the distribution's `*.cloudfront.net` name */
  readonly domainNames?: string[];
  /** Route 53 hosted zone of `domainNames`: certificate validation records and A/AAAA aliases go here. @default none */
  readonly hostedZoneId?: string;
  /** Existing ACM certificate in us-east-1 covering `domainNames`. @default one created and DNS-validated in `hostedZoneId` */
  readonly certificateArn?: string;
  /**
   * Web ACL: `"create"` (AWS managed rule groups plus a per-IP rate limit, logged for `logRetentionDays`),
   * `"none"`, or the ARN of an existing CLOUDFRONT-scope ACL (`arn:aws:wafv2:us-east-1:<account>:global/webacl/...`).
   * @default "create" (checkov CKV2_AWS_47); dev may choose "none" to save the monthly WAF charges
   */
  readonly webAcl?: string;
  /** Requests per IP per 5 minutes before the created web ACL blocks. @default 2000 */
  readonly rateLimit?: number;
  /** Days to keep CloudFront/S3 access logs (bucket lifecycle) and WAF logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Content-Security-Policy header value. @default none (a policy depends on the app's API origins) */
  readonly contentSecurityPolicy?: string;
  /** Countries (ISO 3166 alpha-2) allowed to view the site. @default every country */
  readonly allowedCountries?: string[];
  /**
   * Canonical user id of the log bucket's owner. When set, the log bucket's ACL (owner and
   * `awslogsdelivery` full control) is managed here; otherwise CloudFront adds its grant itself when
   * logging is enabled (the deploying principal needs s3:GetBucketAcl and s3:PutBucketAcl), because
   * reading the id needs an API call at plan time. @default unmanaged ACL
   */
  readonly logBucketOwnerCanonicalId?: string;
}

/**
 * A single-page application served by CloudFront from a private S3 bucket: Origin Access Control
 * (sigv4 on every request) and a bucket policy admitting only this distribution; HTTPS only;
 * `index.html` as root and for SPA routes (403/404 → 200); managed caching; security headers;
 * standard logs; optional custom domain with a DNS-validated certificate; optional WAF.
 */
export class StaticSite extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly bucket: PrivateBucket;
  readonly logBucket: PrivateBucket;
  readonly bucketName: string;
  readonly distributionId: string;
  readonly distributionArn: string;
  /** `dxxxx.cloudfront.net`. */
  readonly distributionDomainName: string;
  /** `https://` and the first custom domain, or the distribution's domain name. */
  readonly url: string;
  /** ARN of the web ACL in front of the distribution. @default undefined when `webAcl` is "none" */
  readonly webAclArn?: string;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const logBucketName = props.logBucketName ?? `${props.bucketName}-logs`;
    const priceClass = props.priceClass ?? 'PriceClass_200';
    const tlsPolicy = props.minimumProtocolVersion ?? 'TLSv1.2_2021';
    const domains = props.domainNames ?? [];
    const webAcl = props.webAcl ?? 'create';
    const rateLimit = props.rateLimit ?? 2000;
    const logDays = props.logRetentionDays ?? 365;
    const countries = props.allowedCountries ?? [];

    checkNamePrefix(props.name, 'name');
    checkAccountId(props.accountId, 'accountId');
    checkBucketName(props.bucketName, 'bucketName');
    checkBucketName(logBucketName, 'logBucketName');
    check(logBucketName !== props.bucketName, 'logBucketName', 'is the content bucket; allowed: a separate bucket');
    check((PRICE_CLASSES as readonly string[]).includes(priceClass), 'priceClass', `${show(priceClass)} is not a price class; allowed: ${PRICE_CLASSES.join(', ')}`);
    check((MINIMUM_PROTOCOL_VERSIONS as readonly string[]).includes(tlsPolicy), 'minimumProtocolVersion', `${show(tlsPolicy)} is not allowed; allowed: ${MINIMUM_PROTOCOL_VERSIONS.join(', ')}`);
    domains.forEach((d, i) => check(DOMAIN_NAME.test(d) && d.length <= 253, `domainNames[${i}]`, `${show(d)} is not a domain name; allowed: lowercase DNS names such as "www.example.com" or "*.example.com"`));
    check(new Set(domains).size === domains.length, 'domainNames', `${show(domains)} repeats a name; allowed: distinct names`);
    if (props.hostedZoneId !== undefined) {
      checkHostedZoneId(props.hostedZoneId, 'hostedZoneId');
      check(domains.length > 0, 'hostedZoneId', 'is set but domainNames is empty; allowed: set domainNames too, or leave hostedZoneId out');
    }
    if (props.certificateArn !== undefined) {
      check(CERTIFICATE_ARN.test(props.certificateArn), 'certificateArn', `${show(props.certificateArn)} is not an ACM certificate in us-east-1; allowed: arn:aws:acm:us-east-1:<account>:certificate/<id> (CloudFront only uses certificates from us-east-1)`);
      check(domains.length > 0, 'certificateArn', 'is set but domainNames is empty; allowed: set domainNames too, or leave certificateArn out');
    }
    check(
      props.minimumProtocolVersion === undefined || domains.length > 0,
      'minimumProtocolVersion',
      `${show(props.minimumProtocolVersion)} has no effect without a custom domain: the *.cloudfront.net certificate always uses CloudFront's TLSv1 policy; allowed: set domainNames (and hostedZoneId or certificateArn), or leave minimumProtocolVersion unset`,
    );
    if (domains.length > 0) {
      check(props.certificateArn !== undefined || props.hostedZoneId !== undefined, 'domainNames', `${show(domains)} has no certificate; allowed: also set certificateArn (ACM, us-east-1) or hostedZoneId (to create and DNS-validate one)`);
    }
    check(
      webAcl === 'create' || webAcl === 'none' || GLOBAL_WEB_ACL_ARN.test(webAcl),
      'webAcl',
      `${show(webAcl)} is not a CLOUDFRONT-scope web ACL; allowed: "create", "none" or arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id> (a REGIONAL ACL cannot protect CloudFront)`,
    );
    check(Number.isInteger(rateLimit) && rateLimit >= 100 && rateLimit <= 2_000_000_000, 'rateLimit', `${show(rateLimit)} is not a WAF rate limit; allowed: 100 to 2000000000 requests per 5 minutes`);
    checkRetentionDays(logDays, 'logRetentionDays');
    countries.forEach((c, i) => check(/^[A-Z]{2}$/.test(c), `allowedCountries[${i}]`, `${show(c)} is not a country code; allowed: ISO 3166-1 alpha-2 such as "KR"`));
    if (props.logBucketOwnerCanonicalId !== undefined) {
      check(/^[0-9a-f]{64}$/.test(props.logBucketOwnerCanonicalId), 'logBucketOwnerCanonicalId', `${show(props.logBucketOwnerCanonicalId)} is not a canonical user id; allowed: 64 hex digits`);
    }
    const createsCertificate = domains.length > 0 && props.certificateArn === undefined;
    if (createsCertificate || webAcl === 'create') {
      check(props.usEast1Provider !== undefined, 'usEast1Provider', `is required to create the ${createsCertificate ? 'certificate' : 'web ACL'} in us-east-1; allowed: an AwsProvider with region "us-east-1"`);
    }
    const usEast1 = props.usEast1Provider;

    // Logs: CloudFront standard logging writes through an ACL grant to awslogsdelivery, so this bucket
    // keeps ACLs enabled (BucketOwnerPreferred); S3 server access logging only delivers to SSE-S3 buckets.
    this.logBucket = new PrivateBucket(this, 'log-bucket', {
      bucketName: logBucketName,
      accountId: props.accountId,
      region: props.region,
      objectOwnership: 'BucketOwnerPreferred',
      expirationDays: logDays,
      noncurrentVersionDays: 30,
      receivesS3AccessLogs: true,
    });
    const logAcl = props.logBucketOwnerCanonicalId
      ? new S3BucketAcl(this, 'log-bucket-acl', {
          bucket: this.logBucket.bucket.id,
          accessControlPolicy: {
            owner: { id: props.logBucketOwnerCanonicalId },
            grant: [
              { grantee: { id: props.logBucketOwnerCanonicalId, type: 'CanonicalUser' }, permission: 'FULL_CONTROL' },
              { grantee: { id: CLOUDFRONT_LOG_DELIVERY_CANONICAL_ID, type: 'CanonicalUser' }, permission: 'FULL_CONTROL' },
            ],
          },
          dependsOn: [this.logBucket.ownershipControls],
        })
      : undefined;

    // Content: KMS-encrypted; the key lets only this distribution decrypt (its ARN is filled in at synth).
    const distributionArn = Lazy.stringValue({ produce: () => this.distribution.arn });
    const key = new EncryptionKey(this, 'key', {
      description: `${props.name} static site content`,
      alias: `${props.name}-site`,
      accountId: props.accountId,
      region: props.region,
      extraStatements: [
        {
          Sid: 'CloudFrontOacDecrypt',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
        },
      ],
    });
    this.bucket = new PrivateBucket(this, 'bucket', {
      bucketName: props.bucketName,
      accountId: props.accountId,
      region: props.region,
      kmsKeyArn: key.keyArn,
      accessLogBucket: this.logBucket.bucketName,
      accessLogPrefix: `s3/${props.bucketName}/`,
    });
    // Delivery rests on the log bucket's policy; write the logging configuration once it is in place.
    this.bucket.logging!.dependsOn = [dependable(this.logBucket.policy), dependable(this.logBucket.ownershipControls)];

    const oac = new CloudfrontOriginAccessControl(this, 'oac', {
      name: `${props.name}-oac`,
      description: `${props.name}: CloudFront signs every origin request`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });

    const headers = new CloudfrontResponseHeadersPolicy(this, 'security-headers', {
      name: `${props.name}-security-headers`,
      comment: `${props.name}: HSTS, nosniff, frame DENY, referrer policy`,
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
        ...(props.contentSecurityPolicy ? { contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true } } : {}),
      },
    });

    let certificateArn = props.certificateArn;
    if (createsCertificate) {
      certificateArn = dnsValidatedCertificate(this, { domainNames: domains, hostedZoneId: props.hostedZoneId!, provider: usEast1 }).certificateArn;
    }

    if (webAcl === 'create') {
      // Id `Default`: the ACL's resources keep the addresses they had when this construct made them.
      this.webAclArn = new ManagedRulesWebAcl(this, 'Default', { name: props.name, scope: 'CLOUDFRONT', accountId: props.accountId, region: 'us-east-1', provider: usEast1!, rateLimit, logRetentionDays: logDays }).webAclArn;
    } else if (webAcl !== 'none') {
      this.webAclArn = webAcl;
    }

    const originId = 's3-content';
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: props.name,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass,
      defaultRootObject: 'index.html',
      aliases: domains.length > 0 ? domains : undefined,
      webAclId: this.webAclArn,
      origin: [{ originId, domainName: this.bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: headers.id,
      },
      // SPA routing: S3 answers 403 for a missing key (no s3:ListBucket), 404 with it; both serve the app.
      customErrorResponse: [403, 404].map((errorCode) => ({ errorCode, responseCode: 200, responsePagePath: '/index.html', errorCachingMinTtl: 10 })),
      restrictions: { geoRestriction: countries.length > 0 ? { restrictionType: 'whitelist', locations: countries } : { restrictionType: 'none' } },
      // A custom domain always gets an ACM certificate and a TLS 1.2 policy. The *.cloudfront.net
      // certificate takes no policy: CloudFront applies TLSv1 whatever minimum_protocol_version says.
      viewerCertificate: certificateArn
        ? { acmCertificateArn: certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: tlsPolicy }
        : { cloudfrontDefaultCertificate: true },
      loggingConfig: { bucket: this.logBucket.bucketDomainName, prefix: 'cloudfront/', includeCookies: false },
      // CloudFront adds its log-delivery grant when the distribution is created: ACLs must be on by then.
      dependsOn: [this.logBucket.ownershipControls, ...(logAcl ? [logAcl] : [])],
    });

    this.bucket.addToPolicy({
      Sid: 'CloudFrontOacRead',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${this.bucket.bucketArn}/*`,
      Condition: { StringEquals: { 'AWS:SourceArn': this.distribution.arn } },
    });

    if (props.hostedZoneId) {
      for (const [i, domain] of domains.entries()) {
        for (const type of ['A', 'AAAA']) {
          new Route53Record(this, `alias-${type.toLowerCase()}-${i}`, {
            zoneId: props.hostedZoneId,
            name: domain,
            type,
            alias: { name: this.distribution.domainName, zoneId: this.distribution.hostedZoneId, evaluateTargetHealth: false },
          });
        }
      }
    }

    this.bucketName = this.bucket.bucketName;
    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;
    this.distributionDomainName = this.distribution.domainName;
    this.url = domains.length > 0 && !domains[0].startsWith('*') ? `https://${domains[0]}` : `https://${this.distribution.domainName}`;
  }
}
