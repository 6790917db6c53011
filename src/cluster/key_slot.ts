/**
 * Which slot of a Redis Cluster a key lives in: the hash-tag rule (`{tag}`)
 * and CRC16 modulo 16384, as `CLUSTER KEYSLOT` computes them.
 *
 * Strings are hashed as their UTF-8 bytes, the bytes Redis sees (a lone surrogate counts as
 * U+FFFD, as `TextEncoder` writes it). ASCII strings are read with `charCodeAt`, without
 * allocating; others are encoded into a reusable scratch buffer. The tag finder and the scratch
 * encoder are shared with the shard strategy's hash ring (`strategies/hash.ts`).
 *
 * @module
 */

/** Number of hash slots of a Redis Cluster (a power of two). */
export const SLOTS = 16384;
/** The scratch buffer is grown up to this size; longer strings get a buffer of their own. */
const KEEP_BYTES = 64 * 1024;

const utf8 = /* @__PURE__ */ new TextEncoder();
let scratch = /* @__PURE__ */ new Uint8Array(256);

/** The UTF-8 bytes of `text`, in the scratch buffer (valid until the next call) when they fit. */
export function utf8Bytes(text: string): Uint8Array {
  const max = text.length * 3; // a UTF-16 code unit never takes more than 3 bytes
  if (max > scratch.length) {
    if (max > KEEP_BYTES) return utf8.encode(text);
    let size = scratch.length * 2;
    while (size < max) size *= 2;
    scratch = new Uint8Array(size);
  }
  return scratch.subarray(0, utf8.encodeInto(text, scratch).written);
}

// The hash tag of the last string given to findTag(): key[tagStart, tagEnd). Exported as live
// bindings so that the shard strategy's ring hashes the same part of a key without allocating.
export let tagStart = 0;
export let tagEnd = 0;

/** Sets `tagStart`/`tagEnd` to the bounds of the part of `key` that is hashed. */
export function findTag(key: string): void {
  tagStart = 0;
  tagEnd = key.length;
  const open = key.indexOf("{");
  if (open === -1) return;
  const close = key.indexOf("}", open + 1);
  if (close > open + 1) {
    tagStart = open + 1;
    tagEnd = close;
  }
}

/**
 * The part of a key that Redis Cluster hashes: the text between the first `{` and the first `}`
 * after it when that text is not empty, otherwise the whole key.
 *
 * @param key A Redis key.
 * @returns Its hash tag, or the key itself when it has none.
 * @example
 * ```ts
 * import { hashTag } from "./key_slot.ts";
 *
 * hashTag("{user1}:a"); // "user1"
 * hashTag("x{y}z{w}"); // "y"
 * hashTag("a{}b{c}"); // "a{}b{c}": the first tag is empty, so the whole key counts
 * ```
 */
export function hashTag(key: string): string {
  findTag(key);
  return tagStart === 0 && tagEnd === key.length ? key : key.slice(tagStart, tagEnd);
}

// ---------------------------------------------------------------------------------------------
// CRC16 (XMODEM: polynomial 0x1021, initial value 0, no reflection), as Redis Cluster uses it.

const CRC16_TABLE: Uint16Array = /* @__PURE__ */ (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc;
  }
  return table;
})();

/** CRC16 of `bytes[start, end)`. */
function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) ^ CRC16_TABLE[(crc >>> 8) ^ bytes[i]]) & 0xffff;
  }
  return crc;
}

/** Slot of a key given as bytes: the tag rule applied to the bytes `{` (0x7B) and `}` (0x7D). */
function bytesSlot(bytes: Uint8Array): number {
  let start = 0;
  let end = bytes.length;
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  return crc16(bytes, start, end) & (SLOTS - 1);
}

/**
 * The Redis Cluster hash slot of a key, as `CLUSTER KEYSLOT` computes it: CRC16 (XMODEM) of the
 * UTF-8 bytes of its {@link hashTag}, modulo 16384.
 *
 * @param key A Redis key, as a string (hashed as UTF-8) or as raw bytes.
 * @returns A slot number in `[0, 16383]`.
 * @example
 * ```ts
 * import { keySlot } from "./key_slot.ts";
 *
 * keySlot("foo"); // 12182
 * keySlot("{user1000}.following") === keySlot("{user1000}.followers"); // true
 * ```
 */
export function keySlot(key: string | Uint8Array): number {
  if (typeof key !== "string") return bytesSlot(key);
  // One pass for the common key: ASCII without `{`. Anything else starts over below.
  const n = key.length;
  let crc = 0;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x7b && (c === 0x7b || c >= 0x80)) return taggedSlot(key);
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >>> 8) ^ c];
  }
  return crc & (SLOTS - 1);
}

/** {@link keySlot} of a string that has a `{` or a non-ASCII character. */
function taggedSlot(key: string): number {
  findTag(key);
  const start = tagStart;
  const end = tagEnd;
  let crc = 0;
  for (let i = start; i < end; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) {
      // `{` and `}` are ASCII, so the tag found in the string is the tag of its UTF-8 bytes.
      const bytes = utf8Bytes(start === 0 && end === key.length ? key : key.slice(start, end));
      return crc16(bytes, 0, bytes.length) & (SLOTS - 1);
    }
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >>> 8) ^ c];
  }
  return crc & (SLOTS - 1);
}
