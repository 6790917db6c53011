/**
 * What the set commands (`SetCommands`) share: option types and reply
 * shapers. Not part of the command class chain.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import { toArray } from "./replies.ts";

/**
 * Options of `SINTERCARD`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const common = await redis.sintercard(["tags:a", "tags:b"], { limit: 100 });
 * ```
 */
export interface SintercardOptions {
  /** Stop counting at this many members (`0`: no limit). @default 0 */
  limit?: number;
}

const SINTERCARD_KEYS = ["limit"];

/** `numkeys key… [LIMIT n]` of `SINTERCARD`, checked. */
export function sintercardArgs(
  keys: readonly string[],
  options: SintercardOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [keys.length, ...keys];
  if (options === undefined) return args;
  checkOptionKeys(options, SINTERCARD_KEYS, "sintercard()");
  if (options.limit !== undefined) args.push("LIMIT", options.limit);
  return args;
}

/** `[cursor, members]` of `SSCAN`: the cursor a string, the members an array. */
export function toMemberPage(reply: RedisReply): [string, string[]] {
  const [cursor, page] = reply as [RedisReply, RedisReply];
  return [String(cursor), toArray<string>(page)];
}
