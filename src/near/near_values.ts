/**
 * What a hit hands the caller: the value decoded once per entry, then a
 * fresh copy per hit (`clone: true`), or the one deep-frozen value
 * (`clone: false`). A value `copy` cannot reproduce is decoded again.
 *
 * @module
 */

import { copy, freezeDeep, UNCOPYABLE } from "./clone.ts";
import { type NearEntry, type NearValue, UNDECODED } from "./near_memory.ts";

/** Turns a stored value into the caller's value (the cache's value codec). */
export interface Decoder {
  /** @param key The caller's key, for error messages. */
  decode(stored: NearValue, key: string): unknown;
}

/**
 * The caller's value of `entry`.
 *
 * @throws What `codec.decode` throws (a value that cannot be decoded stays undecoded).
 */
export function valueOf(entry: NearEntry, clone: boolean, codec: Decoder, key: string): unknown {
  let decoded = entry.decoded;
  if (decoded === UNDECODED) {
    decoded = codec.decode(entry.stored, key);
    if (!clone) freezeDeep(decoded);
    entry.decoded = decoded;
  }
  if (typeof decoded !== "object" || decoded === null) return decoded;
  // Byte arrays cannot be frozen: each caller gets its own.
  if (!clone) return decoded instanceof Uint8Array ? decoded.slice() : decoded;
  if (entry.copyable) {
    const copied = copy(decoded);
    if (copied !== UNCOPYABLE) return copied;
    entry.copyable = false;
  }
  return codec.decode(entry.stored, key);
}
