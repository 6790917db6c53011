/**
 * `createCache()`: the django-redis style cache API over a `CacheStore`
 * (Redis through a pool, or the in-process memory store).
 *
 * @module
 */

import {
  CircuitOpenError,
  ConnectionError,
  PoolTimeoutError,
  ReplyError,
  TimeoutError,
} from "../errors.ts";
import { checkOptionKeys } from "../util/options.ts";
import { type Pool, POOL_OPTION_KEYS, type PoolOptions } from "../pool/pool.ts";
import { HerdStore } from "../strategies/herd.ts";
import type { Router } from "../strategies/router.ts";
import {
  buildStrategy,
  STRATEGY_OPTION_KEYS,
  type StrategyOptions,
} from "../strategies/strategy.ts";
import {
  type Compressor,
  type CompressorOption,
  resolveCompressor,
} from "./compressors/compressor.ts";
import {
  checkKey,
  checkPrefix,
  defaultKeyFunction,
  escapeGlob,
  type KeyFunction,
  ownsKey,
} from "./keys.ts";
import { acquireLock, type Lock, type LockOptions } from "./lock.ts";
import { MemoryStore } from "./memory_store.ts";
import { RedisStore } from "./redis_store.ts";
import { withCacheBreaker } from "./cache_breaker.ts";
import {
  resolveSerializer,
  type Serializer,
  type SerializerOption,
} from "./serializers/serializer.ts";
import type { CacheStore, ReadMode, StoreEntry } from "./store.ts";
import { parseTtl } from "./ttl.ts";
import { decodeValue, encodeValue } from "./value_codec.ts";

/**
 * A time to live: milliseconds, a duration such as `"5m"`, or `null` for forever.
 *
 * @example
 * ```ts ignore
 * await cache.set("k", 1, { ttl: "1h30m" });
 * await cache.set("forever", 1, { ttl: null });
 * ```
 */
export type Ttl = number | string | null;

/**
 * The cache operation and key that a connection failure or timeout happened
 * in, ignored or thrown.
 *
 * `op` is the method the caller called: `get`, `set`, `getMany`, `setMany`,
 * `delete`, `deleteMany`, `has`, `incr`, `ttl`, `expire`, `expireAt`,
 * `persist`, `scan` (also for `keys()`), `deletePattern`, `clear`,
 * `incrVersion`; for locks `lock` (acquiring), `lock.release` and
 * `lock.extend` (with the lock's name as `key`). Inside `getOrSet`, its read
 * and its write report `getOrSet`, not `get` or `set`.
 *
 * @example
 * ```ts ignore
 * createCache({ ignoreErrors: true, onError: (error, { op, key }) => log.warn(op, key, error.message) });
 * ```
 */
export interface CacheErrorContext {
  /** The method called, e.g. `get`, `set`, `getOrSet`, `clear`, `lock.release`. */
  op: string;
  /** The key (the caller's, before prefix and version), when there is one. */
  key?: string;
}

/**
 * Per-call options of reads and deletes: another `version` than the cache's.
 *
 * @example
 * ```ts ignore
 * await cache.get("page", undefined, { version: 2 });
 * ```
 */
export interface VersionOptions {
  /** The version of the key, instead of the cache's `version` option. */
  version?: number;
}

/**
 * Cache settings, on top of the pool options.
 *
 * @example
 * ```ts ignore
 * const cache = createCache({
 *   url: "redis://127.0.0.1:6379/1",
 *   keyPrefix: "shop",
 *   defaultTtl: "10m",
 *   serializer: "msgpack",
 *   compressor: "gzip",
 *   ignoreErrors: true,
 * });
 * ```
 */
