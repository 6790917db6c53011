/**
 * The cache alone: `createCache()` and `Cache`, with the serializers, compressors, locks and
 * strategies, without the web layer. `createCache()` knows every built-in serializer and
 * compressor by name (`"msgpack"`, `"gzip"`, …), so a bundle that uses it holds MessagePack
 * and fflate. `new Cache()` takes the same options but knows only `"json"` and `"raw"` by
 * name: pass `msgpackSerializer` or `createCompressor("gzip")` as objects, and a bundle that
 * never uses them leaves MessagePack and fflate's compression out (every cache keeps fflate's
 * decompression, about 4 KiB, so that it reads values compressed under any setting).
 *
 * @example A JSON cache without MessagePack or compression in the bundle
 * ```ts
 * import { Cache } from "@redcache/redcache/cache";
 *
 * await using cache = new Cache({ url: "redis://127.0.0.1:6379/1", keyPrefix: "app" });
 * await cache.set("user:1", { name: "Ada" }, { ttl: "10m" });
 * const user = await cache.get<{ name: string }>("user:1");
 * ```
 *
 * @example MessagePack and gzip, passed as objects
 * ```ts
 * import { Cache, createCompressor, msgpackSerializer } from "@redcache/redcache/cache";
 *
 * await using cache = new Cache({
 *   url: "redis://127.0.0.1:6379/1",
 *   serializer: msgpackSerializer,
 *   compressor: createCompressor("gzip"),
 * });
 * await cache.set("seen", new Set(["ada", "grace"]));
 * ```
 *
 * @example Every built-in by name
 * ```ts
 * import { createCache } from "@redcache/redcache/cache";
 *
 * await using cache = createCache({ url: "redis://127.0.0.1:6379/1", serializer: "msgpack" });
 * await cache.getOrSet("home", () => "<h1>Home</h1>", { ttl: "5m" });
 * ```
 *
 * @module
 */

export { Cache } from "./src/cache/cache.ts";
export { createCache } from "./src/cache/create_cache.ts";
export type {
  CacheErrorContext,
  CacheOptions,
  CacheStats,
  GetOrSetOptions,
  SetOptions as CacheSetOptions,
  Ttl,
  VersionOptions,
} from "./src/cache/cache_options.ts";
export type { NearCacheOptions } from "./src/near/near_options.ts";
export type { NearStats } from "./src/near/near_memory.ts";
export { Lock } from "./src/cache/lock.ts";
export type { LockOptions } from "./src/cache/lock.ts";
export { escapeGlob } from "./src/cache/keys.ts";
export type { KeyFunction } from "./src/cache/keys.ts";
export type { Serializer, SerializerOption } from "./src/cache/serializers/serializer.ts";
export { jsonSerializer } from "./src/cache/serializers/json.ts";
export { msgpackSerializer } from "./src/cache/serializers/msgpack.ts";
export { rawSerializer } from "./src/cache/serializers/raw.ts";
export { createCompressor } from "./src/cache/compressors/fflate.ts";
export type {
  BuiltinCompressorName,
  Compressor,
  CompressorOption,
  CompressorSpec,
  CustomCompressorOption,
} from "./src/cache/compressors/compressor.ts";
export type { Router } from "./src/strategies/router.ts";
export type { StrategyName, StrategyOptions } from "./src/strategies/strategy.ts";
export type { ReadFrom } from "./src/cluster/read_from.ts";
export {
  CircuitOpenError,
  ClusterError,
  ConnectionError,
  PoolTimeoutError,
  ProtocolError,
  RedisError,
  ReplyError,
  SerializationError,
  TimeoutError,
} from "./src/errors.ts";
