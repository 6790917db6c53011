/**
 * The cache's options: their types (`CacheOptions`, per-call `SetOptions`
 * and `VersionOptions`, `CacheStats`, `CacheErrorContext`), and
 * `resolveCacheOptions()`, which checks the option names and values of
 * `createCache()` and fills in the defaults.
 *
 * @module
 */

import { checkOptionKeys } from "../util/options.ts";
import { POOL_OPTION_KEYS, type PoolOptions } from "../pool/pool_options.ts";
import { STRATEGY_OPTION_KEYS, type StrategyOptions } from "../strategies/strategy.ts";
import type { Compressor, CompressorOption } from "./compressors/compressor.ts";
import { resolveCompressorWith } from "./compressors/resolve_core.ts";
import { checkPrefix, defaultKeyFunction, type KeyFunction } from "./keys.ts";
import { resolveSerializerWith } from "./serializers/resolve_core.ts";
import type { Serializer, SerializerOption } from "./serializers/serializer.ts";
import { parseTtl } from "./ttl.ts";
import {
  type NearCacheOptions,
  type NearSettings,
  resolveNearOptions,
} from "../near/near_options.ts";
import type { NearStats } from "../near/near_memory.ts";

/**
 * A time to live: milliseconds, a duration such as `"5m"`, or `null` for forever.
 *
 * @example
 * ```ts
 * import { createCache, type Ttl } from "@redcache/redcache";
 *
 * await using cache = createCache("redis://127.0.0.1:6379/1");
 * const hourAndHalf: Ttl = "1h30m";
 * await cache.set("k", 1, { ttl: hourAndHalf });
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
 * ```ts
 * import { type CacheErrorContext, createCache } from "@redcache/redcache";
 *
 * const onError = (error: Error, { op, key }: CacheErrorContext) => {
 *   console.warn(op, key, error.message);
 * };
 * await using cache = createCache({
 *   url: "redis://127.0.0.1:6379/1",
 *   ignoreErrors: true,
 *   onError,
 * });
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
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({ url: "redis://127.0.0.1:6379/1", version: 1 });
 * await cache.set("page", "<h1>New</h1>", { version: 2 });
 * await cache.get("page", undefined, { version: 2 }); // "<h1>New</h1>"
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
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
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
   * (`name` and `text` optional). `new Cache()` knows `"json"` and `"raw"`
   * by name and takes `msgpackSerializer` as an object (`createCache()`
   * knows all three), so that a bundle which never uses MessagePack leaves it out.
   *
   * @default {"json"}
   */
  serializer?: "json" | "msgpack" | "raw" | SerializerOption;
  /**
   * `"gzip"`, `"zlib"`, `"deflate"` (or `{ name, level }`), `"none"`, or your
   * own. `new Cache()` takes a built-in as `createCompressor("gzip")` rather
   * than by name (`createCache()` takes both), so that a bundle which never
   * compresses leaves out fflate's compression.
   */
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
  /**
   * Keep the hottest values in process memory too, kept coherent by Redis
   * (RESP3 client tracking): `true` for the defaults, or the bounds.
   *
   * @default {false}
   */
  nearCache?: NearCacheOptions | boolean;
  /**
   * With `nearCache`: while Redis cannot be reached (or the breaker is
   * open), `get` serves a value from memory that expired at most this long
   * ago (ms or a duration), and reports the error.
   *
   * @default {0}
   */
  grace?: number | string;
}

/**
 * Options of `set`, `add` and `setMany`.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache("redis://127.0.0.1:6379/1");
 * await cache.set("k", "v", { ttl: 30_000, nx: true }); // false when "k" already exists
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
  /**
   * Tags of the value (up to 64): `cache.invalidateTags([tag])` hides every
   * value written with that tag before it resolves. A tagged read costs one
   * more round trip (none from the near cache).
   */
  tags?: readonly string[];
}

/**
 * Options of `getOrSet`: those of `set` without `nx`/`xx`, and
 * `staleWhileRevalidate` (with `nearCache`).
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache("redis://127.0.0.1:6379/1");
 * const render = () => `<p>${new Date().toISOString()}</p>`;
 * const page = await cache.getOrSet("page:/", render, { ttl: "1m", staleWhileRevalidate: "10s" });
 * ```
 */
export interface GetOrSetOptions extends Omit<SetOptions, "nx" | "xx"> {
  /**
   * With `nearCache`: when the key has expired in Redis but memory still
   * holds a value that expired at most this long ago (ms or a duration),
   * return it at once and refresh the key in the background, once.
   */
  staleWhileRevalidate?: number | string;
}

