import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { TerraformStack } from 'cdktf';
import { synthesize, SynthesizedJson } from './synth';
import { defaultOfflineRoot, initOffline, planOffline, prepareOfflineState } from './offline-plan';
import { OfflinePlanResult, SynthesizedStack, offlineTerraformEnv } from './terraform';

import { OFFLINE_LOOKUPS_VARIABLE } from '../core/plan-time-lookup';

export { OFFLINE_AWS_PROVIDER } from '../core/offline';

/** Provider arguments that need a real account or credential source; offline copies drop them. */
const ONLINE_ONLY_AWS_ARGS = ['allowed_account_ids', 'forbidden_account_ids', 'assume_role', 'assume_role_with_web_identity', 'profile', 'shared_config_files', 'shared_credentials_files'];

export interface PlanStackOfflineOptions {
  /**
   * Where the Terraform CLI config (`.terraformrc.generated`), the provider cache
   * (`.terraform-plugin-cache/`) and the `terraform init` every plan shares (`.terraform-shared/`)
   * live. A provider mirror is used when found (`TF_PROVIDER_MIRROR`, `/opt/tf-plugins`,
   * `~/.terraform.d/plugins`...), else the providers are downloaded once into the cache. @default `$XDG_CACHE_HOME/cdktf-eks-platform` or `~/.cache/cdktf-eks-platform`
   */
  readonly root?: string;
  /** Base process environment for Terraform (mock AWS credentials are set over it). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Keep the temporary working directory (its path is in the error or result) for debugging. @default false */
  readonly keep?: boolean;
}

export interface StackOfflinePlan extends OfflinePlanResult {
  /** The temporary directory the stack was planned in (removed unless `keep`). */
  readonly dir: string;
}

/**
 * The synthesized JSON made plannable without an account: a local backend (throwaway state) instead
 * of the stack's own, and every `aws` provider told to skip credential and account checks.
 */
export function offlineCopy(json: SynthesizedJson): SynthesizedJson {
  const copy = JSON.parse(JSON.stringify(json)) as Record<string, any>;
  copy.terraform = { ...(copy.terraform ?? {}), backend: { local: { path: 'terraform.tfstate' } } };
  const aws = copy.provider?.aws as Array<Record<string, unknown>> | undefined;
  for (const p of aws ?? []) {
    for (const k of ONLINE_ONLY_AWS_ARGS) delete p[k];
    Object.assign(p, { skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true' });
  }
  // Plan-time lookups (SSM parameters, EKS add-on versions, remote state) answer with their stubs.
  const lookups = copy.variable?.[OFFLINE_LOOKUPS_VARIABLE] as Record<string, unknown> | undefined;
  if (lookups) lookups.default = true;
  return copy;
}

/**
 * Synthesizes ONE stack into a temporary directory and runs a real `terraform plan` (which validates
 * the configuration) and `show -json` on it with mock credentials: a plan-level test for a
 * consumer's own stack. The `terraform init` is shared by every call with the same providers.
 *
 *   const r = await planStackOffline(stack);
 *   expect(plannedResources(r, 'aws_nat_gateway')).toHaveLength(1);
 *
 * The copy planned uses a local backend and offline AWS provider settings (see `offlineCopy`), so the
 * stack may be built with its real backend and provider. Plan-time lookups made with `PlanTimeLookup`
 * (this library's SSM, EKS add-on version and remote-state reads) answer with their stubs; any other
 * data source that calls AWS (`aws_caller_identity`, `aws_ami`...) cannot work offline. Needs `terraform` (>= 1.10) on PATH and the providers in a mirror or downloadable.
 */
export async function planStackOffline(stack: TerraformStack, opts: PlanStackOfflineOptions = {}): Promise<StackOfflinePlan> {
  return planSynthesizedOffline(synthesize(stack), stack.node.id, opts);
}

/**
 * `planStackOffline` for a stack already synthesized (`cdktf synth`'s `cdktf.out/stacks/<id>/cdk.tf.json`,
 * read with `JSON.parse`): the same offline copy, shared init and real `terraform plan`.
 */
export async function planSynthesizedOffline(synthesized: SynthesizedJson, id: string, opts: PlanStackOfflineOptions = {}): Promise<StackOfflinePlan> {
  const base = opts.env ?? process.env;
  const json = offlineCopy(synthesized);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-${id}-`));
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  const target: SynthesizedStack = {
    id,
    dir,
    providers: Object.keys((json.terraform as { required_providers?: Record<string, unknown> }).required_providers ?? {}),
    dependencies: [],
    backend: 'local',
  };
  const root = opts.root ?? defaultOfflineRoot(base);
  fs.mkdirSync(root, { recursive: true });
  const env = offlineTerraformEnv(root, base);
  try {
    prepareOfflineState([target]);
    const initError = (await initOffline([target], root, env)).get(target.id);
    if (initError) throw initError;
    return { ...(await planOffline(target, env)), dir };
  } catch (e) {
    if (opts.keep && e instanceof Error) e.message += `\n(working directory kept: ${dir})`;
    throw e;
  } finally {
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The planned attribute values (`change.after`) of every resource of a type in a plan. */
export function plannedResources<T = Record<string, any>>(result: Pick<OfflinePlanResult, 'plan'>, type: string): T[] {
  return (result.plan.resource_changes ?? []).filter((c) => c.type === type).map((c) => (c.change.after ?? {}) as T);
}
