/** How V8 asks for a stack trace's text (`Error.prepareStackTrace`). */
export type StackFormatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const INSTALLED = Symbol.for('cdktf-eks-platform/plainCreationStacks');

const isError = (x: unknown): boolean => Object.prototype.toString.call(x) === '[object Error]';
const frameLines = (frames: NodeJS.CallSite[]): string => frames.map((f) => `\n    at ${f}`).join('');

/**
 * Formats the creation stacks cdktf records for its tokens without source maps. Errors keep the
 * formatter they had.
 *
 * cdktf records where every token was created (each attribute reference of each resource): a stack
 * trace with no depth limit, captured into a plain object and formatted on the spot. Where source maps
 * are on (tsx turns Node's on; jest maps frames itself), each of those frames is looked up in the
 * source maps, node_modules' inline ones included, which took a third of a synth's CPU time. Those
 * records only ever appear in token-resolution error messages; formatted as V8 prints a frame, they
 * still name every function, file and line (the compiled one where the file was transformed).
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
    return `${Error.prototype.toString.call(error)}${frameLines(frames)}`;
  };
  format[INSTALLED] = true;
  errorClass.prepareStackTrace = format;
}
