import { IPv4CidrRange } from 'ip-num';
import { layoutSubnets, parseVpcCidr } from '../modules';

const ranges = (l: { public: string[]; private: string[]; database: string[] }) => [...l.private, ...l.public, ...l.database].map((c) => IPv4CidrRange.fromCidr(c));

describe('layoutSubnets', () => {
  test('places each tier in its own region of the VPC', () => {
    expect(layoutSubnets('10.0.0.0/16', 3)).toEqual({
      private: ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'],
      public: ['10.0.128.0/24', '10.0.129.0/24', '10.0.130.0/24'],
      database: ['10.0.192.0/24', '10.0.193.0/24', '10.0.194.0/24'],
    });
  });

  test('adding an AZ keeps the existing subnets (no renumbering, no replacement)', () => {
    const two = layoutSubnets('10.0.0.0/16', 2);
    const three = layoutSubnets('10.0.0.0/16', 3);
    for (const tier of ['public', 'private', 'database'] as const) expect(three[tier].slice(0, 2)).toEqual(two[tier]);
  });

  test('no two subnets overlap and all sit inside the VPC, for several sizes', () => {
    for (const [cidr, azs, prefixes] of [
      ['10.0.0.0/16', 4, {}],
      ['172.16.0.0/20', 3, { private: 23, public: 26, database: 27 }],
      ['192.168.0.0/24', 2, { private: 26, public: 28, database: 28 }],
    ] as const) {
      const all = ranges(layoutSubnets(cidr, azs, prefixes));
      const vpc = IPv4CidrRange.fromCidr(cidr);
      expect(all).toHaveLength(azs * 3);
      all.forEach((a, i) => {
        expect(a.inside(vpc)).toBe(true);
        all.slice(i + 1).forEach((b) => expect(a.isOverlapping(b)).toBe(false));
      });
    }
  });

  test('subnets that do not fit are refused with the tier and the room left', () => {
    expect(() => layoutSubnets('10.0.0.0/24', 2)).toThrow('subnetPrefixes.private: /20 does not fit the private region 10.0.0.0/25 of VPC 10.0.0.0/24; allowed: /25 to /28');
    expect(() => layoutSubnets('10.0.0.0/16', 3, { public: 18 })).toThrow('subnetPrefixes.public: 3 public subnets of /18 do not fit in 10.0.128.0/18 (room for 1)');
  });
});

describe('parseVpcCidr', () => {
  test.each([
    ['10.0.0.0/33', 'is not an IPv4 CIDR block'],
    ['not-a-cidr', 'is not an IPv4 CIDR block'],
    ['10.0.1.0/16', 'has host bits set; allowed: a network address such as "10.0.0.0/16"'],
    ['10.0.0.0/8', 'has prefix /8; allowed: /16 to /28'],
    ['8.8.0.0/16', 'is not a private (RFC 1918) block'],
    ['172.32.0.0/16', 'is not a private (RFC 1918) block'],
  ])('%s is refused: %s', (cidr, message) => {
    expect(() => parseVpcCidr(cidr)).toThrow(`vpcCidr: "${cidr}" ${message}`);
  });

  test.each(['10.0.0.0/16', '172.16.0.0/16', '192.168.0.0/20'])('%s is accepted', (cidr) => {
    expect(parseVpcCidr(cidr).toCidrString()).toBe(cidr);
  });
});
