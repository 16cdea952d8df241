import { check, show } from '../core/validation';

const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const FACTOR: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** The numeric value of a Kubernetes resource quantity (`250m`, `1.5`, `512Mi`); throws on anything else. */
export function parseQuantity(q: string, field: string): number {
  const m = typeof q === 'string' ? QUANTITY.exec(q) : null;
  check(m !== null, field, `${show(q)} is not a Kubernetes quantity; allowed: a number with an optional suffix m, k, M, G, T, Ki, Mi, Gi, Ti (e.g. "250m", "512Mi")`);
  return Number(m[1]) * FACTOR[m[2] ?? ''];
}
