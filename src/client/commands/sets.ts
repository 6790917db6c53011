/**
 * Typed set commands: `SADD`, `SREM`, `SMEMBERS`, `SISMEMBER`, `SINTER`, `SSCAN`, ….
 *
 * Set replies are arrays on both protocols (RESP3 answers with a set), in
 * no particular order.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { BlockingListCommands } from "./blocking_lists.ts";
import { scanArgs, type ScanOptions } from "./keys.ts";
import { toArray, toBoolean, toBooleans } from "./replies.ts";
import { sintercardArgs, type SintercardOptions, toMemberPage } from "./set_args.ts";

/**
 * Typed set commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.sadd("tags", "a", "b");
 * console.log(await redis.smembers("tags"));
 * ```
 */
export abstract class SetCommands<M extends CommandMode> extends BlockingListCommands<M> {
  /**
   * `SADD`: adds the members; how many were not there before.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.sadd("tags", "redis", "deno"); // 2 on a new set
   * ```
   */
  sadd(key: string, ...members: RedisArg[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SADD", key, ...members]);
  }

  /**
   * `SREM`: removes the members; how many were there.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.srem("tags", "deno");
   * ```
   */
  srem(key: string, ...members: RedisArg[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SREM", key, ...members]);
  }

  /**
   * `SMEMBERS`: every member, as an array in no particular order (`[]` when
   * the set is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const tags = (await redis.smembers("tags")).sort();
   * ```
   */
  smembers(key: string): CommandResult<M, string[], this> {
    return this.sendMapped(["SMEMBERS", key], toArray<string>);
  }

  /**
   * `SISMEMBER`: whether `member` is in the set.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * if (await redis.sismember("admins", "ada")) console.log("welcome");
   * ```
   */
  sismember(key: string, member: RedisArg): CommandResult<M, boolean, this> {
    return this.sendMapped(["SISMEMBER", key, member], toBoolean);
  }

  /**
   * `SMISMEMBER`: whether each member is in the set, in the order asked.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [isA, isB] = await redis.smismember("tags", "a", "b");
   * ```
   */
  smismember(key: string, ...members: RedisArg[]): CommandResult<M, boolean[], this> {
    return this.sendMapped(["SMISMEMBER", key, ...members], toBooleans);
  }

  /**
   * `SCARD`: how many members the set has, `0` when it is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const count = await redis.scard("tags");
   * ```
   */
  scard(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SCARD", key]);
  }

  /**
   * `SPOP`: removes and returns a random member, `null` when the set is
   * missing. With `count`: up to `count` random members as an array (`[]`
   * when the set is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const winner = await redis.spop("raffle"); // string | null
   * const winners = await redis.spop("raffle", 3); // string[]
   * ```
   */
  spop(key: string): CommandResult<M, string | null, this>;
  /** `SPOP key count`: up to `count` random members, `[]` when the set is missing. */
  spop(key: string, count: number): CommandResult<M, string[], this>;
  spop(key: string, count?: number): CommandResult<M, string | string[] | null, this> {
    if (count === undefined) return this.sendMapped<string | null>(["SPOP", key]);
    return this.sendMapped(["SPOP", key, count], toArray<string>);
  }

  /**
   * `SRANDMEMBER`: a random member, left in the set; `null` when it is
   * missing. With `count`: that many distinct members (at most the set's
   * size) when `count` > 0, or `-count` members that may repeat when < 0, as
   * an array (`[]` when the set is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const one = await redis.srandmember("quotes"); // string | null
   * const three = await redis.srandmember("quotes", 3); // string[]
   * ```
   */
  srandmember(key: string): CommandResult<M, string | null, this>;
  /** `SRANDMEMBER key count`: distinct members for `count` > 0, repeats allowed for < 0. */
  srandmember(key: string, count: number): CommandResult<M, string[], this>;
  srandmember(key: string, count?: number): CommandResult<M, string | string[] | null, this> {
    if (count === undefined) return this.sendMapped<string | null>(["SRANDMEMBER", key]);
    return this.sendMapped(["SRANDMEMBER", key, count], toArray<string>);
  }

  /**
   * `SMOVE`: moves `member` from `source` to `destination`; whether it was in `source`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.smove("pending", "done", "job:7");
   * ```
   */
  smove(source: string, destination: string, member: RedisArg): CommandResult<M, boolean, this> {
    return this.sendMapped(["SMOVE", source, destination, member], toBoolean);
  }

  /**
   * `SINTER`: the members in every one of the sets, as an array in no
   * particular order (`[]` when any set is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const both = await redis.sinter("likes:ada", "likes:alan");
   * ```
   */
  sinter(...keys: string[]): CommandResult<M, string[], this> {
    return this.sendMapped(["SINTER", ...keys], toArray<string>);
  }

  /**
   * `SUNION`: the members in any of the sets, as an array in no particular order.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const either = await redis.sunion("likes:ada", "likes:alan");
   * ```
   */
  sunion(...keys: string[]): CommandResult<M, string[], this> {
    return this.sendMapped(["SUNION", ...keys], toArray<string>);
  }

  /**
   * `SDIFF`: the members of the first set that are in none of the others,
   * as an array in no particular order.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const onlyAda = await redis.sdiff("likes:ada", "likes:alan");
   * ```
   */
  sdiff(...keys: string[]): CommandResult<M, string[], this> {
    return this.sendMapped(["SDIFF", ...keys], toArray<string>);
  }

  /**
   * `SINTERSTORE`: stores `sinter(...keys)` in `destination` (replacing it);
   * the size of the result.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.sinterstore("likes:both", "likes:ada", "likes:alan");
   * ```
   */
  sinterstore(destination: string, ...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SINTERSTORE", destination, ...keys]);
  }

  /**
   * `SUNIONSTORE`: stores `sunion(...keys)` in `destination` (replacing it);
   * the size of the result.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.sunionstore("likes:any", "likes:ada", "likes:alan");
   * ```
   */
  sunionstore(destination: string, ...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SUNIONSTORE", destination, ...keys]);
  }

  /**
   * `SDIFFSTORE`: stores `sdiff(...keys)` in `destination` (replacing it);
   * the size of the result.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.sdiffstore("likes:only-ada", "likes:ada", "likes:alan");
   * ```
   */
  sdiffstore(destination: string, ...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SDIFFSTORE", destination, ...keys]);
  }

  /**
   * `SINTERCARD`: how many members are in every one of the sets, counting
   * no further than `limit` when given.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const atLeastTen = (await redis.sintercard(["a", "b"], { limit: 10 })) === 10;
   * ```
   */
  sintercard(
    keys: readonly string[],
    options?: SintercardOptions,
  ): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SINTERCARD", ...sintercardArgs(keys, options)]);
  }

  /**
   * One `SSCAN` call: the next cursor (a string, `"0"` at the end) and a page
   * of members. `sscanIterator()` walks every page.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [cursor, members] = await redis.sscan("tags", 0, { match: "a*", count: 100 });
   * ```
   */
  sscan(
    key: string,
    cursor: string | number,
    options?: ScanOptions,
  ): CommandResult<M, [string, string[]], this> {
    return this.sendMapped(["SSCAN", key, cursor, ...scanArgs(options, "sscan")], toMemberPage);
  }
}
