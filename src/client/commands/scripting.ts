/**
 * Typed scripting commands: `EVAL`, `EVALSHA`, `SCRIPT`, `FCALL`, `FUNCTION`.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { GeoCommands } from "./geo.ts";

/**
 * Typed scripting commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.eval("return ARGV[1]", [], ["hi"]);
 * ```
 */
export abstract class ScriptingCommands<M extends CommandMode> extends GeoCommands<M> {
  /**
   * `EVAL`: runs a Lua script with its keys and arguments; the raw reply.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const n = await redis.eval<number>("return redis.call('INCR', KEYS[1])", ["hits"]);
   * ```
   */
  eval<T = RedisReply>(
    script: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["EVAL", script, keys.length, ...keys, ...args]);
  }

  /**
   * `EVALSHA`: runs a script the server already has, by its SHA1.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const sha = await redis.send<string>(["SCRIPT", "LOAD", "return 1"]);
   * await redis.evalsha<number>(sha); // 1
   * ```
   */
  evalsha<T = RedisReply>(
    sha: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["EVALSHA", sha, keys.length, ...keys, ...args]);
  }
}
