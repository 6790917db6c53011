/**
 * Typed hash commands: `HGET`, `HSET`, `HGETALL`, `HDEL`, `HINCRBY`, `HMGET`, `HSCAN`, ….
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { CounterCommands } from "./counters.ts";
import { toRecord } from "./replies.ts";

/**
 * Typed hash commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.hset("user:1", { name: "Ada", born: 1815 });
 * console.log(await redis.hgetall("user:1")); // { name: "Ada", born: "1815" }
 * ```
 */
export abstract class HashCommands<M extends CommandMode> extends CounterCommands<M> {
  /**
   * `HGET`: one field of a hash, or `null`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const name = await redis.hget("user:1", "name");
   * ```
   */
  hget(key: string, field: string): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["HGET", key, field]);
  }

  /**
   * `HSET` from an object: the number of fields added (not updated).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.hset("user:1", { name: "Ada" });
   * ```
   */
  hset(key: string, fields: Record<string, RedisArg>): CommandResult<M, number, this> {
    const command: RedisArg[] = ["HSET", key];
    for (const [field, value] of Object.entries(fields)) command.push(field, value);
    return this.sendMapped<number>(command);
  }

  /**
   * `HGETALL` as a plain object (empty when the key is missing), on RESP2 and RESP3 alike.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const user = await redis.hgetall("user:1");
   * ```
   */
  hgetall(key: string): CommandResult<M, Record<string, string>, this> {
    return this.sendMapped(["HGETALL", key], toRecord<string>);
  }

  /**
   * `HDEL`: the number of fields removed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.hdel("user:1", "born");
   * ```
   */
  hdel(key: string, ...fields: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["HDEL", key, ...fields]);
  }
}
