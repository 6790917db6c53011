/**
 * Typed commands about the connection and the server: `PING`, `ECHO`,
 * `PUBLISH`, `DBSIZE`, `INFO`, `TIME`, `FLUSHDB`.
 *
 * There is deliberately no `select()`: a client, a pool and a cluster client
 * share or reuse connections, and a `SELECT` sent on one of them would move
 * only that connection to another database, so later commands would land in
 * whichever database their connection happens to be in. Choose the database
 * once, in the URL or the `db` option, which every connection's handshake
 * applies.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { CommandBase, type CommandMode, type CommandResult } from "./base.ts";

/**
 * The reply of `time()`: the server's clock.
 *
 * @example
 * ```ts
 * import { connect, type ServerTime } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const now: ServerTime = await redis.time();
 * console.log(now.seconds, now.microseconds);
 * ```
 */
export interface ServerTime {
  /** Unix time, in whole seconds. */
  seconds: number;
  /** Microseconds elapsed in the current second (0 to 999 999). */
  microseconds: number;
}

function toServerTime(reply: RedisReply): ServerTime {
  const [seconds, microseconds] = reply as RedisReply[];
  return { seconds: Number(seconds), microseconds: Number(microseconds) };
}

/**
 * Typed connection and server commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * console.log(await redis.ping(), await redis.dbsize());
 * ```
 */
export abstract class ServerCommands<M extends CommandMode> extends CommandBase<M> {
  /**
   * `PING`: `PONG`, or the message echoed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.ping(); // "PONG"
   * ```
   */
  ping(message?: string): CommandResult<M, string, this> {
    return this.sendMapped<string>(message === undefined ? ["PING"] : ["PING", message]);
  }

  /**
   * `ECHO`: the message.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.echo("hi"); // "hi"
   * ```
   */
  echo(message: string): CommandResult<M, string, this> {
    return this.sendMapped<string>(["ECHO", message]);
  }

  /**
   * `PUBLISH`: how many subscribers got the message.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.publish("news", "hello");
   * ```
   */
  publish(channel: string, message: RedisArg): CommandResult<M, number, this> {
    return this.sendMapped<number>(["PUBLISH", channel, message]);
  }

  /**
   * `DBSIZE`: the number of keys in the selected database.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.dbsize();
   * ```
   */
  dbsize(): CommandResult<M, number, this> {
    return this.sendMapped<number>(["DBSIZE"]);
  }

  /**
   * `INFO`, or one section of it, as text.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const memory = await redis.info("memory");
   * ```
   */
  info(section?: string): CommandResult<M, string, this> {
    return this.sendMapped<string>(section === undefined ? ["INFO"] : ["INFO", section]);
  }

  /**
   * `TIME`: the server's clock as `{ seconds, microseconds }` (Unix seconds,
   * and the microseconds elapsed in the current second), numbers on both
   * protocols. `seconds * 1000 + microseconds / 1000` gives a `Date` value.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const { seconds, microseconds } = await redis.time();
   * const serverNow = new Date(seconds * 1000 + Math.floor(microseconds / 1000));
   * ```
   */
  time(): CommandResult<M, ServerTime, this> {
    return this.sendMapped(["TIME"], toServerTime);
  }

  /**
   * `FLUSHDB`: deletes every key of the selected database; `"OK"`. `"ASYNC"`
   * frees the memory in the background, `"SYNC"` before answering; without a
   * mode the server's `lazyfree-lazy-user-flush` setting decides.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379/15");
   * await redis.flushdb("ASYNC"); // "OK"
   * ```
   */
  flushdb(mode?: "ASYNC" | "SYNC"): CommandResult<M, string, this> {
    return this.sendMapped<string>(mode === undefined ? ["FLUSHDB"] : ["FLUSHDB", mode]);
  }
}