/**
 * What `cache.stats()` counts since the cache was made.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache("redis://127.0.0.1:6379/1");
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
  /** The near cache's counters, when it is on. */
  near?: NearStats;
}

/** The names `createCache()` takes besides the pool's and the strategies'. */
const CACHE_OPTION_KEYS = [
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
  "nearCache",
  "grace",
];

/** The cache's options, checked, with defaults filled in. */
export interface CacheSettings {
  keyFunction: KeyFunction;
  prefix: string;
  version: number;
  /** ms, or `null` for forever. */
  defaultTtl: number | null;
  serializer: Serializer;
  compressor: Compressor | undefined;
  compressMinBytes: number;
  ignoreErrors: boolean;
  onError: ((error: Error, context: CacheErrorContext) => void) | undefined;
  /** For `memory://name`: the store's name and bounds; `undefined` for Redis. */
  memory?: { name: string; maxEntries?: number; maxBytes?: number };
  /** For Redis: the strategy options (checked by `buildStrategy`). */
  strategy: StrategyOptions;
  /** For Redis: the pool and connection options. */
  pool: PoolOptions;
  /** For Redis: the near cache's settings, when it is on. */
  near?: NearSettings;
}

/**
 * Checks the options of `createCache()` and fills in the defaults.
 *
 * @param options A URL (`redis://…`, `memory://`) or cache options.
 * @returns The settings the cache runs with.
 * @throws {TypeError} For an unknown option, a malformed `memory://` URL or a bad value.
 */
export function resolveCacheOptions(options: string | CacheOptions): CacheSettings {
  const all: CacheOptions = typeof options === "string" ? { url: options } : { ...options };
  const memory = typeof all.url === "string" && all.url.startsWith("memory:");
  checkOptionKeys(
    all,
    // memory:// takes the pool and connection options too, and ignores them,
    // so that switching the URL is the only change between Redis and memory.
    memory ? [...CACHE_OPTION_KEYS, ...POOL_OPTION_KEYS] : [
      ...CACHE_OPTION_KEYS.filter((k) => !k.startsWith("max")),
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
    nearCache,
    grace,
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
    ...pool
  } = all;
  const keyFn = keyFunction ?? defaultKeyFunction;
  if (typeof keyFn !== "function") {
    throw new TypeError('Invalid option "keyFunction": expected a function');
  }
  const prefix = keyPrefix ?? "";
  if (keyFn === defaultKeyFunction) checkPrefix(prefix);
  else if (typeof prefix !== "string") {
    throw new TypeError('Invalid option "keyPrefix": expected a string');
  }
  const checkedVersion = checkVersion(version ?? 1, 'option "version"');
  const ttl = parseTtl(defaultTtl === undefined ? 300_000 : defaultTtl, null);
  // Only the built-ins that load no library, by name: createCache() hands
  // the others in as objects, so that a bundle which never names them can
  // leave MessagePack and fflate's compression out.
  const resolvedSerializer = resolveSerializerWith(serializer ?? "json", {});
  const resolvedCompressor = resolveCompressorWith(compressor, undefined);
  const minBytes = compressMinBytes ?? 1024;
  if (!Number.isInteger(minBytes) || minBytes < 0) {
    throw new TypeError('Invalid option "compressMinBytes": expected a whole number, 0 or more');
  }
  if (onError !== undefined && typeof onError !== "function") {
    throw new TypeError('Invalid option "onError": expected a function');
  }
  if (memory && (nearCache !== undefined || grace !== undefined)) {
    throw new TypeError(
      'Options "nearCache" and "grace" are for Redis: memory:// is in memory already',
    );
  }
  const near = resolveNearOptions(nearCache, grace, pool.protocol);
  return {
    keyFunction: keyFn,
    prefix,
    version: checkedVersion,
    defaultTtl: ttl,
    serializer: resolvedSerializer,
    compressor: resolvedCompressor,
    compressMinBytes: minBytes,
    ignoreErrors: ignoreErrors ?? false,
    onError,
    memory: memory ? { name: all.url!.slice("memory://".length), maxEntries, maxBytes } : undefined,
    // deno-fmt-ignore
    strategy: { strategy, replicas, readFrom, urls, herdTtl, herdEarlyRefresh, failbackAfter, sentinels, masterName, maxRedirects },
    pool,
    near,
  };
}

/** Checks a version: a safe integer. */
export function checkVersion(version: unknown, what: string): number {
  if (!Number.isSafeInteger(version)) {
    throw new TypeError(`Invalid ${what}: expected a whole number`);
  }
  return version as number;
}
