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
