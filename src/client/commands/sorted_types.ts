/**
 * The option and reply types of the sorted-set commands.
 *
 * @module
 */

/**
 * A member of a sorted set with its score: what `zadd` takes and what every
 * `WITHSCORES` reply gives (scores as numbers, `inf` as `Infinity`).
 *
 * @example
 * ```ts
 * import { connect, type ScoredMember } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const entry: ScoredMember = { member: "ada", score: 10 };
 * await redis.zadd("board", entry);
 * const top: ScoredMember[] = await redis.zrange("board", 0, 9, { rev: true, withScores: true });
 * ```
 */
export interface ScoredMember {
  /** The member. */
  member: string;
  /** Its score. */
  score: number;
}

/**
 * Options of `ZADD`. `nx` excludes `xx`, `gt` and `lt`; `gt` excludes `lt`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zadd("board", { member: "ada", score: 12 }, { gt: true, ch: true }); // 1 if raised
 * const score = await redis.zadd("board", { member: "ada", score: 1 }, { incr: true }); // 13
 * ```
 */
export interface ZAddOptions {
  /** Only add new members, never update scores. */
  nx?: boolean;
  /** Only update members that exist, never add. */
  xx?: boolean;
  /** Only update a score when the new one is greater. */
  gt?: boolean;
  /** Only update a score when the new one is less. */
  lt?: boolean;
  /** Count changed members too, not only added ones. */
  ch?: boolean;
  /** Add the score to the member's (one member only); the reply is the new score or `null`. */
  incr?: boolean;
}

/**
 * A score bound of `ZCOUNT`, `ZRANGE … BYSCORE`, …: a number (inclusive;
 * `±Infinity` for `±inf`) or Redis's text (`"(1"` exclusive, `"-inf"`, `"+inf"`).
 *
 * @example
 * ```ts
 * import { connect, type ScoreBound } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const above: ScoreBound = "(10";
 * await redis.zcount("board", above, Infinity);
 * ```
 */
export type ScoreBound = number | string;

/**
 * `LIMIT offset count` of a score or lex range (a negative count: all the rest).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zrange("board", "-inf", "+inf", { by: "SCORE", limit: { offset: 10, count: 10 } });
 * ```
 */
export interface ZRangeLimit {
  /** How many matching members to skip. */
  offset: number;
  /** How many to return at most; negative: all. */
  count: number;
}

/**
 * Options of `ZRANGESTORE` (and of `ZRANGE`, without `withScores`). `limit`
 * needs `by`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zrangestore("top", "board", "+inf", 100, { by: "SCORE", rev: true });
 * ```
 */
export interface ZRangeStoreOptions {
  /** Range by score or by lexicographic order instead of by rank. */
  by?: "SCORE" | "LEX";
  /** From the highest score (or last member) down; then start is the upper bound. */
  rev?: boolean;
  /** Skip and cap the matches (with `by` only). */
  limit?: ZRangeLimit;
}

/**
 * Options of `ZRANGE`: `withScores: true` gives `{ member, score }` entries
 * (not with `by: "LEX"`).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const top = await redis.zrange("board", 0, 2, { rev: true, withScores: true });
 * ```
 */
export interface ZRangeOptions<S extends boolean = boolean> extends ZRangeStoreOptions {
  /** Each member with its score. */
  withScores?: S;
}

/**
 * Options of `ZRANGEBYSCORE` and `ZREVRANGEBYSCORE`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zrangebyscore("board", 10, "+inf", { withScores: true, limit: { offset: 0, count: 5 } });
 * ```
 */
export interface ZRangeByScoreOptions<S extends boolean = boolean> {
  /** Each member with its score. */
  withScores?: S;
  /** Skip and cap the matches. */
  limit?: ZRangeLimit;
}

/**
 * The `withScores` option of `ZRANDMEMBER`, `ZDIFF` and `ZREVRANGE`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const picks = await redis.zrandmember("board", 2, { withScores: true });
 * ```
 */
export interface ZWithScoresOptions<S extends boolean = boolean> {
  /** Each member with its score. */
  withScores?: S;
}

/**
 * Options of `ZUNIONSTORE` and `ZINTERSTORE`: one weight per key, and how
 * the scores of a member are combined.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zunionstore("total", ["week:1", "week:2"], { weights: [1, 2], aggregate: "MAX" });
 * ```
 */
export interface ZStoreOptions {
  /** A factor for each key's scores, one per key. */
  weights?: number[];
  /** `SUM` (the default), `MIN` or `MAX`. */
  aggregate?: "SUM" | "MIN" | "MAX";
}

/**
 * Options of `ZUNION` and `ZINTER`: those of `ZUNIONSTORE` plus `withScores`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zinter(["a", "b"], { aggregate: "MIN", withScores: true });
 * ```
 */
export interface ZCombineOptions<S extends boolean = boolean> extends ZStoreOptions {
  /** Each member with its score. */
  withScores?: S;
}

/**
 * What `ZMPOP` and `BZMPOP` give: the key popped from and its entries.
 *
 * @example
 * ```ts
 * import { connect, type ZMPopResult } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const popped: ZMPopResult | null = await redis.zmpop(["a", "b"], "MIN", { count: 2 });
 * ```
 */
export interface ZMPopResult {
  /** The first non-empty key. */
  key: string;
  /** The popped members with their scores. */
  entries: ScoredMember[];
}

/**
 * What `BZPOPMIN` and `BZPOPMAX` give: the key, the member and its score.
 *
 * @example
 * ```ts
 * import { type BZPopResult, connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const next: BZPopResult | null = await redis.bzpopmin(["jobs:hi", "jobs:lo"], 1);
 * ```
 */
export interface BZPopResult {
  /** The key popped from. */
  key: string;
  /** The member. */
  member: string;
  /** Its score. */
  score: number;
}
