import { Lazy } from 'cdktf';
import { plainCreationStacks, StackFormatter } from '../modules/core/creation-stacks';

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

test('cdktf tokens still record where they were created: every frame, this file included', () => {
  // __tests__/setup.ts installed it for this realm, as buildApp does for the app.
  const { creationStack } = Lazy.anyValue({ produce: () => 'x' });
  expect(creationStack.length).toBeGreaterThan(3);
  expect(creationStack[0]).toMatch(/^\S.* \(.*\d+:\d+\)$/);
  expect(creationStack.some((l) => l.includes('creation-stacks.test.ts'))).toBe(true);
});
