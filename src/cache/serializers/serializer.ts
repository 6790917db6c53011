/**
 * The serializer contract: how the cache turns a value into a string or bytes
 * and back, and how the `serializer` option picks one.
 *
 * @module
 */

import { jsonSerializer } from "./json.ts";
import { msgpackSerializer } from "./msgpack.ts";
import { rawSerializer } from "./raw.ts";

/**
 * Turns values into text or bytes for Redis, and back. `serialize` throws a
 * `SerializationError` for a value it cannot represent; neither function may
 * put the value itself in an error message.
 *
 * @example
 * ```ts ignore
 * const upper: Serializer = {
 *   name: "upper",
 *   text: true,
 *   serialize: (value) => String(value).toUpperCase(),
 *   deserialize: (data) => typeof data === "string" ? data : new TextDecoder().decode(data),
 * };
 * const cache = createCache({ serializer: upper });
 * ```
 */
export interface Serializer {
  /** A short name for messages, e.g. `"json"`. */
  readonly name: string;
  /** True when the output is UTF-8 text, so `deserialize` gets a string. */
  readonly text: boolean;
  /** Converts a value; throws a `SerializationError` when it cannot. */
  serialize(value: unknown): string | Uint8Array;
  /** Converts stored data back: a string when `text` is true, otherwise bytes. */
  deserialize(data: string | Uint8Array): unknown;
}

/** The names of the built-in serializers. */
export type SerializerName = "json" | "msgpack" | "raw";

const BUILTIN: Readonly<Record<SerializerName, Serializer>> = {
  json: jsonSerializer,
  msgpack: msgpackSerializer,
  raw: rawSerializer,
};

const EXPECTED =
  `expected "json", "msgpack", "raw" or an object with serialize() and deserialize()`;

/**
 * Picks the serializer that the `serializer` option names, or checks a
 * custom one.
 *
 * @param option `"json"`, `"msgpack"`, `"raw"`, or a `Serializer` object.
 * @returns The serializer to use.
 * @throws {TypeError} For an unknown name, or an object without `serialize`,
 *   `deserialize`, a string `name` and a boolean `text`.
 * @example
 * ```ts ignore
 * resolveSerializer("msgpack").name; // "msgpack"
 * resolveSerializer("yaml"); // TypeError: Invalid serializer "yaml": expected …
 * ```
 */
export function resolveSerializer(option: SerializerName | Serializer): Serializer {
  if (typeof option === "string") {
    if (Object.hasOwn(BUILTIN, option)) return BUILTIN[option];
    throw new TypeError(`Invalid serializer ${JSON.stringify(option)}: ${EXPECTED}`);
  }
  if (typeof option !== "object" || option === null) {
    throw new TypeError(`Invalid serializer of type ${typeOf(option)}: ${EXPECTED}`);
  }
  const custom = option as Partial<Serializer>;
  const label = typeof custom.name === "string" ? ` ${JSON.stringify(custom.name)}` : "";
  for (const method of ["serialize", "deserialize"] as const) {
    if (typeof custom[method] !== "function") {
      throw new TypeError(`Invalid serializer${label}: ${method} must be a function`);
    }
  }
  if (typeof custom.name !== "string" || custom.name === "") {
    throw new TypeError(`Invalid serializer: name must be a non-empty string`);
  }
  if (typeof custom.text !== "boolean") {
    throw new TypeError(`Invalid serializer${label}: text must be true or false`);
  }
  return option;
}

function typeOf(value: unknown): string {
  return value === null ? "null" : typeof value;
}
