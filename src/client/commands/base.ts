/**
 * The root of the typed command methods: one definition of each command
 * serves every surface. A method builds the command and names the function
 * that shapes its reply, then hands both to `sendMapped`:
 *
 * - on a client, a pool, a pooled connection or a cluster client
 *   (`CommandMode` `"async"`), `sendMapped` sends the command and resolves
 *   with the shaped reply;
 * - on a pipeline or a transaction (`"chain"`), it queues the command with
 *   its shaping function and returns the pipeline, so `exec()` resolves with
 *   shaped replies.
 *
 * @module
 */

import type { Command, RedisReply } from "../../resp/types.ts";
import type { SendOptions } from "../send_options.ts";

/**
 * How a surface answers a typed command: `"async"` with a promise of the
 * reply (clients, pools), `"chain"` with itself (pipelines, transactions).
 *
 * @example
 * ```ts
 * import type { CommandMode } from "@redcache/redcache";
 *
 * const mode: CommandMode = "chain"; // what Pipeline and Transaction use
 * ```
 */
export type CommandMode = "async" | "chain";

/**
 * What a typed command method returns on a surface of mode `M`: a promise of
 * `T` (`"async"`), or the surface itself for chaining (`"chain"`).
 *
 * @example
 * ```ts
 * import type { CommandResult, Pipeline } from "@redcache/redcache";
 *
 * type OnClient = CommandResult<"async", number, unknown>; // Promise<number>
 * type OnPipeline = CommandResult<"chain", number, Pipeline>; // Pipeline
 * ```
 */
export type CommandResult<M extends CommandMode, T, Self> = M extends "chain" ? Self : Promise<T>;

/**
 * Shapes a raw reply into what a typed method documents (a record from a
 * RESP3 map or a RESP2 flat array, numbers from score strings, …).
 *
 * @example
 * ```ts
 * import type { ReplyMapper } from "@redcache/redcache";
 *
 * const toBoolean: ReplyMapper<boolean> = (reply) => reply === 1;
 * ```
 */
export type ReplyMapper<T> = (reply: RedisReply) => T;

/**
 * The hook every typed method goes through. Surfaces implement
 * `sendMapped`; the data-type classes above it only build commands.
 *
 * @example Your own typed command, on every surface at once
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const freq = await redis.sendMapped(["OBJECT", "REFCOUNT", "k"], (r) => Number(r));
 * ```
 */
export abstract class CommandBase<M extends CommandMode> {
  /**
   * Sends (or, on a pipeline, queues) `command`; its reply goes through
   * `map` when given.
   *
   * @param command The command and its arguments.
   * @param map Shapes the raw reply; the raw reply when omitted.
   * @param options `bytes`, `timeout`, `signal`, and `block` for commands the server may hold.
   */
  abstract sendMapped<T = RedisReply>(
    command: Command,
    map?: ReplyMapper<T>,
    options?: SendOptions,
  ): CommandResult<M, T, this>;
}
