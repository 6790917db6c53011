/**
 * Options of the response cache (`cacheResponses()`, the Hono
 * `responseCache()`), their defaults and their checks.
 *
 * @module
 */

import type { Cache } from "../../cache/cache.ts";
import { type CacheAccess, cacheAccess } from "../../cache/cache_access.ts";
import type { CacheErrorContext } from "../../cache/cache_options.ts";
import { parseTtl } from "../../cache/ttl.ts";
import { durationOption } from "../../util/duration.ts";
import { checkOptionKeys } from "../../util/options.ts";

/**
 * Makes the cache key of a request; `undefined` bypasses the cache for it.
 * A custom key takes responsibility for credentials: requests with
 * `Authorization` or `Cookie` are cached under whatever key it returns.
 *
 * @example One entry per path, whatever the query string
 * ```ts
 * import { cacheResponses, createCache, type ResponseKeyFunction } from "@redcache/redcache";
 *
 * const byPath: ResponseKeyFunction = (request) => {
 *   if (request.headers.has("Authorization")) return undefined; // not cached
 *   const url = new URL(request.url);
 *   return url.origin + url.pathname;
 * };
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const pages = cacheResponses(() => new Response("<h1>Hello</h1>"), { cache, key: byPath });
 * ```
 */
export type ResponseKeyFunction = (
  request: Request,
) => string | undefined | Promise<string | undefined>;

/**
 * The cross-process lock that lets one process render a missing response.
 *
 * @example Slow pages: wait longer for the process that renders
 * ```ts
 * import { cacheResponses, createCache } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const report = () => new Response("<h1>Report</h1>");
 * const pages = cacheResponses(report, { cache, lock: { ttl: "2m", wait: "1m" } });
 * ```
 */
export interface ResponseLockOptions {
  /**
   * How long the lock lives if its holder never releases it (ms or a duration).
   *
   * @default {"30s"}
   */
  ttl?: number | string;
  /**
   * How long the other processes wait for the holder's response before
   * rendering it themselves (ms or a duration).
   *
   * @default {"10s"}
   */
  wait?: number | string;
}

/**
 * Options of `cacheResponses()` and the Hono `responseCache()`.
 *
 * @example Caching pages for five minutes, per language
 * ```ts
 * import { cacheResponses, createCache, type ResponseCacheOptions } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const options: ResponseCacheOptions = {
 *   cache,
 *   ttl: "5m",
 *   vary: ["Accept-Language"],
 *   staleWhileRevalidate: "1m",
 * };
 * const pages = cacheResponses(() => new Response("<h1>Hello</h1>"), options);
 * ```
 */
export interface ResponseCacheOptions {
  /** Where responses are stored: a cache made by `createCache()`. */
  cache: Cache;
  /**
   * How long a response is fresh when it says nothing itself (its
   * `Cache-Control: s-maxage` or `max-age` wins); ms or a duration, `null`
   * for no limit, 0 to cache only responses that give a lifetime.
   *
   * @default {"5m"}
   */
  ttl?: number | string | null;
  /**
   * How long a stale response may still be served while one background
   * refresh runs, when the response gives no `stale-while-revalidate`.
   *
   * @default {0}
   */
  staleWhileRevalidate?: number | string;
  /**
   * The cache key of a request. The default is the URL without its fragment,
   * and skips requests with `Authorization` or `Cookie`.
   *
   * @default {undefined}
   */
  key?: ResponseKeyFunction;
  /**
   * Request headers whose values are always part of the key (in addition to
   * those the response's `Vary` names).
   *
   * @default {[]}
   */
  vary?: readonly string[];
  /**
   * Largest body stored; a larger one passes through untouched.
   *
   * @default {1048576}
   */
  maxBodyBytes?: number;
  /**
   * First part of every key (inside the cache's own prefix).
   *
   * @default {"response"}
   */
  namespace?: string;
  /**
   * The response header that lists the entry's tags, space-separated; it is
   * removed from what clients see. `false`: no tags from headers.
   *
   * @default {"Surrogate-Key"}
   */
  tagHeader?: string | false;
  /**
   * The cross-process lock for misses; `false` renders in every process
   * that misses (still once per process).
   *
   * @default {{ ttl: "30s", wait: "10s" }}
   */
  lock?: ResponseLockOptions | false;
  /**
   * Hears about every failure the response cache hides from clients: Redis
   * unreachable, a damaged entry, a failed store or lock, a background
   * refresh that threw. `context.op` is `read`, `write`, `lock`, `decode` or
   * `refresh`; `context.key` the entry's key. While the cache's circuit
   * breaker is open, its `CircuitOpenError`s are not reported here (the
   * cache's own `onError` hears when it opens).
   *
   * @default {undefined}
   */
  onError?: (error: Error, context: CacheErrorContext) => void;
}

