import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CACHING_OPTIMIZED_POLICY_ID, StaticSite, StaticSiteProps } from '../modules';
import { awsTestStack, onlyResource, parsePolicy, resourcesOfType, synthesize } from '../modules/testing';

const base: Omit<StaticSiteProps, 'usEast1Provider'> = {
  name: 'eks-work-dev-frontend',
  accountId: '111111111111',
  region: 'ap-northeast-2',
  bucketName: 'eks-work-dev-frontend-111111111111',
};
const CERT = 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-4333-8444-555555555555';
const ACL = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/shared/11111111-2222-4333-8444-555555555555';

function synth(props: Partial<StaticSiteProps> = {}, withUsEast1 = true) {
  const stack = awsTestStack();
  const usEast1 = withUsEast1 ? new AwsProvider(stack, 'aws-us-east-1', { alias: 'us-east-1', region: 'us-east-1' }) : undefined;
  new StaticSite(stack, 'site', { ...base, usEast1Provider: usEast1, ...props });
  return synthesize(stack);
}

const bucketNamed = (json: ReturnType<typeof synth>, name: string) => {
  const entry = Object.entries(json.resource!.aws_s3_bucket).find(([, b]) => b.bucket === name);
  if (!entry) throw new Error(`no bucket ${name}`);
  return `\${aws_s3_bucket.${entry[0]}.id}`;
};
const forBucket = (json: ReturnType<typeof synth>, type: string, name: string) => {
  const ref = bucketNamed(json, name);
  const found = resourcesOfType(json, type).filter((r) => r.bucket === ref);
  if (found.length !== 1) throw new Error(`expected one ${type} for ${name}, found ${found.length}`);
  return found[0];
};

