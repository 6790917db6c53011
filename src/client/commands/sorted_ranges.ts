/**
 * Typed sorted-set commands over ranges and pops: `ZRANGE` with
 * `BYSCORE`/`BYLEX`/`REV`/`LIMIT`/`WITHSCORES`, `ZRANGESTORE`, `ZCOUNT`,
 * `ZREMRANGEBY…`, `ZPOPMIN`/`ZPOPMAX`, `ZMPOP` and the blocking `BZPOPMIN`,
 * `BZPOPMAX`, `BZMPOP`; and the legacy `ZREVRANGE`,
 * `ZRANGEBYSCORE`, `ZREVRANGEBYSCORE`.
 *
 * @module
 */

import { blockMs } from "./block.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import {
  byScoreArgs,
  keyList,
  membersMap,
  mpopArgs,
  numKeys,
  rangeArgs,
  toBZPop,
  toMPop,
  toScoredMembers,
  withScoresArg,
} from "./sorted_args.ts";
import { SortedSetCommands } from "./sorted_sets.ts";
import type {
  BZPopResult,
  ScoreBound,
  ScoredMember,
  ZMPopResult,
  ZRangeByScoreOptions,
  ZRangeOptions,
  ZRangeStoreOptions,
  ZWithScoresOptions,
} from "./sorted_types.ts";

/**
 * Typed sorted-set range commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const top = await redis.zrange("board", 0, 9, { rev: true, withScores: true });
 * ```
 */
export abstract class SortedRangeCommands<M extends CommandMode> extends SortedSetCommands<M> {
  /**
   * `ZRANGE`: members by rank (`start`/`stop` indexes, negative from the end),
   * by score (`by: "SCORE"`, bounds as numbers or `"(1"`, `"-inf"`) or by
   * lexicographic order (`by: "LEX"`, bounds `"[a"`, `"(a"`, `"-"`, `"+"`);
   * `rev` reads from the top (then `start` is the upper bound); `limit`
   * skips and caps (with `by`). With `withScores: true`, `{ member, score }`
   * entries (scores as numbers on both protocols).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const names = await redis.zrange("board", 0, -1); // string[]
   * const top = await redis.zrange("board", "+inf", 10, {
   *   by: "SCORE",
   *   rev: true,
   *   limit: { offset: 0, count: 3 },
   *   withScores: true,
   * }); // { member, score }[]
   * ```
   */
  zrange<S extends boolean = false>(
    key: string,
    start: number | string,
    stop: number | string,
    options?: ZRangeOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this> {
    const command = ["ZRANGE", key, start, stop, ...rangeArgs(options, "zrange")];
    return this.sendMapped(command, membersMap<S>(options?.withScores));
  }

  /**
   * `ZRANGESTORE`: stores the range that `zrange` would give at
   * `destination`; the number of members stored.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zrangestore("podium", "board", 0, 2, { rev: true }); // 3
   * ```
   */
  zrangestore(
    destination: string,
    source: string,
    start: number | string,
    stop: number | string,
    options?: ZRangeStoreOptions,
  ): CommandResult<M, number, this> {
    const args = rangeArgs(options, "zrangestore");
    return this.sendMapped<number>(["ZRANGESTORE", destination, source, start, stop, ...args]);
  }

  /**
   * `ZREVRANGE` (legacy; `zrange` with `rev: true` does the same): members
   * by descending score between two ranks; `{ member, score }` entries with
   * `withScores: true`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const top3 = await redis.zrevrange("board", 0, 2, { withScores: true });
   * ```
   */
  zrevrange<S extends boolean = false>(
    key: string,
    start: number,
    stop: number,
    options?: ZWithScoresOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this> {
    const withScores = withScoresArg(options, "zrevrange");
    const command = ["ZREVRANGE", key, start, stop, ...(withScores ? ["WITHSCORES"] : [])];
    return this.sendMapped(command, membersMap<S>(withScores));
  }

  /**
   * `ZRANGEBYSCORE` (legacy; `zrange` with `by: "SCORE"` does the same):
   * members with a score between `min` and `max`, ascending; `{ member,
   * score }` entries with `withScores: true`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const passed = await redis.zrangebyscore("board", "(50", "+inf", { limit: { offset: 0, count: 10 } });
   * ```
   */
  zrangebyscore<S extends boolean = false>(
    key: string,
    min: ScoreBound,
    max: ScoreBound,
    options?: ZRangeByScoreOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this> {
    const command = ["ZRANGEBYSCORE", key, min, max, ...byScoreArgs(options, "zrangebyscore")];
    return this.sendMapped(command, membersMap<S>(options?.withScores));
  }

  /**
   * `ZREVRANGEBYSCORE` (legacy; `zrange` with `by: "SCORE", rev: true`):
   * `zrangebyscore` from the top, so `max` comes first.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const best = await redis.zrevrangebyscore("board", "+inf", 50, { withScores: true });
   * ```
   */
  zrevrangebyscore<S extends boolean = false>(
    key: string,
    max: ScoreBound,
    min: ScoreBound,
    options?: ZRangeByScoreOptions<S>,
  ): CommandResult<M, S extends true ? ScoredMember[] : string[], this> {
    const args = byScoreArgs(options, "zrevrangebyscore");
    return this.sendMapped(
      ["ZREVRANGEBYSCORE", key, max, min, ...args],
      membersMap<S>(options?.withScores),
    );
  }

  /**
   * `ZCOUNT`: how many members have a score between `min` and `max`
   * (numbers are inclusive; `"(5"` excludes 5; `"-inf"`, `"+inf"`).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const above = await redis.zcount("board", "(10", Infinity);
   * ```
   */
  zcount(key: string, min: ScoreBound, max: ScoreBound): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZCOUNT", key, min, max]);
  }

  /**
   * `ZLEXCOUNT`: how many members lie between two lexicographic bounds
   * (`"[a"` inclusive, `"(a"` exclusive, `"-"` and `"+"` for the ends), in a
   * set whose scores are all equal.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const aToC = await redis.zlexcount("names", "[a", "(d");
   * ```
   */
  zlexcount(key: string, min: string, max: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZLEXCOUNT", key, min, max]);
  }

  /**
   * `ZREMRANGEBYRANK`: removes the members between two ranks; how many.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zremrangebyrank("board", 0, -101); // keep the top 100
   * ```
   */
  zremrangebyrank(key: string, start: number, stop: number): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZREMRANGEBYRANK", key, start, stop]);
  }

  /**
   * `ZREMRANGEBYSCORE`: removes the members with a score between `min` and `max`; how many.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zremrangebyscore("seen", "-inf", Date.now() - 60_000);
   * ```
   */
  zremrangebyscore(key: string, min: ScoreBound, max: ScoreBound): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZREMRANGEBYSCORE", key, min, max]);
  }

