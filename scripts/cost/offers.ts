/**
 * Rebuilds a price table from AWS Price List bulk files (the JSON offer files,
 * `offers/v1.0/aws/<offerCode>/current/<region>/index.json`): each figure of the table is matched to
 * one product (its `attributes`) and its on-demand price dimension
 * (`terms.OnDemand[sku][offerTermCode].priceDimensions[rateCode].pricePerUnit.USD`), and recorded with
 * the offer file, publication date, SKU and usage type it came from. Figures no offer file holds are
 * kept as they were (and reported), so a partial set of files never drops a price.
 */
import type { Price, PriceTable } from './prices';

export interface OfferFile {
  readonly offerCode: string;
  readonly publicationDate?: string;
  readonly products: Record<string, { sku: string; productFamily?: string; attributes: Record<string, string> }>;
  readonly terms: { OnDemand?: Record<string, Record<string, { priceDimensions: Record<string, { unit: string; beginRange?: string; description?: string; pricePerUnit: { USD?: string } }> }>> };
}

/** How one figure (or, with a key function, a family of figures) is found in an offer file. */
interface Matcher {
  readonly offer: string;
  /** The table key, or a function of the product's attributes (instance types). */
  readonly key: string | ((attrs: Record<string, string>) => string | undefined);
  readonly unit: string;
  readonly family?: string;
  /** Attributes that must be equal. */
  readonly attrs?: Record<string, string>;
  /** The usage type without its region prefix (`NatGateway-Hours` matches `APN2-NatGateway-Hours`). */
  readonly usage?: string;
  /** Price per this many of the offer's units (10,000 requests). @default 1 */
  readonly per?: number;
}

const rdsEngine = { databaseEngine: 'PostgreSQL' };
/** Single-AZ and Multi-AZ (one standby) only: Multi-AZ DB clusters (readable standbys) are another product. */
const AZ: Record<string, string> = { 'Single-AZ': 'singleAz', 'Multi-AZ': 'multiAz' };
const az = (a: Record<string, string>): string | undefined => AZ[a.deploymentOption];

