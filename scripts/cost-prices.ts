/**
 * `npm run cost:prices -- --offers <dir> [--region ap-northeast-2] [--date YYYY-MM-DD] [--out <file>]`:
 * rebuilds a price table (scripts/cost/prices/<region>.json) from AWS Price List offer files in
 * `<dir>` (any `*.json` holding an `offerCode`: AmazonEC2, AmazonRDS, AmazonEKS, AmazonVPC,
 * AmazonCloudWatch, awskms, AWSSecretsManager, AmazonECR, AmazonS3, AmazonECS), downloaded from
 * https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offerCode>/current/<region>/index.json.
 * Figures the files do not hold are kept; the script lists what it rebuilt, kept and found twice.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OfferFile, rebuildTable } from './cost/offers';
import { PRICES_DIR, PriceTable, REGION_LOCATIONS } from './cost/prices';

function arg(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

function main(argv: string[]): number {
  const offersDir = arg(argv, '--offers');
  const region = arg(argv, '--region') ?? 'ap-northeast-2';
  const read = arg(argv, '--date') ?? new Date().toISOString().slice(0, 10);
  const out = arg(argv, '--out') ?? path.join(PRICES_DIR, `${region}.json`);
  if (!offersDir) {
    console.error('usage: npm run cost:prices -- --offers <dir> [--region <region>] [--date YYYY-MM-DD] [--out <file>]');
    return 64;
  }
  const location = REGION_LOCATIONS[region];
  if (!location) {
    console.error(`--region ${region}: unknown region; allowed: ${Object.keys(REGION_LOCATIONS).join(', ')}`);
    return 64;
  }
  const offers = fs
    .readdirSync(offersDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(offersDir, f), 'utf8')) as OfferFile)
    .filter((o) => typeof o.offerCode === 'string' && o.products);
  const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as PriceTable) : undefined;
  const r = rebuildTable(offers, region, location, read, previous);
  fs.writeFileSync(out, `${JSON.stringify(r.table, null, 2)}\n`);
  console.log(`${path.relative(process.cwd(), out)}: ${r.rebuilt.length} figure(s) from ${offers.map((o) => o.offerCode).join(', ') || 'no offer file'}`);
  if (r.kept.length) console.log(`kept (no offer file held them): ${r.kept.join(', ')}`);
  if (r.conflicts.length) console.log(`several products, different prices (the first was used): ${r.conflicts.join(', ')}`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
