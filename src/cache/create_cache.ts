/**
 * `createCache()`: the entry point that makes a `Cache` from a URL or options.
 *
 * @module
 */

import { Cache } from "./cache.ts";
import type { CacheOptions } from "./cache_options.ts";

/**
 * Creates a cache over Redis (`redis://`, `rediss://`, `unix://`) or over an
 * in-process store (`memory://`) with the same API.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({ url: "redis://127.0.0.1:6379/1", keyPrefix: "app" });
 * await cache.set("user:1", { name: "Ada" }, { ttl: 60_000 });
 * await cache.getOrSet("home", () => "<h1>Home</h1>", { ttl: "5m" });
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
