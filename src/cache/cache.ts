/**
 * `Cache`: the django-redis style API over a `CacheStore` (Redis or memory).
 * It owns keys (prefix, version), the hot `get`/`set` path and the stats; the
 * other jobs sit beside it: options (`cache_options.ts`, `call_options.ts`),
 * `getOrSet` (`get_or_set.ts`), errors (`error_policy.ts`), several keys
 * (`bulk.ts`), TTLs and counters (`key_commands.ts`), SCAN (`key_scan.ts`).
 *
 * @module
 */

import type { Pool } from "../pool/pool.ts";
import type { Router } from "../strategies/router.ts";
import {
  type CacheOptions,
  type CacheStats,
  type GetOrSetOptions,
  resolveCacheOptions,
  type SetOptions,
  type Ttl,
  type VersionOptions,
} from "./cache_options.ts";
import {
  checkDelta,
  expireAtMs,
  NO_NEAR,
  type ResolvedSet,
  resolveGetOrSetOptions,
  resolveLockOptions,
} from "./call_options.ts";
import { BulkOps } from "./bulk.ts";
import { ErrorPolicy } from "./error_policy.ts";
import { MISSING, SingleFlight } from "./get_or_set.ts";
import { KeyCommands } from "./key_commands.ts";
import { KeyNames } from "./key_names.ts";
import { KeyScan } from "./key_scan.ts";
import { acquireLock, type Lock, type LockOptions } from "./lock.ts";
import { openStore } from "./open_store.ts";
import { NearReads } from "./near_reads.ts";
import type { CacheStore, ReadMode } from "./stores/store.ts";
import { parseTtl } from "./ttl.ts";
import { ValueCoder } from "./value_coder.ts";
import { checkTags, isTagged, TagVersions } from "./tags.ts";
import { registerCacheAccess } from "./cache_access.ts";
import { byteAccess } from "./byte_access.ts";

/**
 * The cache: values serialized (JSON by default), compressed above a size,
 * stored under `prefix:version:key` with a time to live. Made by `createCache()`.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379/1", keyPrefix: "app" });
 * await cache.set("user:1", { name: "Ada" }, { ttl: "10m" });
 * const user = await cache.get<{ name: string }>("user:1");
 * ```
 */
export class Cache {
  #store: CacheStore;
  /** The store without herd's soft expiry: locks keep their exact TTLs. */
  #plain: CacheStore;
  #client: Pool | Router | undefined;
  #names: KeyNames;
  #coder: ValueCoder;
  #readMode: ReadMode;
  #stats: CacheStats = { hits: 0, misses: 0, sets: 0, deletes: 0, errors: 0 };
  #errors: ErrorPolicy;
  #flights: SingleFlight;
  #commands: KeyCommands;
  #keyScan: KeyScan;
  #bulk: BulkOps;
  #near: NearReads | undefined;
  #tags: TagVersions;

