/**
 * How the `serializer` option picks a serializer: a built-in by name
 * (`json.ts`, `msgpack.ts`, `raw.ts`) or a custom one, checked (and its
 * `text` inferred when left out).
 *
 * @module
 */

import { jsonSerializer } from "./json.ts";
import { msgpackSerializer } from "./msgpack.ts";
import { rawSerializer } from "./raw.ts";
import type { Serializer, SerializerName, SerializerOption } from "./serializer.ts";

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
 * @param option `"json"`, `"msgpack"`, `"raw"`, or an object with
 *   `serialize` and `deserialize` (and optionally `name` and `text`).
 * @returns The serializer to use.
 * @throws {TypeError} For an unknown name, an object without `serialize` or
 *   `deserialize`, an empty or non-string `name`, a non-boolean `text`, or,
 *   without `text`, a `serialize(null)` that throws or returns neither a
 *   string nor a `Uint8Array`.
 * @example
 * ```ts
 * import { resolveSerializer } from "./resolve.ts";
 * import type { SerializerName } from "./serializer.ts";
 *
 * resolveSerializer("msgpack").name; // "msgpack"
 * const fromConfig = "yaml" as SerializerName; // unchecked input
 * resolveSerializer(fromConfig); // TypeError: Invalid serializer "yaml": expected …
 * ```
 */
export function resolveSerializer(option: SerializerName | SerializerOption): Serializer {
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
  if (custom.name !== undefined && (typeof custom.name !== "string" || custom.name === "")) {
    throw new TypeError(`Invalid serializer: name must be a non-empty string`);
  }
  if (custom.text !== undefined && typeof custom.text !== "boolean") {
    throw new TypeError(`Invalid serializer${label}: text must be true or false`);
  }
  if (custom.name !== undefined && custom.text !== undefined) return option as Serializer;
  const name = custom.name ?? "custom";
  const text = custom.text ?? inferText(option as SerializerOption, name);
  return {
    name,
    text,
    serialize: (value) => custom.serialize!(value),
    deserialize: (data) => custom.deserialize!(data),
  };
}

/** Whether a serializer without `text` writes text: what `serialize(null)` returns. */
function inferText(serializer: SerializerOption, name: string): boolean {
  const fix = "set text: true (it returns strings) or false (it returns bytes)";
  let sample: unknown;
  try {
    sample = serializer.serialize(null);
  } catch (error) {
    const kind = error instanceof Error ? error.name : typeOf(error);
    throw new TypeError(
      `Invalid serializer ${JSON.stringify(name)}: serialize(null) threw a ${kind}, so text ` +
        `cannot be inferred; ${fix}`,
      { cause: error },
    );
  }
  if (typeof sample === "string") return true;
  if (sample instanceof Uint8Array) return false;
  throw new TypeError(
    `Invalid serializer ${JSON.stringify(name)}: serialize(null) returned ${
      /^[aeiou]/.test(typeOf(sample)) ? "an" : "a"
    } ${typeOf(sample)}, ` +
      `not a string or Uint8Array; ${fix}`,
  );
}

function typeOf(value: unknown): string {
  return value === null ? "null" : typeof value;
}
