/**
 * Typed methods for the keyspace: `DEL`, `EXISTS`,
 * `TYPE`, `SCAN`, `COPY`, `RENAME`, ….
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { ServerCommands } from "./server.ts";

/**
 * Options of `SCAN` (and of `HSCAN`, `SSCAN`, `ZSCAN`, without `type`).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [cursor, keys] = await redis.scan(0, { match: "user:*", count: 500, type: "hash" });
 * ```
 */
export interface ScanOptions {
  /** Glob pattern the keys (or fields, members) must match. */
  match?: string;
  /** Hint for how many entries one call examines. */
  count?: number;
  /** Only keys of this type (`string`, `hash`, …); `SCAN` only. */
  type?: string;
}

const SCAN_KEYS = ["match", "count", "type"];

/** The `MATCH`/`COUNT`/`TYPE` arguments of a scan, checked. */
export function scanArgs(options: ScanOptions | undefined, method: string): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options, SCAN_KEYS, `${method}()`);
  const args: RedisArg[] = [];
  if (options.match !== undefined) args.push("MATCH", options.match);
  if (options.count !== undefined) args.push("COUNT", options.count);
  if (options.type !== undefined) {
    if (method !== "scan" && method !== "scanIterator") {
      throw new TypeError(`Unknown option "type" for ${method}(): only scan() filters by type`);
    }
    args.push("TYPE", options.type);
  }
  return args;
}

/** `[cursor, page]` with the cursor as a string on both protocols. */
export function toScanPage<T>(reply: unknown): [string, T] {
  const [cursor, page] = reply as [unknown, T];
  return [String(cursor), page];
}

/**
 * Typed keyspace commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.del("a", "b");
 * console.log(await redis.exists("c"));
 * ```
 */
export abstract class KeyCommands<M extends CommandMode> extends ServerCommands<M> {
  /**
   * `DEL`: the number of keys removed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.del("a", "b"); // 0, 1 or 2
   * ```
   */
  del(...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["DEL", ...keys]);
  }

  /**
   * `UNLINK`: like `del`, but frees memory in the background.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.unlink("big:list");
   * ```
   */
  unlink(...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["UNLINK", ...keys]);
  }

  /**
   * `EXISTS`: how many of the keys exist (a key named twice counts twice).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * if (await redis.exists("user:1")) console.log("known");
   * ```
   */
  exists(...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["EXISTS", ...keys]);
  }

  /**
   * `TYPE`: `string`, `list`, `set`, `zset`, `hash`, `stream`, or `none`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.type("user:1"); // "hash"
   * ```
   */
  type(key: string): CommandResult<M, string, this> {
    return this.sendMapped<string>(["TYPE", key]);
  }

  /**
   * One `SCAN` call: the next cursor (a string, `"0"` at the end) and a page
   * of keys. `scanIterator()` walks every page.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [cursor, keys] = await redis.scan(0, { match: "user:*" });
   * ```
   */
  scan(cursor: string | number, options?: ScanOptions): CommandResult<M, [string, string[]], this> {
    return this.sendMapped(["SCAN", cursor, ...scanArgs(options, "scan")], toScanPage<string[]>);
  }
}
