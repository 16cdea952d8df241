import { Construct } from 'constructs';
import { TerraformProvider, TerraformResource } from 'cdktf';
import { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { checkProviderBindings } from './bindings';
import { EncryptionKey } from './encryption-key';
import { check, checkRetentionDays, show } from './validation';

/** AWS managed rule groups a created web ACL evaluates, in order. */
export const WAF_MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

export interface ManagedRulesWebAclProps {
  /** Base of the names: the ACL `<name>-cloudfront` or `<name>-regional`, its log group `aws-waf-logs-<name>`, the key alias `<name>-waf-logs`. */
  readonly name: string;
  /** `CLOUDFRONT` (in us-east-1: pass that region's provider) or `REGIONAL` (ALBs, API Gateway). */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  readonly accountId: string;
  /** Region of the ACL and its logs (us-east-1 for CLOUDFRONT). */
  readonly region: string;
  /** Provider of that region. @default the stack's */
  readonly provider?: TerraformProvider;
  /** Requests per 5 minutes from one IP before it is blocked. @default 2000 */
  readonly rateLimit?: number;
  /** Days to keep the WAF logs. @default 365 */
  readonly logRetentionDays?: number;
}

/**
 * A WAFv2 web ACL with AWS's managed rule groups (IP reputation, common rules, known bad inputs) and a
 * per-IP rate limit, logging every request to a KMS-encrypted CloudWatch group with retention.
 */
export class ManagedRulesWebAcl extends Construct {
  readonly acl: Wafv2WebAcl;
  readonly webAclArn: string;
  readonly webAclName: string;

  constructor(scope: Construct, id: string, props: ManagedRulesWebAclProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const rateLimit = props.rateLimit ?? 2000;
    const logDays = props.logRetentionDays ?? 365;
    check(Number.isInteger(rateLimit) && rateLimit >= 10 && rateLimit <= 2_000_000_000, 'rateLimit', `${show(rateLimit)} is not a WAF rate limit; allowed: 10-2000000000 requests per 5 minutes`);
    checkRetentionDays(logDays, 'logRetentionDays');
    const { name, provider } = props;
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${name}-${metric}` });
    const rules: Wafv2WebAclRule[] = [
      ...WAF_MANAGED_RULE_GROUPS.map((group, priority) => ({
        name: group,
        priority,
        overrideAction: { none: {} },
        // `statement` is untyped in the provider bindings: keys are Terraform's (snake_case).
        statement: { managed_rule_group_statement: { name: group, vendor_name: 'AWS' } },
        visibilityConfig: visibility(group),
      })),
      {
        name: 'rate-limit-per-ip',
        priority: WAF_MANAGED_RULE_GROUPS.length,
        action: { block: {} },
        statement: { rate_based_statement: { limit: rateLimit, aggregate_key_type: 'IP' } },
        visibilityConfig: visibility('rate-limit'),
      },
    ];
    this.webAclName = `${name}-${props.scope.toLowerCase()}`;
    this.acl = new Wafv2WebAcl(this, 'web-acl', {
      provider,
      name: this.webAclName,
      description: `${name}: AWS managed rules and a per-IP rate limit`,
      scope: props.scope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility('web-acl'),
    });
    // WAF logs: a CloudWatch group named aws-waf-logs-*, in the ACL's region, encrypted, with retention.
    const key = new EncryptionKey(this, 'waf-log-key', { description: `${name} WAF logs`, alias: `${name}-waf-logs`, accountId: props.accountId, region: props.region, allowCloudWatchLogs: true });
    if (provider) key.node.findAll().forEach((c) => c instanceof TerraformResource && (c.provider = provider));
    const logGroup = new CloudwatchLogGroup(this, 'waf-log-group', { provider, name: `aws-waf-logs-${name}`, retentionInDays: logDays, kmsKeyId: key.keyArn });
    new Wafv2WebAclLoggingConfiguration(this, 'waf-logging', { provider, resourceArn: this.acl.arn, logDestinationConfigs: [logGroup.arn] });
    this.webAclArn = this.acl.arn;
  }
}
