import { IPv4, IPv4CidrRange, IPv4Prefix } from 'ip-num';
import { check, show } from '../core/validation';

/** Prefix lengths of the three subnet tiers. */
export interface SubnetPrefixes {
  /** Public subnets hold load balancers and NAT gateways only. @default 24 */
  readonly public?: number;
  /** Private subnets hold nodes and pods (VPC CNI gives every pod a VPC address), so they are large. @default 20 */
  readonly private?: number;
  /** Database subnets hold RDS only. @default 24 */
  readonly database?: number;
}

export interface SubnetLayout {
  readonly public: string[];
  readonly private: string[];
  readonly database: string[];
}

export const DEFAULT_SUBNET_PREFIXES: Required<SubnetPrefixes> = { public: 24, private: 20, database: 24 };

/** RFC 1918 blocks: a VPC CIDR must sit inside one of them. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => IPv4CidrRange.fromCidr(c));

/**
 * Parses a VPC CIDR and checks it is a private block AWS accepts for a VPC (/16 to /28).
 * Field names in errors are relative to the network props.
 */
export function parseVpcCidr(cidr: string, field = 'vpcCidr'): IPv4CidrRange {
  let range: IPv4CidrRange;
  try {
    range = IPv4CidrRange.fromCidr(cidr);
  } catch {
    return check(false, field, `${show(cidr)} is not an IPv4 CIDR block; allowed: a private block such as "10.0.0.0/16"`) as never;
  }
  const prefix = Number(range.getPrefix().getValue());
  const network = `${range.getFirst().toString()}/${prefix}`;
  check(network === cidr, field, `${show(cidr)} has host bits set; allowed: a network address such as ${show(network)}`);
  check(prefix >= 16 && prefix <= 28, field, `${show(cidr)} has prefix /${prefix}; allowed: /16 to /28 (AWS VPC limits)`);
  check(
    PRIVATE_RANGES.some((p) => range.inside(p)),
    field,
    `${show(cidr)} is not a private (RFC 1918) block; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
  );
  return range;
}

/**
 * Derives non-overlapping subnet CIDRs. Each tier owns a fixed region of the VPC, so adding an AZ
 * later never renumbers (and so never replaces) existing subnets:
 * private = first half, public = third quarter, database = fourth quarter. Subnet i of a tier is
 * the i-th block of the tier's prefix inside its region.
 */
export function layoutSubnets(vpcCidr: string, azCount: number, prefixes: SubnetPrefixes = {}): SubnetLayout {
  const vpc = parseVpcCidr(vpcCidr);
  const p = { ...DEFAULT_SUBNET_PREFIXES, ...prefixes };
  const [privateRegion, upperHalf] = vpc.split();
  const [publicRegion, databaseRegion] = upperHalf.split();
  const tier = (name: keyof SubnetLayout, region: IPv4CidrRange): string[] => {
    const field = `subnetPrefixes.${name}`;
    const prefix = p[name];
    const regionPrefix = Number(region.getPrefix().getValue());
    check(
      Number.isInteger(prefix) && prefix >= regionPrefix && prefix <= 28,
      field,
      `/${prefix} does not fit the ${name} region ${region.toCidrString()} of VPC ${vpcCidr}; allowed: /${regionPrefix} to /28`,
    );
    const slots = 2 ** (prefix - regionPrefix);
    check(
      azCount <= slots,
      field,
      `${azCount} ${name} subnets of /${prefix} do not fit in ${region.toCidrString()} (room for ${slots}); allowed: a longer prefix or fewer AZs`,
    );
    // Block i starts i block sizes into the region. (ip-num's splitInto builds every block of the
    // region, 64 /24s of a /18: 30 ms a tier, for the two or three that are used.)
    const size = IPv4Prefix.fromNumber(BigInt(prefix));
    const first = region.getFirst().getValue();
    return Array.from({ length: azCount }, (_, i) => new IPv4CidrRange(IPv4.fromNumber(first + BigInt(i) * size.toRangeSize()), size).toCidrString());
  };
  return { private: tier('private', privateRegion), public: tier('public', publicRegion), database: tier('database', databaseRegion) };
}
