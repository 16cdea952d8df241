'use strict';
/**
 * jest's own runtime, with V8's code cache for the modules it compiles (jest.config.js `runtime`).
 *
 * jest gives every test file a fresh module registry, so each file compiles cdktf, the provider
 * bindings and our constructs again from their source: a fifth of the CPU time of the suites that
 * run no terraform went to V8's parser. Here a worker keeps the code cache V8 produces for each
 * module the first time, and hands it back the next time the same file is compiled from the same
 * source. Every test file still evaluates every module afresh in its own context; only the parsing
 * is shared. V8 checks the cache against the source (and rejects it on a mismatch); it is keyed here
 * by file name and the exact transformed source, so an edited file is compiled from its new source.
 *
 * Plain JavaScript: jest loads it in the worker, outside its transforms. When jest's internals differ
 * from what this expects (another jest version), it compiles as jest does, without the cache.
 */
const vm = require('vm');
const Runtime = require('jest-runtime').default;

/** filename -> { source, data }: the code cache of the last source compiled under that name. */
const codeCache = new Map();
const stats = { hits: 0, misses: 0 };
const STATS = Symbol.for('cdktf-eks-platform/jest-code-cache');

/**
 * `vm.compileFunction` with the code cache of an earlier compile of the same file and source, or
 * producing one. `counts` (optional) tallies `hits` and `misses`.
 */
function compileCached(source, params, options, counts) {
  const previous = codeCache.get(options.filename);
  const cachedData = previous && previous.source === source ? previous.data : undefined;
  const fn = vm.compileFunction(source, params, { ...options, cachedData, produceCachedData: !cachedData });
  if (cachedData && !fn.cachedDataRejected) {
    if (counts) counts.hits++;
  } else {
    if (counts) counts.misses++;
    if (fn.cachedData) codeCache.set(options.filename, { source, data: fn.cachedData });
    else codeCache.delete(options.filename);
  }
  return fn;
}

class CodeCachingRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (!executor || typeof executor.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters) || !executor.environment) return;
    const compile = executor.compile.bind(executor);
    // Counts of this worker's compiles, on the test context's global for the runtime's own test.
    Object.defineProperty(executor.environment.global, STATS, { value: stats, configurable: true });
    executor.compile = (scriptSource, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null || executor.resolution.isCoreModule(filename)) return compile(scriptSource, filename);
      try {
        return compileCached(scriptSource, executor.injectedModuleParameters, {
          filename,
          parsingContext: context,
          importModuleDynamically: (specifier, _fn, importAttributes, phase) => executor.dynamicImport(specifier, filename, context, importAttributes, phase),
        }, stats);
      } catch {
        // jest's compile reports syntax errors its own way.
        return compile(scriptSource, filename);
      }
    };
  }
}

module.exports = CodeCachingRuntime;
module.exports.compileCached = compileCached;
