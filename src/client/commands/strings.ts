/**
 * Typed string commands: `GET`, `SET` with its options, `GETDEL`, `GETEX`,
 * `GETSET`, `SETNX`, `SETEX`, `PSETEX`, `MGET`, `MSET`, `MSETNX`, `APPEND`,
 * `STRLEN`, `GETRANGE`, `SETRANGE`, `LCS`.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { ExpiryCommands } from "./expiry.ts";
import { toBoolean } from "./replies.ts";
import {
  getexCommand,
  type GetExOptions,
  lcsCommand,
  type LcsIdxOptions,
  type LcsIdxResult,
  setArgs,
  type SetOptions,
  toLcsIdxResult,
  withPairs,
} from "./string_args.ts";

export type { SetOptions };

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
    return this.sendMapped<string>(withPairs(["MSET"], entries));
  }

  /**
   * `GETEX`: the value (or `null`), setting or removing its time to live on
   * the way (at most one option).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const session = await redis.getex("session:1", { ex: 1800 }); // sliding expiry
   * ```
   */
  getex(key: string, options?: GetExOptions): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(getexCommand(key, options));
  }

  /**
   * `GETSET`: sets the value and returns the old one (or `null`); the time
   * to live is cleared. Same as `set(key, value, { get: true })`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const previous = await redis.getset("counter", 0);
   * ```
   */
  getset(key: string, value: RedisArg): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["GETSET", key, value]);
  }

  /**
   * `SETNX`: `true` when the key was set, `false` when it already existed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * if (await redis.setnx("installed", "1")) console.log("first run");
   * ```
   */
  setnx(key: string, value: RedisArg): CommandResult<M, boolean, this> {
    return this.sendMapped(["SETNX", key, value], toBoolean);
  }

  /**
   * `SETEX`: sets the value with a time to live in seconds; `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.setex("otp:42", 300, "913204");
   * ```
   */
  setex(key: string, seconds: number, value: RedisArg): CommandResult<M, string, this> {
    return this.sendMapped<string>(["SETEX", key, seconds, value]);
  }

  /**
   * `PSETEX`: sets the value with a time to live in milliseconds; `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.psetex("flash", 1_500, "saved");
   * ```
   */
  psetex(key: string, milliseconds: number, value: RedisArg): CommandResult<M, string, this> {
    return this.sendMapped<string>(["PSETEX", key, milliseconds, value]);
  }

  /**
   * `MSETNX` from an object or a list of pairs: `true` when every key was
   * set, `false` (and nothing set) when any of them existed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.msetnx({ "user:1:name": "Ada", "user:1:born": 1815 });
   * ```
   */
  msetnx(
    entries: Record<string, RedisArg> | Iterable<readonly [string, RedisArg]>,
  ): CommandResult<M, boolean, this> {
    return this.sendMapped(withPairs(["MSETNX"], entries), toBoolean);
  }

  /**
   * `APPEND`: the length of the value after appending (a missing key starts empty).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.append("log", "line\n");
   * ```
   */
  append(key: string, value: RedisArg): CommandResult<M, number, this> {
    return this.sendMapped<number>(["APPEND", key, value]);
  }

  /**
   * `STRLEN`: the value's length in bytes (`0` when the key is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const bytes = await redis.strlen("page:home");
   * ```
   */
  strlen(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["STRLEN", key]);
  }

  /**
   * `GETRANGE`: the bytes from `start` to `end` inclusive (negative offsets
   * count from the end), as a string; `""` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.set("greeting", "Hello, world");
   * await redis.getrange("greeting", -5, -1); // "world"
   * ```
   */
  getrange(key: string, start: number, end: number): CommandResult<M, string, this> {
    return this.sendMapped<string>(["GETRANGE", key, start, end]);
  }

  /**
   * `SETRANGE`: overwrites the value from byte `offset` (padding with zero
   * bytes); the value's new length.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.setrange("greeting", 7, "Redis"); // 12
   * ```
   */
  setrange(key: string, offset: number, value: RedisArg): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SETRANGE", key, offset, value]);
  }

  /**
   * `LCS` (Redis 7): the longest common subsequence of two string values
   * (`""` when none, or a key is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.mset({ a: "ohmytext", b: "mynewtext" });
   * await redis.lcs("a", "b"); // "mytext"
   * ```
   */
  lcs(key1: string, key2: string): CommandResult<M, string, this>;
  /**
   * `LCS … LEN`: the length of the longest common subsequence.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.lcs("a", "b", { len: true }); // 6
   * ```
   */
  lcs(key1: string, key2: string, options: { len: true }): CommandResult<M, number, this>;
  /**
   * `LCS … IDX`: the matching ranges and the length, as
   * `{ matches: [{ key1: [start, end], key2: [start, end], length? }], len }`
   * on both protocols.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const { matches, len } = await redis.lcs("a", "b", { idx: true, withMatchLen: true });
   * ```
   */
  lcs(key1: string, key2: string, options: LcsIdxOptions): CommandResult<M, LcsIdxResult, this>;
  lcs(
    key1: string,
    key2: string,
    options?: { len: true } | LcsIdxOptions,
  ): CommandResult<M, string | number | LcsIdxResult, this> {
    const command = lcsCommand(key1, key2, options);
    if (options !== undefined && "idx" in options && options.idx) {
      return this.sendMapped(command, toLcsIdxResult);
    }
    return this.sendMapped<string | number>(command);
  }
}
