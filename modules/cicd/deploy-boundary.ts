import { partitionOf } from '../core/iam';

/**
 * Name of the permissions boundary an environment's deploy roles carry and put on every IAM role they
 * create: `<namePrefix>-deploy-boundary`. The state stack creates the policy under this name; every
 * other stack computes its ARN with `deployBoundaryArn` (one rule, so the two cannot drift apart).
 */
export function deployBoundaryName(namePrefix: string): string {
  return `${namePrefix}-deploy-boundary`;
}

/** ARN of the deploy boundary: deterministic (`arn:<partition>:iam::<account>:policy/<name>`), known at synth. */
export function deployBoundaryArn(region: string, accountId: string, namePrefix: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:policy/${deployBoundaryName(namePrefix)}`;
}
