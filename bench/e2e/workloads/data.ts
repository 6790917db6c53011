/**
 * Keys, values and checks shared by the workloads.
 *
 * @module
 */
import type { BenchClient } from "../types.ts";

/** Size of the small values. */
export const VALUE_SIZE = 100;

/** Number of distinct small keys the GET workloads cycle through. */
export const KEY_COUNT = 1000;

/** A 100-byte value that names its key, so a reply for the wrong key is caught. */
export function valueFor(key: string, size = VALUE_SIZE): string {
  const head = `${key}=`;
  return head + "v".repeat(size - head.length);
}

/** `e2e:v:0000` … `e2e:v:0999`. */
export const KEYS: readonly string[] = Array.from(
  { length: KEY_COUNT },
  (_, i) => `e2e:v:${String(i).padStart(4, "0")}`,
);

/** `valueFor` of each of `KEYS`. */
export const VALUES: readonly string[] = KEYS.map((key) => valueFor(key));

let written = false;

/** Writes `KEYS` once per run, whichever workloads are selected. */
export async function writeSmallValues(seed: BenchClient): Promise<void> {
  if (written) return;
  await seed.pipelineSet(KEYS.map((key, i) => [key, VALUES[i]]));
  written = true;
}

/** Thrown when a client returns something wrong; the harness stops at once. */
export class VerificationError extends Error {
  override name = "VerificationError";
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.constructor.name} of ${value.length} bytes>`;
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Throws a `VerificationError` unless `actual === expected`. */
export function expectEqual(
  client: BenchClient,
  what: string,
  actual: unknown,
  expected: unknown,
): void {
  if (actual !== expected) {
    throw new VerificationError(
      `${client.name}: ${what} returned ${show(actual)} (${typeof actual}), expected ${
        show(expected)
      }`,
    );
  }
}

/** Throws unless `actual` is a byte array equal to `expected`. */
export function expectBytes(
  client: BenchClient,
  what: string,
  actual: unknown,
  expected: Uint8Array,
): void {
  if (!(actual instanceof Uint8Array)) {
    throw new VerificationError(
      `${client.name}: ${what} returned ${show(actual)} (${typeof actual}), expected bytes`,
    );
  }
  expectEqual(client, `${what} length`, actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      throw new VerificationError(
        `${client.name}: ${what} differs at byte ${i}: ${actual[i]} instead of ${expected[i]}`,
      );
    }
  }
}

/** Elapsed milliseconds → operations per second. */
export function perSecond(count: number, ms: number): number {
  return count / (ms / 1000);
}

/** `count` rounded down to whole batches, at least one batch. */
export function wholeBatches(count: number, batch: number): number {
  return Math.max(batch, Math.floor(count / batch) * batch);
}
