/**
 * What the sorted-set commands share besides their methods and types: the
 * argument builders that check options before anything is sent, and the
 * reply shapers that give the same value on RESP2 (flat arrays,
 * scores as strings) and RESP3 (`[member, score]` pairs, doubles).
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { ReplyMapper } from "./base.ts";
import { toNumber } from "./replies.ts";
import type {
  BZPopResult,
  ScoredMember,
  ZAddOptions,
  ZCombineOptions,
  ZMPopResult,
  ZRangeByScoreOptions,
  ZRangeLimit,
  ZRangeOptions,
  ZWithScoresOptions,
} from "./sorted_types.ts";

/** A list of keys from one key or an array. */
export function keyList(keys: string | readonly string[]): string[] {
  return typeof keys === "string" ? [keys] : [...keys];
}

/** `numkeys key…` of ZUNION, ZMPOP, …. */
export function numKeys(keys: string | readonly string[]): RedisArg[] {
  const list = keyList(keys);
  return [list.length, ...list];
}

const ZADD_KEYS = ["nx", "xx", "gt", "lt", "ch", "incr"];

/** `ZADD key [flags] score member…`, its options checked. */
export function zaddCommand(
  key: string,
  entries: ScoredMember | readonly ScoredMember[],
  options: ZAddOptions | undefined,
): RedisArg[] {
  const list = Array.isArray(entries) ? entries : [entries as ScoredMember];
  const command: RedisArg[] = ["ZADD", key];
  if (options !== undefined) {
    checkOptionKeys(options, ZADD_KEYS, "zadd()");
    if (options.nx && (options.xx || options.gt || options.lt)) {
      throw new TypeError("Cannot combine nx with xx, gt or lt in zadd()");
    }
    if (options.gt && options.lt) throw new TypeError("Cannot combine gt and lt in zadd()");
    if (options.incr && list.length !== 1) {
      throw new TypeError(`Cannot use incr in zadd() with ${list.length} members: give one`);
    }
    for (const flag of ZADD_KEYS) {
      if (options[flag as keyof ZAddOptions]) command.push(flag.toUpperCase());
    }
  }
  for (const { member, score } of list) command.push(score, member);
  return command;
}

function limitArgs(args: RedisArg[], limit: ZRangeLimit | undefined, method: string): void {
  if (limit === undefined) return;
  checkOptionKeys(limit, ["offset", "count"], `${method}() limit`);
  args.push("LIMIT", limit.offset, limit.count);
}

const RANGE_KEYS = ["by", "rev", "limit", "withScores"];

/** The `BYSCORE|BYLEX REV LIMIT WITHSCORES` arguments of `ZRANGE`/`ZRANGESTORE`, checked. */
export function rangeArgs(options: ZRangeOptions | undefined, method: string): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(
    options,
    method === "zrange" ? RANGE_KEYS : RANGE_KEYS.slice(0, 3),
    `${method}()`,
  );
  const { by, rev, limit, withScores } = options;
  if (by !== undefined && by !== "SCORE" && by !== "LEX") {
    throw new TypeError(
      `Unknown value "${String(by).slice(0, 20)}" of by in ${method}(): SCORE or LEX`,
    );
  }
  if (limit !== undefined && by === undefined) {
    throw new TypeError(`Cannot use limit in ${method}() without by: "SCORE" or "LEX"`);
  }
  if (withScores && by === "LEX") {
    throw new TypeError(`Cannot combine withScores with by: "LEX" in ${method}()`);
  }
  const args: RedisArg[] = by === undefined ? [] : [`BY${by}`];
  if (rev) args.push("REV");
  limitArgs(args, limit, method);
  if (withScores) args.push("WITHSCORES");
  return args;
}

/** The `WITHSCORES LIMIT` arguments of `ZRANGEBYSCORE` and `ZREVRANGEBYSCORE`, checked. */
export function byScoreArgs(options: ZRangeByScoreOptions | undefined, method: string): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options, ["withScores", "limit"], `${method}()`);
  const args: RedisArg[] = options.withScores ? ["WITHSCORES"] : [];
  limitArgs(args, options.limit, method);
  return args;
}

/** The `LIMIT` argument of `ZRANGEBYLEX` and `ZREVRANGEBYLEX`, checked. */
export function byLexArgs(
  options: { limit?: ZRangeLimit } | undefined,
  method: string,
): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options, ["limit"], `${method}()`);
  const args: RedisArg[] = [];
  limitArgs(args, options.limit, method);
  return args;
}

/** `true` when `WITHSCORES` is asked for (and the option keys are known). */
export function withScoresArg(options: ZWithScoresOptions | undefined, method: string): boolean {
  if (options === undefined) return false;
  checkOptionKeys(options, ["withScores"], `${method}()`);
  return options.withScores === true;
}

