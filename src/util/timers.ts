/**
 * Timers that do not keep the process alive on their own: a forgotten client
 * or pool must not stop a script from exiting.
 *
 * @module
 */

/** A timer handle, whatever the runtime returns. */
export type Timer = ReturnType<typeof setTimeout>;

const deno = (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno;

/** `setTimeout` whose timer does not hold the event loop open. */
export function unrefTimeout(fn: () => void, ms: number): Timer {
  const timer = setTimeout(fn, ms);
  if (deno?.unrefTimer !== undefined) deno.unrefTimer(timer as unknown as number);
  else (timer as { unref?(): void }).unref?.();
  return timer;
}
