import { Construct } from 'constructs';
import {
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  S3Backend,
  TerraformOutput,
  TerraformRemoteState,
  TerraformStack,
} from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ResolvedEnvironment } from '../environments/defaults';
import { OFFLINE_AWS_PROVIDER } from '../modules/core/offline';
import { stateKeyAliasArn } from '../modules/state/state-bucket';
import { deployBoundaryArn } from '../modules/cicd/deploy-boundary';
import { OFFLINE_LOOKUPS_CONTEXT, PlanTimeLookup } from '../modules/core/plan-time-lookup';

/** How stacks are synthesized; environment data stays in EnvironmentConfig. */
export interface StackSettings {
  /**
   * Offline plan mode: local state, no account check, provider told not to call STS/IMDS, and every
   * plan-time lookup (upstream outputs, SSM parameters, EKS add-on versions) answered by its stub
   * (`offline_lookups` defaults to true), so `terraform plan` runs with mock credentials and no AWS
   * account. For planning only. @default false
   */
  readonly offline?: boolean;
  /**
   * `s3` (the default) keeps state in the environment's state bucket; `local` keeps it in
   * `terraform.<stack>.tfstate` at the project root, for work without the bucket. Offline mode
   * always uses a local backend. @default "s3"
   */
  readonly backend?: 's3' | 'local';
}

/** Settings from the process environment: `PLATFORM_OFFLINE=1`, `PLATFORM_BACKEND=local`. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): StackSettings {
  return {
    offline: /^(1|true|yes)$/i.test(env.PLATFORM_OFFLINE ?? ''),
    backend: env.PLATFORM_BACKEND === 'local' ? 'local' : 's3',
  };
}

/**
 * Outputs another stack published, read through `terraform_remote_state` as a plan-time lookup: in
 * offline plan mode the upstream's stub values stand in, and no state is read.
 */
export class UpstreamOutputs {
  private readonly lookup: PlanTimeLookup;
  constructor(state: TerraformRemoteState, private readonly upstream: PlatformStack) {
    this.lookup = new PlanTimeLookup(state);
  }

  private checked(name: string): string {
    if (!(name in this.upstream.stubOutputs)) {
      throw new Error(`stack ${this.upstream.node.id} publishes no output "${name}" (it has: ${Object.keys(this.upstream.stubOutputs).join(', ')})`);
    }
    return name;
  }
  getString(name: string): string {
    return this.lookup.string(`outputs.${this.checked(name)}`, this.upstream.stubOutputs[name] as string);
  }
  getList(name: string): string[] {
    return this.lookup.list(`outputs.${this.checked(name)}`, this.upstream.stubOutputs[name] as string[]);
  }
  getNumber(name: string): number {
    return this.lookup.number(`outputs.${this.checked(name)}`, this.upstream.stubOutputs[name] as number);
  }
}

/**
 * One Terraform state of one environment (`<env>-<part>`): AWS provider with default tags and the
 * account guard, S3 backend keyed `<env>/<part>/terraform.tfstate`, and typed outputs that
 * downstream stacks consume by name.
 */
export class PlatformStack extends TerraformStack {
  readonly env: ResolvedEnvironment;
  readonly part: string;
  readonly settings: Required<StackSettings>;
  /** Published outputs with the stand-in values offline plans of downstream stacks use. */
  readonly stubOutputs: Record<string, unknown> = {};
  readonly awsProvider: AwsProvider;
  /**
   * The deploy boundary (created by `<env>-state` with the GitHub deploy roles) that every IAM role of
   * this stack carries, so the bounded apply role can create it. Undefined without a `cicd` section.
   */
  readonly permissionsBoundaryArn?: string;

