/** How V8 asks for a stack trace's text (`Error.prepareStackTrace`). */
export type StackFormatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const INSTALLED = Symbol.for('cdktf-eks-platform/plainCreationStacks');

const isError = (x: unknown): boolean => Object.prototype.toString.call(x) === '[object Error]';
/** Frames kept of a creation stack: the token's maker and its callers up to the construct code. */
export const CREATION_STACK_FRAMES = 10;
const frameLines = (frames: NodeJS.CallSite[], limit = frames.length): string => {
  const shown = frames.slice(0, limit).map((f) => `\n    at ${f}`).join('');
  return frames.length > limit ? `${shown}\n    at (${frames.length - limit} more frames)` : shown;
};

/**
 * Formats the creation stacks cdktf records for its tokens without source maps. Errors keep the
 * formatter they had.
 *
 * cdktf records where every token was created (each attribute reference of each resource): a stack
 * trace with no depth limit, captured into a plain object and formatted on the spot. Where source maps
 * are on (tsx turns Node's on; jest maps frames itself), each of those frames is looked up in the
 * source maps, node_modules' inline ones included, which took a third of a synth's CPU time. Those
 * records only ever appear in token-resolution error messages; formatted as V8 prints a frame, they
 * still name each function, file and line (the compiled one where the file was transformed). Only the
 * first `CREATION_STACK_FRAMES` frames are formatted (cdktf's own, then the construct code that made
 * the reference and its callers; the rest counted): formatting the whole depth, 30 to 60 frames under
 * jest, took a tenth of the test suites' CPU time.
 *
 * `errorClass` is the `Error` whose `prepareStackTrace` Node consults for objects made in its realm;
 * `formatErrors` returns the formatter for real Errors at the time of the call (default: the one
 * `errorClass` had). Calling it again changes nothing.
 */
export function plainCreationStacks(errorClass: ErrorConstructor = Error, formatErrors?: () => StackFormatter | undefined): void {
  const current = errorClass.prepareStackTrace as (StackFormatter & { [INSTALLED]?: boolean }) | undefined;
  if (current?.[INSTALLED]) return;
  const forErrors = formatErrors ?? (() => current);
  const format: StackFormatter & { [INSTALLED]?: boolean } = (error, frames) => {
    if (isError(error)) {
      const f = forErrors();
      if (f) return f(error, frames);
    }
    // Node's own header for an object without name or message, which cdktf drops again.
    return `${Error.prototype.toString.call(error)}${frameLines(frames, CREATION_STACK_FRAMES)}`;
  };
  format[INSTALLED] = true;
  errorClass.prepareStackTrace = format;
}
