/**
 * The raw serializer: strings and bytes stored exactly as they are, for
 * values that other programs write or read.
 *
 * @module
 */

import { SerializationError } from "../../errors.ts";
import type { Serializer } from "./serializer.ts";

const utf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A short description of a value's type, never the value. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return typeof name === "string" && name !== "" ? `a ${name}` : "an object";
  }
  return value === undefined ? "undefined" : `a ${typeof value}`;
}

/**
 * Stores strings and `Uint8Array`s as they are (`text: false`); anything
 * else throws a `SerializationError`. Reads return a string when the bytes
 * are valid UTF-8, otherwise the `Uint8Array`, so integers are not special:
 * `"42"` comes back as the string `"42"`. The same as `serializer: "raw"`.
 *
 * @example
 * ```ts
 * import { rawSerializer } from "@redcache/redcache";
 *
 * rawSerializer.serialize("hello"); // "hello"
 * rawSerializer.deserialize(new Uint8Array([0xff])); // Uint8Array [255]
 * ```
 */
export const rawSerializer: Serializer = {
  name: "raw",
  text: false,

  /**
   * Passes a string or bytes through.
   *
   * @param value A string or a `Uint8Array`.
   * @returns The same value.
   * @throws {SerializationError} For any other type.
   */
  serialize(value: unknown): string | Uint8Array {
    if (typeof value === "string" || value instanceof Uint8Array) return value;
    throw new SerializationError(`raw stores only strings and Uint8Array, not ${kindOf(value)}`);
  },

  /**
   * Returns a string as it is, bytes as a string when they are valid UTF-8.
   *
   * @param data Stored text or bytes.
   * @returns A string, or the bytes when they are not UTF-8.
   * @throws Never.
   */
  deserialize(data: string | Uint8Array): string | Uint8Array {
    if (typeof data === "string") return data;
    try {
      return utf8.decode(data);
    } catch {
      return data;
    }
  },
};
