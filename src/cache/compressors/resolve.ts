/**
 * How `createCache()` picks a compressor: a built-in (by name or
 * `{ name, level }`) from `fflate.ts`, or a custom one, checked (see
 * `resolve_core.ts`).
 *
 * @module
 */

import type { Compressor, CompressorOption } from "./compressor.ts";
import { fflateCompressor } from "./fflate.ts";
import { resolveCompressorWith } from "./resolve_core.ts";

/**
 * Picks the compressor that the `compressor` option names, or checks a
 * custom one.
 *
 * @param option `undefined` or `"none"` (no compression), a built-in name,
 *   `{ name, level }`, or a `Compressor` object.
 * @returns The compressor, or `undefined` for no compression.
 * @throws {TypeError} For an unknown name or option key, a non-integer
 *   level, or a custom compressor without functions, with an empty or
 *   non-string `name`, or without an integer id from 16 to 255.
 * @throws {RangeError} For a level outside 0–9.
 * @example
 * ```ts
 * import { resolveCompressor } from "./resolve.ts";
 *
 * resolveCompressor("gzip")?.id; // 1
 * resolveCompressor({ name: "zlib", level: 9 })?.name; // "zlib"
 * resolveCompressor("none"); // undefined
 * ```
 */
export function resolveCompressor(option: CompressorOption | undefined): Compressor | undefined {
  return resolveCompressorWith(option, fflateCompressor);
}