export interface CacheOptions extends PoolOptions, StrategyOptions {
  /** Namespace for every key: `prefix:version:key`. */
  keyPrefix?: string;
  /**
   * Version part of every key; `incrVersion` moves a value to the next one.
   *
   * @default {1}
   */
  version?: number;
  /** Builds the stored key, as in Django: `(key, prefix, version) => string`. */
  keyFunction?: KeyFunction;
  /**
   * Time to live when `set` is given none: ms, a duration, or `null` for forever.
   *
   * @default {300000}
   */
  defaultTtl?: Ttl;
  /**
   * `"json"`, `"msgpack"`, `"raw"`, or your own `{ serialize, deserialize }`
   * (`name` and `text` optional).
   *
   * @default {"json"}
   */
  serializer?: "json" | "msgpack" | "raw" | SerializerOption;
  /** `"gzip"`, `"zlib"`, `"deflate"` (or `{ name, level }`), `"none"`, or your own. */
  compressor?: CompressorOption;
  /**
   * Values smaller than this many bytes are not compressed.
   *
   * @default {1024}
   */
  compressMinBytes?: number;
  /** Turn connection failures and timeouts into misses (not for `incr`). */
  ignoreErrors?: boolean;
  /** Called with each connection failure or timeout, ignored or not. */
  onError?: (error: Error, context: CacheErrorContext) => void;
  // For memory://, the pool and connection options are accepted and ignored.
  /** For `memory://`: most entries kept (least recently used go first). */
  maxEntries?: number;
  /** For `memory://`: most bytes kept. */
  maxBytes?: number;
}

/**
 * Options of `set`, `add` and `setMany`.
 *
 * @example
 * ```ts ignore
 * await cache.set("k", "v", { ttl: 30_000, nx: true });
 * ```
 */
export interface SetOptions {
  /** Time to live; omitted: the cache's `defaultTtl`; `0` or less deletes the key. */
  ttl?: Ttl;
  /** Only if the key does not exist. */
  nx?: boolean;
  /** Only if the key exists. */
  xx?: boolean;
  /** The version of the key, instead of the cache's `version` option. */
  version?: number;
}

/**
 * What `cache.stats()` counts since the cache was made.
 *
 * @example
 * ```ts ignore
 * const { hits, misses } = cache.stats();
 * const hitRate = hits / (hits + misses);
 * ```
 */
export interface CacheStats {
  /** Reads that found a value. */
  hits: number;
  /** Reads that found nothing (or failed, under `ignoreErrors`). */
  misses: number;
  /** Values written. */
  sets: number;
  /** Keys deleted. */
  deletes: number;
  /** Connection failures and timeouts, ignored ones included. */
  errors: number;
}

const CACHE_KEYS = [
  "keyPrefix",
  "version",
  "keyFunction",
  "defaultTtl",
  "serializer",
  "compressor",
  "compressMinBytes",
  "ignoreErrors",
  "onError",
  "maxEntries",
  "maxBytes",
];
const SET_KEYS = ["ttl", "nx", "xx", "version"];
const VERSION_KEYS = ["version"];
const LOCK_KEYS = ["ttl", "wait", "retryDelay"];

/** Errors that mean "Redis is not reachable right now", as opposed to wrong use. */
function isTransient(error: unknown): error is Error {
  return error instanceof ConnectionError || error instanceof TimeoutError ||
    error instanceof PoolTimeoutError;
}

function entriesOf<T>(
  entries: Map<string, T> | Record<string, T> | Iterable<readonly [string, T]>,
) {
  if (entries instanceof Map || Symbol.iterator in entries) {
    return entries as Iterable<readonly [string, T]>;
  }
  return Object.entries(entries);
}

/**
 * The cache: values serialized (JSON by default), compressed above a size,
 * stored under `prefix:version:key` with a time to live. Made by `createCache()`.
 *
 * @example
 * ```ts ignore
 * const cache = createCache({ url: "redis://127.0.0.1:6379/1", keyPrefix: "app" });
 * await cache.set("user:1", { name: "Ada" }, { ttl: "10m" });
 * const user = await cache.get<{ name: string }>("user:1");
 * ```
 */
export class Cache {
  #store: CacheStore;
  /** The store without herd's soft expiry: locks keep their exact TTLs. */
  #plain: CacheStore;
  #herd: HerdStore | undefined;
  #client: Pool | Router | undefined;
  #prefix: string;
  #version: number;
  #keyFunction: KeyFunction;
  #defaultTtl: number | null;
  #serializer: Serializer;
  #compressor: Compressor | undefined;
  #compressMinBytes: number;
  #readMode: ReadMode;
  #ignoreErrors: boolean;
  #onError: ((error: Error, context: CacheErrorContext) => void) | undefined;
  #stats: CacheStats = { hits: 0, misses: 0, sets: 0, deletes: 0, errors: 0 };
  #inflight = new Map<string, Promise<unknown>>();
  /** `#setOptions(undefined)`, made once. */
  #defaultSet: ResolvedSet;

