/**
 * scripts/jest-runtime.js: jest's runtime with V8's code cache per worker. What it must keep: a module
 * compiled again from the same source behaves as before (from the cache), an edited source is compiled
 * anew, and jest runs this very file through it.
 */
import * as path from 'path';
import * as vm from 'vm';

// The module as the worker loaded it would be outside this file's registry; a copy is enough to test the cache.
const { compileCached } = require('../scripts/jest-runtime.js') as {
  compileCached: (source: string, params: string[], options: vm.CompileFunctionOptions & { filename: string }, stats?: { hits: number; misses: number }) => (...args: unknown[]) => unknown;
};

const root = path.resolve(__dirname, '..');

test('the same file and source compiled again comes from the code cache and behaves the same', () => {
  const stats = { hits: 0, misses: 0 };
  const filename = path.join(root, 'virtual', `same-${process.pid}.js`);
  const source = 'module.exports = (a) => ({ doubled: a * 2, file: __filename });';
  const run = () => {
    const fn = compileCached(source, ['module', '__filename'], { filename, parsingContext: vm.createContext({}) }, stats);
    const module = { exports: undefined as unknown };
    fn(module, filename);
    return (module.exports as (a: number) => unknown)(21);
  };
  expect(run()).toEqual({ doubled: 42, file: filename });
  expect(run()).toEqual({ doubled: 42, file: filename });
  expect(stats).toEqual({ hits: 1, misses: 1 });
});

test('an edited source under the same file name is compiled from its new text, never from the old cache', () => {
  const stats = { hits: 0, misses: 0 };
  const filename = path.join(root, 'virtual', `edited-${process.pid}.js`);
  const value = (source: string) => compileCached(source, [], { filename }, stats)();
  expect(value('return "old";')).toBe('old');
  expect(value('return "new";')).toBe('new');
  expect(value('return "new";')).toBe('new');
  expect(stats).toEqual({ hits: 1, misses: 2 });
});

test('jest compiles this project\'s modules through it: a module loaded again in a fresh registry comes from the cache', () => {
  const stats = (globalThis as Record<symbol, { hits: number; misses: number } | undefined>)[Symbol.for('cdktf-eks-platform/jest-code-cache')];
  expect(stats).toBeDefined();
  const before = { ...stats! };
  let first: unknown;
  let second: unknown;
  jest.isolateModules(() => (first = require('../modules/core/validation')));
  jest.isolateModules(() => (second = require('../modules/core/validation')));
  // Two evaluations (two registries), one parse at most.
  expect(first).not.toBe(second);
  expect(Object.keys(first as object)).toEqual(Object.keys(second as object));
  expect(stats!.hits).toBeGreaterThan(before.hits);
});
