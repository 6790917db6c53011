/**
 * Options and argument builders of the keyspace commands (`COPY`,
 * `RESTORE`, `SORT`), kept beside `keys.ts` so the class file stays short.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";

/**
 * Options of `copy()` (`COPY`).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.copy("template", "draft", { replace: true }); // true when copied
 * ```
 */
export interface CopyOptions {
  /** Copy into this database instead of the connection's own (not on a cluster). */
  db?: number;
  /** Overwrite the destination if it exists (otherwise nothing is copied). */
  replace?: boolean;
}

/**
 * Options of `restore()` (`RESTORE`). `idletime` and `freq` exclude each other.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const payload = await redis.dump("user:1");
 * if (payload) await redis.restore("user:1:copy", 0, payload, { replace: true });
 * ```
 */
export interface RestoreOptions {
  /** Overwrite the key if it exists (otherwise an existing key is a `BUSYKEY` error). */
  replace?: boolean;
  /** The `ttl` argument is a Unix time in milliseconds, not a duration. */
  absttl?: boolean;
  /** Seconds since the key was last used, for LRU eviction. */
  idletime?: number;
  /** The key's access frequency (0–255), for LFU eviction. */
  freq?: number;
}

/**
 * Options of `sort()` (`SORT`). Add `store` to write the result to a list
 * instead (see `SortStoreOptions`).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.sort("names", { alpha: true, order: "DESC", limit: { offset: 0, count: 10 } });
 * ```
 */
export interface SortOptions {
  /** Sort by the values of these keys (`weight_*`), or `"nosort"` to skip sorting. */
  by?: string;
  /** Return `count` elements from `offset`. */
  limit?: { offset: number; count: number };
  /** Return the values of these keys (`object_*`, `hash_*->field`, `#` for the element). */
  get?: string | readonly string[];
  /** `"ASC"` (the default) or `"DESC"`. */
  order?: "ASC" | "DESC";
  /** Compare as strings instead of as numbers. */
  alpha?: boolean;
}

/**
 * Options of `sort()` that store the result in `store` (a list) and answer
 * with its length.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const n = await redis.sort("scores", { order: "DESC", store: "scores:sorted" });
 * ```
 */
export interface SortStoreOptions extends SortOptions {
  /** The list that receives the sorted elements (replaced if it exists). */
  store: string;
}

const COPY_KEYS = ["db", "replace"];
const RESTORE_KEYS = ["replace", "absttl", "idletime", "freq"];
const SORT_KEYS = ["by", "limit", "get", "order", "alpha", "store"];

/** `COPY source destination [DB n] [REPLACE]`, the options checked. */
export function copyCommand(
  source: string,
  destination: string,
  options: CopyOptions | undefined,
): RedisArg[] {
  const command: RedisArg[] = ["COPY", source, destination];
  if (options === undefined) return command;
  checkOptionKeys(options, COPY_KEYS, "copy()");
  if (options.db !== undefined) command.push("DB", options.db);
  if (options.replace) command.push("REPLACE");
  return command;
}

/** `RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s | FREQ f]`, the options checked. */
export function restoreCommand(
  key: string,
  ttl: number,
  serialized: Uint8Array,
  options: RestoreOptions | undefined,
): RedisArg[] {
  const command: RedisArg[] = ["RESTORE", key, ttl, serialized];
  if (options === undefined) return command;
  checkOptionKeys(options, RESTORE_KEYS, "restore()");
  if (options.idletime !== undefined && options.freq !== undefined) {
    throw new TypeError("Cannot combine idletime and freq in restore(): pick one");
  }
  if (options.replace) command.push("REPLACE");
  if (options.absttl) command.push("ABSTTL");
  if (options.idletime !== undefined) command.push("IDLETIME", options.idletime);
  if (options.freq !== undefined) command.push("FREQ", options.freq);
  return command;
}

/** `SORT key [BY p] [LIMIT o c] [GET p …] [ASC|DESC] [ALPHA] [STORE dest]`, checked. */
export function sortCommand(
  key: string,
  options: SortOptions | SortStoreOptions | undefined,
): RedisArg[] {
  const command: RedisArg[] = ["SORT", key];
  if (options === undefined) return command;
  checkOptionKeys(options, SORT_KEYS, "sort()");
  if (options.order !== undefined && options.order !== "ASC" && options.order !== "DESC") {
    throw new TypeError(
      `Invalid order "${String(options.order).slice(0, 40)}" for sort(): use ASC or DESC`,
    );
  }
  if (options.by !== undefined) command.push("BY", options.by);
  if (options.limit !== undefined) command.push("LIMIT", options.limit.offset, options.limit.count);
  const get = options.get;
  if (get !== undefined) {
    for (const pattern of typeof get === "string" ? [get] : get) command.push("GET", pattern);
  }
  if (options.order !== undefined) command.push(options.order);
  if (options.alpha) command.push("ALPHA");
  if ("store" in options && options.store !== undefined) command.push("STORE", options.store);
  return command;
}
