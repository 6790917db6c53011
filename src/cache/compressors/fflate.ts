/**
 * The built-in compressors, on fflate's synchronous functions: compression
 * here, decompression and the stored ids (gzip 1, zlib 2, deflate 3) in
 * `builtins.ts`, which every cache has for reading.
 *
 * fflate's browser build is imported on purpose: the default one loads
 * Node's `module` and `worker_threads` (for its asynchronous API) and so
 * would tie the cache to a Node-compatible runtime.
 *
 * @module
 */

import { deflateSync, gzipSync, zlibSync } from "fflate/browser";
import type {
  BuiltinCompressorName,
  CompressionLevel,
  Compressor,
  CompressorSpec,
} from "./compressor.ts";
import { BUILTIN_IDS, DECOMPRESS, markBuiltin } from "./builtins.ts";
import { checkCompressorSpec } from "./resolve_core.ts";

type Compress = (data: Uint8Array, options: { level?: CompressionLevel }) => Uint8Array;

const COMPRESS: Readonly<Record<BuiltinCompressorName, Compress>> = {
  gzip: gzipSync,
  zlib: zlibSync,
  deflate: deflateSync,
};

// The default-level instances, made on first use rather than at import, so
// that a bundle which imports this module but compresses nothing drops fflate.
const defaults: Partial<Record<BuiltinCompressorName, Compressor>> = {};

/**
 * Makes a built-in compressor.
 *
 * @param name `"gzip"`, `"zlib"` or `"deflate"`.
 * @param level The compression level; fflate's default (6) when omitted.
 * @returns The compressor, with the name's fixed id; at the default level,
 *   one shared instance per name.
 * @throws Never for valid arguments (the caller checks them).
 * @example
 * ```ts
 * import { fflateCompressor } from "./fflate.ts";
 *
 * const fast = fflateCompressor("gzip", 1);
 * const bytes = new TextEncoder().encode("hello ".repeat(100));
 * fast.decompress(fast.compress(bytes)); // the same bytes
 * fflateCompressor("zlib").id; // 2
 * ```
 */
export function fflateCompressor(
  name: BuiltinCompressorName,
  level?: CompressionLevel,
): Compressor {
  if (level === undefined && defaults[name] !== undefined) return defaults[name];
  const compress = COMPRESS[name];
  const options = level === undefined ? {} : { level };
  const compressor = markBuiltin({
    name,
    id: BUILTIN_IDS[name],
    compress: (data: Uint8Array): Uint8Array => compress(data, options),
    decompress: DECOMPRESS[name],
  });
  if (level === undefined) defaults[name] = compressor;
  return compressor;
}

/**
 * Makes a built-in compressor (gzip, zlib or deflate, on fflate) to pass as
 * the `compressor` option. `createCache()` takes the same by name
 * (`compressor: "gzip"` or `{ name: "gzip", level: 9 }`); `new Cache()`
 * takes only this, so that a bundle that never compresses leaves out
 * fflate's compression. Any cache reads values compressed by any built-in.
 *
 * @param option `"gzip"`, `"zlib"`, `"deflate"`, or `{ name, level }` with a
 *   level from 0 (store) to 9 (smallest); 6 when omitted.
 * @returns The compressor, whose id (gzip 1, zlib 2, deflate 3) goes into
 *   each compressed value.
 * @throws {TypeError} For an unknown name or option key, or a non-integer level.
 * @throws {RangeError} For a level outside 0–9.
 * @example A lean cache with gzip
 * ```ts
 * import { Cache, createCompressor } from "@redcache/redcache/cache";
 *
 * await using cache = new Cache({
 *   url: "redis://127.0.0.1:6379/1",
 *   compressor: createCompressor({ name: "gzip", level: 9 }),
 * });
 * await cache.set("report", "a long text ".repeat(1_000));
 * ```
 */
export function createCompressor(option: BuiltinCompressorName | CompressorSpec): Compressor {
  const { name, level } = checkCompressorSpec(
    option,
    `expected "gzip", "zlib", "deflate" or { name, level }`,
  );
  return fflateCompressor(name, level);
}
