/**
 * The dated price tables (`prices/<region>.json`, one per region, plus `global.json` for CloudFront):
 * every figure with its unit, source and status, so an estimate can say where each dollar comes from.
 */
import * as fs from 'fs';
import * as path from 'path';

/** How a figure was established. */
export type PriceStatus = 'price-list' | 'derived' | 'unverified';

export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  readonly unit: string;
  readonly status: PriceStatus;
  /** Offer file (with SKU when rebuilt), AWS page or the figures it was derived from. */
  readonly source: string;
  readonly note?: string;
}

export interface PriceTable {
  /** AWS region code, or `global` (CloudFront). */
  readonly region: string;
  /** The Price List's `location` attribute for the region. */
  readonly location: string;
  readonly currency: 'USD';
  /** When the figures were read (YYYY-MM-DD). */
  readonly read: string;
  readonly about?: string;
  readonly prices: Record<string, Price>;
}

/** Where the committed tables live. */
export const PRICES_DIR = path.join(__dirname, 'prices');

/** Region codes and Price List locations this project knows (the rebuild script filters by location). */
export const REGION_LOCATIONS: Record<string, string> = {
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'us-east-1': 'US East (N. Virginia)',
};

/** The tables in a directory, by region. */
export function loadPriceTables(dir: string = PRICES_DIR): Map<string, PriceTable> {
  const tables = new Map<string, PriceTable>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const t = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as PriceTable;
    tables.set(t.region, t);
  }
  return tables;
}

/** Why a figure is missing: said in the estimate instead of a guess. */
export class MissingPrice extends Error {
  constructor(
    readonly key: string,
    readonly region: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** A price lookup over the loaded tables. */
export class Prices {
  constructor(readonly tables: Map<string, PriceTable>) {}

  /** The figure for `key` in `region`; throws `MissingPrice` (unknown region, or no such figure). */
  get(region: string, key: string): Price {
    const table = this.tables.get(region);
    if (!table) throw new MissingPrice(key, region, `no price table for region ${region} (tables: ${[...this.tables.keys()].join(', ')})`);
    const p = table.prices[key];
    if (!p) throw new MissingPrice(key, region, `no price for ${key} in ${region} (table of ${table.read})`);
    return p;
  }

  /** The tables an estimate used, with their dates. */
  dates(regions: Iterable<string>): Array<{ region: string; read: string }> {
    return [...new Set(regions)]
      .filter((r) => this.tables.has(r))
      .sort()
      .map((r) => ({ region: r, read: this.tables.get(r)!.read }));
  }
}
