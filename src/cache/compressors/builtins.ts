/**
 * What every cache knows of the built-in compressors: their stored ids,
 * their decompression (a cache reads a value compressed with gzip, zlib or
 * deflate whatever its own `compressor` setting) and which compressor
 * objects are built-ins. It holds only fflate's decompression, about half of
 * fflate; `fflate.ts` adds the compression for caches that write compressed
 * values.
 *
 * The ids are part of the stored value format and never change: gzip 1,
 * zlib 2, deflate 3. fflate's browser build is imported on purpose: the
 * default one loads Node's `module` and `worker_threads` (for its
 * asynchronous API) and so would tie the cache to a Node-compatible runtime.
 *
 * @module
 */

import { gunzipSync, inflateSync, unzlibSync } from "fflate/browser";
import type { BuiltinCompressorName, Compressor } from "./compressor.ts";

/** The stored id of each built-in compressor. */
export const BUILTIN_IDS: Readonly<Record<BuiltinCompressorName, number>> = {
  gzip: 1,
  zlib: 2,
  deflate: 3,
};

/** The decompression of each built-in compressor. */
export const DECOMPRESS: Readonly<
  Record<BuiltinCompressorName, (data: Uint8Array) => Uint8Array>
> = {
  gzip: (data) => gunzipSync(data),
  zlib: (data) => unzlibSync(data),
  deflate: (data) => inflateSync(data),
};

const NAMES: readonly BuiltinCompressorName[] = ["gzip", "zlib", "deflate"];

/** The reading half of a built-in compressor. */
export interface Decompressor {
  /** `"gzip"`, `"zlib"` or `"deflate"`. */
  readonly name: BuiltinCompressorName;
  /** Reverses the compression; throws on corrupt input. */
  decompress(data: Uint8Array): Uint8Array;
}

const decompressors: Partial<Record<BuiltinCompressorName, Decompressor>> = {};
/** The compressors `fflate.ts` made: the only objects whose id may be 1–3. */
const made = new WeakSet<Compressor>();

/**
 * The decompressor of the built-in compressor with a stored id.
 *
 * @param id An id from a stored value's header.
 * @returns The decompressor for ids 1–3, otherwise `undefined`.
 * @throws Never.
 * @example
 * ```ts
 * import { builtinDecompressor } from "./builtins.ts";
 *
 * builtinDecompressor(1)?.name; // "gzip"
 * builtinDecompressor(42); // undefined
 * ```
 */
export function builtinDecompressor(id: number): Decompressor | undefined {
  const name = NAMES[id - 1];
  if (name === undefined) return undefined;
  return decompressors[name] ??= { name, decompress: DECOMPRESS[name] };
}

/**
 * True when `name` is a built-in compressor's name.
 *
 * @param name Any value.
 * @returns Whether it is `"gzip"`, `"zlib"` or `"deflate"`.
 * @throws Never.
 * @example
 * ```ts
 * import { isBuiltinCompressorName } from "./builtins.ts";
 *
 * isBuiltinCompressorName("gzip"); // true
 * isBuiltinCompressorName("brotli"); // false
 * ```
 */
export function isBuiltinCompressorName(name: unknown): name is BuiltinCompressorName {
  return typeof name === "string" && Object.hasOwn(BUILTIN_IDS, name);
}

/**
 * Records a compressor made by `fflate.ts` as a built-in, so that the
 * `compressor` option accepts it with its reserved id.
 *
 * @param compressor A gzip, zlib or deflate compressor with its fixed id.
 * @returns The same compressor.
 * @throws Never.
 * @example
 * ```ts
 * import { fflateCompressor } from "./fflate.ts";
 * import { isBuiltinCompressor } from "./builtins.ts";
 *
 * isBuiltinCompressor(fflateCompressor("gzip")); // true: fflateCompressor() marks what it makes
 * ```
 */
export function markBuiltin(compressor: Compressor): Compressor {
  made.add(compressor);
  return compressor;
}

/**
 * True for a compressor that `fflate.ts` made (`createCompressor()`), whose
 * id 1–3 is genuine; a custom compressor must use 16–255.
 *
 * @param value Any value.
 * @returns Whether it is a built-in compressor object.
 * @throws Never.
 * @example
 * ```ts
 * import { isBuiltinCompressor } from "./builtins.ts";
 *
 * isBuiltinCompressor({ name: "gzip", id: 1, compress: (d: Uint8Array) => d, decompress: (d: Uint8Array) => d }); // false
 * ```
 */
export function isBuiltinCompressor(value: unknown): value is Compressor {
  return typeof value === "object" && value !== null && made.has(value as Compressor);
}