  /**
   * Creates a cache; `createCache()` is the usual way (this takes msgpack and gzip as objects).
   *
   * @param options A URL (`redis://…`, `memory://`) or cache options.
   * @throws {TypeError} For an unknown option, a malformed URL or a bad value.
   */
  constructor(options: string | CacheOptions = {}) {
    const settings = resolveCacheOptions(options);
    const names = this.#names = new KeyNames(settings);
    this.#coder = new ValueCoder(settings);
    this.#readMode = this.#coder.readMode;
    this.#errors = new ErrorPolicy(settings.ignoreErrors, settings.onError, this.#stats);
    const opened = openStore(settings, (error) => this.#errors.report(error, "breaker"));
    this.#store = opened.store;
    this.#plain = opened.plain;
    this.#client = opened.client;
    this.#tags = new TagVersions(opened.plain, (tag) => names.tagKey(tag));
    this.#near = NearReads.of(opened, this.#coder, this.#stats, this.#errors);
    this.#commands = new KeyCommands(this.#store, this.#errors);
    this.#bulk = new BulkOps(this.#store, this.#errors, this.#stats, this.#coder, this.#tags);
    this.#keyScan = new KeyScan(this.#store, this.#errors, this.#stats, settings);
    this.#flights = new SingleFlight(
      {
        read: (full, key) => this.#get(full, key, MISSING, "getOrSet"),
        write: (key, value, options) => this.#set(key, value, options, "getOrSet"),
        stale: (full, key, window) => this.#near!.stale(full, key, window),
        keepStale: (window) => this.#near!.memory.keepStaleFor(window),
      },
      this.#errors,
      opened.herd,
    );
    registerCacheAccess(this, byteAccess(opened, this.#tags, names, this.#coder));
  }

  /**
   * For raw commands: the primary's pool (strategies `default`, `herd`,
   * `sentinel`), the router that finds each key's server (`shard`,
   * `failover`, `cluster`: a `ClusterClient`), or `undefined` for `memory://`.
   */
  get client(): Pool | Router | undefined {
    return this.#client;
  }

  /**
   * Reads a value; `defaultValue` when missing (or, with `ignoreErrors`, unreachable).
   *
   * `options.version` reads another version of the key than the cache's.
   *
   * @throws {SerializationError} When the stored value cannot be decoded.
   */
  get<T = unknown>(
    key: string,
    defaultValue?: T,
    options?: VersionOptions,
  ): Promise<T | undefined> {
    let full: string;
    try {
      full = this.#names.key(key, this.#names.versionOf(options, "get()"));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#get(full, key, defaultValue, "get");
  }

  async #get<T>(full: string, key: string, defaultValue: T | undefined, op: string) {
    const near = this.#near?.hit(full, key) ?? MISSING;
    if (near !== MISSING) return near as T;
    let stored;
    try {
      stored = await this.#store.get(full, this.#readMode);
      if (stored !== null && isTagged(stored)) stored = await this.#tags.open(stored, key);
    } catch (error) {
      const stale = this.#near?.graceful(error, full, key, op) ?? MISSING;
      return stale !== MISSING ? stale as T : this.#errors.failed(error, op, key, defaultValue);
    }
    if (stored === null) {
      this.#stats.misses++;
      return defaultValue;
    }
    this.#stats.hits++;
    return this.#coder.decode(stored, key) as T;
  }

  /**
   * Stores a value. Resolves `false` when `nx`/`xx` prevented the write, when
   * `ttl` is 0 or less (the key is deleted instead), or under `ignoreErrors`.
   *
   * @throws {SerializationError} Before anything is written, for a value the serializer cannot represent.
   */
  set(key: string, value: unknown, options?: SetOptions): Promise<boolean> {
    return this.#set(key, value, options, "set");
  }

  #set(key: string, value: unknown, options: SetOptions | undefined, op: string): Promise<boolean> {
    // A promise chain rather than an async function: one frame less on the
    // hot path, which JavaScriptCore (Bun) charges noticeably for.
    let full: string, data: string | Uint8Array, set: ResolvedSet;
    try {
      set = this.#names.setOptions(options);
      full = this.#names.key(key, set.version);
      if (set.ttl === 0) return this.#bulk.delete([full], op, key).then(() => false);
      data = this.#coder.encode(value, key);
    } catch (error) {
      return Promise.reject(error);
    }
    if (set.tags !== undefined) return this.#bulk.setTagged(full, data, set, op, key);
    return this.#store.set(full, data, set.ttl, set.condition).then(
      this.#counted,
      (error) => this.#errors.failed(error, op, key, false),
    );
  }