  /**
   * Creates a cache; `createCache()` is the usual way.
   *
   * @param options A URL (`redis://…`, `memory://`) or cache options.
   * @throws {TypeError} For an unknown option, a malformed URL or a bad value.
   */
  constructor(options: string | CacheOptions = {}) {
    const all: CacheOptions = typeof options === "string" ? { url: options } : { ...options };
    const memory = typeof all.url === "string" && all.url.startsWith("memory:");
    checkOptionKeys(
      all,
      // memory:// takes the pool and connection options too, and ignores them,
      // so that switching the URL is the only change between Redis and memory.
      memory ? [...CACHE_KEYS, ...POOL_OPTION_KEYS] : [
        ...CACHE_KEYS.filter((k) => !k.startsWith("max")),
        ...POOL_OPTION_KEYS,
        ...STRATEGY_OPTION_KEYS,
      ],
      memory ? "createCache() with memory://" : "createCache()",
    );
    if (memory && !/^memory:\/\/[\w.-]*$/.test(all.url!)) {
      throw new TypeError(
        'Invalid URL for the memory store: expected "memory://" or "memory://name"',
      );
    }
    const {
      keyPrefix,
      version,
      keyFunction,
      defaultTtl,
      serializer,
      compressor,
      compressMinBytes,
      ignoreErrors,
      onError,
      maxEntries,
      maxBytes,
      strategy,
      replicas,
      readFrom,
      urls,
      herdTtl,
      herdEarlyRefresh,
      failbackAfter,
      sentinels,
      masterName,
      maxRedirects,
      ...rest
    } = all;
    this.#keyFunction = keyFunction ?? defaultKeyFunction;
    if (typeof this.#keyFunction !== "function") {
      throw new TypeError('Invalid option "keyFunction": expected a function');
    }
    this.#prefix = keyPrefix ?? "";
    if (this.#keyFunction === defaultKeyFunction) checkPrefix(this.#prefix);
    else if (typeof this.#prefix !== "string") {
      throw new TypeError('Invalid option "keyPrefix": expected a string');
    }
    this.#version = checkVersion(version ?? 1, 'option "version"');
    this.#defaultTtl = parseTtl(defaultTtl === undefined ? 300_000 : defaultTtl, null);
    this.#serializer = resolveSerializer(serializer ?? "json");
    this.#compressor = resolveCompressor(compressor);
    this.#compressMinBytes = compressMinBytes ?? 1024;
    if (!Number.isInteger(this.#compressMinBytes) || this.#compressMinBytes < 0) {
      throw new TypeError('Invalid option "compressMinBytes": expected a whole number, 0 or more');
    }
    this.#readMode = this.#serializer.text ? "text" : "bytes";
    this.#defaultSet = { ttl: this.#defaultTtl, version: this.#version };
    this.#ignoreErrors = ignoreErrors ?? false;
    if (onError !== undefined && typeof onError !== "function") {
      throw new TypeError('Invalid option "onError": expected a function');
    }
    this.#onError = onError;
    if (memory) {
      this.#store = sharedMemoryStore(all.url!.slice("memory://".length), { maxEntries, maxBytes });
      this.#plain = this.#store;
    } else {
      const built = buildStrategy(
        // deno-fmt-ignore
        { strategy, replicas, readFrom, urls, herdTtl, herdEarlyRefresh, failbackAfter, sentinels, masterName, maxRedirects },
        // The breaker is on by default; each opening is reported once, not per command.
        withCacheBreaker(rest, (error) => this.#report(error, "breaker")),
      );
      this.#client = built.client;
      this.#plain = new RedisStore(built.router);
      this.#store = this.#plain;
      if (built.herd !== undefined) {
        this.#herd = new HerdStore(this.#plain, built.herd.ttl, built.herd.beta);
        this.#store = this.#herd;
      }
    }
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
      full = this.#key(key, this.#versionOf(options, "get()"));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#get(full, key, defaultValue, "get");
  }

  async #get<T>(full: string, key: string, defaultValue: T | undefined, op: string) {
    let stored;
    try {
      stored = await this.#store.get(full, this.#readMode);
    } catch (error) {
      return this.#failed(error, op, key, defaultValue);
    }
    if (stored === null) {
      this.#stats.misses++;
      return defaultValue;
    }
    this.#stats.hits++;
    return this.#decode(stored, key) as T;
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
    let full: string,
      data: string | Uint8Array,
      ttl: number | null,
      condition: "nx" | "xx" | undefined,
      version: number;
    try {
      ({ ttl, condition, version } = options === undefined
        ? this.#defaultSet
        : this.#setOptions(options));
      full = this.#key(key, version);
      if (ttl === 0) return this.#deleteFull([full], op, key).then(() => false);
      data = this.#encode(value, key);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#store.set(full, data, ttl, condition).then(
      this.#counted,
      (error) => this.#failed(error, op, key, false),
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
    const version = this.#versionOf(options, "getMany()");
    const list = [...keys];
    const fulls = list.map((k) => this.#key(k, version));
    const found = new Map<string, T>();
    let values;
    try {
      values = await this.#store.getMany(fulls, this.#readMode);
    } catch (error) {
      return this.#failed(error, "getMany", undefined, found);
    }
    for (let i = 0; i < list.length; i++) {
      const stored = values[i];
      if (stored === null) {
        this.#stats.misses++;
        continue;
      }
      this.#stats.hits++;
      found.set(list[i], this.#decode(stored, list[i]) as T);
    }
    return found;
  }

  /**
   * Stores several values in one round trip, each with the TTL of `options`.
   * Every value is serialized before anything is written.
   */
  async setMany(
    entries: Map<string, unknown> | Record<string, unknown> | Iterable<readonly [string, unknown]>,
    options?: Omit<SetOptions, "nx" | "xx">,
  ): Promise<boolean> {
    const { ttl, version } = this.#setOptions(options);
    const items: StoreEntry[] = [];
    for (const [key, value] of entriesOf(entries)) {
      const full = this.#key(key, version);
      items.push([full, ttl === 0 ? "" : this.#encode(value, key), ttl === 0 ? null : ttl]);
    }
    if (ttl === 0) {
      await this.#deleteFull(items.map(([full]) => full), "setMany");
      return false;
    }
    try {
      await this.#store.setMany(items);
      this.#stats.sets += items.length;
      return true;
    } catch (error) {
      return this.#failed(error, "setMany", undefined, false);
    }
  }

  /** Deletes a key; resolves whether it existed. */
  async delete(key: string, options?: VersionOptions): Promise<boolean> {
    const full = this.#key(key, this.#versionOf(options, "delete()"));
    return (await this.#deleteFull([full], "delete", key)) > 0;
  }

  /** Deletes keys; resolves with how many existed. */
  async deleteMany(keys: Iterable<string>, options?: VersionOptions): Promise<number> {
    const version = this.#versionOf(options, "deleteMany()");
    return await this.#deleteFull([...keys].map((k) => this.#key(k, version)), "deleteMany");
  }

  /** True when the key exists (the value is not fetched). */
  async has(key: string, options?: VersionOptions): Promise<boolean> {
    const full = this.#key(key, this.#versionOf(options, "has()"));
    try {
      return await this.#store.exists(full);
    } catch (error) {
      return this.#failed(error, "has", key, false);
    }
  }

  /**
   * Deletes this cache's keys: those under `keyPrefix`, by SCAN and UNLINK.
   * Without a prefix it needs `{ flushDb: true }` and then empties the whole
   * database, so that nobody wipes a shared database by accident.
   */
  async clear(options: { flushDb?: boolean } = {}): Promise<number> {
    checkOptionKeys(options, ["flushDb"], "clear()");
    if (options.flushDb) {
      try {
        await this.#store.flush();
      } catch (error) {
        this.#failed(error, "clear", undefined, 0);
      }
      return 0;
    }
    if (this.#prefix === "") {
      throw new TypeError(
        "Cannot clear a cache without keyPrefix: pass { flushDb: true } to empty the whole database",
      );
    }
    const prefix = this.#prefix;
    // Every version: `prefix:<integer>:…`, re-checked here, since a glob
    // cannot say "digits"; `app:*` alone would also match keyPrefix "app:".
    const owned = this.#keyFunction === defaultKeyFunction
      ? (full: string) => ownsKey(full, prefix)
      : undefined;
    return await this.#deleteMatching(`${escapeGlob(prefix)}:*`, 500, "clear", owned);
  }

  /**
   * Adds `delta` to an integer value atomically (INCRBY), keeping its TTL; a
   * missing key starts from 0. Never turned into a miss by `ignoreErrors`:
   * a counter must not silently lose counts.
   *
   * @throws {ReplyError} When the stored value is not an integer (it is left as it was).
   */
  async incr(key: string, delta = 1, options?: VersionOptions): Promise<number> {
    if (!Number.isSafeInteger(delta)) {
      throw new TypeError(`Invalid delta ${String(delta).slice(0, 40)}: expected a whole number`);
    }
    const full = this.#key(key, this.#versionOf(options, "incr()"));
    try {
      return await this.#store.incrBy(full, delta);
    } catch (error) {
      if (isTransient(error)) this.#report(error, "incr", key);
      if (error instanceof ReplyError && /not an integer/.test(error.message)) {
        throw new ReplyError(
          `ERR Cannot increment "${key.slice(0, 100)}": its value is not an integer`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Subtracts `delta` atomically; see `incr`. */
  decr(key: string, delta = 1, options?: VersionOptions): Promise<number> {
    return this.incr(key, -delta, options);
  }

  /** Milliseconds left: `Infinity` without expiry, `null` when the key is missing. */
  async ttl(key: string, options?: VersionOptions): Promise<number | null> {
    const full = this.#key(key, this.#versionOf(options, "ttl()"));
    let ms;
    try {
      ms = await this.#store.pttl(full);
    } catch (error) {
      return this.#failed(error, "ttl", key, null);
    }
    return ms === -2 ? null : ms === -1 ? Infinity : ms;
  }

  /** Sets a new time to live (`null`: forever, 0 or less: delete); resolves whether the key exists. */
  async expire(key: string, ttl: Ttl, options?: VersionOptions): Promise<boolean> {
    const full = this.#key(key, this.#versionOf(options, "expire()"));
    const ms = parseTtl(ttl, this.#defaultTtl);
    try {
      if (ms === null) return await this.#store.persist(full) || await this.#store.exists(full);
      return await this.#store.pexpire(full, ms);
    } catch (error) {
      return this.#failed(error, "expire", key, false);
    }
  }

  /** Expires the key at a time; resolves whether the key exists. */
  async expireAt(key: string, at: Date | number): Promise<boolean> {
    const ms = at instanceof Date ? at.getTime() : at;
    if (!Number.isFinite(ms)) {
      throw new TypeError("Invalid time for expireAt(): expected a Date or Unix milliseconds");
    }
    try {
      return await this.#store.pexpireAt(this.#key(key), ms);
    } catch (error) {
      return this.#failed(error, "expireAt", key, false);
    }
  }

  /** Removes the key's time to live; resolves whether it had one. */
  async persist(key: string, options?: VersionOptions): Promise<boolean> {
    const full = this.#key(key, this.#versionOf(options, "persist()"));
    try {
      return await this.#store.persist(full);
    } catch (error) {
      return this.#failed(error, "persist", key, false);
    }
  }

  /** Resets the time to live to `ttl` (default: `defaultTtl`); resolves whether the key exists. */
  touch(key: string, ttl?: Ttl, options?: VersionOptions): Promise<boolean> {
    return this.expire(key, ttl === undefined ? this.#defaultTtl : ttl, options);
  }

  /**
   * This cache's keys matching a glob `pattern` (applied inside the prefix and
   * version), without the prefix, via SCAN (never KEYS).
   */
  async *scan(
    pattern = "*",
    options: { count?: number } = {},
  ): AsyncGenerator<string, void, undefined> {
    checkOptionKeys(options, ["count"], "scan()");
    const match = this.#pattern(pattern);
    const strip = this.#keyFunction === defaultKeyFunction
      ? `${this.#prefix}:${this.#version}:`
      : undefined;
    try {
      for await (const batch of this.#store.scan(match, options.count ?? 500)) {
        for (const full of batch) {
          if (strip === undefined) yield full;
          // The pattern pins `prefix:version:`; a key that the server's glob let
          // through anyway (it cannot) is still never shown.
          else if (full.startsWith(strip)) yield full.slice(strip.length);
        }
      }
    } catch (error) {
      this.#failed(error, "scan", undefined, undefined);
    }
  }

  /** `scan(pattern)` gathered into an array. */
  async keys(pattern = "*"): Promise<string[]> {
    const out: string[] = [];
    for await (const key of this.scan(pattern)) out.push(key);
    return out;
  }

  /** Deletes this cache's keys matching `pattern`, in batches with UNLINK; resolves with the count. */
  async deletePattern(pattern: string, options: { count?: number } = {}): Promise<number> {
    checkOptionKeys(options, ["count"], "deletePattern()");
    const match = this.#pattern(pattern);
    const strip = `${this.#prefix}:${this.#version}:`;
    const owned = this.#keyFunction === defaultKeyFunction
      ? (full: string) => full.startsWith(strip)
      : undefined;
    return await this.#deleteMatching(match, options.count ?? 500, "deletePattern", owned);
  }

  /**
   * Reads a value or, on a miss, computes it with `factory`, stores and
   * returns it. Concurrent misses in this process share one `factory` call;
   * if it throws, nothing is cached and every caller gets the error.
   */
  getOrSet<T>(
    key: string,
    factory: () => T | Promise<T>,
    options?: Omit<SetOptions, "nx" | "xx">,
  ): Promise<T> {
    let full: string;
    try {
      if (options !== undefined) checkOptionKeys(options, ["ttl", "version"], "getOrSet()");
      full = this.#key(key, this.#versionOf(options, "getOrSet()", true));
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#herd !== undefined) {
      return this.#herdGetOrSet(key, full, this.#herd, factory, options);
    }
    const running = this.#inflight.get(full);
    if (running !== undefined) return running as Promise<T>;
    const work = (async () => {
      try {
        const cached = await this.#get<T>(full, key, MISSING as T, "getOrSet");
        if (cached !== MISSING) return cached as T;
        const value = await factory();
        await this.#set(key, value, options, "getOrSet");
        return value;
      } finally {
        this.#inflight.delete(full);
      }
    })();
    this.#inflight.set(full, work);
    return work;
  }

  /**
   * getOrSet under herd: every caller reads first, so that while a refresh
   * runs (here or in another process) callers get the stale value; only
   * misses share the one refresh of this process.
   */
  async #herdGetOrSet<T>(
    key: string,
    full: string,
    herd: HerdStore,
    factory: () => T | Promise<T>,
    options?: Omit<SetOptions, "nx" | "xx">,
  ): Promise<T> {
    const cached = await this.#get<T>(full, key, MISSING as T, "getOrSet");
    if (cached !== MISSING) return cached as T;
    const running = this.#inflight.get(full);
    if (running !== undefined) return running as Promise<T>;
    const work = (async () => {
      try {
        const waited = await this.#awaitRefresh<T>(key, full, herd);
        if (waited !== MISSING) return waited as T;
        try {
          const started = Date.now();
          const value = await factory();
          herd.noteRefreshTime(Date.now() - started);
          await this.#set(key, value, options, "getOrSet");
          return value;
        } finally {
          await herd.release(full).catch((error) => {
            if (isTransient(error)) this.#report(error, "getOrSet", key);
          });
        }
      } finally {
        this.#inflight.delete(full);
      }
    })();
    this.#inflight.set(full, work);
    return work;
  }

  /**
   * Herd, after a miss: claims the refresh of `key` across processes. The
   * caller that holds the claim computes (`MISSING` returned); the others
   * poll for its value for up to `herdTtl`, then compute themselves.
   */
  async #awaitRefresh<T>(key: string, full: string, herd: HerdStore): Promise<T | typeof MISSING> {
    const deadline = Date.now() + herd.herdTtl;
    for (let round = 0;; round++) {
      try {
        if (await herd.claim(full)) {
          if (round === 0) return MISSING;
          // Claimed after waiting: the previous holder may have just stored its value.
          const value = await this.#get<T>(full, key, MISSING as T, "getOrSet");
          if (value !== MISSING) await herd.release(full);
          return value as T | typeof MISSING;
        }
      } catch (error) {
        this.#failed(error, "getOrSet", key, undefined);
        return MISSING;
      }
      if (Date.now() >= deadline) return MISSING;
      await new Promise((resolve) =>
        setTimeout(resolve, HERD_POLL_MS + Math.random() * HERD_POLL_MS)
      );
      const value = await this.#get<T>(full, key, MISSING as T, "getOrSet");
      if (value !== MISSING) return value as T;
    }
  }

  /**
   * Takes a distributed lock named `name`; release it with `release()` or
   * `await using`.
   *
   * @throws {TimeoutError} When another owner still holds it after `wait`.
   */
  lock(name: string, options: LockOptions = {}): Promise<Lock> {
    checkOptionKeys(options, LOCK_KEYS, "lock()");
    const ttl = parseTtl(options.ttl ?? 10_000, null);
    if (ttl === null || ttl === 0) {
      throw new TypeError('Invalid option "ttl" for lock(): expected a positive duration');
    }
    const wait = parseTtl(options.wait ?? 0, null) ?? 0;
    const retryDelay = options.retryDelay ?? 50;
    if (!(retryDelay > 0)) {
      throw new TypeError('Invalid option "retryDelay" for lock(): expected milliseconds above 0');
    }
    return acquireLock(
      this.#plain,
      this.#key(`lock:${name}`),
      name,
      ttl,
      wait,
      retryDelay,
      // Lock errors are reported, never ignored: a lock must not be assumed.
      (error, op) => {
        if (isTransient(error)) this.#report(error, op, name);
      },
    );
  }

  /**
   * Moves a value (and its TTL) from the current version of `key` to
   * version + `delta`; resolves with the new version.
   *
   * @throws {TypeError} When the key does not exist.
   */
  async incrVersion(key: string, delta = 1, version: number = this.#version): Promise<number> {
    checkKey(key);
    const from = this.#keyFunction(key, this.#prefix, version);
    const to = this.#keyFunction(key, this.#prefix, version + delta);
    let moved;
    try {
      moved = await this.#store.move(from, to);
    } catch (error) {
      if (isTransient(error)) this.#report(error, "incrVersion", key);
      throw error;
    }
    if (!moved) {
      throw new TypeError(
        `Cannot change the version of "${key.slice(0, 100)}": the key does not exist`,
      );
    }
    return version + delta;
  }

  /** Moves a value to version − `delta`; see `incrVersion`. */
  decrVersion(key: string, delta = 1, version: number = this.#version): Promise<number> {
    return this.incrVersion(key, -delta, version);
  }

  /** Counters since the cache was made. */
  stats(): CacheStats {
    return { ...this.#stats };
  }

  /** Closes the connections (or empties the memory store). */
  close(): Promise<void> {
    return this.#store.close();
  }

  /** Closes the cache (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #key(key: string, version: number = this.#version): string {
    return this.#keyFunction(checkKey(key), this.#prefix, version);
  }

  /**
   * The version that per-call `options` name, or the cache's. `checked`: the
   * caller already checked the option names.
   */
  #versionOf(options: VersionOptions | undefined, method: string, checked = false): number {
    if (options === undefined) return this.#version;
    if (!checked) checkOptionKeys(options, VERSION_KEYS, method);
    const { version } = options;
    return version === undefined
      ? this.#version
      : checkVersion(version, `option "version" for ${method}`);
  }

  #pattern(pattern: string): string {
    if (typeof pattern !== "string") throw new TypeError("Invalid pattern: expected a string");
    return this.#keyFunction(pattern, escapeGlob(this.#prefix), this.#version);
  }

  #setOptions(options: SetOptions | undefined): ResolvedSet {
    if (options === undefined) return this.#defaultSet;
    checkOptionKeys(options, SET_KEYS, "set()");
    if (options.nx && options.xx) throw new TypeError("Cannot combine nx and xx in set()");
    return {
      ttl: parseTtl(options.ttl, this.#defaultTtl),
      condition: options.nx ? "nx" : options.xx ? "xx" : undefined,
      version: options.version === undefined
        ? this.#version
        : checkVersion(options.version, 'option "version" for set()'),
    };
  }

  #encode(value: unknown, key: string) {
    return encodeValue(value, {
      serializer: this.#serializer,
      compressor: this.#compressor,
      compressMinBytes: this.#compressMinBytes,
      key,
    });
  }

  #decode(stored: string | Uint8Array, key: string): unknown {
    return decodeValue(stored, { serializer: this.#serializer, compressor: this.#compressor, key });
  }

  async #deleteFull(fulls: string[], op: string, key?: string): Promise<number> {
    try {
      const n = await this.#store.delete(fulls);
      this.#stats.deletes += n;
      return n;
    } catch (error) {
      return this.#failed(error, op, key, 0);
    }
  }

  /**
   * Deletes the keys that SCAN finds for `match` and that `owned` (when
   * given) confirms. Under `ignoreErrors`, a failure ends it with the count
   * so far.
   */
  async #deleteMatching(
    match: string,
    count: number,
    op: string,
    owned?: (full: string) => boolean,
  ): Promise<number> {
    let deleted = 0;
    try {
      for await (const batch of this.#store.scan(match, count)) {
        const mine = owned === undefined ? batch : batch.filter(owned);
        if (mine.length > 0) deleted += await this.#store.delete(mine);
      }
    } catch (error) {
      this.#failed(error, op, undefined, deleted);
    } finally {
      this.#stats.deletes += deleted;
    }
    return deleted;
  }

  #report(error: Error, op: string, key?: string): void {
    this.#stats.errors++;
    try {
      this.#onError?.(error, key === undefined ? { op } : { op, key });
    } catch { /* a broken onError must not break the cache */ }
  }

  /** Ignores a transient error under `ignoreErrors` (returning `fallback`), else rethrows. */
  #failed<T>(error: unknown, op: string, key: string | undefined, fallback: T): T {
    if (!isTransient(error)) throw error;
    // An open circuit was reported once, when it opened: a miss, not one report per command.
    if (this.#ignoreErrors && error instanceof CircuitOpenError) {
      if (op === "get" || op === "getMany") this.#stats.misses++;
      return fallback;
    }
    this.#report(error, op, key);
    if (!this.#ignoreErrors) throw error;
    if (op === "get" || op === "getMany") this.#stats.misses++;
    return fallback;
  }
}

/** What `set` needs from its options. */
interface ResolvedSet {
  ttl: number | null;
  condition?: "nx" | "xx";
  version: number;
}

/** Checks a version: a safe integer. */
function checkVersion(version: unknown, what: string): number {
  if (!Number.isSafeInteger(version)) {
    throw new TypeError(`Invalid ${what}: expected a whole number`);
  }
  return version as number;
}

/** Memory stores by name: caches with the same `memory://name` share one, as Django's LocMem does. */
const memoryStores = new Map<string, { store: MemoryStore; users: number }>();

/** The shared memory store `name`; closing the last cache that uses it empties it. */
function sharedMemoryStore(
  name: string,
  options: { maxEntries?: number; maxBytes?: number },
): CacheStore {
  let entry = memoryStores.get(name);
  if (entry === undefined) {
    entry = { store: new MemoryStore(options), users: 0 };
    memoryStores.set(name, entry);
  }
  entry.users++;
  const shared = entry;
  let closed = false;
  return new Proxy(shared.store, {
    get(target, property) {
      if (property === "close") {
        return () => {
          if (closed) return Promise.resolve();
          closed = true;
          if (--shared.users > 0) return Promise.resolve();
          memoryStores.delete(name);
          return target.close();
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** How often herd waiters look for the value being refreshed by another caller, in ms (plus jitter). */
const HERD_POLL_MS = 20;

/** Marks a miss inside getOrSet (a stored `undefined` is impossible). */
const MISSING = Symbol("missing");

/**
 * Creates a cache over Redis (`redis://`, `rediss://`, `unix://`) or over an
 * in-process store (`memory://`) with the same API.
 *
 * @example
 * ```ts ignore
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({ url: "redis://127.0.0.1:6379/1", keyPrefix: "app" });
 * await cache.set("user:1", { name: "Ada" }, { ttl: 60_000 });
 * await cache.getOrSet("home", () => renderHome(), { ttl: "5m" });
 * await cache.incr("views");
 * for await (const key of cache.scan("user:*")) console.log(key);
 * await using lock = await cache.lock("report", { ttl: 10_000, wait: 2_000 });
 * ```
 *
 * @param options A URL, or cache and pool options.
 * @returns The cache; connections open on first use.
 * @throws {TypeError} For an unknown option or a malformed URL.
 */
export function createCache(options: string | CacheOptions = {}): Cache {
  return new Cache(options);
}
