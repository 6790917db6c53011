/**
 * redcache: a Redis client, a connection pool and a django-redis style cache for Deno and Bun,
 * with its own RESP2/RESP3 codec over Web-standard sockets.
 *
 * - `connect()` opens a client: automatic pipelining, reconnects with an offline queue,
 *   typed methods for the common commands, pub/sub, an optional circuit breaker.
 * - `createPool()` shares pipelined connections and lends exclusive ones (`use()`).
 * - `createCache()` is the cache API: serializers, compression, TTLs, counters, pattern scans,
 *   locks, `getOrSet`, graceful degradation, and strategies (replicas, shard, herd, failover,
 *   sentinel, cluster).
 *
 * @example Cache values with a TTL
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({ url: "redis://127.0.0.1:6379/1", keyPrefix: "app" });
 * await cache.set("user:1", { name: "Ada" }, { ttl: "10m" });
 * const home = await cache.getOrSet("home", () => "<h1>Hello</h1>", { ttl: "5m" });
 * ```
 *
 * @example Connect, set and get
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379/0");
 * await redis.set("greeting", "hello", { ex: 60 });
 * console.log(await redis.get("greeting")); // "hello"
 * ```
 *
 * @module
 */

export { RedisClient } from "./src/client/client.ts";
export { connect } from "./src/client/connect.ts";
export type { ClientState } from "./src/client/reconnect.ts";
export type { ConnectOptions } from "./src/client/options.ts";
export type { RetryOptions, RetryStrategy } from "./src/client/retry.ts";
export type { OfflineQueueOptions } from "./src/client/offline_queue.ts";
export type { SendOptions, Settle } from "./src/client/send_options.ts";
export type { ServerInfo } from "./src/client/handshake.ts";
export type { PushListener } from "./src/client/push.ts";
export type { BreakerOptions, BreakerState } from "./src/client/breaker.ts";
export type { CommandEnd, CommandHooks, CommandStart } from "./src/client/hooks.ts";
export { Pipeline } from "./src/client/pipeline.ts";
export type { Dispatcher } from "./src/client/target.ts";
export { AsyncCommands, Commands } from "./src/client/commands/commands.ts";
export { CommandBase } from "./src/client/commands/base.ts";
export type { CommandMode, CommandResult, ReplyMapper } from "./src/client/commands/base.ts";
export { ServerCommands } from "./src/client/commands/server.ts";
export { KeyCommands } from "./src/client/commands/keys.ts";
export type { ScanOptions } from "./src/client/commands/keys.ts";
export { ExpiryCommands } from "./src/client/commands/expiry.ts";
export type { ExpireCondition } from "./src/client/commands/expiry.ts";
export { StringCommands } from "./src/client/commands/strings.ts";
export type { SetOptions } from "./src/client/commands/strings.ts";
export { CounterCommands } from "./src/client/commands/counters.ts";
export { HashCommands } from "./src/client/commands/hashes.ts";
export { ListCommands } from "./src/client/commands/lists.ts";
export { BlockingListCommands } from "./src/client/commands/blocking_lists.ts";
export { SetCommands } from "./src/client/commands/sets.ts";
export { SortedSetCommands } from "./src/client/commands/sorted_sets.ts";
export { SortedRangeCommands } from "./src/client/commands/sorted_ranges.ts";
export { StreamCommands } from "./src/client/commands/streams.ts";
export { StreamGroupCommands } from "./src/client/commands/stream_groups.ts";
export { BitCommands } from "./src/client/commands/bits.ts";
export { GeoCommands } from "./src/client/commands/geo.ts";
export { ScriptingCommands } from "./src/client/commands/scripting.ts";
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
export type { Command, DecoderLimits, RedisArg, RedisReply } from "./src/resp/types.ts";
export type {
  ConnectTarget,
  StreamConnector,
  StreamPair,
  TlsOptions,
} from "./src/net/transport.ts";
export { createPool, Pool } from "./src/pool/pool.ts";
export type { PoolStats } from "./src/pool/pool.ts";
export { PooledConnection } from "./src/pool/pooled_connection.ts";
export type { PoolCloseOptions, PoolOptions } from "./src/pool/pool_options.ts";
export { Transaction } from "./src/client/transaction.ts";
export { Subscription } from "./src/client/pubsub.ts";
export type { MessageListener, PubSubMessage } from "./src/client/pubsub.ts";
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
export type { Router } from "./src/strategies/router.ts";
export { ClusterClient, connectCluster } from "./src/cluster/cluster_client.ts";
export { ClusterTransaction } from "./src/cluster/transaction.ts";
export type { ClusterOptions } from "./src/cluster/cluster_options.ts";
export type { ReadFrom } from "./src/cluster/read_from.ts";
export type { StrategyName, StrategyOptions } from "./src/strategies/strategy.ts";
export type { RedisTarget } from "./src/client/target.ts";
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
export type { Handler } from "./src/web/handler.ts";
export { Sessions, sessions } from "./src/web/sessions/sessions.ts";
export type { SessionHandler } from "./src/web/sessions/sessions.ts";
export type { Session } from "./src/web/sessions/session.ts";
export type { SessionCookieOptions, SessionsOptions } from "./src/web/sessions/session_options.ts";
export { cacheResponses } from "./src/web/responses/cache_responses.ts";
export type { CachedHandler, ResponseCacheControls } from "./src/web/responses/cache_responses.ts";
export { ResponseCache } from "./src/web/responses/response_cache.ts";
export type { HandleOptions } from "./src/web/responses/response_cache.ts";
export type {
  ResponseCacheOptions,
  ResponseKeyFunction,
  ResponseLockOptions,
} from "./src/web/responses/options.ts";
export { CACHEABLE_STATUSES } from "./src/web/responses/policy.ts";
