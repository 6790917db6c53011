/**
 * Options of the stream commands and the argument builders that check them
 * (unknown keys and contradictory options are a `TypeError` before anything
 * is sent). Not part of the command class chain: `streams.ts` and
 * `stream_groups.ts` import it.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";

/**
 * How `XADD` and `XTRIM` cap a stream: by length (`maxlen`) or by lowest ID
 * (`minid`), exactly or approximately (`~`, cheaper; `limit` caps the
 * entries evicted per call and needs `approximate`).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xtrim("events", { maxlen: 1000, approximate: true, limit: 100 });
 * ```
 */
export interface XTrimOptions {
  /** Keep at most this many entries (`MAXLEN`). */
  maxlen?: number;
  /** Evict entries with an ID lower than this one (`MINID`). */
  minid?: string;
  /** Trim approximately (`~`): whole macro nodes only, much cheaper. @default {false} */
  approximate?: boolean;
  /** At most this many entries evicted by this call (`LIMIT`); needs `approximate`. */
  limit?: number;
}

/**
 * Options of `XADD`: `nomkstream`, and the trimming of {@linkcode XTrimOptions}.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xadd("events", "*", { type: "click" }, { maxlen: 10_000, approximate: true });
 * ```
 */
export interface XAddOptions extends XTrimOptions {
  /** Don't create the stream when it is missing (`NOMKSTREAM`): `xadd` gives `null` then. */
  nomkstream?: boolean;
}

/**
 * The fields of a new stream entry: an object, or `[field, value]` pairs,
 * which keep their order (an object puts integer-like names first).
 *
 * @example
 * ```ts
 * import { connect, type XAddFields } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const fields: XAddFields = [["step", "b"], ["2", "second"], ["1", "first"]];
 * await redis.xadd("events", "*", fields);
 * ```
 */
export type XAddFields = Record<string, RedisArg> | readonly (readonly [string, RedisArg])[];

/**
 * The streams `XREAD` and `XREADGROUP` read, each with the ID to read after:
 * an object `{ key: id }` or `[key, id]` pairs. `"$"` (`XREAD`) means new
 * entries only, `">"` (`XREADGROUP`) entries never delivered to the group.
 *
 * @example
 * ```ts
 * import { connect, type XReadStreams } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const streams: XReadStreams = [["orders", "0"], ["payments", "0"]];
 * const read = await redis.xread(streams, { count: 10 });
 * ```
 */
export type XReadStreams = Record<string, string> | readonly (readonly [string, string])[];

/**
 * Options of `XREAD`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const read = await redis.xread({ events: "$" }, { block: 5_000, count: 100 });
 * ```
 */
export interface XReadOptions {
  /** At most this many entries per stream (`COUNT`). */
  count?: number;
  /**
   * Wait up to this many milliseconds for an entry (`BLOCK`; `0`: forever).
   * The reply is awaited that long plus `commandTimeout`, and a pool runs
   * the command on a connection of its own.
   */
  block?: number;
}

/**
 * Options of `XREADGROUP`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xreadgroup("workers", "w1", { jobs: ">" }, { count: 10, block: 2_000 });
 * ```
 */
export interface XReadGroupOptions extends XReadOptions {
  /** Don't add the delivered entries to the pending list (`NOACK`). @default {false} */
  noack?: boolean;
}

/**
 * Options of `XSETID` (Redis 7.0).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xsetid("events", "9-0", { entriesAdded: 9, maxDeletedId: "8-0" });
 * ```
 */
export interface XSetIdOptions {
  /** The count of entries ever added to the stream (`ENTRIESADDED`). */
  entriesAdded?: number;
  /** The highest ID ever deleted from the stream (`MAXDELETEDID`). */
  maxDeletedId?: string;
}

const TRIM_KEYS = ["maxlen", "minid", "approximate", "limit"];
const ADD_KEYS = ["nomkstream", ...TRIM_KEYS];

