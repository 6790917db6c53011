/**
 * Options of the consumer-group commands and the argument builders that
 * check them. Not part of the command class chain: `stream_groups.ts`
 * imports it.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { ReplyMapper } from "./base.ts";
import { toBoolean } from "./replies.ts";

/**
 * Options of `XGROUP CREATE`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xgroup("CREATE", "jobs", "workers", "$", { mkstream: true });
 * ```
 */
export interface XGroupCreateOptions {
  /** Create the stream, empty, when it is missing (`MKSTREAM`). @default {false} */
  mkstream?: boolean;
  /** The group's entries-read counter, for its `lag` (`ENTRIESREAD`, Redis 7.0). */
  entriesRead?: number;
}

/**
 * Options of `XGROUP SETID`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xgroup("SETID", "jobs", "workers", "0", { entriesRead: 0 });
 * ```
 */
export interface XGroupSetIdOptions {
  /** The group's entries-read counter, for its `lag` (`ENTRIESREAD`, Redis 7.0). */
  entriesRead?: number;
}

/**
 * Options of the extended form of `XPENDING`: the range of IDs and at most
 * `count` entries, optionally of one consumer and idle for `idle` ms or more.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xpending("jobs", "workers", { start: "-", end: "+", count: 10, idle: 60_000 });
 * ```
 */
export interface XPendingOptions {
  /** Lowest ID (`-` for the lowest, `(id` exclusive). */
  start: string;
  /** Highest ID (`+` for the highest). */
  end: string;
  /** At most this many entries. */
  count: number;
  /** Only the entries of this consumer. */
  consumer?: string;
  /** Only entries idle for at least this many milliseconds (`IDLE`). */
  idle?: number;
}

/**
 * Options of `XCLAIM`. `idle` and `time` exclude each other.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xclaim("jobs", "workers", "w2", 60_000, ["1-0"], { retryCount: 3 });
 * ```
 */
export interface XClaimOptions {
  /** Set the entries' idle time to this many milliseconds (`IDLE`). */
  idle?: number;
  /** Set the entries' last delivery to this Unix time in milliseconds (`TIME`). */
  time?: number;
  /** Set the entries' delivery counter (`RETRYCOUNT`). */
  retryCount?: number;
  /** Add IDs missing from the pending list, if they exist in the stream (`FORCE`). */
  force?: boolean;
  /** Reply with the claimed IDs only, without incrementing the delivery counter (`JUSTID`). */
  justId?: boolean;
  /** Advance the group's last-delivered ID to this one if higher (`LASTID`). */
  lastId?: string;
}

/**
 * Options of `XAUTOCLAIM`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xautoclaim("jobs", "workers", "w2", 60_000, "0", { count: 25 });
 * ```
 */
export interface XAutoClaimOptions {
  /** Pending entries examined by this call, at most (`COUNT`, default 100 on the server). */
  count?: number;
  /** Reply with IDs only, without incrementing the delivery counter (`JUSTID`). */
  justId?: boolean;
}

/** The `XGROUP` subcommands `xgroup()` takes. */
export type XGroupSubcommand = "CREATE" | "SETID" | "DESTROY" | "CREATECONSUMER" | "DELCONSUMER";

const GROUP_SUBCOMMANDS = ["CREATE", "SETID", "DESTROY", "CREATECONSUMER", "DELCONSUMER"];

/** `XGROUP <subcommand> key group [id|consumer] [MKSTREAM] [ENTRIESREAD n]` and its reply shaper. */
export function xgroupCommand(
  subcommand: XGroupSubcommand,
  key: string,
  group: string,
  arg: string | undefined,
  options: XGroupCreateOptions | undefined,
): [RedisArg[], ReplyMapper<unknown> | undefined] {
  const sub = String(subcommand).toUpperCase();
  if (!GROUP_SUBCOMMANDS.includes(sub)) {
    throw new TypeError(`Unknown subcommand "${sub.slice(0, 20)}" for xgroup()`);
  }
  const command: RedisArg[] = ["XGROUP", sub, key, group];
  if (sub === "DESTROY") return [command, toBoolean];
  if (arg === undefined) throw new TypeError(`xgroup("${sub}") needs a third argument`);
  command.push(arg);
  if (sub === "CREATECONSUMER") return [command, toBoolean];
  if (sub === "DELCONSUMER") return [command, undefined];
  if (options === undefined) return [command, undefined];
  const create = sub === "CREATE";
  const method = `xgroup("${sub}")`;
  checkOptionKeys(options, create ? ["mkstream", "entriesRead"] : ["entriesRead"], method);
  if (options.mkstream) command.push("MKSTREAM");
  if (options.entriesRead !== undefined) command.push("ENTRIESREAD", options.entriesRead);
  return [command, undefined];
}

/** `XPENDING key group [IDLE ms] start end count [consumer]`, checked. */
export function xpendingCommand(key: string, group: string, options: XPendingOptions): RedisArg[] {
  checkOptionKeys(options, ["start", "end", "count", "consumer", "idle"], "xpending()");
  const command: RedisArg[] = ["XPENDING", key, group];
  if (options.idle !== undefined) command.push("IDLE", options.idle);
  command.push(options.start, options.end, options.count);
  if (options.consumer !== undefined) command.push(options.consumer);
  return command;
}

const CLAIM_KEYS = ["idle", "time", "retryCount", "force", "justId", "lastId"];

/** `XCLAIM key group consumer min-idle id… [IDLE|TIME] [RETRYCOUNT] [FORCE] [JUSTID] [LASTID]`. */
export function xclaimCommand(
  head: readonly RedisArg[],
  ids: readonly string[],
  options: XClaimOptions | undefined,
): RedisArg[] {
  if (ids.length === 0) throw new TypeError("xclaim() needs at least one ID");
  const command: RedisArg[] = ["XCLAIM", ...head, ...ids];
  if (options === undefined) return command;
  checkOptionKeys(options, CLAIM_KEYS, "xclaim()");
  if (options.idle !== undefined && options.time !== undefined) {
    throw new TypeError("Cannot combine idle and time in xclaim(): pick one");
  }
  if (options.idle !== undefined) command.push("IDLE", options.idle);
  if (options.time !== undefined) command.push("TIME", options.time);
  if (options.retryCount !== undefined) command.push("RETRYCOUNT", options.retryCount);
  if (options.force) command.push("FORCE");
  if (options.justId) command.push("JUSTID");
  if (options.lastId !== undefined) command.push("LASTID", options.lastId);
  return command;
}

/** `XAUTOCLAIM key group consumer min-idle start [COUNT n] [JUSTID]`. */
export function xautoclaimCommand(
  head: readonly RedisArg[],
  options: XAutoClaimOptions | undefined,
): RedisArg[] {
  const command: RedisArg[] = ["XAUTOCLAIM", ...head];
  if (options === undefined) return command;
  checkOptionKeys(options, ["count", "justId"], "xautoclaim()");
  if (options.count !== undefined) command.push("COUNT", options.count);
  if (options.justId) command.push("JUSTID");
  return command;
}
