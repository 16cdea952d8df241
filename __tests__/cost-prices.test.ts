/**
 * The price tables: every figure has a unit, a source and an honest status, and `npm run cost:prices`
 * rebuilds a table from AWS Price List offer files (a small committed excerpt in the files' own
 * structure: products with attributes, terms.OnDemand[sku][offerTermCode].priceDimensions).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OfferFile, rebuildTable } from '../scripts/cost/offers';
import { PRICES_DIR, PriceTable, loadPriceTables } from '../scripts/cost/prices';

const root = path.resolve(__dirname, '..');
const offersDir = path.join(__dirname, 'fixtures', 'price-list');
const offers = () => fs.readdirSync(offersDir).map((f) => JSON.parse(fs.readFileSync(path.join(offersDir, f), 'utf8')) as OfferFile);
const seoul = () => JSON.parse(fs.readFileSync(path.join(PRICES_DIR, 'ap-northeast-2.json'), 'utf8')) as PriceTable;

test('every committed figure: a positive price, a unit, a status, a source; a dated table per region', () => {
  const tables = loadPriceTables();
  expect([...tables.keys()].sort()).toEqual(['ap-northeast-2', 'global', 'us-east-1']);
  for (const t of tables.values()) {
    expect(t.read).toMatch(/^\d{4}-\d\d-\d\d$/);
    for (const [key, p] of Object.entries(t.prices)) {
      expect([key, p.usd > 0, p.unit.length > 0, ['price-list', 'derived', 'unverified'].includes(p.status)]).toEqual([key, true, true, true]);
      // Price List figures name their offer file; the others say where they come from or how.
      if (p.status === 'price-list') expect(p.source).toMatch(/^AWS Price List offer file \w+\/current\b/);
      else expect(`${p.source} ${p.note ?? ''}`).toMatch(/https:\/\/aws\.amazon\.com\/|computed from/);
    }
  }
});

describe('rebuilt from offer files', () => {
  const r = rebuildTable(offers(), 'ap-northeast-2', 'Asia Pacific (Seoul)', '2026-12-03', seoul());
  const price = (key: string) => r.table.prices[key];

  test('each figure from the one product that matches, with its offer file, publication date, SKU and usage type', () => {
    expect(price('ec2.instance.t3.medium')).toEqual({
      usd: 0.052,
      unit: 'instance-hour (Linux, shared tenancy, on-demand)',
      status: 'price-list',
      source: expect.stringMatching(/^AWS Price List offer file AmazonEC2\/current\/ap-northeast-2 \(published 2026-11-27T18:23:41Z\), SKU [0-9A-Z]{16}, usage type APN2-BoxUsage:t3\.medium$/),
      note: '$0.052 per On Demand Linux t3.medium Instance Hour',
    });
    // Windows, dedicated tenancy and the reserved term of the same type are other products or terms.
    expect(r.conflicts).toEqual([]);
    expect(price('ec2.instance.t3.large')).toMatchObject({ usd: 0.104, status: 'price-list' });
    expect(price('eks.cluster')).toMatchObject({ usd: 0.1, source: expect.stringContaining('usage type APN2-AmazonEKS-Hours:perCluster') });
    expect(price('vpc.natGateway').usd).toBe(0.059);
    expect(price('ebs.gp3').usd).toBe(0.0912);
    expect([price('rds.postgres.singleAz.db.t4g.micro').usd, price('rds.postgres.multiAz.db.t4g.micro').usd, price('rds.gp3.singleAz').usd, price('rds.gp3.multiAz').usd]).toEqual([0.025, 0.051, 0.131, 0.262]);
  });

  test('the first tier of a tiered price, and per-request prices per 10,000', () => {
    expect(price('logs.vendedIngestion')).toMatchObject({ usd: 0.76, note: '$0.76 per GB vended log data ingested (first 10 TB)' });
    expect(price('kms.requests')).toMatchObject({ usd: 0.03, unit: '10,000 requests' });
  });

  test('other regions and Multi-AZ DB clusters are left out; what no file holds is kept as it was', () => {
    expect(price('ec2.instance.m6i.large')).toEqual(seoul().prices['ec2.instance.m6i.large']);
    expect(Object.keys(r.table.prices).filter((k) => k.includes('m6gd'))).toEqual([]);
    expect(r.kept).toEqual(expect.arrayContaining(['cloudwatch.dashboard', 'ec2.instance.m6i.large', 's3.standard']));
    expect(r.rebuilt).not.toContain('cloudwatch.dashboard');
    expect(r.table.read).toBe('2026-12-03');
    expect(Object.keys(r.table.prices).sort()).toEqual(Object.keys(r.table.prices));
  });

  test('npm run cost:prices writes the table and says what it rebuilt and kept', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prices-')), 'ap-northeast-2.json');
    fs.copyFileSync(path.join(PRICES_DIR, 'ap-northeast-2.json'), out);
    const run = spawnSync(process.execPath, ['--require', './scripts/register.js', 'scripts/cost-prices.ts', '--offers', offersDir, '--date', '2026-12-03', '--out', out], { cwd: root, encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/ap-northeast-2\.json: \d+ figure\(s\) from (?=.*AmazonEC2)(?=.*AmazonRDS).*\nkept \(no offer file held them\): .*cloudwatch\.dashboard/);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(r.table);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });

    const bad = spawnSync(process.execPath, ['--require', './scripts/register.js', 'scripts/cost-prices.ts', '--offers', offersDir, '--region', 'eu-west-9'], { cwd: root, encoding: 'utf8' });
    expect([bad.status, bad.stderr.trim()]).toEqual([64, '--region eu-west-9: unknown region; allowed: ap-northeast-2, us-east-1']);
  });
});
