import { Construct } from 'constructs';
import { Fn, TerraformIterator, TerraformProvider, Token } from 'cdktf';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { checkProviderBindings } from './bindings';
import { check } from './validation';

export interface DnsValidatedCertificateProps {
  /** Names on the certificate; the first is the subject. */
  readonly domainNames: string[];
  /** Route 53 hosted zone holding the names: its validation records are created and the apply waits for issuance. */
  readonly hostedZoneId: string;
  /** Provider of the certificate's region (us-east-1 for CloudFront). @default the stack's */
  readonly provider?: TerraformProvider;
}

/** A certificate and its ARN once issued. */
export interface DnsValidatedCertificate {
  readonly certificate: AcmCertificate;
  /** The ARN, from the validation resource: whatever uses it waits until the certificate is issued. */
  readonly certificateArn: string;
}

/**
 * An ACM certificate (ECDSA P-256) validated by DNS in a Route 53 zone: one validation record per name
 * (a wildcard shares its apex's), and `certificateArn` available once ACM has issued it. A function,
 * not a construct: its resources (`certificate`, `certificate-validation[-<i>]`) go straight into
 * `scope`, so constructs that made them themselves keep their addresses.
 */
export function dnsValidatedCertificate(scope: Construct, props: DnsValidatedCertificateProps): DnsValidatedCertificate {
  checkProviderBindings(scope, 'aws');
  const domains = props.domainNames;
  check(domains.length > 0, 'domainNames', 'is empty; allowed: at least one domain name');
  const provider = props.provider;
  const cert = new AcmCertificate(scope, 'certificate', {
    provider,
    domainName: domains[0],
    subjectAlternativeNames: domains.slice(1),
    validationMethod: 'DNS',
    keyAlgorithm: 'EC_prime256v1',
    lifecycle: { createBeforeDestroy: true },
  });
  // One validation record per name (a wildcard shares its apex's record), keyed statically: the
  // certificate's validation options are only known after apply, so they cannot drive for_each.
  const options = TerraformIterator.fromList(cert.domainValidationOptions);
  const pick = (domain: string, attr: string) => Token.asString(Fn.one(options.forExpressionForList(`val.${attr} if val.domain_name == "${domain}"`)));
  const validated = [...new Map(domains.map((d) => [d.replace(/^\*\./, ''), d])).values()];
  const records = validated.map(
    (domain, i) =>
      new Route53Record(scope, `certificate-validation-${i}`, {
        zoneId: props.hostedZoneId,
        name: pick(domain, 'resource_record_name'),
        type: pick(domain, 'resource_record_type'),
        records: [pick(domain, 'resource_record_value')],
        ttl: 300,
        allowOverwrite: true,
      }),
  );
  const validation = new AcmCertificateValidation(scope, 'certificate-validation', { provider, certificateArn: cert.arn, validationRecordFqdns: records.map((r) => r.fqdn) });
  return { certificate: cert, certificateArn: validation.certificateArn };
}
