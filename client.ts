/**
 * The Redis client alone: `connect()` and the `RedisClient` it returns (pipelines,
 * transactions, pub/sub), `createPool()`, and the error classes, without the cache, the
 * strategies, the web layer or their libraries (MessagePack, fflate). For workers and
 * scripts that talk to Redis directly: a bundle of `connect()` is the same from here as from
 * the main entry (bundlers drop what is unused), but a runtime that loads modules without
 * bundling (`deno run`, Deno Deploy) loads only the client's.
 *
 * @example Connect, set and get
 * ```ts
 * import { connect } from "@redcache/redcache/client";
 *
 * await using redis = await connect("redis://127.0.0.1:6379/0");
 * await redis.set("greeting", "hello", { ex: 60 });
 * console.log(await redis.get("greeting")); // "hello"
 * ```
 *
 * @example A pool, and a transaction on a connection of its own
 * ```ts
 * import { createPool, ReplyError } from "@redcache/redcache/client";
 *
 * await using pool = createPool({ url: "redis://127.0.0.1:6379/0", max: 8 });
 * const replies = await pool.use((conn) =>
 *   conn.multi().send(["INCR", "visits"]).send(["EXPIRE", "visits", 60]).exec()
 * );
 * const count = replies?.[0];
 * if (count instanceof ReplyError) console.error(count.code);
 * ```
 *
 * @module
 */

export { RedisClient } from "./src/client/client.ts";
export { connect } from "./src/client/connect.ts";
export type { ClientState } from "./src/client/reconnect.ts";
export type {
  ClientEventMap,
  EndDetail,
  ErrorDetail,
  FailoverDetail,
  MovedDetail,
  ReconnectingDetail,
  RedisEventMap,
  ServerDetail,
  SwitchMasterDetail,
} from "./src/client/events.ts";
export type { RedisEventListener } from "./src/util/events.ts";
export type { ConnectOptions } from "./src/client/options.ts";
export type { RetryOptions, RetryStrategy } from "./src/client/retry.ts";
export type { OfflineQueueOptions } from "./src/client/offline_queue.ts";
export type { SendOptions, Settle } from "./src/client/send_options.ts";
export type { ServerInfo } from "./src/client/handshake.ts";
export type { PushListener } from "./src/client/push.ts";
export type { BreakerOptions, BreakerState } from "./src/client/breaker.ts";
export type { CommandEnd, CommandHooks, CommandStart } from "./src/client/hooks.ts";
export { Pipeline } from "./src/client/pipeline.ts";
export type { Dispatcher, RedisTarget } from "./src/client/target.ts";
export { AsyncCommands, Commands } from "./src/client/commands/commands.ts";
export { EmittingCommands } from "./src/client/emitting_commands.ts";
export { CommandBase } from "./src/client/commands/base.ts";
export type { CommandMode, CommandResult, ReplyMapper } from "./src/client/commands/base.ts";
export { ServerCommands } from "./src/client/commands/server.ts";
export type { ServerTime } from "./src/client/commands/server.ts";
export { KeyCommands } from "./src/client/commands/keys.ts";
export type { ScanOptions } from "./src/client/commands/keys.ts";
export type {
  CopyOptions,
  RestoreOptions,
  SortOptions,
  SortStoreOptions,
} from "./src/client/commands/key_args.ts";
export { ExpiryCommands } from "./src/client/commands/expiry.ts";
export type { ExpireCondition } from "./src/client/commands/expiry.ts";
export { StringCommands } from "./src/client/commands/strings.ts";
export type { SetOptions } from "./src/client/commands/strings.ts";
export type {
  GetExOptions,
  LcsIdxOptions,
  LcsIdxResult,
  LcsMatch,
} from "./src/client/commands/string_args.ts";
export { CounterCommands } from "./src/client/commands/counters.ts";
export { HashCommands } from "./src/client/commands/hashes.ts";
export { ListCommands } from "./src/client/commands/lists.ts";
export type {
  ListInsertPosition,
  ListSide,
  LmpopOptions,
  LposOptions,
  PoppedElement,
  PoppedElements,
} from "./src/client/commands/list_args.ts";
export { BlockingListCommands } from "./src/client/commands/blocking_lists.ts";
export { SetCommands } from "./src/client/commands/sets.ts";
export type { SintercardOptions } from "./src/client/commands/set_args.ts";
export { SortedSetCommands } from "./src/client/commands/sorted_sets.ts";
export { SortedRangeCommands } from "./src/client/commands/sorted_ranges.ts";
export type {
  BZPopResult,
  ScoreBound,
  ScoredMember,
  ZAddOptions,
  ZCombineOptions,
  ZMPopResult,
  ZRangeByScoreOptions,
  ZRangeLimit,
  ZRangeOptions,
  ZRangeStoreOptions,
  ZStoreOptions,
  ZWithScoresOptions,
} from "./src/client/commands/sorted_types.ts";
export { StreamCommands } from "./src/client/commands/streams.ts";
export type {
  XAddFields,
  XAddOptions,
  XReadGroupOptions,
  XReadOptions,
  XReadStreams,
  XSetIdOptions,
  XTrimOptions,
} from "./src/client/commands/stream_args.ts";
export type {
  StreamEntry,
  StreamGroupEntry,
  StreamRead,
  XAutoClaimIdsReply,
  XAutoClaimReply,
  XPendingEntry,
  XPendingSummary,
} from "./src/client/commands/stream_replies.ts";
export type {
  XInfoConsumerReply,
  XInfoGroupReply,
  XInfoStreamFullReply,
  XInfoStreamReply,
  XInfoStreamSummary,
} from "./src/client/commands/stream_info.ts";
export { StreamGroupCommands } from "./src/client/commands/stream_groups.ts";
export type {
  XAutoClaimOptions,
  XClaimOptions,
  XGroupCreateOptions,
  XGroupSetIdOptions,
  XPendingOptions,
} from "./src/client/commands/stream_group_args.ts";
export { BitCommands } from "./src/client/commands/bits.ts";
export type {
  BitfieldField,
  BitfieldOffset,
  BitfieldOperation,
  BitfieldType,
  BitPosRange,
  BitRange,
} from "./src/client/commands/bit_args.ts";
export { GeoCommands } from "./src/client/commands/geo.ts";
export type {
  GeoAddOptions,
  GeoCoordinates,
  GeoMember,
  GeoSearchBy,
  GeoSearchFrom,
  GeoSearchOptions,
  GeoSearchResult,
  GeoSearchStoreOptions,
  GeoUnit,
} from "./src/client/commands/geo_args.ts";
export { ScriptingCommands } from "./src/client/commands/scripting.ts";
export type {
  FunctionInfo,
  FunctionLibrary,
  FunctionListOptions,
  FunctionLoadOptions,
} from "./src/client/commands/scripting_args.ts";
export { defineScript } from "./src/client/scripts/define_script.ts";
export type { Script, ScriptOptions } from "./src/client/scripts/define_script.ts";
export { Transaction } from "./src/client/transaction.ts";
export { Subscription } from "./src/client/pubsub.ts";
export type { MessageListener, PubSubMessage } from "./src/client/pubsub.ts";
export { createPool, Pool } from "./src/pool/pool.ts";
export type { PoolStats } from "./src/pool/pool.ts";
export { PooledConnection } from "./src/pool/pooled_connection.ts";
export type { PoolCloseOptions, PoolOptions } from "./src/pool/pool_options.ts";
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
