/**
 * Typed counter commands: `INCR`, `INCRBY`, `INCRBYFLOAT`, `DECR`, `DECRBY`.
 *
 * @module
 */

import type { CommandMode, CommandResult } from "./base.ts";
import { StringCommands } from "./strings.ts";
import { toNumber } from "./replies.ts";

/**
 * Typed counter commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const views = await redis.incr("page:views");
 * ```
 */
export abstract class CounterCommands<M extends CommandMode> extends StringCommands<M> {
  /**
   * `INCR`: the new value.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.incr("page:views");
   * ```
   */
  incr(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["INCR", key]);
  }

  /**
   * `INCRBY`: the new value.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.incrby("stock", 10);
   * ```
   */
  incrby(key: string, delta: number | bigint): CommandResult<M, number, this> {
    return this.sendMapped<number>(["INCRBY", key, delta]);
  }

  /**
   * `INCRBYFLOAT`: the new value, as a number.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.incrbyfloat("balance", 2.5);
   * ```
   */
  incrbyfloat(key: string, delta: number): CommandResult<M, number, this> {
    return this.sendMapped(["INCRBYFLOAT", key, delta], toNumber);
  }

  /**
   * `DECR`: the new value.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.decr("stock");
   * ```
   */
  decr(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["DECR", key]);
  }

  /**
   * `DECRBY`: the new value.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.decrby("stock", 3);
   * ```
   */
  decrby(key: string, delta: number | bigint): CommandResult<M, number, this> {
    return this.sendMapped<number>(["DECRBY", key, delta]);
  }
}
