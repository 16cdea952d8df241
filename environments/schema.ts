import { z } from 'zod';
import { INTERFACE_ENDPOINTS, NAT_MODES, regionProblem } from '../modules';
import type { EnvironmentConfig } from './types';
import { clusterSchema } from './config/cluster';
import { bastionSchema, batchSchema, databaseSchema, frontendSchema, registrySchema } from './config/data';
import { addonsSchema, kubernetesSchema, observabilitySchema } from './config/addons';
import { cicdSchema } from './config/cicd';
import { applicationSchema } from './config/application';
import { gitopsSchema } from './config/gitops';

/**
 * Shape of an EnvironmentConfig, checked before any stack is built. Objects are strict, so a
 * misspelt field is an error rather than a silently ignored default. Rules about how values relate
 * (CIDRs that fit, AZs of the region) live in the constructs and are reported with the same format.
 */
const name = z.string().regex(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/, 'allowed: 2-16 lowercase letters, digits and "-", starting with a letter');

/** An AWS region code the AWS SDK lists (a misspelt or made-up region stops synth). */
const region = z.string().superRefine((value, ctx) => {
  const problem = regionProblem(value);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

const stateSchema = z
  .object({
    bucket: z.string(),
    region: region.optional(),
    locking: z.enum(['s3', 'dynamodb']).optional(),
    noncurrentVersionDays: z.number().int().min(1).optional(),
    accessLogBucket: z.union([z.string(), z.literal(false)]).optional(),
    accessLogRetentionDays: z.number().int().optional(),
  })
  .strict();

const networkSchema = z
  .object({
    vpcCidr: z.string().optional(),
    azs: z.array(z.string()),
    natGateways: z.enum(NAT_MODES).optional(),
    subnetPrefixes: z
      .object({ public: z.number().int().optional(), private: z.number().int().optional(), database: z.number().int().optional() })
      .strict()
      .optional(),
    flowLogRetentionDays: z.number().int().optional(),
    interfaceEndpoints: z.array(z.enum(INTERFACE_ENDPOINTS)).optional(),
  })
  .strict();


export const environmentSchema = z
  .object({
    name,
    production: z.boolean({ required_error: 'is required: true for a production environment (its guardrails apply), false otherwise' }),
    project: name.optional(),
    accountId: z.string({ required_error: 'is required: the 12-digit AWS account id this environment deploys to' }).regex(/^\d{12}$/, 'allowed: exactly 12 digits'),
    region: region.optional(),
    tags: z.record(z.string()).optional(),
    state: stateSchema,
    network: networkSchema,
    cluster: clusterSchema,
    database: databaseSchema.optional(),
    bastion: bastionSchema.optional(),
    registry: registrySchema.optional(),
    frontend: frontendSchema.optional(),
    batch: batchSchema.optional(),
    addons: addonsSchema.optional(),
    observability: observabilitySchema.optional(),
    kubernetes: kubernetesSchema.optional(),
    application: applicationSchema.optional(),
    cicd: cicdSchema.optional(),
    gitops: gitopsSchema.optional(),
  })
  .strict();

// Compile-time guard: the schema and the documented interface describe the same shape.
type Parsed = z.infer<typeof environmentSchema>;
const _sameShape: (c: EnvironmentConfig) => Parsed = (c) => c;
void _sameShape;

/** Renders one zod issue as `field: problem; allowed: ...`. */
export function describeIssue(issue: z.ZodIssue): string {
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(root)';
  const received = (issue as { received?: unknown }).received;
  switch (issue.code) {
    case 'invalid_type':
      return received === 'undefined'
        ? `${field}: ${issue.message.startsWith('is required') ? issue.message : `is required (${issue.expected})`}`
        : `${field}: expected ${issue.expected}, got ${received}`;
    case 'invalid_enum_value':
      return `${field}: ${JSON.stringify(received)} is not allowed; allowed: ${issue.options.map((o) => JSON.stringify(o)).join(' | ')}`;
    case 'unrecognized_keys':
      return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_string':
      return `${field}: invalid value; ${issue.message}`;
    default:
      return `${field}: ${issue.message}`;
  }
}
