/**
 * The `CacheStore` over Redis: a pool (or a strategy's router) that can
 * `send` commands and `dispatch` pipelined ones.
 *
 * @module
 */

import type { SendOptions } from "../client/connection.ts";
import { ReplyError } from "../client/errors.ts";
import { type Dispatcher, Pipeline } from "../client/pipeline.ts";
import type { Command, RedisArg, RedisReply } from "../resp/types.ts";
import type { CacheStore, ReadMode, StoredValue, StoreEntry } from "./store.ts";

/** What the Redis store needs from a pool, client or router. */
export interface RedisTarget extends Dispatcher {
  /** Sends one command. */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T>;
  /** Closes the connections. */
  close(): Promise<void>;
}

/** A Lua script run by its SHA1, loaded on first use. */
class Script {
  #source: string;
  #sha: Promise<string> | undefined;

  constructor(source: string) {
    this.#source = source;
  }

  async run<T>(target: RedisTarget, keys: string[], args: RedisArg[]): Promise<T> {
    this.#sha ??= sha1(this.#source);
    const sha = await this.#sha;
    try {
      return await target.send<T>(["EVALSHA", sha, keys.length, ...keys, ...args]);
    } catch (error) {
      if (!(error instanceof ReplyError) || error.code !== "NOSCRIPT") throw error;
      return await target.send<T>(["EVAL", this.#source, keys.length, ...keys, ...args]);
    }
  }
}

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const DELETE_IF_EQUALS = new Script(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);
const EXPIRE_IF_EQUALS = new Script(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
);
const MOVE = new Script(`
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[2], value, 'PX', ttl) else redis.call('SET', KEYS[2], value) end
if KEYS[1] ~= KEYS[2] then redis.call('DEL', KEYS[1]) end
return 1`);

function setCommand(
  key: string,
  value: StoredValue,
  ttl: number | null,
  condition?: "nx" | "xx",
): Command {
  if (condition === undefined) {
    return ttl === null ? ["SET", key, value] : ["SET", key, value, "PX", ttl];
  }
  const command: RedisArg[] = ["SET", key, value];
  if (ttl !== null) command.push("PX", ttl);
  command.push(condition === "nx" ? "NX" : "XX");
  return command;
}

function readOptions(mode: ReadMode): SendOptions {
  return mode === "bytes" ? BYTES : AUTO;
}
const BYTES: SendOptions = { bytes: true };
const AUTO: SendOptions = { bytes: "auto" };

/** Stores cache entries in Redis. */
export class RedisStore implements CacheStore {
  #target: RedisTarget;

  /** @param target The pool, client or router that carries the commands. */
  constructor(target: RedisTarget) {
    this.#target = target;
  }

  /** The pool, client or router underneath. */
  get target(): RedisTarget {
    return this.#target;
  }

  get(key: string, mode: ReadMode): Promise<StoredValue | null> {
    return this.#target.send<StoredValue | null>(["GET", key], readOptions(mode));
  }

  getMany(keys: readonly string[], mode: ReadMode): Promise<(StoredValue | null)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.#target.send<(StoredValue | null)[]>(["MGET", ...keys], readOptions(mode));
  }

  set(
    key: string,
    value: StoredValue,
    ttl: number | null,
    condition?: "nx" | "xx",
  ): Promise<boolean> {
    // One promise, settled straight from the reply (no .then hop).
    return new Promise((resolve, reject) =>
      this.#target.dispatch(setCommand(key, value, ttl, condition), {
        resolve: (reply) => resolve(reply !== null),
        reject,
      })
    );
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = new Pipeline(this.#target);
    for (const [key, value, ttl] of entries) pipeline.send(setCommand(key, value, ttl));
    const failed = (await pipeline.exec()).find((r) => r instanceof ReplyError);
    if (failed !== undefined) throw failed;
  }

  delete(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#target.send<number>(["UNLINK", ...keys]);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#target.send<number>(["EXISTS", key])) === 1;
  }

  async incrBy(key: string, delta: number): Promise<number> {
    return Number(await this.#target.send<number | bigint>(["INCRBY", key, delta]));
  }

  pttl(key: string): Promise<number> {
    return this.#target.send<number>(["PTTL", key]);
  }

  async pexpire(key: string, ttl: number): Promise<boolean> {
    return (await this.#target.send<number>(["PEXPIRE", key, Math.ceil(ttl)])) === 1;
  }

  async pexpireAt(key: string, at: number): Promise<boolean> {
    return (await this.#target.send<number>(["PEXPIREAT", key, Math.ceil(at)])) === 1;
  }

  async persist(key: string): Promise<boolean> {
    return (await this.#target.send<number>(["PERSIST", key])) === 1;
  }

  async *scan(match: string, count: number): AsyncGenerator<string[], void, undefined> {
    let cursor = "0";
    do {
      const [next, keys] = await this.#target.send<[string, string[]]>([
        "SCAN",
        cursor,
        "MATCH",
        match,
        "COUNT",
        count,
      ]);
      cursor = String(next);
      if (keys.length > 0) yield keys;
    } while (cursor !== "0");
  }

  async flush(): Promise<void> {
    await this.#target.send(["FLUSHDB"]);
  }

  async deleteIfEquals(key: string, token: string): Promise<boolean> {
    return (await DELETE_IF_EQUALS.run<number>(this.#target, [key], [token])) === 1;
  }

  async expireIfEquals(key: string, token: string, ttl: number): Promise<boolean> {
    return (await EXPIRE_IF_EQUALS.run<number>(this.#target, [key], [token, Math.ceil(ttl)])) === 1;
  }

  async move(from: string, to: string): Promise<boolean> {
    return (await MOVE.run<number>(this.#target, [from, to], [])) === 1;
  }

  close(): Promise<void> {
    return this.#target.close();
  }
}
