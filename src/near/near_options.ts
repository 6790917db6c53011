/**
 * The near cache's options (`nearCache` and `grace` on `createCache()`):
 * their type, their defaults and their checks.
 *
 * @module
 */

import { durationOption } from "../util/duration.ts";
import { checkOptionKeys } from "../util/options.ts";

/**
 * A copy of the hottest values in process memory, kept coherent by Redis
 * (RESP3 client tracking): a hit costs no round trip. Off unless given.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({
 *   url: "redis://127.0.0.1:6379",
 *   nearCache: { maxEntries: 50_000, maxBytes: 64 * 1024 * 1024, ttl: "1m" },
 *   grace: "30s",
 * });
 * ```
 */
export interface NearCacheOptions {
  /**
   * Most values kept; past it, SIEVE eviction drops the least useful.
   *
   * @default {10000}
   */
  maxEntries?: number;
  /**
   * Most bytes kept, counted as key length plus stored (serialized,
   * compressed) value length.
   *
   * @default {33554432}
   */
  maxBytes?: number;
  /**
   * Longest a value stays in memory (ms or a duration), even when Redis
   * says nothing: a safety net behind the invalidations, and never longer
   * than the key's own time to live in Redis.
   *
   * @default {60000}
   */
  ttl?: number | string;
  /**
   * `true`: every hit returns a fresh copy, which the caller may change.
   * `false`: every hit returns one shared, deep-frozen object (faster);
   * byte arrays, which cannot be frozen, are still copied.
   *
   * @default {true}
   */
  clone?: boolean;
}

/** The near cache's settings, checked, with defaults filled in. */
export interface NearSettings {
  maxEntries: number;
  maxBytes: number;
  /** ms */
  ttl: number;
  clone: boolean;
  /** ms a value may be served past its expiry while Redis cannot be reached (0: never). */
  grace: number;
}

const NEAR_KEYS = ["maxEntries", "maxBytes", "ttl", "clone"];

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`Invalid option "nearCache.${name}": expected a whole number, 1 or more`);
  }
  return value;
}

/**
 * Checks `nearCache` and `grace`; `undefined` when the near cache is off.
 *
 * @param protocol The `protocol` option: invalidations need RESP3.
 * @throws {TypeError} For an unknown or bad option, `grace` without a near
 *   cache, or `protocol: 2`.
 */
export function resolveNearOptions(
  near: NearCacheOptions | boolean | undefined,
  grace: number | string | undefined,
  protocol: unknown,
): NearSettings | undefined {
  if (near === undefined || near === false) {
    if (grace !== undefined) {
      throw new TypeError('Option "grace" needs the near cache: set nearCache too');
    }
    return undefined;
  }
  const options = near === true ? {} : near;
  if (typeof options !== "object" || options === null) {
    throw new TypeError('Invalid option "nearCache": expected an object, true or false');
  }
  checkOptionKeys(options, NEAR_KEYS, "nearCache");
  if (protocol === 2) {
    throw new TypeError(
      'Option "nearCache" needs RESP3 (its invalidations are RESP3 pushes): drop protocol: 2',
    );
  }
  if (options.clone !== undefined && typeof options.clone !== "boolean") {
    throw new TypeError('Invalid option "nearCache.clone": expected true or false');
  }
  const max = 2 ** 31 - 1;
  return {
    maxEntries: count(options.maxEntries, "maxEntries", 10_000),
    maxBytes: count(options.maxBytes, "maxBytes", 32 * 1024 * 1024),
    ttl: durationOption(options.ttl ?? 60_000, "nearCache.ttl", 1, max),
    clone: options.clone ?? true,
    grace: grace === undefined ? 0 : durationOption(grace, "grace", 0, max),
  };
}
