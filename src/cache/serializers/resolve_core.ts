/**
 * How the `serializer` option picks a serializer, without loading a library:
 * `"json"` and `"raw"` by name, the others by name only when the caller
 * hands them in (`resolve.ts` adds MessagePack), and a custom one, checked
 * (and its `text` inferred when left out). `new Cache()` resolves through
 * this alone, so that a bundle which never names MessagePack leaves it out.
 *
 * @module
 */

import { jsonSerializer } from "./json.ts";
import { rawSerializer } from "./raw.ts";
import type { Serializer, SerializerName, SerializerOption } from "./serializer.ts";

/** Serializers that need a library, by name. */
export type NamedSerializers = Readonly<Partial<Record<SerializerName, Serializer>>>;

const CORE: NamedSerializers = { json: jsonSerializer, raw: rawSerializer };

const EXPECTED =
  `expected "json", "msgpack", "raw" or an object with serialize() and deserialize()`;

/**
 * Picks the serializer that the `serializer` option names, or checks a
 * custom one, knowing `"json"`, `"raw"` and the serializers in `named`.
 *
 * @param option `"json"`, `"msgpack"`, `"raw"`, or an object with
 *   `serialize` and `deserialize` (and optionally `name` and `text`).
 * @param named The built-ins that need a library, by name (`{}` for none).
 * @returns The serializer to use.
 * @throws {TypeError} For an unknown name, a built-in name not in `named`,
 *   an object without `serialize` or `deserialize`, an empty or non-string
 *   `name`, a non-boolean `text`, or, without `text`, a `serialize(null)`
 *   that throws or returns neither a string nor a `Uint8Array`.
 * @example
 * ```ts
 * import { resolveSerializerWith } from "./resolve_core.ts";
 *
 * resolveSerializerWith("json", {}).name; // "json"
 * resolveSerializerWith("msgpack", {}); // TypeError: Serializer "msgpack" is not loaded: …
 * ```
 */
export function resolveSerializerWith(
  option: SerializerName | SerializerOption,
  named: NamedSerializers,
): Serializer {
  if (typeof option === "string") {
    if (Object.hasOwn(CORE, option)) return CORE[option]!;
    if (Object.hasOwn(named, option)) return named[option]!;
    if (option === "msgpack") {
      throw new TypeError(
        `Serializer "msgpack" is not loaded: use createCache(), which loads every built-in ` +
          `serializer and compressor, or pass msgpackSerializer as the serializer`,
      );
    }
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
