/**
 * `createCache()`: the entry point that makes a `Cache` from a URL or options.
 *
 * @module
 */

import { Cache } from "./cache.ts";
import type { CacheOptions } from "./cache_options.ts";
import { resolveCompressor } from "./compressors/resolve.ts";
import { resolveSerializer } from "./serializers/resolve.ts";

/**
 * Creates a cache over Redis (`redis://`, `rediss://`, `unix://`) or over an
 * in-process store (`memory://`) with the same API. It knows every built-in
 * serializer and compressor by name (`"msgpack"`, `"gzip"`, …), so a bundle
 * that uses it holds MessagePack and fflate; `new Cache()` takes those as
 * objects instead (`msgpackSerializer`, `createCompressor()`), and a bundle
 * that never uses them leaves them out.
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
  if (typeof options === "string") return new Cache(options);
  // The names that load a library become objects here, so that new Cache()
  // need not know them.
  const { serializer, compressor } = options;
  const named = { ...options };
  if (serializer !== undefined) named.serializer = resolveSerializer(serializer);
  if (compressor !== undefined) named.compressor = resolveCompressor(compressor) ?? "none";
  return new Cache(named);
}