  /**
   * `ZREMRANGEBYLEX`: removes the members between two lexicographic bounds; how many.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.zremrangebylex("names", "[a", "(b");
   * ```
   */
  zremrangebylex(key: string, min: string, max: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["ZREMRANGEBYLEX", key, min, max]);
  }

  /**
   * `ZPOPMIN`: removes and returns the `count` (default 1) lowest-scored
   * members as `{ member, score }` entries (`[]` when the set is empty).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [next] = await redis.zpopmin("jobs");
   * ```
   */
  zpopmin(key: string, count?: number): CommandResult<M, ScoredMember[], this> {
    return this.sendMapped(
      ["ZPOPMIN", key, ...(count === undefined ? [] : [count])],
      toScoredMembers,
    );
  }

  /**
   * `ZPOPMAX`: removes and returns the `count` (default 1) highest-scored
   * members as `{ member, score }` entries (`[]` when the set is empty).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const winners = await redis.zpopmax("board", 3);
   * ```
   */
  zpopmax(key: string, count?: number): CommandResult<M, ScoredMember[], this> {
    return this.sendMapped(
      ["ZPOPMAX", key, ...(count === undefined ? [] : [count])],
      toScoredMembers,
    );
  }

  /**
   * `ZMPOP`: pops up to `count` (default 1) lowest (`"MIN"`) or highest
   * (`"MAX"`) members from the first non-empty key: `{ key, entries }`, or
   * `null` when every key is empty.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const popped = await redis.zmpop(["jobs:hi", "jobs:lo"], "MIN", { count: 10 });
   * ```
   */
  zmpop(
    keys: string | string[],
    where: "MIN" | "MAX",
    options?: { count?: number },
  ): CommandResult<M, ZMPopResult | null, this> {
    const command = ["ZMPOP", ...numKeys(keys), ...mpopArgs(where, options, "zmpop")];
    return this.sendMapped(command, toMPop);
  }

  /**
   * `BZPOPMIN`: pops the lowest-scored member of the first non-empty key,
   * waiting up to `timeout` seconds (`0`: forever) for one: `{ key, member,
   * score }`, or `null` on timeout. A pool runs it on a connection of its own.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const job = await redis.bzpopmin(["jobs:hi", "jobs:lo"], 5);
   * ```
   */
  bzpopmin(keys: string | string[], timeout: number): CommandResult<M, BZPopResult | null, this> {
    const block = blockMs(timeout, "bzpopmin");
    return this.sendMapped(["BZPOPMIN", ...keyList(keys), timeout], toBZPop, { block });
  }

  /**
   * `BZPOPMAX`: pops the highest-scored member of the first non-empty key,
   * waiting up to `timeout` seconds (`0`: forever): `{ key, member, score }`,
   * or `null` on timeout.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const best = await redis.bzpopmax("bids", 0.5);
   * ```
   */
  bzpopmax(keys: string | string[], timeout: number): CommandResult<M, BZPopResult | null, this> {
    const block = blockMs(timeout, "bzpopmax");
    return this.sendMapped(["BZPOPMAX", ...keyList(keys), timeout], toBZPop, { block });
  }

  /**
   * `BZMPOP`: `zmpop` that waits up to `timeout` seconds (`0`: forever; the
   * first argument, as in Redis) for a non-empty key: `{ key, entries }`, or
   * `null` on timeout.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const batch = await redis.bzmpop(5, ["jobs:hi", "jobs:lo"], "MIN", { count: 10 });
   * ```
   */
  bzmpop(
    timeout: number,
    keys: string | string[],
    where: "MIN" | "MAX",
    options?: { count?: number },
  ): CommandResult<M, ZMPopResult | null, this> {
    const block = blockMs(timeout, "bzmpop");
    const args = [...numKeys(keys), ...mpopArgs(where, options, "bzmpop")];
    return this.sendMapped(["BZMPOP", timeout, ...args], toMPop, { block });
  }
}
