/**
 * Options, argument builders and reply shapers of the string commands
 * (`SET`, `GETEX`, `MSET`/`MSETNX`, `LCS`), kept beside `strings.ts` so the
 * class file stays short.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import { toRecord } from "./replies.ts";

/**
 * Options of `SET`. At most one of `ex`, `px`, `exat`, `pxat`, `keepTtl`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const token = crypto.randomUUID();
 * await redis.set("lock", token, { px: 10_000, nx: true }); // "OK" or null
 * ```
 */
export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this Unix time, in seconds. */
  exat?: number;
  /** Expire at this Unix time, in milliseconds. */
  pxat?: number;
  /** Keep the key's current time to live. */
  keepTtl?: boolean;
  /** Only set the key if it does not exist. */
  nx?: boolean;
  /** Only set the key if it already exists. */
  xx?: boolean;
  /** Return the old value (SET … GET). */
  get?: boolean;
}

/**
 * Options of `getex()` (`GETEX`): at most one of them; none reads the value
 * like `get()`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.getex("session:1", { ex: 1800 }); // read, and slide the expiry
 * ```
 */
export interface GetExOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this Unix time, in seconds. */
  exat?: number;
  /** Expire at this Unix time, in milliseconds. */
  pxat?: number;
  /** Remove the time to live. */
  persist?: boolean;
}

/**
 * Options of `lcs()` asking for the match positions (`LCS … IDX`).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const { matches, len } = await redis.lcs("a", "b", { idx: true, minMatchLen: 2 });
 * ```
 */
export interface LcsIdxOptions {
  /** Return the positions of the matching ranges. */
  idx: true;
  /** Leave out matches shorter than this. */
  minMatchLen?: number;
  /** Give each match its `length`. */
  withMatchLen?: boolean;
}

/**
 * One matching range of `lcs(…, { idx: true })`: inclusive `[start, end]`
 * offsets in the first and in the second key's value.
 *
 * @example
 * ```ts
 * import { connect, type LcsMatch } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const { matches } = await redis.lcs("a", "b", { idx: true, withMatchLen: true });
 * const longest: LcsMatch | undefined = matches[0]; // { key1: [4, 7], key2: [5, 8], length: 4 }
 * ```
 */
export interface LcsMatch {
  /** Inclusive start and end offsets in the first key's value. */
  key1: [number, number];
  /** Inclusive start and end offsets in the second key's value. */
  key2: [number, number];
  /** The match's length; only with `withMatchLen`. */
  length?: number;
}

/**
 * The reply of `lcs(…, { idx: true })`: the matching ranges (last match
 * first, as Redis gives them) and the length of the whole common subsequence.
 *
 * @example
 * ```ts
 * import { connect, type LcsIdxResult } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const result: LcsIdxResult = await redis.lcs("a", "b", { idx: true });
 * console.log(result.len, result.matches.length);
 * ```
 */
export interface LcsIdxResult {
  /** The matching ranges. */
  matches: LcsMatch[];
  /** The length of the longest common subsequence. */
  len: number;
}

const SET_KEYS = ["ex", "px", "exat", "pxat", "keepTtl", "nx", "xx", "get"];
const GETEX_KEYS = ["ex", "px", "exat", "pxat", "persist"];
const LCS_KEYS = ["len", "idx", "minMatchLen", "withMatchLen"];

/** Appends the `SET` options to `command`, checked. */
export function setArgs(command: RedisArg[], options: SetOptions): RedisArg[] {
  checkOptionKeys(options, SET_KEYS, "set()");
  const ttl = [options.ex, options.px, options.exat, options.pxat].filter((v) => v !== undefined);
  if (ttl.length + (options.keepTtl ? 1 : 0) > 1) {
    throw new TypeError("Cannot combine ex, px, exat, pxat and keepTtl in set(): pick one");
  }
  if (options.nx && options.xx) throw new TypeError("Cannot combine nx and xx in set()");
  if (options.ex !== undefined) command.push("EX", options.ex);
  if (options.px !== undefined) command.push("PX", options.px);
  if (options.exat !== undefined) command.push("EXAT", options.exat);
  if (options.pxat !== undefined) command.push("PXAT", options.pxat);
  if (options.keepTtl) command.push("KEEPTTL");
  if (options.nx) command.push("NX");
  if (options.xx) command.push("XX");
  if (options.get) command.push("GET");
  return command;
}

/** `GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]`, checked. */
export function getexCommand(key: string, options: GetExOptions | undefined): RedisArg[] {
  const command: RedisArg[] = ["GETEX", key];
  if (options === undefined) return command;
  checkOptionKeys(options, GETEX_KEYS, "getex()");
  const ttl = [options.ex, options.px, options.exat, options.pxat].filter((v) => v !== undefined);
  if (ttl.length + (options.persist ? 1 : 0) > 1) {
    throw new TypeError("Cannot combine ex, px, exat, pxat and persist in getex(): pick one");
  }
  if (options.ex !== undefined) command.push("EX", options.ex);
  if (options.px !== undefined) command.push("PX", options.px);
  if (options.exat !== undefined) command.push("EXAT", options.exat);
  if (options.pxat !== undefined) command.push("PXAT", options.pxat);
  if (options.persist) command.push("PERSIST");
  return command;
}

/** `command` followed by the key-value pairs of an object or an iterable of pairs. */
export function withPairs(
  command: RedisArg[],
  entries: Record<string, RedisArg> | Iterable<readonly [string, RedisArg]>,
): RedisArg[] {
  const pairs = Symbol.iterator in entries
    ? entries as Iterable<readonly [string, RedisArg]>
    : Object.entries(entries);
  for (const [key, value] of pairs) command.push(key, value);
  return command;
}

/** `LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]`, checked. */
export function lcsCommand(
  key1: string,
  key2: string,
  options: { len?: boolean } | LcsIdxOptions | undefined,
): RedisArg[] {
  const command: RedisArg[] = ["LCS", key1, key2];
  if (options === undefined) return command;
  checkOptionKeys(options, LCS_KEYS, "lcs()");
  const o = options as {
    len?: boolean;
    idx?: boolean;
    minMatchLen?: number;
    withMatchLen?: boolean;
  };
  if (o.len && o.idx) throw new TypeError("Cannot combine len and idx in lcs(): idx gives len too");
  if (!o.idx && (o.minMatchLen !== undefined || o.withMatchLen)) {
    throw new TypeError("Cannot use minMatchLen or withMatchLen in lcs() without idx");
  }
  if (o.len) command.push("LEN");
  if (o.idx) command.push("IDX");
  if (o.minMatchLen !== undefined) command.push("MINMATCHLEN", o.minMatchLen);
  if (o.withMatchLen) command.push("WITHMATCHLEN");
  return command;
}

function toRange(reply: RedisReply): [number, number] {
  const [start, end] = reply as RedisReply[];
  return [Number(start), Number(end)];
}

/** The `LCS … IDX` reply (a RESP3 map or a RESP2 flat array) as `{ matches, len }`. */
export function toLcsIdxResult(reply: RedisReply): LcsIdxResult {
  const record = toRecord<RedisReply>(reply);
  const matches = (record.matches as RedisReply[]).map((entry): LcsMatch => {
    const [key1, key2, length] = entry as RedisReply[];
    const match: LcsMatch = { key1: toRange(key1), key2: toRange(key2) };
    if (length !== undefined) match.length = Number(length);
    return match;
  });
  return { matches, len: Number(record.len) };
}
