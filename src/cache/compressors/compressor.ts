/**
 * The compressor contract: the `Compressor` interface and the shapes the
 * `compressor` option accepts. `resolve.ts` picks a built-in or checks a
 * custom one; `fflate.ts` implements the built-ins.
 *
 * @module
 */

/**
 * The names of the built-in compressors.
 *
 * @example
 * ```ts
 * import { type BuiltinCompressorName, createCache } from "@redcache/redcache";
 *
 * const name: BuiltinCompressorName = "deflate";
 * const cache = createCache({ compressor: name });
 * ```
 */
export type BuiltinCompressorName = "gzip" | "zlib" | "deflate";

/** A compression level: 0 (store) to 9 (smallest); fflate's default is 6. */
export type CompressionLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * Compresses stored values. `id` goes into each compressed value's header,
 * so that a value can still be read after the `compressor` option changes:
 * 1–3 are the built-ins, a custom compressor takes an integer from 16 to 255
 * and must keep it forever.
 *
 * @example
 * ```ts
 * import { type Compressor, createCache } from "@redcache/redcache";
 *
 * const identity: Compressor = {
 *   name: "identity",
 *   id: 16,
 *   compress: (data) => data.slice(),
 *   decompress: (data) => data.slice(),
 * };
 * const cache = createCache({ compressor: identity });
 * ```
 */
export interface Compressor {
  /** A short name for messages, e.g. `"gzip"`. */
  readonly name: string;
  /** The id stored in each compressed value's header (16–255 for custom ones). */
  readonly id: number;
  /** Compresses bytes. */
  compress(data: Uint8Array): Uint8Array;
  /** Reverses `compress`; throws on corrupt input. */
  decompress(data: Uint8Array): Uint8Array;
}

/**
 * A built-in compressor with a chosen level.
 *
 * @example
 * ```ts
 * import { type CompressorSpec, createCache } from "@redcache/redcache";
 *
 * const smallest: CompressorSpec = { name: "zlib", level: 9 };
 * const cache = createCache({ compressor: smallest });
 * ```
 */
export interface CompressorSpec {
  /** Which built-in. */
  name: BuiltinCompressorName;
  /** An integer from 0 (store) to 9 (smallest); 6 when omitted. */
  level?: number;
}

/**
 * A custom compressor as the `compressor` option accepts it: `name` may be
 * left out (it defaults to `"custom"`); `id` may not, because it is written
 * into each compressed value's header, and a value must name the compressor
 * that can read it back after the option changes.
 *
 * @example
 * ```ts
 * import { createCache, type CustomCompressorOption } from "@redcache/redcache";
 *
 * const copy: CustomCompressorOption = {
 *   id: 16,
 *   compress: (data) => data.slice(),
 *   decompress: (data) => data.slice(),
 * };
 * const cache = createCache({ compressor: copy });
 * ```
 */
export type CustomCompressorOption = Omit<Compressor, "name"> & { readonly name?: string };

/**
 * What the `compressor` option accepts.
 *
 * @example
 * ```ts
 * import { type CompressorOption, createCache } from "@redcache/redcache";
 *
 * const compressor: CompressorOption = "gzip";
 * const cache = createCache({ compressor, compressMinBytes: 2048 });
 * ```
 */
export type CompressorOption =
  | "none"
  | BuiltinCompressorName
  | CompressorSpec
  | CustomCompressorOption;
