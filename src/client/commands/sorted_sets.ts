/**
 * Typed sorted-set commands for members and scores, and set algebra: `ZADD`
 * with its options, `ZSCORE`, `ZINCRBY`, `ZRANK`, `ZREM`, `ZSCAN`,
 * `ZRANDMEMBER`, `ZUNION`/`ZINTER`/`ZDIFF` and their `…STORE` forms.
 *
 * @module
 */

import type { CommandMode, CommandResult } from "./base.ts";
import { scanArgs, type ScanOptions } from "./keys.ts";
import { toNumber } from "./replies.ts";
import { SetCommands } from "./sets.ts";
import {
  combineArgs,
  intercardArgs,
  membersMap,
  numKeys,
  toScoreOrNull,
  toScores,
  toZScanPage,
  withScoresArg,
  zaddCommand,
} from "./sorted_args.ts";
import type {
  ScoredMember,
  ZAddOptions,
  ZCombineOptions,
  ZStoreOptions,
  ZWithScoresOptions,
} from "./sorted_types.ts";

/**
 * Typed sorted-set commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zadd("board", { member: "ada", score: 10 });
 * console.log(await redis.zscore("board", "ada"));
 * ```
 */
export abstract class SortedSetCommands<M extends CommandMode> extends SetCommands<M> {
  /**
   * `ZADD`: the number of members added (with `ch`, added or changed). With
   * `incr: true` (one member), the member's new score, or `null` when
   * `nx`/`xx`/`gt`/`lt` prevented the update.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zadd("board", [{ member: "ada", score: 10 }, { member: "bob", score: 7 }]);
   * await redis.zadd("board", { member: "ada", score: 12 }, { xx: true, gt: true, ch: true }); // 1
   * const score = await redis.zadd("board", { member: "bob", score: 1 }, { incr: true }); // 8
   * ```
   */
  zadd(
    key: string,
    entries: ScoredMember | ScoredMember[],
    options?: ZAddOptions & { incr?: false },
  ): CommandResult<M, number, this>;
  /** `ZADD … INCR`: the new score, or `null` when a condition prevented the update. */
  zadd(
    key: string,
    entry: ScoredMember,
    options: ZAddOptions & { incr: true },
  ): CommandResult<M, number | null, this>;
  /** `ZADD`: a count, or with `incr` the new score (or `null`). */
  zadd(
    key: string,
    entries: ScoredMember | ScoredMember[],
    options?: ZAddOptions,
  ): CommandResult<M, number | null, this>;
  zadd(
    key: string,
    entries: ScoredMember | ScoredMember[],
    options?: ZAddOptions,
  ): CommandResult<M, number | null, this> {
    return this.sendMapped(zaddCommand(key, entries, options), toScoreOrNull);
  }

  /**
   * `ZINCRBY`: adds `increment` to the member's score (a new member starts at 0); the new score.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const score = await redis.zincrby("board", 5, "ada");
   * ```
   */
  zincrby(key: string, increment: number, member: string): CommandResult<M, number, this> {
    return this.sendMapped(["ZINCRBY", key, increment, member], toNumber);
  }

  /**
   * `ZSCORE`: the member's score as a number, or `null` when it is not there.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const score = await redis.zscore("board", "ada"); // 10 or null
   * ```
   */
  zscore(key: string, member: string): CommandResult<M, number | null, this> {
    return this.sendMapped(["ZSCORE", key, member], toScoreOrNull);
  }

  /**
   * `ZMSCORE`: the scores of the members in order, `null` for missing ones.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [ada, bob] = await redis.zmscore("board", "ada", "bob");
   * ```
   */
  zmscore(key: string, ...members: string[]): CommandResult<M, (number | null)[], this> {
    return this.sendMapped(["ZMSCORE", key, ...members], toScores);
  }

  /**
   * `ZRANK`: the member's 0-based rank by ascending score, or `null`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const rank = await redis.zrank("board", "ada");
   * ```
   */
  zrank(key: string, member: string): CommandResult<M, number | null, this> {
    return this.sendMapped<number | null>(["ZRANK", key, member]);
  }

  /**
   * `ZREVRANK`: the member's 0-based rank by descending score, or `null`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const place = await redis.zrevrank("board", "ada"); // 0 for the leader
   * ```
   */
  zrevrank(key: string, member: string): CommandResult<M, number | null, this> {
    return this.sendMapped<number | null>(["ZREVRANK", key, member]);
  }

  /**
   * `ZREM`: the number of members removed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zrem("board", "ada", "bob");
   * ```
   */
  zrem(key: string, ...members: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZREM", key, ...members]);
  }

  /**
   * `ZCARD`: the number of members (0 when the key is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const players = await redis.zcard("board");
   * ```
   */
  zcard(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZCARD", key]);
  }

