/**
 * Typed commands for a key's time to live: `EXPIRE`, `PEXPIRE`, `EXPIREAT`,
 * `PEXPIREAT`, `TTL`, `PTTL`, `EXPIRETIME`, `PEXPIRETIME`, `PERSIST`.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { KeyCommands } from "./keys.ts";
import { toBoolean } from "./replies.ts";

/**
 * Condition of `EXPIRE`/`PEXPIRE`/`EXPIREAT`/`PEXPIREAT` (Redis 7).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.expire("k", 60, "GT"); // only if it lengthens the time to live
 * ```
 */
export type ExpireCondition = "NX" | "XX" | "GT" | "LT";

function withCondition(command: RedisArg[], condition: ExpireCondition | undefined): RedisArg[] {
  if (condition !== undefined) command.push(condition);
  return command;
}

/**
 * Typed time-to-live commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.expire("session:1", 3600);
 * console.log(await redis.ttl("session:1"));
 * ```
 */
export abstract class ExpiryCommands<M extends CommandMode> extends KeyCommands<M> {
  /**
   * `EXPIRE`: `true` when the time to live was set.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.expire("session:1", 3600, "NX"); // only if it had none
   * ```
   */
  expire(
    key: string,
    seconds: number,
    condition?: ExpireCondition,
  ): CommandResult<M, boolean, this> {
    return this.sendMapped(withCondition(["EXPIRE", key, seconds], condition), toBoolean);
  }

  /**
   * `PEXPIRE`: `true` when the time to live was set.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.pexpire("session:1", 1_500);
   * ```
   */
  pexpire(
    key: string,
    milliseconds: number,
    condition?: ExpireCondition,
  ): CommandResult<M, boolean, this> {
    return this.sendMapped(withCondition(["PEXPIRE", key, milliseconds], condition), toBoolean);
  }

  /**
   * `EXPIREAT` from a `Date` or Unix seconds: `true` when the time to live was set.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.expireat("report", new Date("2030-01-01T00:00:00Z"));
   * ```
   */
  expireat(
    key: string,
    at: Date | number,
    condition?: ExpireCondition,
  ): CommandResult<M, boolean, this> {
    const seconds = at instanceof Date ? Math.floor(at.getTime() / 1000) : at;
    return this.sendMapped(withCondition(["EXPIREAT", key, seconds], condition), toBoolean);
  }

  /**
   * `PEXPIREAT` from a `Date` or Unix milliseconds: `true` when the time to live was set.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.pexpireat("report", Date.now() + 60_000);
   * ```
   */
  pexpireat(
    key: string,
    at: Date | number,
    condition?: ExpireCondition,
  ): CommandResult<M, boolean, this> {
    const ms = at instanceof Date ? at.getTime() : at;
    return this.sendMapped(withCondition(["PEXPIREAT", key, ms], condition), toBoolean);
  }

  /**
   * `TTL` in seconds: `-1` without expiry, `-2` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const seconds = await redis.ttl("session:1");
   * ```
   */
  ttl(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["TTL", key]);
  }

  /**
   * `PTTL` in milliseconds: `-1` without expiry, `-2` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const ms = await redis.pttl("session:1");
   * ```
   */
  pttl(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["PTTL", key]);
  }

  /**
   * `PERSIST`: `true` when a time to live was removed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.persist("session:1");
   * ```
   */
  persist(key: string): CommandResult<M, boolean, this> {
    return this.sendMapped(["PERSIST", key], toBoolean);
  }

  /**
   * `EXPIRETIME` (Redis 7): the Unix time in seconds at which the key
   * expires; `-1` without expiry, `-2` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const at = await redis.expiretime("session:1");
   * if (at > 0) console.log(new Date(at * 1000));
   * ```
   */
  expiretime(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["EXPIRETIME", key]);
  }

  /**
   * `PEXPIRETIME` (Redis 7): the Unix time in milliseconds at which the key
   * expires; `-1` without expiry, `-2` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const at = await redis.pexpiretime("session:1");
   * if (at > 0) console.log(new Date(at));
   * ```
   */
  pexpiretime(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["PEXPIRETIME", key]);
  }
}