  constructor(scope: Construct, env: ResolvedEnvironment, part: string, settings: StackSettings = {}, backend: 'remote' | 'local' = 'remote') {
    super(scope, `${env.name}-${part}`);
    // Before any child exists: plan-time lookups read it when they create the stack's variable.
    if (settings.offline) this.node.setContext(OFFLINE_LOOKUPS_CONTEXT, true);
    this.env = env;
    this.part = part;
    this.settings = { offline: settings.offline ?? false, backend: settings.offline ? 'local' : settings.backend ?? 's3' };
    this.awsProvider = this.addAwsProvider('aws', env.region);
    this.permissionsBoundaryArn = env.cicd ? deployBoundaryArn(env.region, env.accountId, env.prefix) : undefined;
    if (backend === 'local' || this.settings.backend === 'local') {
      new LocalBackend(this, { path: this.localStatePath(this.node.id) });
    } else {
      this.useS3Backend();
    }
  }

  /**
   * An AWS provider with the environment's default tags and account guard (or, offline, the mock-
   * credential settings). `alias` makes it a second provider, e.g. us-east-1 for CloudFront.
   */
  protected addAwsProvider(id: string, region: string, alias?: string): AwsProvider {
    return new AwsProvider(this, id, {
      ...(alias ? { alias } : {}),
      region,
      defaultTags: [{ tags: this.env.defaultTags }],
      ...(this.settings.offline ? OFFLINE_AWS_PROVIDER : { allowedAccountIds: [this.env.accountId] }),
    });
  }

  /** Where a stack's local state lives, relative to its synthesized directory `<out>/stacks/<id>/`. */
  private localStatePath(stackId: string): string {
    // Offline plans keep their own state beside the stack (throwaway; upstream reads are plan-time
    // lookups, never local files); local work keeps every stack's state at the project root.
    return this.settings.offline ? 'terraform.tfstate' : `../../../terraform.${stackId}.tfstate`;
  }

  private s3Key(part: string): string {
    return `${this.env.name}/${part}/terraform.tfstate`;
  }

  private useS3Backend(): void {
    const s = this.env.state;
    new S3Backend(this, {
      bucket: s.bucket,
      key: this.s3Key(this.part),
      region: s.region ?? this.env.region,
      encrypt: true,
      // Without it Terraform sends SSE-S3 (AES256), overriding the bucket's default KMS key.
      kmsKeyId: stateKeyAliasArn(s.bucket, s.region ?? this.env.region, this.env.accountId),
      ...(s.locking === 'dynamodb' ? { dynamodbTable: lockTableName(s.bucket) } : {}),
    });
    // cdktf 0.21's S3BackendConfig predates S3-native locking (Terraform >= 1.10).
    if (s.locking !== 'dynamodb') this.addOverride('terraform.backend.s3.use_lockfile', true);
  }

  /** Publishes an output under a name users know, with the value offline plans substitute for it. */
  publish(name: string, value: unknown, stub: unknown, description?: string, sensitive = false): TerraformOutput {
    this.stubOutputs[name] = stub;
    return new TerraformOutput(this, name, { value, description, sensitive });
  }

  /**
   * Reads `upstream`'s published outputs and makes this stack deploy after it. Offline, the same
   * remote-state read is synthesized as for a deploy, and never evaluated (see PlanTimeLookup).
   */
  consume(upstream: PlatformStack): UpstreamOutputs {
    this.addDependency(upstream);
    const id = `${upstream.part}-outputs`;
    const state = this.settings.backend === 'local' && !this.settings.offline
      ? new DataTerraformRemoteStateLocal(this, id, { path: this.localStatePath(upstream.node.id) })
      : new DataTerraformRemoteStateS3(this, id, {
          bucket: this.env.state.bucket,
          key: this.s3Key(upstream.part),
          region: this.env.state.region ?? this.env.region,
          encrypt: true,
        });
    return new UpstreamOutputs(state, upstream);
  }
}

/** Name of the optional DynamoDB lock table that goes with a state bucket. */
export function lockTableName(bucket: string): string {
  return `${bucket}-lock`;
}
