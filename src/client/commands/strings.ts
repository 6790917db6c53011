/**
 * Typed string commands: `GET`, `SET` with its options, `MGET`, `MSET`, `GETDEL`, `GETEX`, ….
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { ExpiryCommands } from "./expiry.ts";

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

const SET_KEYS = ["ex", "px", "exat", "pxat", "keepTtl", "nx", "xx", "get"];

function setArgs(command: RedisArg[], options: SetOptions): RedisArg[] {
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

/**
 * Typed string commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.set("greeting", "hello", { ex: 60 });
 * console.log(await redis.get("greeting"));
 * ```
 */
export abstract class StringCommands<M extends CommandMode> extends ExpiryCommands<M> {
  /**
   * `GET` as a string, or `null` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const name = await redis.get("user:1:name");
   * ```
   */
  get(key: string): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["GET", key]);
  }

  /**
   * `GET` as bytes, or `null` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const image = await redis.getBytes("logo"); // Uint8Array | null
   * ```
   */
  getBytes(key: string): CommandResult<M, Uint8Array | null, this> {
    return this.sendMapped<Uint8Array | null>(["GET", key], undefined, { bytes: true });
  }

  /**
   * `SET` with its options: `OK`, or `null` when `nx`/`xx` prevented the write; with
   * `get`, the old value.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.set("session:1", "data", { ex: 3600, nx: true });
   * ```
   */
  set(key: string, value: RedisArg, options?: SetOptions): CommandResult<M, string | null, this> {
    const command: RedisArg[] = ["SET", key, value];
    return this.sendMapped<string | null>(
      options === undefined ? command : setArgs(command, options),
    );
  }

  /**
   * `GETDEL`: the value (or `null`), deleting the key.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const once = await redis.getdel("token:1");
   * ```
   */
  getdel(key: string): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["GETDEL", key]);
  }

  /**
   * `MGET`: values in the order of the keys, `null` for missing ones.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [a, b] = await redis.mget("a", "b");
   * ```
   */
  mget(...keys: string[]): CommandResult<M, (string | null)[], this> {
    return this.sendMapped<(string | null)[]>(["MGET", ...keys]);
  }

  /**
   * `MSET` from an object or a list of pairs: `OK`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.mset({ a: "1", b: "2" });
   * ```
   */
  mset(
    entries: Record<string, RedisArg> | Iterable<readonly [string, RedisArg]>,
  ): CommandResult<M, string, this> {
    const command: RedisArg[] = ["MSET"];
    const pairs = Symbol.iterator in entries
      ? entries as Iterable<readonly [string, RedisArg]>
      : Object.entries(entries);
    for (const [key, value] of pairs) command.push(key, value);
    return this.sendMapped<string>(command);
  }
}
