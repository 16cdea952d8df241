/**
 * The monthly estimate of a stack and of an environment: each resource through its rule (rules.ts),
 * each charge priced from the dated tables (prices.ts). A charge whose figure is missing (unknown
 * region, instance type, storage type...) and a resource type without a rule are listed as unpriced
 * with the reason, never guessed; free types are listed as free.
 */
import { Assumptions, DEFAULT_ASSUMPTIONS } from './assumptions';
import { MissingPrice, PriceStatus, Prices } from './prices';
import { PlannedResource } from './resource';
import { RULES, RuleContext, freeReason } from './rules';

export interface LineItem {
  readonly address: string;
  readonly type: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly priceKey: string;
  readonly region: string;
  /** USD per unit, after any factor (Spot discount). */
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  readonly status: PriceStatus;
  readonly usage?: string;
}

export interface UnpricedItem {
  readonly address: string;
  readonly type: string;
  readonly item?: string;
  readonly reason: string;
}

export interface FreeType {
  readonly type: string;
  readonly count: number;
  readonly reason: string;
}

export interface StackEstimate {
  readonly stack: string;
  readonly environment: string;
  /** `plan`: planned values of an offline plan; `synthesized`: literal values of cdk.tf.json (stacks not planned here). */
  readonly source: 'plan' | 'synthesized';
  /** The plan's timestamp, when from a plan. */
  readonly plannedAt?: string;
  readonly monthlyUsd: number;
  readonly items: LineItem[];
  readonly free: FreeType[];
  readonly unpriced: UnpricedItem[];
}

export interface EnvironmentEstimate {
  readonly environment: string;
  readonly monthlyUsd: number;
  readonly stacks: StackEstimate[];
  /** Regions whose tables priced this environment. */
  readonly regions: string[];
  readonly unpricedCount: number;
}

export interface EstimateOptions {
  readonly assumptions?: Assumptions;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The estimate of one stack's resources. */
export function estimateStack(stack: string, environment: string, resources: PlannedResource[], prices: Prices, opts: EstimateOptions & { source: 'plan' | 'synthesized'; plannedAt?: string }): StackEstimate {
  const assumptions = opts.assumptions ?? DEFAULT_ASSUMPTIONS;
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const ctx: RuleContext = { assumptions, resource: (a) => byAddress.get(a) };
  const items: LineItem[] = [];
  const unpriced: UnpricedItem[] = [];
  const free = new Map<string, FreeType>();
  const addFree = (type: string, reason: string) => {
    const f = free.get(`${type}\n${reason}`);
    free.set(`${type}\n${reason}`, { type, reason, count: (f?.count ?? 0) + 1 });
  };
  for (const r of resources) {
    const rule = RULES[r.type];
    if (!rule) {
      const why = freeReason(r.type);
      if (why) addFree(r.type, why);
      else unpriced.push({ address: r.address, type: r.type, reason: `no price rule for ${r.type}` });
      continue;
    }
    const result = rule(r, ctx);
    if ('free' in result) {
      addFree(r.type, result.free);
      continue;
    }
    for (const c of result) {
      const region = c.region ?? r.region;
      if (!region) {
        unpriced.push({ address: r.address, type: r.type, item: c.item, reason: 'the configuration names no region for its provider' });
        continue;
      }
      try {
        const p = prices.get(region, c.key);
        const unitUsd = p.usd * (c.factor ?? 1);
        items.push({ address: r.address, type: r.type, item: c.item, quantity: c.quantity, unit: p.unit, priceKey: c.key, region, unitUsd, monthlyUsd: c.quantity * unitUsd, status: p.status, ...(c.usage ? { usage: c.usage } : {}) });
      } catch (e) {
        if (!(e instanceof MissingPrice)) throw e;
        unpriced.push({ address: r.address, type: r.type, item: c.item, reason: e.message });
      }
    }
  }
  return {
    stack,
    environment,
    source: opts.source,
    ...(opts.plannedAt ? { plannedAt: opts.plannedAt } : {}),
    monthlyUsd: sum(items.map((i) => i.monthlyUsd)),
    items,
    free: [...free.values()].sort((a, b) => a.type.localeCompare(b.type)),
    unpriced,
  };
}

/** An environment's total from its stacks. */
export function environmentEstimate(environment: string, stacks: StackEstimate[]): EnvironmentEstimate {
  return {
    environment,
    monthlyUsd: sum(stacks.map((s) => s.monthlyUsd)),
    stacks,
    regions: [...new Set(stacks.flatMap((s) => s.items.map((i) => i.region)))].sort(),
    unpricedCount: sum(stacks.map((s) => s.unpriced.length)),
  };
}

/** A stack's charges grouped by what they are (the same item text summed), largest first. */
export function topItems(s: StackEstimate, n = 3): Array<{ item: string; monthlyUsd: number }> {
  const groups = new Map<string, number>();
  for (const i of s.items) {
    // Names of log groups, alarms, repositories... vary; the kind of charge is what a reader compares.
    const key = i.item
      .replace(/^interface endpoint .* data$/, 'interface endpoint data')
      .replace(/^interface endpoint .*/, 'interface endpoints')
      .replace(/^(logs (?:ingested|stored)|alarm|dashboard|metric of log filter|ECR images) .*/, '$1');
    groups.set(key, (groups.get(key) ?? 0) + i.monthlyUsd);
  }
  return [...groups.entries()]
    .map(([item, monthlyUsd]) => ({ item, monthlyUsd }))
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd)
    .slice(0, n);
}

/** The part of a stack id after the environment (`dev-network` -> `network`). */
export const stackPart = (stack: string, environment: string) => (stack.startsWith(`${environment}-`) ? stack.slice(environment.length + 1) : stack);

export interface StackDifference {
  readonly part: string;
  readonly fromUsd: number;
  readonly toUsd: number;
  readonly deltaUsd: number;
}

/** Stack by stack (matched by part: network, cluster...), `to` minus `from`. */
export function difference(from: EnvironmentEstimate, to: EnvironmentEstimate): { deltaUsd: number; stacks: StackDifference[] } {
  const parts = new Map<string, { from: number; to: number }>();
  for (const s of from.stacks) parts.set(stackPart(s.stack, from.environment), { from: s.monthlyUsd, to: 0 });
  for (const s of to.stacks) {
    const p = stackPart(s.stack, to.environment);
    parts.set(p, { from: parts.get(p)?.from ?? 0, to: s.monthlyUsd });
  }
  return {
    deltaUsd: to.monthlyUsd - from.monthlyUsd,
    stacks: [...parts.entries()].map(([part, v]) => ({ part, fromUsd: v.from, toUsd: v.to, deltaUsd: v.to - v.from })),
  };
}