/** The options after checks and defaults. */
export interface ResponseCacheSettings {
  /** The cache. */
  readonly cache: Cache;
  /** Its internals. */
  readonly access: CacheAccess;
  /** Default freshness, ms (`null`: no limit). */
  readonly ttl: number | null;
  /** Default stale window, ms. */
  readonly staleWhileRevalidate: number;
  /** The custom key, if any. */
  readonly key: ResponseKeyFunction | undefined;
  /** Lowercased, sorted, unique. */
  readonly vary: readonly string[];
  /** Largest body stored. */
  readonly maxBodyBytes: number;
  /** Key namespace. */
  readonly namespace: string;
  /** Lowercased tag header, or `undefined`. */
  readonly tagHeader: string | undefined;
  /** Lock timing in ms, or `undefined` when off. */
  readonly lock: { readonly ttl: number; readonly wait: number } | undefined;
  /** The error listener. */
  readonly onError: ((error: Error, context: CacheErrorContext) => void) | undefined;
}

const KNOWN = [
  "cache",
  "ttl",
  "staleWhileRevalidate",
  "key",
  "vary",
  "maxBodyBytes",
  "namespace",
  "tagHeader",
  "lock",
  "onError",
];
const LOCK_KEYS = ["ttl", "wait"];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_MS = 9_007_199_254_740_991; // Number.MAX_SAFE_INTEGER, a literal so that bundlers drop it

/** A header name option, lowercased. */
function headerName(value: unknown, option: string): string {
  if (typeof value !== "string" || !TOKEN.test(value)) {
    throw new TypeError(`Invalid option "${option}": expected HTTP header names`);
  }
  return value.toLowerCase();
}

/** A function option, or `undefined`. */
function optionalFunction<T>(value: unknown, option: string): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`Invalid option "${option}": expected a function`);
  }
  return value as T | undefined;
}

/** The lock option, checked. */
function lockOption(value: unknown, where: string): ResponseCacheSettings["lock"] {
  if (value === false) return undefined;
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new TypeError('Invalid option "lock": expected { ttl, wait } or false');
  }
  const lock = (value ?? {}) as ResponseLockOptions;
  checkOptionKeys(lock, LOCK_KEYS, `${where} "lock"`);
  return {
    ttl: durationOption(lock.ttl ?? 30_000, "lock.ttl", 1, MAX_MS),
    wait: durationOption(lock.wait ?? 10_000, "lock.wait", 0, MAX_MS),
  };
}

/**
 * Checks the options and fills in the defaults.
 *
 * @param options The caller's options.
 * @param where The function's name, for error messages.
 * @returns The settings.
 * @throws {TypeError} For an unknown option, a missing `cache`, or a value of the wrong type.
 * @throws {RangeError} For a number out of range.
 */
export function resolveResponseCacheOptions(
  options: ResponseCacheOptions,
  where: string,
): ResponseCacheSettings {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid options for ${where}: expected an object with "cache"`);
  }
  checkOptionKeys(options, KNOWN, where);
  if (options.cache === undefined) {
    throw new TypeError(`Missing option "cache" for ${where}: expected a cache from createCache()`);
  }
  const access = cacheAccess(options.cache);
  const vary = options.vary ?? [];
  if (!Array.isArray(vary)) throw new TypeError('Invalid option "vary": expected an array');
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new RangeError('Invalid option "maxBodyBytes": expected a whole number of bytes >= 0');
  }
  const namespace = options.namespace ?? "response";
  if (typeof namespace !== "string" || namespace === "") {
    throw new TypeError('Invalid option "namespace": expected a non-empty string');
  }
  const tagHeader = options.tagHeader ?? "Surrogate-Key";
  return {
    cache: options.cache,
    access,
    ttl: parseTtl(options.ttl, 300_000),
    staleWhileRevalidate: durationOption(
      options.staleWhileRevalidate ?? 0,
      "staleWhileRevalidate",
      0,
      MAX_MS,
    ),
    key: optionalFunction<ResponseKeyFunction>(options.key, "key"),
    vary: [...new Set(vary.map((name) => headerName(name, "vary")))].sort(),
    maxBodyBytes,
    namespace,
    tagHeader: tagHeader === false ? undefined : headerName(tagHeader, "tagHeader"),
    lock: lockOption(options.lock, where),
    onError: optionalFunction(options.onError, "onError"),
  };
}
