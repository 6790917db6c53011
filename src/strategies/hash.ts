/**
 * Key hashing for the shard strategy: a fast 32-bit string hash (MurmurHash3 x86_32) and a
 * consistent-hash ring with virtual nodes, over a key's Redis Cluster hash tag (the tag rule
 * lives with the key slot in `cluster/key_slot.ts`).
 *
 * Strings are hashed as their UTF-8 bytes; ASCII strings are read with `charCodeAt`, without
 * allocating.
 *
 * @module
 */

import { findTag, tagEnd, tagStart, utf8Bytes } from "../cluster/key_slot.ts";

/** Points per node on a {@link HashRing} unless told otherwise. */
const DEFAULT_VNODES = 160;

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
 * ```ts
 * import { hash32 } from "./hash.ts";
 *
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
 * ```ts
 * import { HashRing } from "./hash.ts";
 *
 * const ring = new HashRing([["10.0.0.1:6379", "a"], ["10.0.0.2:6379", "b"]]);
 * ring.get("user:42"); // "a" or "b", always the same for this key and these names
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
