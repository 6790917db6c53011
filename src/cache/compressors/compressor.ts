/**
 * The compressor contract, and how the `compressor` option picks one.
 *
 * @module
 */

import {
  type BuiltinCompressorName,
  type CompressionLevel,
  defaultFflateCompressor,
  fflateCompressor,
  isBuiltinCompressorName,
} from "./fflate.ts";

export { builtinCompressor } from "./fflate.ts";
export type { BuiltinCompressorName, CompressionLevel } from "./fflate.ts";

/**
 * Compresses stored values. `id` goes into each compressed value's header,
 * so that a value can still be read after the `compressor` option changes:
 * 1–3 are the built-ins, a custom compressor takes an integer from 16 to 255
 * and must keep it forever.
 *
 * @example
 * ```ts ignore
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
 * ```ts ignore
 * createCache({ compressor: { name: "zlib", level: 9 } });
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
 * ```ts ignore
 * createCache({ compressor: { id: 16, compress: (d) => d.slice(), decompress: (d) => d.slice() } });
 * ```
 */
export type CustomCompressorOption = Omit<Compressor, "name"> & { readonly name?: string };

/**
 * What the `compressor` option accepts.
 *
 * @example
 * ```ts ignore
 * createCache({ compressor: "gzip", compressMinBytes: 2048 });
 * ```
 */
export type CompressorOption =
  | "none"
  | BuiltinCompressorName
  | CompressorSpec
  | CustomCompressorOption;

const EXPECTED =
  `expected "none", "gzip", "zlib", "deflate", { name, level }, or an object with id, compress() and decompress()`;
const SPEC_KEYS = new Set(["name", "level"]);

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
 * ```ts ignore
 * resolveCompressor("gzip")?.id; // 1
 * resolveCompressor({ name: "zlib", level: 9 })?.name; // "zlib"
 * resolveCompressor("none"); // undefined
 * ```
 */
export function resolveCompressor(option: CompressorOption | undefined): Compressor | undefined {
  if (option === undefined || option === "none") return undefined;
  if (typeof option === "string") {
    if (isBuiltinCompressorName(option)) return defaultFflateCompressor(option);
    throw new TypeError(`Invalid compressor ${JSON.stringify(option)}: ${EXPECTED}`);
  }
  if (typeof option !== "object" || option === null) {
    const kind = option === null ? "null" : typeof option;
    throw new TypeError(`Invalid compressor of type ${kind}: ${EXPECTED}`);
  }
  if ("compress" in option || "decompress" in option) {
    return checkCustom(option as CustomCompressorOption);
  }
  return fromSpec(option as CompressorSpec);
}

/** A built-in compressor from `{ name, level }`. */
function fromSpec(spec: CompressorSpec): Compressor {
  for (const key of Object.keys(spec)) {
    if (!SPEC_KEYS.has(key)) {
      throw new TypeError(
        `Invalid compressor option ${JSON.stringify(key)}: expected name or level`,
      );
    }
  }
  const { name, level } = spec;
  if (!isBuiltinCompressorName(name)) {
    throw new TypeError(
      `Invalid compressor name ${
        JSON.stringify(String(name))
      }: expected "gzip", "zlib" or "deflate"`,
    );
  }
  if (level === undefined) return defaultFflateCompressor(name);
  if (!Number.isInteger(level)) {
    throw new TypeError(
      `Invalid compression level ${String(level)}: expected an integer from 0 to 9`,
    );
  }
  if (level < 0 || level > 9) {
    throw new RangeError(`Invalid compression level ${level}: expected an integer from 0 to 9`);
  }
  return fflateCompressor(name, level as CompressionLevel);
}

/** Checks a custom compressor's shape and id. */
function checkCustom(custom: CustomCompressorOption): Compressor {
  const label = typeof custom.name === "string" ? ` ${JSON.stringify(custom.name)}` : "";
  for (const method of ["compress", "decompress"] as const) {
    if (typeof custom[method] !== "function") {
      throw new TypeError(`Invalid compressor${label}: ${method} must be a function`);
    }
  }
  if (custom.name !== undefined && (typeof custom.name !== "string" || custom.name === "")) {
    throw new TypeError(`Invalid compressor: name must be a non-empty string`);
  }
  const { id } = custom;
  if (typeof id !== "number" || !Number.isInteger(id) || id < 16 || id > 255) {
    throw new TypeError(
      `Invalid compressor${label} id ${
        String(id)
      }: expected an integer from 16 to 255 (0–15 are reserved), kept forever: ` +
        `it is stored in each compressed value to find the compressor that reads it`,
    );
  }
  if (custom.name !== undefined) return custom as Compressor;
  return {
    name: "custom",
    id,
    compress: (data) => custom.compress(data),
    decompress: (data) => custom.decompress(data),
  };
}
