/**
 * Key hashing for sharding: the Redis Cluster hash-tag rule and key slot (CRC16), a fast 32-bit
 * string hash (MurmurHash3 x86_32), and a consistent-hash ring with virtual nodes.
 *
 * Strings are hashed as their UTF-8 bytes, the bytes Redis sees (a lone surrogate counts as
 * U+FFFD, as `TextEncoder` writes it). ASCII strings are read with `charCodeAt`, without
 * allocating; others are encoded into a reusable scratch buffer.
 *
 * @module
 */

/** Number of hash slots of a Redis Cluster (a power of two). */
const SLOTS = 16384;
/** Points per node on a {@link HashRing} unless told otherwise. */
const DEFAULT_VNODES = 160;
/** The scratch buffer is grown up to this size; longer strings get a buffer of their own. */
const KEEP_BYTES = 64 * 1024;

const utf8 = new TextEncoder();
let scratch = new Uint8Array(256);

/** The UTF-8 bytes of `text`, in the scratch buffer (valid until the next call) when they fit. */
function utf8Bytes(text: string): Uint8Array {
  const max = text.length * 3; // a UTF-16 code unit never takes more than 3 bytes
  if (max > scratch.length) {
    if (max > KEEP_BYTES) return utf8.encode(text);
    let size = scratch.length * 2;
    while (size < max) size *= 2;
    scratch = new Uint8Array(size);
  }
  return scratch.subarray(0, utf8.encodeInto(text, scratch).written);
}

// The hash tag of the last string given to findTag(): key[tagStart, tagEnd).
let tagStart = 0;
let tagEnd = 0;

