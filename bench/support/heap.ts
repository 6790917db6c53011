/**
 * The heap in use after a full collection, for the soaks' "memory stays
 * flat" checks.
 *
 * @module
 */
import process from "node:process";
import v8 from "node:v8";
import vm from "node:vm";

/** A full GC where the runtime offers one: Bun.gc, or V8's gc exposed at run time. */
export const collect: { name: string; run(): void } = (() => {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) return { name: "Bun.gc(true)", run: () => bun.gc(true) };
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    return { name: "V8 gc()", run: () => gc() };
  } catch {
    return { name: "none available", run: () => {} };
  }
})();

/** Bytes of heap in use after two full collections. */
export function heapUsed(): number {
  collect.run();
  collect.run();
  return process.memoryUsage().heapUsed;
}
