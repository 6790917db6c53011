/**
 * The built-in compressors, on fflate's synchronous functions. Their ids are
 * part of the stored value format and never change: gzip 1, zlib 2,
 * deflate 3.
 *
 * fflate's browser build is imported on purpose: the default one loads
 * Node's `module` and `worker_threads` (for its asynchronous API) and so
 * would tie the cache to a Node-compatible runtime.
 *
 * @module
 */

import {
  deflateSync,
  gunzipSync,
  gzipSync,
  inflateSync,
  unzlibSync,
  zlibSync,
} from "fflate/browser";
import type { BuiltinCompressorName, CompressionLevel, Compressor } from "./compressor.ts";

type Codec = {
  id: number;
  compress(data: Uint8Array, options: { level?: CompressionLevel }): Uint8Array;
  decompress(data: Uint8Array): Uint8Array;
};

const CODECS: Readonly<Record<BuiltinCompressorName, Codec>> = {
  gzip: { id: 1, compress: gzipSync, decompress: gunzipSync },
  zlib: { id: 2, compress: zlibSync, decompress: unzlibSync },
  deflate: { id: 3, compress: deflateSync, decompress: inflateSync },
};

/**
 * Makes a built-in compressor.
 *
 * @param name `"gzip"`, `"zlib"` or `"deflate"`.
 * @param level The compression level; fflate's default (6) when omitted.
 * @returns The compressor, with the name's fixed id.
 * @throws Never for valid arguments (the caller checks them).
 * @example
 * ```ts
 * import { fflateCompressor } from "./fflate.ts";
 *
 * const fast = fflateCompressor("gzip", 1);
 * const bytes = new TextEncoder().encode("hello ".repeat(100));
 * fast.decompress(fast.compress(bytes)); // the same bytes
 * ```
 */
export function fflateCompressor(
  name: BuiltinCompressorName,
  level?: CompressionLevel,
): Compressor {
  const { id, compress, decompress } = CODECS[name];
  const options = level === undefined ? {} : { level };
  return {
    name,
    id,
    compress: (data: Uint8Array): Uint8Array => compress(data, options),
    decompress: (data: Uint8Array): Uint8Array => decompress(data),
  };
}

const DEFAULTS: readonly Compressor[] = [
  fflateCompressor("gzip"),
  fflateCompressor("zlib"),
  fflateCompressor("deflate"),
];

/**
 * The built-in compressor with a stored id, at the default level (the level
 * does not matter for decompression).
 *
 * @param id An id from a stored value's header.
 * @returns The compressor for ids 1–3, otherwise `undefined`.
 * @throws Never.
 * @example
 * ```ts
 * import { builtinCompressor } from "./fflate.ts";
 *
 * builtinCompressor(1)?.name; // "gzip"
 * builtinCompressor(42); // undefined
 * ```
 */
export function builtinCompressor(id: number): Compressor | undefined {
  return DEFAULTS.find((compressor) => compressor.id === id);
}

/**
 * The built-in compressor of a name at the default level.
 *
 * @param name `"gzip"`, `"zlib"` or `"deflate"`.
 * @returns The shared instance.
 * @throws Never.
 * @example
 * ```ts
 * import { defaultFflateCompressor } from "./fflate.ts";
 *
 * defaultFflateCompressor("zlib").id; // 2
 * ```
 */
export function defaultFflateCompressor(name: BuiltinCompressorName): Compressor {
  return DEFAULTS[CODECS[name].id - 1];
}

/**
 * True when `name` is a built-in compressor's name.
 *
 * @param name Any value.
 * @returns Whether it is `"gzip"`, `"zlib"` or `"deflate"`.
 * @throws Never.
 * @example
 * ```ts
 * import { isBuiltinCompressorName } from "./fflate.ts";
 *
 * isBuiltinCompressorName("brotli"); // false
 * ```
 */
export function isBuiltinCompressorName(name: unknown): name is BuiltinCompressorName {
  return typeof name === "string" && Object.hasOwn(CODECS, name);
}
