/**
 * Typed methods for the keyspace: `DEL`, `UNLINK`, `EXISTS`, `TYPE`, `SCAN`,
 * `COPY`, `RENAME`, `RENAMENX`, `TOUCH`, `RANDOMKEY`, `KEYS`, `OBJECT`,
 * `DUMP`, `RESTORE`, `SORT`.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import {
  copyCommand,
  type CopyOptions,
  restoreCommand,
  type RestoreOptions,
  sortCommand,
  type SortOptions,
  type SortStoreOptions,
} from "./key_args.ts";
import { toBoolean } from "./replies.ts";
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

  /**
   * `COPY`: `true` when `source` was copied to `destination`; `false` when
   * the destination exists (without `replace`) or the source is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.copy("config", "config:backup", { replace: true });
   * ```
   */
  copy(
    source: string,
    destination: string,
    options?: CopyOptions,
  ): CommandResult<M, boolean, this> {
    return this.sendMapped(copyCommand(source, destination, options), toBoolean);
  }

  /**
   * `RENAME`: `"OK"`; a missing `key` is a `ReplyError` (`ERR no such key`).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.set("draft", "text");
   * await redis.rename("draft", "published"); // "OK"
   * ```
   */
  rename(key: string, newKey: string): CommandResult<M, string, this> {
    return this.sendMapped<string>(["RENAME", key, newKey]);
  }

  /**
   * `RENAMENX`: `true` when renamed, `false` when `newKey` already exists.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.renamenx("upload:tmp", "upload:1");
   * ```
   */
  renamenx(key: string, newKey: string): CommandResult<M, boolean, this> {
    return this.sendMapped(["RENAMENX", key, newKey], toBoolean);
  }

  /**
   * `TOUCH`: marks the keys as used (for LRU/LFU eviction); the number of
   * keys that exist.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.touch("a", "b"); // 0, 1 or 2
   * ```
   */
  touch(...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["TOUCH", ...keys]);
  }

  /**
   * `RANDOMKEY`: a random key of the database, or `null` when it is empty.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const any = await redis.randomkey();
   * ```
   */
  randomkey(): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["RANDOMKEY"]);
  }

  /**
   * `KEYS`: every key matching a glob pattern, in no particular order. It
   * walks the whole keyspace in one blocking call: prefer `scanIterator()`
   * on a large database.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const sessions = await redis.keys("session:*");
   * ```
   */
  keys(pattern: string): CommandResult<M, string[], this> {
    return this.sendMapped<string[]>(["KEYS", pattern]);
  }

  /**
   * `OBJECT ENCODING`: the internal encoding of the key's value (`"embstr"`,
   * `"int"`, `"listpack"`, `"hashtable"`, …), or `null` when the key is
   * missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.set("n", 12);
   * await redis.object("ENCODING", "n"); // "int"
   * ```
   */
  object(subcommand: "ENCODING", key: string): CommandResult<M, string | null, this>;
  /**
   * `OBJECT FREQ` (the LFU counter, only under an `allkeys-lfu` or
   * `volatile-lfu` policy), `OBJECT IDLETIME` (seconds since last use, not
   * under an LFU policy) or `OBJECT REFCOUNT`: a number, or `null` when the key
   * is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const idle = await redis.object("IDLETIME", "session:1"); // seconds, or null
   * ```
   */
  object(
    subcommand: "FREQ" | "IDLETIME" | "REFCOUNT",
    key: string,
  ): CommandResult<M, number | null, this>;
  object(
    subcommand: "ENCODING" | "FREQ" | "IDLETIME" | "REFCOUNT",
    key: string,
  ): CommandResult<M, string | number | null, this> {
    return this.sendMapped<string | number | null>(["OBJECT", subcommand, key]);
  }

  /**
   * `DUMP`: the key's value in Redis's serialization format, as bytes for
   * `restore()`, or `null` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const payload = await redis.dump("user:1"); // Uint8Array | null
   * ```
   */
  dump(key: string): CommandResult<M, Uint8Array | null, this> {
    return this.sendMapped<Uint8Array | null>(["DUMP", key], undefined, { bytes: true });
  }

  /**
   * `RESTORE`: creates `key` from a `dump()` payload; `"OK"`. `ttl` is in
   * milliseconds (`0`: no expiry), or a Unix time in milliseconds with
   * `absttl`. An existing key is a `BUSYKEY` `ReplyError` unless `replace`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const payload = await redis.dump("user:1");
   * if (payload) await redis.restore("user:2", 60_000, payload, { replace: true });
   * ```
   */
  restore(
    key: string,
    ttl: number,
    serialized: Uint8Array,
    options?: RestoreOptions,
  ): CommandResult<M, string, this> {
    return this.sendMapped<string>(restoreCommand(key, ttl, serialized, options));
  }

  /**
   * `SORT … STORE`: sorts a list, set or sorted set into the list `store`;
   * the number of elements stored.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.sort("ids", { order: "DESC", store: "ids:sorted" }); // e.g. 3
   * ```
   */
  sort(key: string, options: SortStoreOptions): CommandResult<M, number, this>;
  /**
   * `SORT`: the elements of a list, set or sorted set, sorted (as numbers
   * unless `alpha`); with `get`, the looked-up values, `null` for a missing one.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.sort("ids", { by: "weight_*", get: ["#", "name_*"] });
   * ```
   */
  sort(key: string, options?: SortOptions): CommandResult<M, (string | null)[], this>;
  sort(
    key: string,
    options?: SortOptions | SortStoreOptions,
  ): CommandResult<M, (string | null)[] | number, this> {
    return this.sendMapped<(string | null)[] | number>(sortCommand(key, options));
  }
}
