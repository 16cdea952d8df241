import { Lazy, TerraformStack, Testing, Tokenization } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { CREATION_STACK_FRAMES, plainCreationStacks, StackFormatter } from '../modules/core/creation-stacks';

const frames = ['f (/a.js:1:2)', 'g (/b.js:3:4)'].map((s) => ({ toString: () => s })) as unknown as NodeJS.CallSite[];

function install(previous?: StackFormatter) {
  const errorClass = { prepareStackTrace: previous } as unknown as ErrorConstructor;
  plainCreationStacks(errorClass);
  return errorClass.prepareStackTrace as StackFormatter;
}

test('plain objects (cdktf creation stacks) get the frames as V8 prints them, without the previous formatter', () => {
  const previous = jest.fn(() => 'mapped');
  const format = install(previous);
  expect(format({ stack: '' } as unknown as Error, frames)).toBe('Error\n    at f (/a.js:1:2)\n    at g (/b.js:3:4)');
  expect(previous).not.toHaveBeenCalled();
});

test("a deep creation stack keeps its first frames (the token's maker up to the construct code) and counts the rest", () => {
  const deep = Array.from({ length: CREATION_STACK_FRAMES + 5 }, (_, i) => ({ toString: () => `f${i} (/a.js:${i}:1)` })) as unknown as NodeJS.CallSite[];
  const lines = (install(undefined)({ stack: '' } as unknown as Error, deep) as string).split('\n');
  expect(lines).toHaveLength(1 + CREATION_STACK_FRAMES + 1);
  expect(lines[1]).toBe('    at f0 (/a.js:0:1)');
  expect(lines[CREATION_STACK_FRAMES]).toBe(`    at f${CREATION_STACK_FRAMES - 1} (/a.js:${CREATION_STACK_FRAMES - 1}:1)`);
  expect(lines.at(-1)).toBe('    at (5 more frames)');
  // Exactly the limit: nothing counted.
  expect((install(undefined)({ stack: '' } as unknown as Error, deep.slice(0, CREATION_STACK_FRAMES)) as string).split('\n')).toHaveLength(1 + CREATION_STACK_FRAMES);
});

test('Errors, of any realm, keep the formatter they had', () => {
  const previous = jest.fn(() => 'mapped');
  const format = install(previous);
  const otherRealm = (require('vm') as typeof import('vm')).runInNewContext('new TypeError("x")') as Error;
  expect(format(new Error('x'), frames)).toBe('mapped');
  expect(format(otherRealm, frames)).toBe('mapped');
  expect(previous).toHaveBeenCalledTimes(2);
});

test('with no formatter before, Errors are printed as Node prints them unmapped', () => {
  expect(install(undefined)(new RangeError('too far'), frames)).toBe('RangeError: too far\n    at f (/a.js:1:2)\n    at g (/b.js:3:4)');
});

test('installing twice keeps the first installation', () => {
  const errorClass = { prepareStackTrace: jest.fn() } as unknown as ErrorConstructor;
  plainCreationStacks(errorClass);
  const first = errorClass.prepareStackTrace;
  plainCreationStacks(errorClass);
  expect(errorClass.prepareStackTrace).toBe(first);
});

test('cdktf tokens still record where they were created, this file included', () => {
  // __tests__/setup.ts installed it for this realm, as buildApp does for the app.
  const { creationStack } = Lazy.anyValue({ produce: () => 'x' });
  expect(creationStack.length).toBeGreaterThan(3);
  expect(creationStack[0]).toMatch(/^\S.* \(.*\d+:\d+\)$/);
  expect(creationStack.some((l) => l.includes('creation-stacks.test.ts'))).toBe(true);
});

test("a resource attribute's creation stack, cut short, still names the construct code that referenced it", () => {
  const stack = new TerraformStack(Testing.app(), 'frames');
  const referenceFromConstructCode = () => new S3Bucket(stack, 'bucket', {}).arn;
  const [token] = Tokenization.reverseString(referenceFromConstructCode()).tokens as unknown as Array<{ creationStack: string[] }>;
  expect(token.creationStack.length).toBeLessThanOrEqual(CREATION_STACK_FRAMES + 1);
  expect(token.creationStack.slice(0, CREATION_STACK_FRAMES).some((l) => l.includes('referenceFromConstructCode') && l.includes('creation-stacks.test.ts'))).toBe(true);
});
