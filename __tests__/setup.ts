import { Testing } from 'cdktf';

Testing.setupJest();

// cdktf records where every token was created: a full stack trace (no depth limit) per resource
// reference, formatted at once. Under jest each frame is mapped through source maps (node_modules'
// inline maps included), which made building both environments take three times as long. Those
// records are plain objects, not Errors, and only show up in token-resolution errors: format them
// without source maps. Errors keep jest's source-mapped stack traces.
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => (error instanceof Error ? mapped(error, frames) : frames.map((f) => `    at ${f}`).join('\n'));
}

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