/** Sets `tagStart`/`tagEnd` to the bounds of the part of `key` that is hashed. */
function findTag(key: string): void {
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
 * ```ts ignore
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

const CRC16_TABLE: Uint16Array = (() => {
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
 * ```ts ignore
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

// ---------------------------------------------------------------------------------------------
// MurmurHash3 x86_32, seed 0.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Scrambles one little-endian block (or the zero-padded tail) before it is mixed in. */
function scramble(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

/** Mixes a scrambled 4-byte block into the state. */
function mix(h: number, k: number): number {
  h ^= scramble(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Final avalanche, given the state XORed with the length; returns an unsigned 32-bit number. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 of all of `bytes`. */
function murmurBytes(bytes: Uint8Array): number {
  const n = bytes.length;
  const blocks = n & ~3;
  let h = 0;
  let i = 0;
  for (; i < blocks; i += 4) {
    h = mix(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  }
  const rest = n - blocks;
  if (rest > 0) {
    let k = bytes[i];
    if (rest > 1) k |= bytes[i + 1] << 8;
    if (rest > 2) k |= bytes[i + 2] << 16;
    h ^= scramble(k);
  }
  return finish(h ^ n);
}

/** MurmurHash3 of the UTF-8 bytes of `key[start, end)`. */
function murmur(key: string, start: number, end: number): number {
  const n = end - start;
  const blocks = start + (n & ~3);
  let h = 0;
  let i = start;
  for (; i < blocks; i += 4) {
    const c0 = key.charCodeAt(i);
    const c1 = key.charCodeAt(i + 1);
    const c2 = key.charCodeAt(i + 2);
    const c3 = key.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80) return murmurNonAscii(key, start, end);
    h = mix(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
  }
  if (i < end) {
    const c0 = key.charCodeAt(i);
    const c1 = i + 1 < end ? key.charCodeAt(i + 1) : 0;
    const c2 = i + 2 < end ? key.charCodeAt(i + 2) : 0;
    if ((c0 | c1 | c2) >= 0x80) return murmurNonAscii(key, start, end);
    h ^= scramble(c0 | (c1 << 8) | (c2 << 16));
  }
  return finish(h ^ n); // all ASCII: as many bytes as code units
}

function murmurNonAscii(key: string, start: number, end: number): number {
  return murmurBytes(utf8Bytes(start === 0 && end === key.length ? key : key.slice(start, end)));
}

/**
 * A fast, well-distributed 32-bit hash of the UTF-8 bytes of a string: MurmurHash3 (x86, 32-bit)
 * with seed 0. Not a cryptographic hash.
 *
 * @param key Any string.
 * @returns An unsigned 32-bit integer.
 * @example
 * ```ts ignore
 * hash32("hello"); // 0x248bfa47
 * hash32(""); // 0
 * ```
 */
export function hash32(key: string): number {
  return murmur(key, 0, key.length);
}

// ---------------------------------------------------------------------------------------------
// Consistent hashing.

/** Options of a {@link HashRing}. */
export interface HashRingOptions {
  /**
   * Points on the ring per node ("virtual nodes"): more spread the keys more evenly, at the
   * cost of memory and build time. A positive integer; 160 by default.
   */
  vnodes?: number;
}

/**
 * Consistent hashing with virtual nodes (ketama style): each node owns `vnodes` points on a
 * 32-bit ring, at `hash32(`${name}#${i}`)`, and a key goes to the node of the first point at or
 * after `hash32(hashTag(key))`, wrapping around. Adding a node only moves keys to it; removing
 * one only moves its own keys. Keys with the same {@link hashTag} go to the same node.
 *
 * The mapping depends only on the set of names (and `vnodes`), not on the order nodes are
 * given in: two nodes' points that coincide go to the name that sorts first.
 *
 * @typeParam T The node type: a client, a connection pool, an address...
 * @example
 * ```ts ignore
 * const ring = new HashRing([["10.0.0.1:6379", a], ["10.0.0.2:6379", b]]);
 * ring.get("user:42"); // a or b, always the same for this key and these names
 * ring.get("{user:42}:cart") === ring.get("{user:42}:profile"); // true
 * ```
 */
export class HashRing<T> {
  readonly #nodes: T[];
  /** The points, strictly increasing. */
  readonly #points: Uint32Array;
  /** Index in `#nodes` of the owner of each point. */
  readonly #owners: Uint32Array;

  /**
   * Builds the ring.
   *
   * @param nodes `[name, node]` pairs; names identify nodes on the ring and must be unique.
   * @param options See {@link HashRingOptions}.
   * @throws {TypeError} When there are no nodes or two share a name.
   * @throws {RangeError} When `vnodes` is not a positive integer.
   */
  constructor(nodes: Iterable<readonly [name: string, node: T]>, options: HashRingOptions = {}) {
    const vnodes = options.vnodes ?? DEFAULT_VNODES;
    if (!Number.isSafeInteger(vnodes) || vnodes < 1) {
      throw new RangeError(`HashRing: vnodes must be a positive integer, got ${vnodes}`);
    }
    const names: string[] = [];
    const values: T[] = [];
    const seen = new Set<string>();
    for (const [name, node] of nodes) {
      if (seen.has(name)) {
        throw new TypeError(`HashRing: duplicate node name ${JSON.stringify(name)}`);
      }
      seen.add(name);
      names.push(name);
      values.push(node);
    }
    const count = names.length;
    if (count === 0) throw new TypeError("HashRing: no nodes");
    // Sort point * count + rank (rank: the name's place in code unit order) as exact doubles:
    // one native numeric sort orders the points and breaks ties by name.
    if (count > 2 ** 21) throw new RangeError("HashRing: too many nodes"); // keys stay below 2 ** 53
    const byName = names.map((_, index) => index).sort((a, b) => (names[a] < names[b] ? -1 : 1));
    const keys = new Float64Array(count * vnodes);
    for (let rank = 0; rank < count; rank++) {
      const name = names[byName[rank]];
      for (let i = 0; i < vnodes; i++) {
        keys[rank * vnodes + i] = hash32(`${name}#${i}`) * count + rank;
      }
    }
    keys.sort();
    const points = new Uint32Array(keys.length);
    const owners = new Uint32Array(keys.length);
    let size = 0;
    for (let i = 0; i < keys.length; i++) {
      let point = Math.floor(keys[i] / count);
      if (point * count > keys[i]) point--; // the division rounded up
      if (size > 0 && points[size - 1] === point) continue; // a tie: the first name keeps it
      points[size] = point;
      owners[size++] = byName[keys[i] - point * count];
    }
    this.#nodes = values;
    this.#points = size === points.length ? points : points.slice(0, size);
    this.#owners = size === owners.length ? owners : owners.slice(0, size);
  }

  /** Number of nodes on the ring. */
  get size(): number {
    return this.#nodes.length;
  }

  /**
   * The node a key belongs to.
   *
   * @param key A Redis key; only its {@link hashTag} is hashed.
   * @returns The owner of the first point clockwise from the key's hash.
   */
  get(key: string): T {
    findTag(key);
    const hash = murmur(key, tagStart, tagEnd);
    const points = this.#points;
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    return this.#nodes[this.#owners[lo === points.length ? 0 : lo]];
  }

  /** The nodes, in the order they were given. */
  nodes(): T[] {
    return [...this.#nodes];
  }
}
