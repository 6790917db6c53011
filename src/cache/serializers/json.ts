/**
 * The default serializer: JSON text, parsed without ever running code and
 * without `__proto__` keys.
 *
 * @module
 */

import { SerializationError } from "../../errors.ts";
import { jsonProblem } from "./json_check.ts";
import type { Serializer } from "./serializer.ts";

const decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true });

/** Drops `__proto__` keys so that no later merge can set a prototype. */
function reviver(key: string, value: unknown): unknown {
  return key === "__proto__" ? undefined : value;
}

/** Why `JSON.stringify` threw, without quoting the value. */
function stringifyProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (/bigint/i.test(message)) return "JSON cannot represent a bigint";
  if (/circular|cyclic/i.test(message)) return "JSON cannot represent a circular structure";
  const name = error instanceof Error ? error.name : typeof error;
  return `JSON.stringify failed with a ${name}`;
}

/** Why `JSON.stringify` produced nothing for a top-level value. */
function missingProblem(value: unknown): string {
  if (value === undefined) return "JSON cannot represent undefined";
  if (typeof value === "function") return "JSON cannot represent a function";
  if (typeof value === "symbol") return "JSON cannot represent a symbol";
  return "JSON.stringify produced nothing (a toJSON() returned undefined)";
}

/**
 * JSON text (`text: true`). A value that JSON would silently change is
 * refused with a `SerializationError` before anything is written (see
 * `jsonProblem`: non-finite numbers, bigints, functions, symbols, `undefined`
 * in arrays, `Map`, `Set`, typed arrays, class instances without `toJSON()`,
 * cycles); `undefined` properties are left out. A `Date` is stored as its
 * ISO string (its `toJSON()`) and reads back as that string. Parsing drops
 * every `__proto__` key. The cache's default (`serializer: "json"`).
 *
 * @example
 * ```ts
 * import { jsonSerializer } from "@redcache/redcache";
 *
 * jsonSerializer.serialize({ a: [1, 2] }); // '{"a":[1,2]}'
 * jsonSerializer.deserialize('{"a":[1,2]}'); // { a: [1, 2] }
 * ```
 */
export const jsonSerializer: Serializer = {
  name: "json",
  text: true,

  /**
   * Converts a value to JSON text.
   *
   * @param value Any JSON-representable value.
   * @returns The JSON text.
   * @throws {SerializationError} When JSON cannot represent the value.
   */
  serialize(value: unknown): string {
    let problem: string | undefined;
    let text: string | undefined;
    try {
      problem = jsonProblem(value);
      if (problem === undefined) text = JSON.stringify(value);
    } catch (error) {
      throw new SerializationError(stringifyProblem(error), { cause: error });
    }
    if (problem !== undefined) throw new SerializationError(problem);
    if (text === undefined) throw new SerializationError(missingProblem(value));
    return text;
  },

  /**
   * Parses JSON text (or UTF-8 bytes of it), dropping `__proto__` keys.
   *
   * @param data JSON text, or its UTF-8 bytes.
   * @returns The parsed value.
   * @throws {SerializationError} When the data is not valid JSON or UTF-8.
   */
  deserialize(data: string | Uint8Array): unknown {
    try {
      const text = typeof data === "string" ? data : decoder.decode(data);
      // A key can only spell __proto__ literally or through a \u escape.
      const risky = text.includes("__proto__") || text.includes("\\u");
      return risky ? JSON.parse(text, reviver) : JSON.parse(text);
    } catch (error) {
      throw new SerializationError("Invalid JSON", { cause: error });
    }
  },
};