const AGGREGATES = ["SUM", "MIN", "MAX"];

/** `numkeys key… [WEIGHTS …] [AGGREGATE …] [WITHSCORES]` of ZUNION, ZINTERSTORE, …, checked. */
export function combineArgs(
  keys: string | readonly string[],
  options: ZCombineOptions | undefined,
  method: string,
): RedisArg[] {
  const args = numKeys(keys);
  if (options === undefined) return args;
  const store = method.endsWith("store");
  checkOptionKeys(
    options,
    store ? ["weights", "aggregate"] : ["weights", "aggregate", "withScores"],
    `${method}()`,
  );
  const { weights, aggregate } = options;
  if (weights !== undefined) {
    if (weights.length !== args.length - 1) {
      throw new TypeError(
        `Cannot use ${weights.length} weights for ${args.length - 1} keys in ${method}()`,
      );
    }
    args.push("WEIGHTS", ...weights);
  }
  if (aggregate !== undefined) {
    if (!AGGREGATES.includes(aggregate)) {
      throw new TypeError(
        `Unknown aggregate "${String(aggregate).slice(0, 20)}" in ${method}(): SUM, MIN or MAX`,
      );
    }
    args.push("AGGREGATE", aggregate);
  }
  if (options.withScores) args.push("WITHSCORES");
  return args;
}

/** `MIN|MAX [COUNT n]` of ZMPOP and BZMPOP, checked. */
export function mpopArgs(
  where: "MIN" | "MAX",
  options: { count?: number } | undefined,
  method: string,
): RedisArg[] {
  if (where !== "MIN" && where !== "MAX") {
    throw new TypeError(`Unknown side "${String(where).slice(0, 20)}" in ${method}(): MIN or MAX`);
  }
  const args: RedisArg[] = [where];
  if (options === undefined) return args;
  checkOptionKeys(options, ["count"], `${method}()`);
  if (options.count !== undefined) args.push("COUNT", options.count);
  return args;
}

/** `LIMIT n` of ZINTERCARD, checked. */
export function intercardArgs(options: { limit?: number } | undefined): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options, ["limit"], "zintercard()");
  return options.limit === undefined ? [] : ["LIMIT", options.limit];
}

/** A score, or `null`, from a RESP3 double or a RESP2 string (`inf` → `Infinity`). */
export function toScoreOrNull(reply: RedisReply): number | null {
  return reply === null ? null : toNumber(reply);
}

/** Scores (or `null` for missing members) from `ZMSCORE`. */
export function toScores(reply: RedisReply): (number | null)[] {
  return (reply as RedisReply[] | null ?? []).map(toScoreOrNull);
}

/**
 * `{ member, score }` entries from RESP3 `[member, score]` pairs or a RESP2
 * (or RESP3 single-pop) flat `[member, score, …]` array.
 */
export function toScoredMembers(reply: RedisReply): ScoredMember[] {
  const out: ScoredMember[] = [];
  if (!Array.isArray(reply)) return out;
  if (reply.length > 0 && Array.isArray(reply[0])) {
    for (const pair of reply as RedisReply[][]) {
      out.push({ member: String(pair[0]), score: toNumber(pair[1]) });
    }
  } else {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      out.push({ member: String(reply[i]), score: toNumber(reply[i + 1]) });
    }
  }
  return out;
}

function toMembers(reply: RedisReply): string[] {
  return Array.isArray(reply) ? reply as string[] : [];
}

/** The shaper of a reply of members, or of `{ member, score }` entries when `withScores`. */
export function membersMap<S extends boolean>(
  withScores: boolean | undefined,
): ReplyMapper<S extends true ? ScoredMember[] : string[]> {
  return (withScores ? toScoredMembers : toMembers) as ReplyMapper<
    S extends true ? ScoredMember[] : string[]
  >;
}

/** `[cursor, entries]` from `ZSCAN`, the cursor as a string. */
export function toZScanPage(reply: RedisReply): [string, ScoredMember[]] {
  const [cursor, page] = reply as [RedisReply, RedisReply];
  return [String(cursor), toScoredMembers(page)];
}

/** `{ key, entries }` from `ZMPOP`/`BZMPOP`, or `null`. */
export function toMPop(reply: RedisReply): ZMPopResult | null {
  if (!Array.isArray(reply)) return null;
  return { key: String(reply[0]), entries: toScoredMembers(reply[1]) };
}

/** `{ key, member, score }` from `BZPOPMIN`/`BZPOPMAX`, or `null` on timeout. */
export function toBZPop(reply: RedisReply): BZPopResult | null {
  if (!Array.isArray(reply)) return null;
  return { key: String(reply[0]), member: String(reply[1]), score: toNumber(reply[2]) };
}
