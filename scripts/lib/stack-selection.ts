import type { SynthesizedStack } from '../../modules/testing';

/** The refusal of `--stack` names the app did not synthesize (one line, naming those there are), or undefined. */
export function unknownStacksError(named: readonly string[], stacks: readonly SynthesizedStack[]): string | undefined {
  const unknown = named.filter((id) => !stacks.some((s) => s.id === id));
  return unknown.length ? `--stack ${unknown.join(', ')}: no such stack; allowed: ${stacks.map((s) => s.id).join(', ')}` : undefined;
}
