/**
 * Errors for bad input. Constructs validate their props before creating any resource and throw a
 * `ValidationError` naming the field and what is allowed; the environment loader rewraps it with the
 * environment's name so a user sees one line, not a stack trace from deep inside cdktf.
 */
export class ValidationError extends Error {
  constructor(
    /** Dotted path of the offending field, e.g. `natGateways` or `nodeGroups[0].minSize`. */
    readonly field: string,
    /** What is wrong and what is allowed. */
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'ValidationError';
  }

  /** The same error with its field nested under `prefix` (e.g. `network` + `vpcCidr`). */
  under(prefix: string): ValidationError {
    return new ValidationError(prefix ? `${prefix}.${this.field}` : this.field, this.problem);
  }
}

/** Throws a ValidationError unless `ok`. */
export function check(ok: boolean, field: string, problem: string): asserts ok {
  if (!ok) throw new ValidationError(field, problem);
}

/** Runs `fn`, re-throwing any ValidationError with its field nested under `prefix`. */
export function within<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) throw e.under(prefix);
    throw e;
  }
}

/** Renders a value for an error message. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Retention periods CloudWatch Logs accepts (0 = never expire is deliberately not offered). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = RETENTION_DAYS;

export function checkRetentionDays(days: number, field: string): void {
  check(RETENTION_DAYS.includes(days), field, `${show(days)} is not a CloudWatch Logs retention period; allowed: ${RETENTION_DAYS.join(', ')}`);
}

/** S3 bucket naming rules (general purpose buckets). */
export function checkBucketName(name: string, field: string): void {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name);
  check(ok, field, `${show(name)} is not a valid S3 bucket name; allowed: 3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, not an IP address`);
}

/** Route 53 hosted zone ids: "Z" and up to 31 uppercase letters and digits. */
export function checkHostedZoneId(id: string, field: string): void {
  check(/^Z[0-9A-Z]{1,31}$/.test(id), field, `${show(id)} is not a Route 53 hosted zone id; allowed: "Z" followed by letters and digits`);
}

/** AWS account ids are exactly twelve digits. */
export function checkAccountId(id: string | undefined, field: string): void {
  check(typeof id === 'string' && /^\d{12}$/.test(id), field, `${show(id)} is not an AWS account id; allowed: exactly 12 digits`);
}

/** A name usable as a prefix for most AWS resource names. */
export function checkNamePrefix(name: string, field: string): void {
  check(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(name), field, `${show(name)} is not a valid name; allowed: 2-32 lowercase letters, digits and '-', starting with a letter`);
}

const K8S_DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes namespace names are DNS labels: lowercase letters, digits and '-', at most 63. */
export function checkNamespaceName(name: string, field: string): void {
  check(typeof name === 'string' && K8S_DNS_LABEL.test(name) && name.length <= 63, field, `${show(name)} is not a Kubernetes namespace name; allowed: lowercase letters, digits and '-', at most 63`);
}

/** Service account names as IRSA and Pod Identity trust them: lowercase letters, digits and '-'. */
export function checkServiceAccountName(name: string, field: string): void {
  check(typeof name === 'string' && K8S_DNS_LABEL.test(name) && name.length <= 253, field, `${show(name)} is not a service account name; allowed: lowercase letters, digits and '-'`);
}
