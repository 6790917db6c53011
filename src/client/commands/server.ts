/**
 * Typed commands about the connection and the server: `PING`, `ECHO`,
 * `PUBLISH`, `DBSIZE`, `INFO`.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { CommandBase, type CommandMode, type CommandResult } from "./base.ts";

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
}
