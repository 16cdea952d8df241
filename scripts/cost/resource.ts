/**
 * One resource as the estimate sees it, from a `terraform show -json` plan (planned values) or, for
 * stacks Terraform cannot plan here (helm, kubernetes providers), from the synthesized JSON (literal
 * values): its attributes, the region of its provider, and what its configuration refers to.
 */
import type { TerraformPlanJson } from '../../modules/testing';

export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  /** Known attribute values (planned `after`, or the synthesized literal values). */
  readonly values: Record<string, any>;
  /** Region of the resource's provider; undefined when the configuration does not say. */
  readonly region: string | undefined;
  /** Addresses (`type.name`) of the resources an attribute path refers to, e.g. `launch_template.0.id`. */
  refs(path: string): string[];
  /** Length of a list attribute: known value, else the configured list (unknown elements count). */
  listLength(attr: string): number | undefined;
}

/** First element of a block list (plans and cdktf JSON give nested blocks as lists or objects). */
export function block(v: unknown): Record<string, any> | undefined {
  if (Array.isArray(v)) return v[0] as Record<string, any> | undefined;
  return v && typeof v === 'object' ? (v as Record<string, any>) : undefined;
}

/** A list attribute as a list (a single object or scalar becomes a one-element list). */
export function list(v: unknown): any[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Distinct resource addresses (`type.name`) among Terraform's `references`. */
function resourceRefs(references: unknown): string[] {
  const out = new Set<string>();
  for (const r of list(references)) {
    const m = /^((?!data\.|var\.|local\.|module\.)[a-z0-9_]+\.[^.[\]]+)/.exec(String(r));
    if (m) out.add(m[1]);
  }
  return [...out];
}

/** Distinct `${type.name...}` references in synthesized values. */
function templateRefs(v: unknown): string[] {
  const text = JSON.stringify(v ?? null);
  const out = new Set<string>();
  for (const m of text.matchAll(/\$\{((?!data\.|var\.|local\.)[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) out.add(m[1]);
  return [...out];
}

/** Follows a dotted path (`launch_template.0.id`) through values or configuration expressions. */
function at(v: unknown, path: string): unknown {
  let cur: any = v;
  for (const key of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    const index = /^\d+$/.test(key);
    // A block is a list in plans and an object in cdktf JSON: index 0 of an object is the object.
    if (index && !Array.isArray(cur)) {
      if (key !== '0') return undefined;
      continue;
    }
    if (Array.isArray(cur) && !index) cur = cur[0];
    cur = cur?.[key];
  }
  return cur;
}

/** Region of a provider configuration key (`aws`, `aws.us-east-1`) in a plan's configuration. */
function planRegion(plan: TerraformPlanJson & Record<string, any>, key: string | undefined): string | undefined {
  const providers = plan.configuration?.provider_config ?? {};
  const p = providers[key ?? 'aws'] ?? providers.aws;
  const region = p?.expressions?.region?.constant_value;
  return typeof region === 'string' ? region : undefined;
}

/** The resources a plan leaves in place (creates, updates, keeps, replaces), data sources excluded. */
export function resourcesOfPlan(plan: TerraformPlanJson): PlannedResource[] {
  const p = plan as TerraformPlanJson & Record<string, any>;
  const config = new Map<string, Record<string, any>>();
  for (const r of (p.configuration?.root_module?.resources ?? []) as Array<Record<string, any>>) config.set(r.address, r);
  const out: PlannedResource[] = [];
  for (const rc of (p.resource_changes ?? []) as Array<Record<string, any>>) {
    if (rc.mode === 'data' || !rc.change?.after) continue;
    // Configuration addresses carry no instance keys (count/for_each).
    const c = config.get(String(rc.address).replace(/\[[^\]]*\]$/, '')) ?? {};
    const values = rc.change.after as Record<string, any>;
    out.push({
      address: rc.address,
      type: rc.type,
      values,
      region: planRegion(p, c.provider_config_key),
      refs: (path) => resourceRefs((at(c.expressions, path) as any)?.references),
      listLength: (attr) => {
        if (Array.isArray(values[attr])) return values[attr].length;
        const e = c.expressions?.[attr];
        if (Array.isArray(e?.constant_value)) return e.constant_value.length;
        const refs = resourceRefs(e?.references);
        return refs.length ? refs.length : undefined;
      },
    });
  }
  return out;
}

/**
 * The resources of a synthesized stack (`cdk.tf.json`): literal values only, one per declared
 * resource (a literal `count` repeats it; an expression `count` or `for_each` counts once).
 */
export function resourcesOfSynthesized(json: Record<string, any>): PlannedResource[] {
  const providers = list(json.provider?.aws) as Array<Record<string, any>>;
  const regionOf = (provider: unknown) => {
    const alias = typeof provider === 'string' ? provider.split('.')[1] : undefined;
    const p = alias ? providers.find((x) => x.alias === alias) : (providers.find((x) => !x.alias) ?? providers[0]);
    return typeof p?.region === 'string' ? p.region : undefined;
  };
  const out: PlannedResource[] = [];
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, any>>)) {
    for (const [name, values] of Object.entries(byName)) {
      const n = typeof values.count === 'number' ? values.count : 1;
      for (let i = 0; i < n; i++) {
        out.push({
          address: n > 1 ? `${type}.${name}[${i}]` : `${type}.${name}`,
          type,
          values,
          region: type.startsWith('aws_') ? regionOf(values.provider) : undefined,
          refs: (path) => templateRefs(at(values, path)),
          listLength: (attr) => (values[attr] === undefined ? undefined : list(values[attr]).length),
        });
      }
    }
  }
  return out;
}
