/**
 * How `createCache()` picks a serializer: every built-in by name (`json.ts`,
 * `msgpack.ts`, `raw.ts`), or a custom one, checked (see `resolve_core.ts`).
 *
 * @module
 */

import { msgpackSerializer } from "./msgpack.ts";
import { type NamedSerializers, resolveSerializerWith } from "./resolve_core.ts";
import type { Serializer, SerializerName, SerializerOption } from "./serializer.ts";

const NAMED: NamedSerializers = { msgpack: msgpackSerializer };

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
  return resolveSerializerWith(option, NAMED);
}
