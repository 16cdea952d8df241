/**
 * The cost report: what `npm run cost -- --json` prints, the markdown tables people read, and the
 * pull-request comparison of two reports (base and head).
 */
import type { Assumptions } from './assumptions';
import { EnvironmentEstimate, StackEstimate, difference, stackPart, topItems } from './estimate';

export interface CostReport {
  /** The price tables used, with the dates their figures were read. */
  readonly priceTables: Array<{ region: string; read: string }>;
  readonly assumptions: Assumptions;
  readonly environments: EnvironmentEstimate[];
  /** Every pair of environments after the first: `to` minus `from` (prod − dev). */
  readonly differences: Array<{ from: string; to: string; deltaUsd: number; stacks: ReturnType<typeof difference>['stacks'] }>;
  /** Stacks estimated with a caveat (not planned here, stale plan). */
  readonly warnings: Array<{ stack: string; warning: string }>;
}

export const usd = (n: number) => n.toFixed(2);
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Cents in JSON totals (items keep their exact figures). */
function rounded(e: EnvironmentEstimate): EnvironmentEstimate {
  return { ...e, monthlyUsd: round2(e.monthlyUsd), stacks: e.stacks.map((s) => ({ ...s, monthlyUsd: round2(s.monthlyUsd) })) };
}

export function buildReport(environments: EnvironmentEstimate[], priceTables: CostReport['priceTables'], assumptions: Assumptions, warnings: CostReport['warnings']): CostReport {
  const differences = environments.slice(1).map((to) => {
    const d = difference(environments[0], to);
    return { from: environments[0].environment, to: to.environment, deltaUsd: round2(d.deltaUsd), stacks: d.stacks.map((s) => ({ ...s, fromUsd: round2(s.fromUsd), toUsd: round2(s.toUsd), deltaUsd: round2(s.deltaUsd) })) };
  });
  return { priceTables, assumptions, environments: environments.map(rounded), differences, warnings };
}

const escape = (s: string) => s.replace(/\|/g, '\\|');

function stackRow(s: StackEstimate, environment: string): string {
  const top = topItems(s)
    .filter((t) => t.monthlyUsd >= 0.005)
    .map((t) => `${escape(t.item)} ${usd(t.monthlyUsd)}`)
    .join(', ');
  const marks = [s.source === 'synthesized' ? '¹' : '', s.unpriced.length ? '²' : ''].join('');
  return `| ${stackPart(s.stack, environment)}${marks} | ${usd(s.monthlyUsd)} | ${top || (s.free.length ? 'free resources only' : '')} |`;
}

/** The markdown tables: one per environment (stack, monthly USD, top items), totals, and the differences. */
export function formatReport(r: CostReport): string {
  const out: string[] = [];
  const tables = r.priceTables.map((t) => `${t.region} ${t.read}`).join(', ');
  out.push(`Monthly cost estimate in USD: on-demand list prices before tax, no free tier (price tables: ${tables}); usage assumptions in docs/cost.md.`);
  for (const e of r.environments) {
    const planned = e.stacks.map((s) => s.plannedAt).filter((t): t is string => !!t).sort();
    out.push('', `### ${e.environment}${planned.length ? ` (offline plans of ${planned[planned.length - 1].replace('T', ' ').replace(/:\d\dZ$/, ' UTC')})` : ''}`, '');
    out.push('| stack | monthly USD | top items |', '| --- | ---: | --- |');
    for (const s of e.stacks) out.push(stackRow(s, e.environment));
    out.push(`| **total** | **${usd(e.monthlyUsd)}** | |`);
    const notes: string[] = [];
    const synthesized = e.stacks.filter((s) => s.source === 'synthesized');
    if (synthesized.length) notes.push(`¹ not planned here (${synthesized.map((s) => s.stack).join(', ')}): estimated from the synthesized JSON.`);
    const unpriced = e.stacks.flatMap((s) => s.unpriced.map((u) => ({ ...u, stack: s.stack })));
    if (unpriced.length) notes.push(`² unpriced, not in the total: ${unpriced.map((u) => `${u.stack} \`${u.address}\`${u.item ? ` (${u.item})` : ''}: ${u.reason}`).join('; ')}.`);
    if (notes.length) out.push('', ...notes);
  }
  for (const d of r.differences) {
    out.push('', `### ${d.to} vs ${d.from}: ${signed(d.deltaUsd)} USD a month`, '', `| stack | ${d.from} | ${d.to} | difference |`, '| --- | ---: | ---: | ---: |');
    for (const s of d.stacks) out.push(`| ${s.part} | ${usd(s.fromUsd)} | ${usd(s.toUsd)} | ${signed(s.deltaUsd)} |`);
  }
  const warnings = r.warnings.filter((w) => !w.warning.startsWith('not planned here'));
  if (warnings.length) out.push('', ...warnings.map((w) => `Note: ${w.stack}: ${w.warning}`));
  return out.join('\n');
}