  /** Counts a write that happened. */
  #counted = (written: boolean): boolean => {
    if (written) this.#stats.sets++;
    return written;
  };

  /** Stores a value only if the key does not exist; resolves whether it did. */
  add(key: string, value: unknown, options?: Omit<SetOptions, "nx" | "xx">): Promise<boolean> {
    return this.set(key, value, { ...options, nx: true });
  }

  /** Reads several keys in one round trip; the `Map` holds the keys found. */
  async getMany<T = unknown>(
    keys: Iterable<string>,
    options?: VersionOptions,
  ): Promise<Map<string, T>> {
    const version = this.#names.versionOf(options, "getMany()");
    return await this.#bulk.getMany<T>([...keys], (key) => this.#names.key(key, version));
  }

  /**
   * Stores several values in one round trip, each with the TTL of `options`.
   * Every value is serialized before anything is written.
   */
  async setMany(
    entries: Map<string, unknown> | Record<string, unknown> | Iterable<readonly [string, unknown]>,
    options?: Omit<SetOptions, "nx" | "xx">,
  ): Promise<boolean> {
    const { ttl, version, tags } = this.#names.setOptions(options);
    return await this.#bulk.setMany(entries, ttl, (key) => this.#names.key(key, version), tags);
  }

  /** Deletes a key; resolves whether it existed. */
  async delete(key: string, options?: VersionOptions): Promise<boolean> {
    const full = this.#names.key(key, this.#names.versionOf(options, "delete()"));
    return (await this.#bulk.delete([full], "delete", key)) > 0;
  }

  /** Deletes keys; resolves with how many existed. */
  async deleteMany(keys: Iterable<string>, options?: VersionOptions): Promise<number> {
    const version = this.#names.versionOf(options, "deleteMany()");
    return await this.#bulk.delete([...keys].map((k) => this.#names.key(k, version)), "deleteMany");
  }

  /** True when the key exists (the value is not fetched). */
  async has(key: string, options?: VersionOptions): Promise<boolean> {
    const full = this.#names.key(key, this.#names.versionOf(options, "has()"));
    return await this.#commands.exists(full, key);
  }

  /**
   * Deletes this cache's keys: those under `keyPrefix`, by SCAN and UNLINK.
   * Without a prefix it needs `{ flushDb: true }` and then empties the whole
   * database, so that nobody wipes a shared database by accident.
   */
  async clear(options: { flushDb?: boolean } = {}): Promise<number> {
    return await this.#keyScan.clear(options);
  }

  /**
   * Adds `delta` to an integer value atomically (INCRBY), keeping its TTL; a
   * missing key starts from 0. Never turned into a miss by `ignoreErrors`:
   * a counter must not silently lose counts.
   *
   * @throws {ReplyError} When the stored value is not an integer (it is left as it was).
   */
  async incr(key: string, delta = 1, options?: VersionOptions): Promise<number> {
    checkDelta(delta);
    const full = this.#names.key(key, this.#names.versionOf(options, "incr()"));
    return await this.#commands.incr(full, key, delta);
  }

  /** Subtracts `delta` atomically; see `incr`. */
  decr(key: string, delta = 1, options?: VersionOptions): Promise<number> {
    return this.incr(key, -delta, options);
  }

  /** Milliseconds left: `Infinity` without expiry, `null` when the key is missing. */
  async ttl(key: string, options?: VersionOptions): Promise<number | null> {
    const full = this.#names.key(key, this.#names.versionOf(options, "ttl()"));
    return await this.#commands.ttl(full, key);
  }

  /** Sets a new time to live (`null`: forever, 0 or less: delete); resolves whether the key exists. */
  async expire(key: string, ttl: Ttl, options?: VersionOptions): Promise<boolean> {
    const full = this.#names.key(key, this.#names.versionOf(options, "expire()"));
    const ms = parseTtl(ttl, this.#names.defaultTtl);
    return await this.#commands.expire(full, key, ms);
  }

  /** Expires the key at a time; resolves whether the key exists. */
  async expireAt(key: string, at: Date | number): Promise<boolean> {
    const ms = expireAtMs(at);
    return await this.#commands.expireAt(this.#names.key(key), key, ms);
  }

  /** Removes the key's time to live; resolves whether it had one. */
  async persist(key: string, options?: VersionOptions): Promise<boolean> {
    const full = this.#names.key(key, this.#names.versionOf(options, "persist()"));
    return await this.#commands.persist(full, key);
  }

  /** Resets the time to live to `ttl` (default: `defaultTtl`); resolves whether the key exists. */
  touch(key: string, ttl?: Ttl, options?: VersionOptions): Promise<boolean> {
    return this.expire(key, ttl === undefined ? this.#names.defaultTtl : ttl, options);
  }

  /**
   * This cache's keys matching a glob `pattern` (applied inside the prefix and
   * version), without the prefix, via SCAN (never KEYS).
   */
  async *scan(
    pattern = "*",
    options: { count?: number } = {},
  ): AsyncGenerator<string, void, undefined> {
    yield* this.#keyScan.scan(pattern, options);
  }

  /** `scan(pattern)` gathered into an array. */
  async keys(pattern = "*"): Promise<string[]> {
    return await Array.fromAsync(this.scan(pattern));
  }

  /** Deletes this cache's keys matching `pattern`, in batches with UNLINK; resolves with the count. */
  async deletePattern(pattern: string, options: { count?: number } = {}): Promise<number> {
    return await this.#keyScan.deletePattern(pattern, options);
  }

  /**
   * Reads a value or, on a miss, computes it with `factory`, stores and
   * returns it. Concurrent misses in this process share one `factory` call;
   * if it throws, nothing is cached and every caller gets the error.
   */
  getOrSet<T>(key: string, factory: () => T | Promise<T>, options?: GetOrSetOptions): Promise<T> {
    let full: string, set, window;
    try {
      [set, window] = resolveGetOrSetOptions(
        options,
        this.#near ? this.#near.staleRefusal : NO_NEAR,
      );
      full = this.#names.key(key, this.#names.versionOf(options, "getOrSet()", true));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#flights.getOrSet(key, full, factory, set, window);
  }

  /**
   * Hides every value written with any of `tags` before this resolves, on
   * every server and in every process (a near cache forgets at once here,
   * elsewhere within one invalidation push). One write per tag, however many
   * values carry it. Never turned into a no-op by `ignoreErrors`.
   *
   * @throws {TypeError} For a tag that is not a string of 1 to 1000 characters.
   */
  async invalidateTags(tags: readonly string[]): Promise<void> {
    await this.#tags.invalidate(checkTags(tags, "invalidateTags()"));
  }

  /**
   * Takes a distributed lock named `name`; release it with `release()` or
   * `await using`.
   *
   * @throws {TimeoutError} When another owner still holds it after `wait`.
   */
  lock(name: string, options: LockOptions = {}): Promise<Lock> {
    const timing = resolveLockOptions(options);
    const full = this.#names.key(`lock:${name}`);
    // Lock errors are reported, never ignored: a lock must not be assumed.
    const onError = (error: unknown, op: string) => this.#errors.reportTransient(error, op, name);
    return acquireLock(this.#plain, full, name, timing, onError);
  }

  /**
   * Moves a value (and its TTL) from the current version of `key` to
   * version + `delta`; resolves with the new version.
   *
   * @throws {TypeError} When the key does not exist.
   */
  async incrVersion(
    key: string,
    delta = 1,
    version: number = this.#names.version,
  ): Promise<number> {
    const from = this.#names.key(key, version);
    const to = this.#names.key(key, version + delta);
    await this.#commands.moveVersion(from, to, key);
    return version + delta;
  }

  /** Moves a value to version − `delta`; see `incrVersion`. */
  decrVersion(key: string, delta = 1, version: number = this.#names.version): Promise<number> {
    return this.incrVersion(key, -delta, version);
  }

  /** Counters since the cache was made (`near`: the near cache's, when on). */
  stats(): CacheStats {
    return this.#near ? { ...this.#stats, near: this.#near.memory.stats() } : { ...this.#stats };
  }

  /** Waits up to 5 s for background refreshes, then closes the connections (or empties memory://). */
  async close(): Promise<void> {
    await this.#flights.idle(5_000);
    await this.#store.close();
  }

  /** Closes the cache (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
