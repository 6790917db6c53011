/**
 * Types shared by the RESP encoder and decoder.
 *
 * @module
 */

import type { ReplyError } from "../errors.ts";

/**
 * One argument of a command: strings are sent as UTF-8, bytes as they are,
 * numbers and bigints as their decimal text.
 *
 * @example
 * ```ts
 * import type { RedisArg } from "@redcache/redcache";
 *
 * const args: RedisArg[] = ["SET", "k", new Uint8Array([1, 2, 3]), "PX", 5_000];
 * ```
 */
export type RedisArg = string | number | bigint | Uint8Array;

/**
 * A command: its name followed by its arguments.
 *
 * @example
 * ```ts
 * import type { Command } from "@redcache/redcache";
 *
 * const command: Command = ["HSET", "user:1", "name", "Ada"];
 * ```
 */
export type Command = readonly RedisArg[];

/**
 * A decoded reply: strings, numbers (bigint past 2^53), booleans, null,
 * bytes (with `{ bytes: true }`), arrays, `Map`s (RESP3 maps), `Set`s (RESP3
 * sets), and `ReplyError` elements inside arrays.
 *
 * @example
 * ```ts
 * import { connect, type RedisReply } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const reply: RedisReply = await redis.send(["HGETALL", "user:1"]);
 * if (reply instanceof Map) console.log(reply.get("name")); // RESP3: a Map
 * ```
 */
export type RedisReply =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | ReplyError
  | RedisReply[]
  | Map<RedisReply, RedisReply>
  | Set<RedisReply>;

/**
 * Bounds that the decoder enforces on what a server may send; past one, the
 * connection fails with `ProtocolError`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect({
 *   url: "redis://127.0.0.1:6379",
 *   limits: { maxBulkLength: 64 * 1024 * 1024, maxDepth: 16 },
 * });
 * ```
 */
export interface DecoderLimits {
  /**
   * Largest bulk string accepted, in bytes.
   *
   * @default {536870912} (512 MiB, Redis's own `proto-max-bulk-len`)
   */
  maxBulkLength?: number;
  /**
   * Largest element count accepted for one array, map, set or push.
   *
   * @default {16777216}
   */
  maxElements?: number;
  /**
   * Deepest nesting of aggregates accepted.
   *
   * @default {64}
   */
  maxDepth?: number;
  /**
   * Longest line (simple string, error, number) accepted, in bytes.
   *
   * @default {1048576}
   */
  maxLineLength?: number;
}
