/**
 * Typed methods for the common commands, as thin calls of `send`. Any class
 * with a `send` (the client now, the pool later) gets them by extending
 * `Commands`.
 *
 * @module
 */

import type { Command, RedisArg, RedisReply } from "../resp/types.ts";
import type { SendOptions } from "./send_options.ts";
import { checkOptionKeys } from "../util/options.ts";

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

/**
 * Options of `SCAN`.
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
  /** Glob pattern the keys must match. */
  match?: string;
  /** Hint for how many keys one call examines. */
  count?: number;
  /** Only keys of this type (`string`, `hash`, …). */
  type?: string;
}

const SCAN_KEYS = ["match", "count", "type"];

/**
 * Condition of `EXPIRE`/`PEXPIRE` (Redis 7).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.expire("k", 60, "GT"); // only if it lengthens the time to live
 * ```
 */
export type ExpireCondition = "NX" | "XX" | "GT" | "LT";

function scanArgs(options: ScanOptions | undefined): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options, SCAN_KEYS, "scan()");
  const args: RedisArg[] = [];
  if (options.match !== undefined) args.push("MATCH", options.match);
  if (options.count !== undefined) args.push("COUNT", options.count);
  if (options.type !== undefined) args.push("TYPE", options.type);
  return args;
}

function toRecord(reply: RedisReply): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (reply instanceof Map) {
    for (const [k, v] of reply) out[String(k)] = v as string;
  } else if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1] as string;
  }
  return out;
}

/**
 * Typed methods for the common commands, on top of `send`. `RedisClient`
 * extends it; so can anything else that implements `send`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.set("session:1", "data", { ex: 3600, nx: true });
 * for await (const key of redis.scanIterator({ match: "session:*" })) console.log(key);
 * ```
 */
export abstract class Commands {
  /**
   * Sends a command and resolves with its decoded reply.
   *
   * @param command The command name and its arguments.
   * @param options `bytes`, `timeout` and `signal` for this command.
   */
  abstract send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T>;

  /** `PING`: resolves with `PONG`, or the message echoed. */
  ping(message?: string): Promise<string> {
    return this.send<string>(message === undefined ? ["PING"] : ["PING", message]);
  }

  /** `ECHO`: resolves with the message. */
  echo(message: string): Promise<string> {
    return this.send<string>(["ECHO", message]);
  }

  /** `GET` as a string, or `null` when the key is missing. */
  get(key: string): Promise<string | null> {
    return this.send<string | null>(["GET", key]);
  }

  /** `GET` as bytes, or `null` when the key is missing. */
  getBytes(key: string): Promise<Uint8Array | null> {
    return this.send<Uint8Array | null>(["GET", key], { bytes: true });
  }

  /**
   * `SET` with its options. Resolves with `OK`, or `null` when `nx`/`xx`
   * prevented the write; with `get`, the old value.
   */
  set(key: string, value: RedisArg, options?: SetOptions): Promise<string | null> {
    const command: RedisArg[] = ["SET", key, value];
    if (options !== undefined) {
      checkOptionKeys(options, SET_KEYS, "set()");
      const ttl = [options.ex, options.px, options.exat, options.pxat].filter((v) =>
        v !== undefined
      );
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
    }
    return this.send<string | null>(command);
  }

  /** `GETDEL`: the value, deleting the key. */
  getDel(key: string): Promise<string | null> {
    return this.send<string | null>(["GETDEL", key]);
  }

  /** `DEL`: the number of keys removed. */
  del(...keys: string[]): Promise<number> {
    return this.send<number>(["DEL", ...keys]);
  }

  /** `UNLINK`: like `del`, but frees memory in the background. */
  unlink(...keys: string[]): Promise<number> {
    return this.send<number>(["UNLINK", ...keys]);
  }

  /** `EXISTS`: how many of the keys exist. */
  exists(...keys: string[]): Promise<number> {
    return this.send<number>(["EXISTS", ...keys]);
  }

  /** `MGET`: values in the order of the keys, `null` for missing ones. */
  mget(...keys: string[]): Promise<(string | null)[]> {
    return this.send<(string | null)[]>(["MGET", ...keys]);
  }

  /** `MSET` from an object or a list of pairs. */
  mset(entries: Record<string, RedisArg> | Iterable<readonly [string, RedisArg]>): Promise<string> {
    const command: RedisArg[] = ["MSET"];
    const pairs = Symbol.iterator in entries
      ? entries as Iterable<readonly [string, RedisArg]>
      : Object.entries(entries);
    for (const [key, value] of pairs) command.push(key, value);
    return this.send<string>(command);
  }

  /** `INCR`: the new value. */
  incr(key: string): Promise<number> {
    return this.send<number>(["INCR", key]);
  }

  /** `INCRBY`: the new value. */
  incrby(key: string, delta: number | bigint): Promise<number> {
    return this.send<number>(["INCRBY", key, delta]);
  }

