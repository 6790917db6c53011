/**
 * How the `compressor` option picks a compressor: a built-in (by name or
 * `{ name, level }`) from `fflate.ts`, or a custom one, checked.
 *
 * @module
 */

import type {
  CompressionLevel,
  Compressor,
  CompressorOption,
  CompressorSpec,
  CustomCompressorOption,
} from "./compressor.ts";
import { defaultFflateCompressor, fflateCompressor, isBuiltinCompressorName } from "./fflate.ts";

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
 * ```ts
 * import { resolveCompressor } from "./resolve.ts";
 *
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
