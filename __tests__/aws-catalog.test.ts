import * as fs from 'fs';
import * as path from 'path';
import { awsRegions, closestMatches, ec2InstanceTypes, instanceTypeProblem, isInstanceType, isRegion, regionProblem } from '../modules';

// The lists come from the installed AWS SDK packages, not from this repository: these tests fail
// if a release moves them (modules/core/aws-catalog.ts then needs updating) or if they shrink to nothing.
describe('EC2 instance types from @aws-sdk/client-ec2', () => {
  test('hold every type the SDK client exports, current and previous generations', () => {
    const types = ec2InstanceTypes();
    expect(types.size).toBeGreaterThan(1000);
    for (const t of ['t3.medium', 't4g.nano', 'm6i.large', 'm5.large', 'm7g.large', 'c7gn.16xlarge', 'p5.48xlarge', 'm1.small']) expect(isInstanceType(t)).toBe(true);
    for (const t of ['t3.mediun', 'T3.MEDIUM', 't3', 'm9z.large', '']) expect(isInstanceType(t)).toBe(false);
  });

  test('are the same list the SDK client exports at run time', () => {
    // Loading the client costs ~300 ms, which is why synth reads the file instead; here it proves the reading.
    const { _InstanceType } = require('@aws-sdk/client-ec2') as { _InstanceType: Record<string, string> };
    expect([...ec2InstanceTypes()].sort()).toEqual(Object.values(_InstanceType).sort());
  });

  test('a misspelt type gets the closest types as suggestions', () => {
    expect(instanceTypeProblem('t3.medium')).toBeUndefined();
    expect(instanceTypeProblem('t3.mediun')).toBe('"t3.mediun" is not an EC2 instance type; did you mean "t3.medium"?');
    expect(instanceTypeProblem('m6i.lrage')).toBe('"m6i.lrage" is not an EC2 instance type; did you mean "m6i.large"?');
    expect(instanceTypeProblem('huge')).toBe('"huge" is not an EC2 instance type; allowed: an instance type of @aws-sdk/client-ec2\'s list, e.g. "t3.medium", "m7g.large"');
  });
});

describe('AWS regions from the AWS SDK partitions', () => {
  test('hold the regions of every partition and no pseudo-region', () => {
    const regions = awsRegions();
    for (const r of ['ap-northeast-2', 'us-east-1', 'eu-central-2', 'ca-west-1', 'mx-central-1', 'cn-north-1', 'us-gov-west-1']) expect(isRegion(r)).toBe(true);
    for (const r of ['ap-northeast-9', 'aws-global', 'aws-cn-global', 'seoul', 'ap-northeast-2a']) expect(isRegion(r)).toBe(false);
    expect(regions.size).toBeGreaterThan(30);
  });

  test('are read from the partitions file @aws-sdk/core ships', () => {
    const src = fs.readFileSync(path.join(path.dirname(require.resolve('@aws-sdk/core/package.json')), 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js'), 'utf8');
    for (const r of awsRegions()) expect(src).toContain(`"${r}": {`);
  });

  test('a region that does not exist gets the closest regions as suggestions', () => {
    expect(regionProblem('ap-northeast-2')).toBeUndefined();
    expect(regionProblem('ap-northeast-9')).toBe('"ap-northeast-9" is not an AWS region; did you mean "ap-northeast-1", "ap-northeast-2" or "ap-northeast-3"?');
    expect(regionProblem('europe')).toMatch(/^"europe" is not an AWS region; allowed: a region code of the AWS SDK's partitions: af-south-1, .*us-west-2$/);
  });
});

test('closestMatches ranks by edit distance, counts a swap as one edit and gives up past two', () => {
  expect(closestMatches('abcd', ['abdc', 'abcx', 'wxyz'])).toEqual(['abcx', 'abdc']);
  expect(closestMatches('abcd', ['abce', 'abxy'])).toEqual(['abce']);
  expect(closestMatches('abcd', ['wxyz'])).toEqual([]);
});
