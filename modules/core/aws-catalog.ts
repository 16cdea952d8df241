import * as fs from 'fs';
import * as path from 'path';
import { check, show } from './validation';

/*
 * EC2 instance types and AWS regions, taken from the AWS SDK for JavaScript v3, which AWS
 * generates from its service models and releases several times a week: a new instance type or
 * region arrives with `npm update`, never with an edit here.
 *
 * Loading the SDK client (`require('@aws-sdk/client-ec2')`) costs 200-300 ms and ~70 MB at every
 * synth. The lists are plain data in one file each, ES-module syntax that Node 20 cannot require,
 * so that one file is read as text instead (about 3 ms):
 *   - `@aws-sdk/client-ec2/dist-es/models/*.js`: `export const _InstanceType = { a1_2xlarge: "a1.2xlarge", ... };`
 *   - `@aws-sdk/core/dist-es/.../partitions.js`: the endpoint partitions (`partitions.json` of every AWS SDK).
 * If a release moves them, the first check fails with an error saying so (a test pins that both load).
 */

let instanceTypes: ReadonlySet<string> | undefined;
let regions: ReadonlySet<string> | undefined;

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function versionOf(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Every EC2 instance type `@aws-sdk/client-ec2` knows (`t3.medium`, `m7g.large`, ...). */
export function ec2InstanceTypes(): ReadonlySet<string> {
  if (instanceTypes) return instanceTypes;
  const dir = packageDir('@aws-sdk/client-ec2');
  const models = path.join(dir, 'dist-es', 'models');
  // The enums live in enums.js today; earlier releases spread them over models_<n>.js.
  const files = function* (): Generator<string> {
    yield path.join(models, 'enums.js');
    if (fs.existsSync(models)) yield* fs.readdirSync(models).filter((f) => f !== 'enums.js' && f.endsWith('.js')).map((f) => path.join(models, f));
  };
  for (const file of files()) {
    if (!fs.existsSync(file)) continue;
    const block = /^export const _InstanceType = \{\n([\s\S]*?)\n\};$/m.exec(fs.readFileSync(file, 'utf8'));
    if (block) {
      const found = [...block[1].matchAll(/^\s+[\w$]+: "([^"]+)",?$/gm)].map((m) => m[1]);
      if (found.length > 0) return (instanceTypes = new Set(found));
    }
  }
  throw new Error(`cannot read the EC2 instance types from @aws-sdk/client-ec2 ${versionOf(dir)}: no "export const _InstanceType" in ${models}; modules/core/aws-catalog.ts needs updating for this release`);
}

/** Every AWS region of every partition the SDK knows (`ap-northeast-2`, `cn-north-1`, `us-gov-west-1`, ...). */
export function awsRegions(): ReadonlySet<string> {
  if (regions) return regions;
  const dir = packageDir('@aws-sdk/core');
  const file = path.join(dir, 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js');
  try {
    const src = fs.readFileSync(file, 'utf8');
    const info = JSON.parse(src.slice(src.indexOf('{'), src.lastIndexOf('}') + 1)) as { partitions: Array<{ regionRegex: string; regions: Record<string, unknown> }> };
    // Each partition also lists a pseudo-region for its global endpoints (`aws-global`), which its regex leaves out.
    const found = info.partitions.flatMap((p) => Object.keys(p.regions).filter((r) => new RegExp(p.regionRegex).test(r)));
    if (found.length > 0) return (regions = new Set(found));
  } catch {
    // Reported below.
  }
  throw new Error(`cannot read the AWS regions from @aws-sdk/core ${versionOf(dir)}: no partitions list at ${file}; modules/core/aws-catalog.ts needs updating for this release`);
}

/** Optimal string alignment distance: edits, with a swap of two neighbours counted as one. */
function distance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
    }
    [before, prev] = [prev, cur];
  }
  return prev[b.length];
}

/** The closest candidates (at most `limit`, within two edits), best first. */
export function closestMatches(value: string, candidates: Iterable<string>, limit = 3): string[] {
  const scored = [...candidates].filter((c) => Math.abs(c.length - value.length) <= 2).map((c) => ({ c, d: distance(value, c) })).filter((s) => s.d <= 2);
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.c).sort().slice(0, limit);
}

function didYouMean(matches: string[]): string {
  const quoted = matches.map((m) => show(m));
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
}

/**
 * Why `value` is not in `known`, or undefined when it is: `"t3.mediun" is not an EC2 instance type;
 * did you mean "t3.medium"?`, else the `allowed` text.
 */
export function notInCatalog(value: unknown, known: ReadonlySet<string>, what: string, allowed: () => string): string | undefined {
  if (typeof value === 'string' && known.has(value)) return undefined;
  const matches = typeof value === 'string' ? closestMatches(value.toLowerCase(), known) : [];
  return `${show(value)} is not ${what}; ${matches.length ? `did you mean ${didYouMean(matches)}?` : `allowed: ${allowed()}`}`;
}

/** True for an instance type EC2 offers (per @aws-sdk/client-ec2). */
export function isInstanceType(value: string): boolean {
  return ec2InstanceTypes().has(value);
}

/** True for an AWS region code (per the AWS SDK's partitions). */
export function isRegion(value: string): boolean {
  return awsRegions().has(value);
}

/** Why `value` is not an EC2 instance type, or undefined. */
export function instanceTypeProblem(value: unknown): string | undefined {
  return notInCatalog(value, ec2InstanceTypes(), 'an EC2 instance type', () => 'an instance type of @aws-sdk/client-ec2\'s list, e.g. "t3.medium", "m7g.large"');
}

/** Why `value` is not an AWS region, or undefined. */
export function regionProblem(value: unknown): string | undefined {
  return notInCatalog(value, awsRegions(), 'an AWS region', () => `a region code of the AWS SDK's partitions: ${[...awsRegions()].sort().join(', ')}`);
}

/** Throws a ValidationError for `field` unless `value` is an EC2 instance type. */
export function checkInstanceType(value: string, field: string): void {
  const problem = instanceTypeProblem(value);
  check(problem === undefined, field, problem ?? '');
}

/** Throws a ValidationError for `field` unless `value` is an AWS region. */
export function checkRegion(value: string, field: string): void {
  const problem = regionProblem(value);
  check(problem === undefined, field, problem ?? '');
}