  /**
   * One `ZSCAN` call: the next cursor (`"0"` at the end) and a page of
   * `{ member, score }` entries. `zscanIterator()` walks every page.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [cursor, entries] = await redis.zscan("board", 0, { match: "a*", count: 100 });
   * ```
   */
  zscan(
    key: string,
    cursor: string | number,
    options?: ScanOptions,
  ): CommandResult<M, [string, ScoredMember[]], this> {
    return this.sendMapped(["ZSCAN", key, cursor, ...scanArgs(options, "zscan")], toZScanPage);
  }

  /**
   * `ZRANDMEMBER`: one random member (`null` for a missing key); with `count`,
   * an array (distinct members when positive, repeats allowed when negative);
   * with `withScores: true`, `{ member, score }` entries.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const one = await redis.zrandmember("board"); // string | null
   * const three = await redis.zrandmember("board", 3); // string[]
   * const scored = await redis.zrandmember("board", 3, { withScores: true }); // ScoredMember[]
   * ```
   */
  zrandmember(key: string): CommandResult<M, string | null, this>;
  /** `ZRANDMEMBER key count [WITHSCORES]`: members, or `{ member, score }` entries. */
  zrandmember<S extends boolean = false>(
    key: string,
    count: number,
    options?: ZWithScoresOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this>;
  zrandmember(
    key: string,
    count?: number,
    options?: ZWithScoresOptions,
  ): CommandResult<M, string | null | string[] | ScoredMember[], this> {
    if (count === undefined) return this.sendMapped<string | null>(["ZRANDMEMBER", key]);
    const withScores = withScoresArg(options, "zrandmember");
    const command = ["ZRANDMEMBER", key, count, ...(withScores ? ["WITHSCORES"] : [])];
    return this.sendMapped(command, membersMap(withScores));
  }

  /**
   * `ZUNION`: the members of any of the sets, by ascending combined score;
   * with `withScores: true`, `{ member, score }` entries.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const all = await redis.zunion(["week:1", "week:2"], { withScores: true });
   * ```
   */
  zunion<S extends boolean = false>(
    keys: string | string[],
    options?: ZCombineOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this> {
    const command = ["ZUNION", ...combineArgs(keys, options, "zunion")];
    return this.sendMapped(command, membersMap<S>(options?.withScores));
  }

  /**
   * `ZINTER`: the members in every one of the sets, by ascending combined
   * score; with `withScores: true`, `{ member, score }` entries.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const both = await redis.zinter(["week:1", "week:2"], { aggregate: "MIN" });
   * ```
   */
  zinter<S extends boolean = false>(
    keys: string | string[],
    options?: ZCombineOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this> {
    const command = ["ZINTER", ...combineArgs(keys, options, "zinter")];
    return this.sendMapped(command, membersMap<S>(options?.withScores));
  }

  /**
   * `ZDIFF`: the members of the first set that are in none of the others;
   * with `withScores: true`, `{ member, score }` entries.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const dropped = await redis.zdiff(["week:1", "week:2"]);
   * ```
   */
  zdiff<S extends boolean = false>(
    keys: string | string[],
    options?: ZWithScoresOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this> {
    const withScores = withScoresArg(options, "zdiff");
    const command = ["ZDIFF", ...numKeys(keys), ...(withScores ? ["WITHSCORES"] : [])];
    return this.sendMapped(command, membersMap<S>(withScores));
  }

  /**
   * `ZUNIONSTORE`: stores the union at `destination`; its number of members.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zunionstore("total", ["week:1", "week:2"], { weights: [1, 2] });
   * ```
   */
  zunionstore(
    destination: string,
    keys: string | string[],
    options?: ZStoreOptions,
  ): CommandResult<M, number, this> {
    const args = combineArgs(keys, options, "zunionstore");
    return this.sendMapped<number>(["ZUNIONSTORE", destination, ...args]);
  }

  /**
   * `ZINTERSTORE`: stores the intersection at `destination`; its number of members.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zinterstore("steady", ["week:1", "week:2"], { aggregate: "MIN" });
   * ```
   */
  zinterstore(
    destination: string,
    keys: string | string[],
    options?: ZStoreOptions,
  ): CommandResult<M, number, this> {
    const args = combineArgs(keys, options, "zinterstore");
    return this.sendMapped<number>(["ZINTERSTORE", destination, ...args]);
  }

  /**
   * `ZDIFFSTORE`: stores the difference at `destination`; its number of members.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zdiffstore("dropped", ["week:1", "week:2"]);
   * ```
   */
  zdiffstore(destination: string, keys: string | string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZDIFFSTORE", destination, ...numKeys(keys)]);
  }

  /**
   * `ZINTERCARD`: how many members the intersection would have, counting up
   * to `limit` when given.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const common = await redis.zintercard(["week:1", "week:2"], { limit: 100 });
   * ```
   */
  zintercard(
    keys: string | string[],
    options?: { limit?: number },
  ): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZINTERCARD", ...numKeys(keys), ...intercardArgs(options)]);
  }
}