describe('StaticSite', () => {
  const json = synth();
  const dist = onlyResource(json, 'aws_cloudfront_distribution');
  const site = base.bucketName;
  const logs = `${base.bucketName}-logs`;

  test('content bucket: all four public-access blocks, ACLs disabled, KMS encryption, versioning', () => {
    expect(forBucket(json, 'aws_s3_bucket_public_access_block', site)).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(forBucket(json, 'aws_s3_bucket_ownership_controls', site).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    const sse = forBucket(json, 'aws_s3_bucket_server_side_encryption_configuration', site).rule[0];
    expect(sse.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\./) });
    expect(forBucket(json, 'aws_s3_bucket_versioning', site).versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('content bucket policy: only this distribution through OAC (AWS:SourceArn), and no request without TLS', () => {
    const statements = parsePolicy(forBucket(json, 'aws_s3_bucket_policy', site).policy).Statement;
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: expect.any(Array), Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const allow = statements.find((s) => s.Effect === 'Allow')!;
    expect(allow).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(allow.Resource).toMatch(/aws_s3_bucket\..*\.arn}\/\*$/);
    expect(allow.Condition.StringEquals['AWS:SourceArn']).toMatch(/^\$\{aws_cloudfront_distribution\..*\.arn}$/);
  });

  test('the content key lets only this distribution decrypt', () => {
    const keys = resourcesOfType(json, 'aws_kms_key').map((k) => parsePolicy(k.policy).Statement);
    const siteKey = keys.find((st) => st.some((s) => s.Sid === 'CloudFrontOacDecrypt'))!;
    const s = siteKey.find((x) => x.Sid === 'CloudFrontOacDecrypt')!;
    expect(s).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt' });
    expect(s.Condition.StringEquals['AWS:SourceArn']).toMatch(/^\$\{aws_cloudfront_distribution\..*\.arn}$/);
  });

  test('origin access control: S3, sigv4, always sign; name unique per site', () => {
    expect(onlyResource(json, 'aws_cloudfront_origin_access_control')).toMatchObject({ name: 'eks-work-dev-frontend-oac', origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    expect(dist.origin[0].origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control\./);
    expect(dist.origin[0].domain_name).toMatch(/bucket_regional_domain_name/);
    expect(dist.origin[0].s3_origin_config).toBeUndefined();
    expect(dist.origin[0].custom_origin_config).toBeUndefined();
  });

  test('HTTPS only, index.html root, SPA routes, managed caching and security headers', () => {
    expect(dist).toMatchObject({ enabled: true, default_root_object: 'index.html', is_ipv6_enabled: true, price_class: 'PriceClass_200' });
    expect(dist.default_cache_behavior).toMatchObject({ viewer_protocol_policy: 'redirect-to-https', cache_policy_id: CACHING_OPTIMIZED_POLICY_ID, compress: true });
    expect(dist.default_cache_behavior.forwarded_values).toBeUndefined();
    expect(dist.default_cache_behavior.response_headers_policy_id).toMatch(/aws_cloudfront_response_headers_policy\./);
    expect(dist.custom_error_response).toEqual([
      { error_code: 403, response_code: 200, response_page_path: '/index.html', error_caching_min_ttl: 10 },
      { error_code: 404, response_code: 200, response_page_path: '/index.html', error_caching_min_ttl: 10 },
    ]);
    const headers = onlyResource(json, 'aws_cloudfront_response_headers_policy').security_headers_config;
    expect(headers).toMatchObject({
      strict_transport_security: { access_control_max_age_sec: 31536000, include_subdomains: true, override: true },
      content_type_options: { override: true },
      frame_options: { frame_option: 'DENY', override: true },
      referrer_policy: { referrer_policy: 'strict-origin-when-cross-origin', override: true },
    });
    expect(headers.content_security_policy).toBeUndefined();
    expect(onlyResource(synth({ contentSecurityPolicy: "default-src 'self'" }), 'aws_cloudfront_response_headers_policy').security_headers_config.content_security_policy).toEqual({ content_security_policy: "default-src 'self'", override: true });
  });

  test('price class from props', () => {
    expect(onlyResource(synth({ priceClass: 'PriceClass_100' }), 'aws_cloudfront_distribution').price_class).toBe('PriceClass_100');
  });

  test('standard logs to a private log bucket with ACLs enabled for CloudFront, SSE-S3, expiring', () => {
    expect(dist.logging_config).toEqual({ bucket: expect.stringMatching(/aws_s3_bucket\..*\.bucket_domain_name/), prefix: 'cloudfront/', include_cookies: false });
    expect(forBucket(json, 'aws_s3_bucket_ownership_controls', logs).rule).toEqual({ object_ownership: 'BucketOwnerPreferred' });
    expect(forBucket(json, 'aws_s3_bucket_public_access_block', logs)).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(forBucket(json, 'aws_s3_bucket_server_side_encryption_configuration', logs).rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    const rules = forBucket(json, 'aws_s3_bucket_lifecycle_configuration', logs).rule;
    expect(rules).toContainEqual(expect.objectContaining({ id: 'expire-objects', expiration: [{ days: 365 }] }));
    expect(dist.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_ownership_controls\./)]));
    // The content bucket's server access logs go to the log bucket, admitted by bucket policy.
    expect(forBucket(json, 'aws_s3_bucket_logging', site)).toMatchObject({ target_bucket: '${aws_s3_bucket.site_log-bucket.bucket}', target_prefix: `s3/${site}/` });
    expect(resourcesOfType(json, 'aws_s3_bucket').map((b) => b.bucket)).toContain(logs);
    const logPolicy = parsePolicy(forBucket(json, 'aws_s3_bucket_policy', logs).policy).Statement;
    expect(logPolicy.find((s) => s.Sid === 'S3ServerAccessLogsDelivery')).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } });
    expect(resourcesOfType(json, 'aws_s3_bucket_acl')).toHaveLength(0);
  });

  test('with the owner canonical id the log bucket ACL (owner + awslogsdelivery) is managed here', () => {
    const owner = 'a'.repeat(64);
    const acl = onlyResource(synth({ logBucketOwnerCanonicalId: owner }), 'aws_s3_bucket_acl');
    expect(acl.access_control_policy.owner).toEqual({ id: owner });
    expect(acl.access_control_policy.grant.map((g: any) => [g.grantee.id, g.permission])).toEqual([
      [owner, 'FULL_CONTROL'],
      ['c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0', 'FULL_CONTROL'],
    ]);
  });

  test('without a custom domain: the cloudfront.net certificate, no ACM, no DNS', () => {
    expect(dist.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(dist.aliases).toBeUndefined();
    expect(resourcesOfType(json, 'aws_acm_certificate')).toHaveLength(0);
    expect(resourcesOfType(json, 'aws_route53_record')).toHaveLength(0);
  });

  test('custom domain with a hosted zone: DNS-validated certificate in us-east-1, TLS policy, A/AAAA aliases', () => {
    const j = synth({ domainNames: ['www.example.com', 'example.com', '*.example.com'], hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const cert = onlyResource(j, 'aws_acm_certificate');
    expect(cert).toMatchObject({ provider: 'aws.us-east-1', domain_name: 'www.example.com', subject_alternative_names: ['example.com', '*.example.com'], validation_method: 'DNS' });
    expect(onlyResource(j, 'aws_acm_certificate_validation').provider).toBe('aws.us-east-1');
    const records = resourcesOfType(j, 'aws_route53_record');
    const validation = records.filter((r) => !r.alias);
    expect(validation).toHaveLength(2);
    expect(validation[0]).toMatchObject({ zone_id: 'Z0123456789ABCDEFGHIJ', allow_overwrite: true, ttl: 300 });
    expect(validation[0].for_each).toBeUndefined();
    expect(validation[0].name).toMatch(/one\(\[ ?for .* in .*domain_validation_options.*: val\.resource_record_name if val\.domain_name == "www\.example\.com"\]\)/);
    expect(onlyResource(j, 'aws_acm_certificate_validation').validation_record_fqdns).toHaveLength(2);
    const aliases = records.filter((r) => r.alias);
    expect(aliases.map((r) => [r.name, r.type]).sort()).toEqual([['*.example.com', 'A'], ['*.example.com', 'AAAA'], ['example.com', 'A'], ['example.com', 'AAAA'], ['www.example.com', 'A'], ['www.example.com', 'AAAA']]);
    expect(aliases[0].alias).toEqual({ name: expect.stringMatching(/aws_cloudfront_distribution\..*\.domain_name/), zone_id: expect.stringMatching(/aws_cloudfront_distribution\..*\.hosted_zone_id/), evaluate_target_health: false });
    const d = onlyResource(j, 'aws_cloudfront_distribution');
    expect(d.aliases).toEqual(['www.example.com', 'example.com', '*.example.com']);
    expect(d.viewer_certificate).toEqual({ acm_certificate_arn: expect.stringMatching(/aws_acm_certificate_validation\./), ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' });
  });

  test('custom domain with an existing certificate needs no hosted zone, and gets the TLS 1.2 policy too', () => {
    const d = onlyResource(synth({ domainNames: ['www.example.com'], certificateArn: CERT }), 'aws_cloudfront_distribution');
    expect(d.viewer_certificate).toEqual({ acm_certificate_arn: CERT, ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' });
    expect(resourcesOfType(synth({ domainNames: ['www.example.com'], certificateArn: CERT }), 'aws_acm_certificate')).toHaveLength(0);
  });

  test('a TLS policy without a custom domain is refused: the cloudfront.net certificate ignores it (TLSv1)', () => {
    expect(() => synth({ minimumProtocolVersion: 'TLSv1.2_2021' })).toThrow(
      'minimumProtocolVersion: "TLSv1.2_2021" has no effect without a custom domain: the *.cloudfront.net certificate always uses CloudFront\'s TLSv1 policy; allowed: set domainNames',
    );
    const d = onlyResource(synth({ domainNames: ['www.example.com'], certificateArn: CERT, minimumProtocolVersion: 'TLSv1.2_2019' }), 'aws_cloudfront_distribution');
    expect(d.viewer_certificate.minimum_protocol_version).toBe('TLSv1.2_2019');
  });

  test('web ACL created by default: CLOUDFRONT scope in us-east-1, AWS managed rules and a rate limit, logged', () => {
    const acl = onlyResource(json, 'aws_wafv2_web_acl');
    expect(acl).toMatchObject({ provider: 'aws.us-east-1', scope: 'CLOUDFRONT', default_action: { allow: {} } });
    expect(acl.rule.map((r: any) => r.statement.managed_rule_group_statement?.name).filter(Boolean)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    expect(acl.rule.every((r: any) => r.visibility_config.cloudwatch_metrics_enabled && r.visibility_config.sampled_requests_enabled)).toBe(true);
    expect(acl.rule.find((r: any) => r.statement.rate_based_statement)).toMatchObject({ action: { block: {} }, statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP' } } });
    expect(dist.web_acl_id).toMatch(/aws_wafv2_web_acl\..*\.arn/);
    const group = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ provider: 'aws.us-east-1', name: 'aws-waf-logs-eks-work-dev-frontend', retention_in_days: 365 });
    expect(onlyResource(json, 'aws_wafv2_web_acl_logging_configuration').provider).toBe('aws.us-east-1');
    const wafKey = resourcesOfType(json, 'aws_kms_key').find((k) => k.provider === 'aws.us-east-1');
    expect(group.kms_key_id).toMatch(/aws_kms_key\./);
    expect(wafKey).toBeDefined();
  });

  test('web ACL "none" or an existing global ACL ARN', () => {
    const none = synth({ webAcl: 'none' }, false);
    expect(resourcesOfType(none, 'aws_wafv2_web_acl')).toHaveLength(0);
    expect(onlyResource(none, 'aws_cloudfront_distribution').web_acl_id).toBeUndefined();
    const given = synth({ webAcl: ACL }, false);
    expect(resourcesOfType(given, 'aws_wafv2_web_acl')).toHaveLength(0);
    expect(onlyResource(given, 'aws_cloudfront_distribution').web_acl_id).toBe(ACL);
  });

  test('geo restriction only when countries are given', () => {
    expect(dist.restrictions.geo_restriction).toEqual({ restriction_type: 'none' });
    expect(onlyResource(synth({ allowedCountries: ['KR', 'JP'] }), 'aws_cloudfront_distribution').restrictions.geo_restriction).toEqual({ restriction_type: 'whitelist', locations: ['KR', 'JP'] });
  });

  test.each<[Partial<StaticSiteProps>, string]>([
    [{ bucketName: 'Frontend_Bucket' }, 'bucketName: "Frontend_Bucket" is not a valid S3 bucket name'],
    [{ logBucketName: 'logs..bucket' }, 'logBucketName: "logs..bucket" is not a valid S3 bucket name'],
    [{ domainNames: ['www.example.com'] }, 'domainNames: ["www.example.com"] has no certificate; allowed: also set certificateArn (ACM, us-east-1) or hostedZoneId'],
    [{ domainNames: ['WWW.example'] }, 'domainNames[0]: "WWW.example" is not a domain name'],
    [{ hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, 'hostedZoneId: is set but domainNames is empty'],
    [{ domainNames: ['www.example.com'], certificateArn: 'arn:aws:acm:ap-northeast-2:111111111111:certificate/11111111-2222-4333-8444-555555555555' }, 'certificateArn: "arn:aws:acm:ap-northeast-2:111111111111:certificate/11111111-2222-4333-8444-555555555555" is not an ACM certificate in us-east-1'],
    [{ webAcl: 'arn:aws:wafv2:ap-northeast-2:111111111111:regional/webacl/api/11111111-2222-4333-8444-555555555555' }, 'webAcl: "arn:aws:wafv2:ap-northeast-2:111111111111:regional/webacl/api/11111111-2222-4333-8444-555555555555" is not a CLOUDFRONT-scope web ACL'],
    [{ webAcl: 'arn:aws:wafv2:us-east-1:111111111111:regional/webacl/api/11111111-2222-4333-8444-555555555555' }, 'webAcl: "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/api/11111111-2222-4333-8444-555555555555" is not a CLOUDFRONT-scope web ACL'],
    [{ webAcl: 'yes' }, 'webAcl: "yes" is not a CLOUDFRONT-scope web ACL; allowed: "create", "none" or arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>'],
    [{ priceClass: 'PriceClass_1' as any }, 'priceClass: "PriceClass_1" is not a price class'],
    [{ minimumProtocolVersion: 'TLSv1' as any }, 'minimumProtocolVersion: "TLSv1" is not allowed'],
    [{ rateLimit: 10 }, 'rateLimit: 10 is not a WAF rate limit'],
    [{ logRetentionDays: 45 }, 'logRetentionDays: 45 is not a CloudWatch Logs retention period'],
    [{ allowedCountries: ['Korea'] }, 'allowedCountries[0]: "Korea" is not a country code'],
    [{ logBucketOwnerCanonicalId: 'me' }, 'logBucketOwnerCanonicalId: "me" is not a canonical user id'],
  ])('bad props are refused: %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('creating a web ACL or certificate without a us-east-1 provider is refused', () => {
    expect(() => synth({}, false)).toThrow('usEast1Provider: is required to create the web ACL in us-east-1');
    expect(() => synth({ webAcl: 'none', domainNames: ['www.example.com'], hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, false)).toThrow('usEast1Provider: is required to create the certificate in us-east-1');
  });
});
