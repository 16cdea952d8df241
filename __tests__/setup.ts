import { Testing } from 'cdktf';
import { plainCreationStacks, StackFormatter } from '../modules/core/creation-stacks';

Testing.setupJest();

// cdktf records where every token was created: a full stack trace per resource reference, formatted
// at once. jest maps every frame of those through source maps (node_modules' inline maps included),
// from the worker's own realm: Node consults the test context's Error.prepareStackTrace first, so the
// records (plain objects made in the test context) are formatted there without source maps, and Errors
// go on to jest's formatter as before.
const workerError = (require('vm') as typeof import('vm')).runInThisContext('Error') as ErrorConstructor;
const contextFormatter = Error.prepareStackTrace as StackFormatter | undefined;
plainCreationStacks(Error, () => contextFormatter ?? (workerError.prepareStackTrace as StackFormatter | undefined));

// `npm run bench -- test` records how long each beforeAll/afterAll hook takes against its timeout
// (jest's JSON report has test durations, not hooks'). One JSON line per hook; off unless asked.
const timings = process.env.BENCH_HOOK_TIMINGS;
if (timings) {
  const { appendFileSync } = require('fs') as typeof import('fs');
  const file = expect.getState().testPath ?? '?';
  for (const hook of ['beforeAll', 'afterAll'] as const) {
    const original = global[hook];
    global[hook] = ((fn: jest.ProvidesHookCallback, timeout?: number) =>
      original(async () => {
        const start = Date.now();
        try {
          // Hooks here take no done callback.
          return await (fn as () => unknown)();
        } finally {
          appendFileSync(timings, `${JSON.stringify({ file, hook, ms: Date.now() - start, timeout: timeout ?? null })}\n`);
        }
      }, timeout)) as typeof original;
  }
}