/** Each charge of each stack of an environment, keyed by stack part, resource and the charge's place in its rule. */
function charges(e: EnvironmentEstimate | undefined, environment: string): Map<string, { text: string; usd: number }> {
  const out = new Map<string, { text: string; usd: number }>();
  for (const s of e?.stacks ?? []) {
    const seen = new Map<string, number>();
    for (const i of s.items) {
      const n = seen.get(i.address) ?? 0;
      seen.set(i.address, n + 1);
      out.set(`${stackPart(s.stack, environment)} ${i.address}#${n}`, { text: i.item, usd: i.monthlyUsd });
    }
  }
  return out;
}

/**
 * The markdown a pull request gets: per environment, each stack's base and head estimate and the
 * change, then the charges that changed most. Environments only in one report count from zero.
 */
export function formatComparison(base: CostReport | undefined, head: CostReport, maxItems = 10): string {
  const out = ['<!-- cost-estimate -->', '## Monthly cost estimate (USD, offline plans)'];
  if (!base) out.push('', 'No estimate of the base branch (its offline plan failed): head only.');
  for (const h of head.environments) {
    const b = base?.environments.find((e) => e.environment === h.environment);
    const d = difference(b ?? { environment: h.environment, monthlyUsd: 0, stacks: [], regions: [], unpricedCount: 0 }, h);
    out.push('', `### ${h.environment}: ${usd(b?.monthlyUsd ?? 0)} → ${usd(h.monthlyUsd)} (${signed(d.deltaUsd)} a month)`, '', '| stack | base | head | change |', '| --- | ---: | ---: | ---: |');
    for (const s of d.stacks) out.push(`| ${s.part} | ${usd(s.fromUsd)} | ${usd(s.toUsd)} | ${Math.abs(s.deltaUsd) < 0.005 ? '0.00' : signed(s.deltaUsd)} |`);
    const before = charges(b, h.environment);
    const after = charges(h, h.environment);
    const changes = [...new Set([...before.keys(), ...after.keys()])]
      .map((k) => ({ k, from: before.get(k), to: after.get(k) }))
      .map((c) => ({ ...c, delta: (c.to?.usd ?? 0) - (c.from?.usd ?? 0) }))
      .filter((c) => Math.abs(c.delta) >= 0.005)
      .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
    if (changes.length) {
      out.push('', 'Changed charges:', '');
      for (const c of changes.slice(0, maxItems)) {
        const part = c.k.split(' ')[0];
        const what = c.from && c.to && c.from.text !== c.to.text ? `${c.from.text} → ${c.to.text}` : (c.to ?? c.from)!.text;
        out.push(`- ${part}: ${escape(what)}: ${usd(c.from?.usd ?? 0)} → ${usd(c.to?.usd ?? 0)} (${signed(c.delta)})`);
      }
      if (changes.length > maxItems) out.push(`- … ${changes.length - maxItems} more`);
    }
    const unpriced = h.stacks.flatMap((s) => s.unpriced.map((u) => `${s.stack} \`${u.address}\`: ${u.reason}`));
    if (unpriced.length) out.push('', `Unpriced in head (not in the totals): ${unpriced.join('; ')}.`);
  }
  out.push('', `Price tables: ${head.priceTables.map((t) => `${t.region} ${t.read}`).join(', ')}; assumptions in docs/cost.md.`);
  return out.join('\n');
}
