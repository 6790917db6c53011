/**
 * The serializer contract: how the cache turns a value into a string or bytes
 * and back, and the shape the `serializer` option accepts. `resolve.ts` picks
 * a built-in (`json.ts`, `msgpack.ts`, `raw.ts`) or checks a custom one.
 *
 * @module
 */

/**
 * Turns values into text or bytes for Redis, and back. `serialize` throws a
 * `SerializationError` for a value it cannot represent; neither function may
 * put the value itself in an error message.
 *
 * As the `serializer` option, `name` and `text` may be left out (see
 * {@linkcode SerializerOption}).
 *
 * @example
 * ```ts
 * import { createCache, type Serializer } from "@redcache/redcache";
 *
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

/**
 * A custom serializer as the `serializer` option accepts it: `serialize`
 * and `deserialize` alone are enough. `name` defaults to `"custom"`; `text`,
 * when left out, is what `serialize(null)` returns, tried once when the
 * cache is made: a string means text, a `Uint8Array` bytes.
 *
 * @example
 * ```ts
 * import { createCache, type SerializerOption } from "@redcache/redcache";
 *
 * const plainJson: SerializerOption = {
 *   serialize: (value) => JSON.stringify(value),
 *   deserialize: (data) => JSON.parse(data as string),
 * };
 * const cache = createCache({ serializer: plainJson });
 * ```
 */
export type SerializerOption =
  & Omit<Serializer, "name" | "text">
  & Partial<Pick<Serializer, "name" | "text">>;
