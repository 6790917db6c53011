/**
 * How the `compressor` option picks a compressor, without loading a
 * library: `"none"`, a custom compressor (checked), and a built-in (by name
 * or `{ name, level }`, checked) only when the caller hands in a way to make
 * one (`resolve.ts` adds fflate's). `new Cache()` resolves through this
 * alone, so that a bundle which never writes compressed values leaves out
 * fflate's compression.
 *
 * @module
 */

import type {
  BuiltinCompressorName,
  CompressionLevel,
  Compressor,
  CompressorOption,
  CompressorSpec,
  CustomCompressorOption,
} from "./compressor.ts";
import { isBuiltinCompressor, isBuiltinCompressorName } from "./builtins.ts";

/** Makes a built-in compressor at a level (the default level when omitted). */
export type BuiltinMaker = (name: BuiltinCompressorName, level?: CompressionLevel) => Compressor;

const EXPECTED =
  `expected "none", "gzip", "zlib", "deflate", { name, level }, or an object with id, compress() and decompress()`;
const SPEC_KEYS = new Set(["name", "level"]);

/**
 * Picks the compressor that the `compressor` option names, or checks a
 * custom one; built-ins are made by `make`.
 *
 * @param option `undefined` or `"none"` (no compression), a built-in name,
 *   `{ name, level }`, or a `Compressor` object.
 * @param make Makes a built-in; `undefined` when none is loaded.
 * @returns The compressor, or `undefined` for no compression.
 * @throws {TypeError} For an unknown name or option key, a non-integer
 *   level, a built-in without `make`, or a custom compressor without
 *   functions, with an empty or non-string `name`, or without an integer id
 *   from 16 to 255.
 * @throws {RangeError} For a level outside 0–9.
 * @example
 * ```ts
 * import { resolveCompressorWith } from "./resolve_core.ts";
 *
 * resolveCompressorWith("none", undefined); // undefined
 * resolveCompressorWith("gzip", undefined); // TypeError: Compressor "gzip" is not loaded: …
 * ```
 */
export function resolveCompressorWith(
  option: CompressorOption | undefined,
  make: BuiltinMaker | undefined,
): Compressor | undefined {
  if (option === undefined || option === "none") return undefined;
  if (isBuiltinCompressor(option)) return option;
  if (
    typeof option === "object" && option !== null &&
    ("compress" in option || "decompress" in option)
  ) {
    return checkCustom(option as CustomCompressorOption);
  }
  const { name, level } = checkCompressorSpec(option as BuiltinCompressorName | CompressorSpec);
  if (make === undefined) {
    throw new TypeError(
      `Compressor ${JSON.stringify(name)} is not loaded: use createCache(), which loads every ` +
        `built-in serializer and compressor, or pass createCompressor(${JSON.stringify(name)}) ` +
        `as the compressor`,
    );
  }
  return make(name, level);
}

/**
 * Checks a built-in compressor's name, or `{ name, level }`.
 *
 * @param option A built-in name or `{ name, level }`.
 * @param expected What the error for a wrong string or type says was expected.
 * @returns The name, and the level when given.
 * @throws {TypeError} For an unknown name or option key, or a non-integer level.
 * @throws {RangeError} For a level outside 0–9.
 * @example
 * ```ts
 * import { checkCompressorSpec } from "./resolve_core.ts";
 *
 * checkCompressorSpec({ name: "zlib", level: 9 }); // { name: "zlib", level: 9 }
 * checkCompressorSpec("gzip"); // { name: "gzip", level: undefined }
 * ```
 */
export function checkCompressorSpec(
  option: BuiltinCompressorName | CompressorSpec,
  expected: string = EXPECTED,
): { name: BuiltinCompressorName; level: CompressionLevel | undefined } {
  if (typeof option === "string") {
    if (isBuiltinCompressorName(option)) return { name: option, level: undefined };
    throw new TypeError(`Invalid compressor ${JSON.stringify(option)}: ${expected}`);
  }
  if (typeof option !== "object" || option === null) {
    const kind = option === null ? "null" : typeof option;
    throw new TypeError(`Invalid compressor of type ${kind}: ${expected}`);
  }
  for (const key of Object.keys(option)) {
    if (!SPEC_KEYS.has(key)) {
      throw new TypeError(
        `Invalid compressor option ${JSON.stringify(key)}: expected name or level`,
      );
    }
  }
  const { name, level } = option;
  if (!isBuiltinCompressorName(name)) {
    throw new TypeError(
      `Invalid compressor name ${
        JSON.stringify(String(name))
      }: expected "gzip", "zlib" or "deflate"`,
    );
  }
  if (level === undefined) return { name, level: undefined };
  if (!Number.isInteger(level)) {
    throw new TypeError(
      `Invalid compression level ${String(level)}: expected an integer from 0 to 9`,
    );
  }
  if (level < 0 || level > 9) {
    throw new RangeError(`Invalid compression level ${level}: expected an integer from 0 to 9`);
  }
  return { name, level: level as CompressionLevel };
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
