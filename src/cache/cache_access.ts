/**
 * What the layers above the cache (the web helpers in `src/web`) may use of a
 * cache beyond its public API: its full keys, a raw command target routed by
 * key, its value coder, and bytes stored as they are (no serializer; the
 * cache's compressor and tags still apply). Not exported from `mod.ts`.
 *
 * Every `Cache` registers itself here when it is made; `cacheAccess(cache)`
 * finds the record.
 *
 * @module
 */

import type { RedisTarget } from "../client/target.ts";
import type { Ttl } from "./cache_options.ts";
import type { ValueCoder } from "./value_coder.ts";

/** Options of `CacheAccess.setBytes`. */
export interface BytesSetOptions {
  /** Time to live (the cache's `defaultTtl` when omitted; `null`: forever). */
  ttl?: Ttl;
  /** Tags the entry carries: `invalidateTags` of any of them hides it. */
  tags?: readonly string[];
}

/** Options of `CacheAccess.getBytes`. */
export interface BytesGetOptions {
  /**
   * Tags the value is expected to carry: their tokens are read in the same
   * round trip as the value, so checking them costs no second one.
   */
  tags?: readonly string[];
}

/** The cache's internals that `src/web` builds on. */
export interface CacheAccess {
  /** The full Redis key of `key` (the cache's prefix and version applied). */
  key(key: string): string;
  /**
   * Raw commands, routed by their first key under every strategy; `undefined`
   * for `memory://`. Commands sent here bypass the near cache and `ignoreErrors`.
   */
  readonly client: RedisTarget | undefined;
  /** The cache's serializer and compressor. */
  readonly coder: ValueCoder;
  /**
   * Bytes under `key`, or `undefined` when missing (or when a tag was invalidated
   * since they were written). Rejects when Redis cannot be reached, whatever
   * `ignoreErrors` says: the caller decides.
   */
  getBytes(key: string, options?: BytesGetOptions): Promise<Uint8Array | undefined>;
  /** Stores bytes under `key`; resolves `false` when `ttl` is 0 or less (the key is deleted). */
  setBytes(key: string, bytes: Uint8Array, options?: BytesSetOptions): Promise<boolean>;
}

const ACCESS = new WeakMap<object, CacheAccess>();

/** Called by the `Cache` constructor. */
export function registerCacheAccess(cache: object, access: CacheAccess): void {
  ACCESS.set(cache, access);
}

/**
 * The internals of `cache`.
 *
 * @throws {TypeError} When `cache` is not a cache made by `createCache()`.
 */
export function cacheAccess(cache: object): CacheAccess {
  const access = ACCESS.get(cache);
  if (access === undefined) {
    throw new TypeError('Invalid option "cache": expected a cache made by createCache()');
  }
  return access;
}