export const MATCHERS: Matcher[] = [
  { offer: 'AmazonEKS', key: 'eks.cluster', unit: 'cluster-hour', usage: 'AmazonEKS-Hours:perCluster' },
  { offer: 'AmazonEKS', key: 'eks.extendedSupport', unit: 'cluster-hour', usage: 'AmazonEKS-Hours:extendedSupport' },
  {
    offer: 'AmazonEC2',
    family: 'Compute Instance',
    attrs: { operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', licenseModel: 'No License required', operation: 'RunInstances' },
    key: (a) => `ec2.instance.${a.instanceType}`,
    unit: 'instance-hour (Linux, shared tenancy, on-demand)',
  },
  { offer: 'AmazonEC2', family: 'Storage', attrs: { volumeApiName: 'gp3' }, key: 'ebs.gp3', unit: 'GB-month' },
  { offer: 'AmazonEC2', family: 'Storage', attrs: { volumeApiName: 'gp2' }, key: 'ebs.gp2', unit: 'GB-month' },
  { offer: 'AmazonEC2', key: 'vpc.natGateway', unit: 'NAT gateway-hour', usage: 'NatGateway-Hours' },
  { offer: 'AmazonEC2', key: 'vpc.natGatewayData', unit: 'GB processed', usage: 'NatGateway-Bytes' },
  { offer: 'AmazonVPC', key: 'vpc.publicIpv4', unit: 'address-hour', usage: 'PublicIPv4:InUseAddress' },
  { offer: 'AmazonVPC', key: 'vpc.interfaceEndpoint', unit: 'endpoint-AZ-hour', usage: 'VpcEndpoint-Hours' },
  { offer: 'AmazonVPC', key: 'vpc.interfaceEndpointData', unit: 'GB processed (first PB)', usage: 'VpcEndpoint-Bytes' },
  {
    offer: 'AmazonRDS',
    family: 'Database Instance',
    attrs: rdsEngine,
    key: (a) => (az(a) ? `rds.postgres.${az(a)}.${a.instanceType}` : undefined),
    unit: 'instance-hour (PostgreSQL)',
  },
  { offer: 'AmazonRDS', family: 'Database Storage', attrs: { volumeType: 'General Purpose-GP3' }, key: (a) => (az(a) ? `rds.gp3.${az(a)}` : undefined), unit: 'GB-month' },
  { offer: 'AmazonCloudWatch', key: 'logs.ingestion', unit: 'GB ingested (standard class)', usage: 'DataProcessing-Bytes' },
  { offer: 'AmazonCloudWatch', key: 'logs.vendedIngestion', unit: 'GB ingested (vended logs, first 10 TB)', usage: 'VendedLog-Bytes' },
  { offer: 'AmazonCloudWatch', key: 'logs.storage', unit: 'GB-month stored', usage: 'TimedStorage-ByteHrs' },
  { offer: 'AmazonCloudWatch', key: 'cloudwatch.alarm', unit: 'alarm-month (standard resolution)', usage: 'CW:AlarmMonitorUsage' },
  { offer: 'AmazonCloudWatch', key: 'cloudwatch.metric', unit: 'custom metric-month (first 10,000)', usage: 'CW:MetricMonitorUsage' },
  { offer: 'awskms', key: 'kms.key', unit: 'key-month', usage: 'KMS-Keys' },
  { offer: 'awskms', key: 'kms.requests', unit: '10,000 requests', usage: 'KMS-Requests', per: 10_000 },
  { offer: 'AWSSecretsManager', key: 'secretsmanager.secret', unit: 'secret-month', usage: 'AWSSecretsManager-Secrets' },
  { offer: 'AmazonECR', key: 'ecr.storage', unit: 'GB-month', usage: 'TimedStorage-ByteHrs' },
  { offer: 'AmazonS3', key: 's3.standard', unit: 'GB-month (first 50 TB)', usage: 'TimedStorage-ByteHrs' },
  { offer: 'AmazonS3', key: 's3.putRequests', unit: '1,000 PUT/COPY/POST/LIST requests', usage: 'Requests-Tier1', per: 1000 },
  { offer: 'AmazonS3', key: 's3.getRequests', unit: '10,000 GET requests', usage: 'Requests-Tier2', per: 10_000 },
  { offer: 'AmazonECS', key: 'fargate.vcpu', unit: 'vCPU-hour (Linux x86)', usage: 'Fargate-vCPU-Hours:perCPU' },
  { offer: 'AmazonECS', key: 'fargate.memory', unit: 'GB-hour (Linux x86)', usage: 'Fargate-GB-Hours' },
];

/** `APN2-NatGateway-Hours` and `NatGateway-Hours` (us-east-1 has no prefix) both match `NatGateway-Hours`. */
const usageMatches = (usagetype: string | undefined, usage: string) => !!usagetype && (usagetype === usage || usagetype.endsWith(`-${usage}`));

export interface RebuildResult {
  readonly table: PriceTable;
  /** Keys whose figure came from an offer file. */
  readonly rebuilt: string[];
  /** Keys of the old table no offer file held: kept as they were. */
  readonly kept: string[];
  /** Keys matched by several products with different prices (the first is used). */
  readonly conflicts: string[];
}

/**
 * The table for `region` (`location`: the Price List's name for it) from `offers`, over `previous`
 * (figures not found stay). `read`: the date the files were downloaded.
 */
export function rebuildTable(offers: OfferFile[], region: string, location: string, read: string, previous?: PriceTable): RebuildResult {
  const found = new Map<string, Price>();
  const conflicts = new Set<string>();
  for (const offer of offers) {
    for (const m of MATCHERS.filter((x) => x.offer === offer.offerCode)) {
      for (const product of Object.values(offer.products)) {
        const a = product.attributes ?? {};
        if (a.location !== location && a.regionCode !== region) continue;
        if (m.family && product.productFamily !== m.family) continue;
        if (m.usage && !usageMatches(a.usagetype, m.usage)) continue;
        if (m.attrs && Object.entries(m.attrs).some(([k, v]) => a[k] !== v)) continue;
        const terms = Object.values(offer.terms.OnDemand?.[product.sku] ?? {});
        // The first tier (beginRange 0) of the on-demand term: tiered prices start there.
        const dims = terms.flatMap((t) => Object.values(t.priceDimensions));
        const dim = dims.find((d) => (d.beginRange ?? '0') === '0') ?? dims[0];
        const usdText = dim?.pricePerUnit.USD;
        if (usdText === undefined) continue;
        const key = typeof m.key === 'string' ? m.key : m.key(a);
        if (!key) continue;
        const usd = Number(usdText) * (m.per ?? 1);
        const price: Price = {
          usd: Number(usd.toPrecision(10)),
          unit: m.unit,
          status: 'price-list',
          source: `AWS Price List offer file ${offer.offerCode}/current/${region}${offer.publicationDate ? ` (published ${offer.publicationDate})` : ''}, SKU ${product.sku}${a.usagetype ? `, usage type ${a.usagetype}` : ''}`,
          ...(dim.description ? { note: dim.description } : {}),
        };
        const before = found.get(key);
        if (before && before.usd !== price.usd) conflicts.add(key);
        if (!before) found.set(key, price);
      }
    }
  }
  const old = previous?.prices ?? {};
  const prices: Record<string, Price> = {};
  const kept: string[] = [];
  for (const key of [...new Set([...Object.keys(old), ...found.keys()])].sort()) {
    const p = found.get(key) ?? old[key];
    if (!found.has(key)) kept.push(key);
    prices[key] = p;
  }
  return {
    table: { region, location, currency: 'USD', read, ...(previous?.about ? { about: previous.about } : {}), prices },
    rebuilt: [...found.keys()].sort(),
    kept,
    conflicts: [...conflicts].sort(),
  };
}