  /** `INCRBYFLOAT`: the new value. */
  async incrbyfloat(key: string, delta: number): Promise<number> {
    return Number(await this.send<string>(["INCRBYFLOAT", key, delta]));
  }

  /** `DECR`: the new value. */
  decr(key: string): Promise<number> {
    return this.send<number>(["DECR", key]);
  }

  /** `DECRBY`: the new value. */
  decrby(key: string, delta: number | bigint): Promise<number> {
    return this.send<number>(["DECRBY", key, delta]);
  }

  /** `EXPIRE`: true when the timeout was set. */
  async expire(key: string, seconds: number, condition?: ExpireCondition): Promise<boolean> {
    const command: RedisArg[] = ["EXPIRE", key, seconds];
    if (condition !== undefined) command.push(condition);
    return (await this.send<number>(command)) === 1;
  }

  /** `PEXPIRE`: true when the timeout was set. */
  async pexpire(key: string, milliseconds: number, condition?: ExpireCondition): Promise<boolean> {
    const command: RedisArg[] = ["PEXPIRE", key, milliseconds];
    if (condition !== undefined) command.push(condition);
    return (await this.send<number>(command)) === 1;
  }

  /** `PEXPIREAT` from a `Date` or Unix milliseconds: true when the timeout was set. */
  async expireAt(key: string, at: Date | number): Promise<boolean> {
    const ms = at instanceof Date ? at.getTime() : at;
    return (await this.send<number>(["PEXPIREAT", key, ms])) === 1;
  }

  /** `TTL` in seconds: -1 without expiry, -2 when missing. */
  ttl(key: string): Promise<number> {
    return this.send<number>(["TTL", key]);
  }

  /** `PTTL` in milliseconds: -1 without expiry, -2 when missing. */
  pttl(key: string): Promise<number> {
    return this.send<number>(["PTTL", key]);
  }

  /** `PERSIST`: true when a timeout was removed. */
  async persist(key: string): Promise<boolean> {
    return (await this.send<number>(["PERSIST", key])) === 1;
  }

  /** `TYPE`: `string`, `list`, `hash`, …, or `none`. */
  type(key: string): Promise<string> {
    return this.send<string>(["TYPE", key]);
  }

  /** One `SCAN` call: the next cursor and a page of keys. */
  async scan(cursor: string | number, options?: ScanOptions): Promise<[string, string[]]> {
    const reply = await this.send<[string, string[]]>(["SCAN", cursor, ...scanArgs(options)]);
    return [String(reply[0]), reply[1]];
  }

  /** Every key that `SCAN` finds, page by page, as an async iterator. */
  async *scanIterator(options?: ScanOptions): AsyncGenerator<string, void, undefined> {
    const args = scanArgs(options);
    let cursor = "0";
    do {
      const [next, keys] = await this.send<[string, string[]]>(["SCAN", cursor, ...args]);
      cursor = String(next);
      yield* keys;
    } while (cursor !== "0");
  }

  /** `EVAL` a Lua script with its keys and arguments. */
  eval<T = RedisReply>(script: string, keys: string[] = [], args: RedisArg[] = []): Promise<T> {
    return this.send<T>(["EVAL", script, keys.length, ...keys, ...args]);
  }

  /** `EVALSHA` a script loaded with `scriptLoad`. */
  evalsha<T = RedisReply>(sha: string, keys: string[] = [], args: RedisArg[] = []): Promise<T> {
    return this.send<T>(["EVALSHA", sha, keys.length, ...keys, ...args]);
  }

  /** `SCRIPT LOAD`: the script's SHA1, for `evalsha`. */
  scriptLoad(script: string): Promise<string> {
    return this.send<string>(["SCRIPT", "LOAD", script]);
  }

  /** `HGET`: one field of a hash. */
  hget(key: string, field: string): Promise<string | null> {
    return this.send<string | null>(["HGET", key, field]);
  }

  /** `HSET` from an object: the number of fields added. */
  hset(key: string, fields: Record<string, RedisArg>): Promise<number> {
    const command: RedisArg[] = ["HSET", key];
    for (const [field, value] of Object.entries(fields)) command.push(field, value);
    return this.send<number>(command);
  }

  /** `HGETALL` as a plain object (empty when the key is missing). */
  async hgetall(key: string): Promise<Record<string, string>> {
    return toRecord(await this.send(["HGETALL", key]));
  }

  /** `HDEL`: the number of fields removed. */
  hdel(key: string, ...fields: string[]): Promise<number> {
    return this.send<number>(["HDEL", key, ...fields]);
  }

  /** `PUBLISH`: how many subscribers got the message. */
  publish(channel: string, message: RedisArg): Promise<number> {
    return this.send<number>(["PUBLISH", channel, message]);
  }

  /** `DBSIZE`: the number of keys in the selected database. */
  dbsize(): Promise<number> {
    return this.send<number>(["DBSIZE"]);
  }

  /** `INFO`, or one section of it, as text. */
  info(section?: string): Promise<string> {
    return this.send<string>(section === undefined ? ["INFO"] : ["INFO", section]);
  }
}
