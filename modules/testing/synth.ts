import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** Synthesized Terraform JSON of one stack. */
export interface SynthesizedJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  /** Ephemeral resources (`EphemeralResource`): opened at plan and apply, never in plan or state. */
  readonly ephemeral?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly terraform?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Synthesizes a stack and parses it. */
export function synthesize(stack: TerraformStack): SynthesizedJson {
  return JSON.parse(Testing.synth(stack)) as SynthesizedJson;
}

/** Every resource of a Terraform type in a synthesized stack (attribute objects, snake_case keys). */
export function resourcesOfType<T = Record<string, any>>(json: SynthesizedJson, type: string): T[] {
  return Object.values(json.resource?.[type] ?? {}) as T[];
}

/** Every data source of a Terraform type in a synthesized stack (e.g. `aws_ssm_parameter`). */
export function dataSourcesOfType<T = Record<string, any>>(json: SynthesizedJson, type: string): T[] {
  return Object.values(json.data?.[type] ?? {}) as T[];
}

/** Every ephemeral resource of a type in a synthesized stack (e.g. `aws_secretsmanager_random_password`). */
export function ephemeralResourcesOfType<T = Record<string, any>>(json: SynthesizedJson, type: string): T[] {
  return Object.values(json.ephemeral?.[type] ?? {}) as T[];
}

/**
 * The expression of a local value a reference like `${local.x}` names (plan-time lookups read
 * through locals: `var.offline_lookups ? <stub> : one(data.<type>.<name>[*].<attribute>)`).
 */
export function localExpression(json: SynthesizedJson, reference: unknown): string {
  const m = /^\$\{local\.([\w-]+)\}$/.exec(String(reference));
  if (!m) throw new Error(`${String(reference)} is not a reference to a local value`);
  const value = (json.locals as Record<string, unknown> | undefined)?.[m[1]];
  if (value === undefined) throw new Error(`no local value ${m[1]}`);
  return String(value);
}

/** The one resource of a type; fails if there are none or several. */
export function onlyResource<T = Record<string, any>>(json: SynthesizedJson, type: string): T {
  const all = resourcesOfType<T>(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * A stack with an AWS provider for testing a construct on its own:
 * `const stack = awsTestStack(); new Network(stack, 'n', {...}); synthesize(stack)`.
 */
export function awsTestStack(region = 'ap-northeast-2', id = 'test'): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region });
  return stack;
}

/** Parses a JSON policy document attribute (IAM, bucket or key policy). */
export function parsePolicy(doc: unknown): { Statement: Array<Record<string, any>> } {
  return JSON.parse(String(doc));
}

export type { Construct };