/** Pushes `MAXLEN|MINID [~] threshold [LIMIT n]`; `required` when trimming is the point (`XTRIM`). */
function pushTrim(command: RedisArg[], options: XTrimOptions, method: string, required: boolean) {
  const { maxlen, minid, approximate, limit } = options;
  if (maxlen !== undefined && minid !== undefined) {
    throw new TypeError(`Cannot combine maxlen and minid in ${method}(): pick one`);
  }
  if (maxlen === undefined && minid === undefined) {
    if (required) throw new TypeError(`${method}() needs maxlen or minid`);
    if (approximate || limit !== undefined) {
      throw new TypeError(`Cannot use approximate or limit in ${method}() without maxlen or minid`);
    }
    return;
  }
  if (limit !== undefined && !approximate) {
    throw new TypeError(`Cannot use limit in ${method}() without approximate: true`);
  }
  command.push(maxlen !== undefined ? "MAXLEN" : "MINID");
  if (approximate) command.push("~");
  command.push((maxlen ?? minid) as RedisArg);
  if (limit !== undefined) command.push("LIMIT", limit);
}

/** `XADD key [NOMKSTREAM] [trim] id field value …`, checked. */
export function xaddCommand(
  key: string,
  id: string,
  fields: XAddFields,
  options: XAddOptions | undefined,
): RedisArg[] {
  const command: RedisArg[] = ["XADD", key];
  if (options !== undefined) {
    checkOptionKeys(options, ADD_KEYS, "xadd()");
    if (options.nomkstream) command.push("NOMKSTREAM");
    pushTrim(command, options, "xadd", false);
  }
  command.push(id);
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  if (pairs.length === 0) throw new TypeError("xadd() needs at least one field");
  for (const [field, value] of pairs) command.push(field, value);
  return command;
}

/** `XTRIM key MAXLEN|MINID …`, checked. */
export function xtrimCommand(key: string, options: XTrimOptions): RedisArg[] {
  checkOptionKeys(options, TRIM_KEYS, "xtrim()");
  const command: RedisArg[] = ["XTRIM", key];
  pushTrim(command, options, "xtrim", true);
  return command;
}

/** `COUNT`/`BLOCK`(/`NOACK`) then `STREAMS k1 k2 … id1 id2 …`. */
export function readArgs(
  command: RedisArg[],
  streams: XReadStreams,
  options: XReadGroupOptions | undefined,
  method: "xread" | "xreadgroup",
): RedisArg[] {
  if (options !== undefined) {
    const known = method === "xread" ? ["count", "block"] : ["count", "block", "noack"];
    checkOptionKeys(options, known, `${method}()`);
    if (options.count !== undefined) command.push("COUNT", options.count);
    if (options.block !== undefined) command.push("BLOCK", options.block);
    if (options.noack) command.push("NOACK");
  }
  const pairs = Array.isArray(streams) ? streams : Object.entries(streams);
  if (pairs.length === 0) throw new TypeError(`${method}() needs at least one stream`);
  command.push("STREAMS");
  for (const [key] of pairs) command.push(key);
  for (const [, id] of pairs) command.push(id);
  return command;
}

/** `XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]`, checked. */
export function xsetidCommand(key: string, lastId: string, options?: XSetIdOptions): RedisArg[] {
  const command: RedisArg[] = ["XSETID", key, lastId];
  if (options === undefined) return command;
  checkOptionKeys(options, ["entriesAdded", "maxDeletedId"], "xsetid()");
  if (options.entriesAdded !== undefined) command.push("ENTRIESADDED", options.entriesAdded);
  if (options.maxDeletedId !== undefined) command.push("MAXDELETEDID", options.maxDeletedId);
  return command;
}

/** `COUNT n` of `XRANGE`/`XREVRANGE`, checked. */
export function countArgs(options: { count?: number } | undefined, method: string): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options, ["count"], `${method}()`);
  return options.count === undefined ? [] : ["COUNT", options.count];
}
