/**
 * The `CacheStore` over Redis: commands go where a strategy's `Router` says
 * (a single pool is a router with one target). Multi-key operations are
 * split per target and the parts run in parallel.
 *
 * @module
 */

import type { SendOptions, Settle } from "../../client/send_options.ts";
import { ON_SESSION, type Session } from "../../client/tracking.ts";
import { ReplyError } from "../../errors.ts";
import { Pipeline } from "../../client/pipeline.ts";
import { defineScript } from "../../client/scripts/define_script.ts";
import type { RedisTarget } from "../../client/target.ts";
import type { Command, RedisArg } from "../../resp/types.ts";
import type { CacheStore, ReadMode, StoredValue, StoreEntry } from "./store.ts";
import type { Router } from "../../strategies/router.ts";
import { SingleRouter } from "../../strategies/single_router.ts";

const DELETE_IF_EQUALS = /* @__PURE__ */ defineScript<number>(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
  { keys: 1 },
);
const EXPIRE_IF_EQUALS = /* @__PURE__ */ defineScript<number>(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
  { keys: 1 },
);
// Stores ARGV[1] if the key is missing; then the key lives at least ARGV[2] ms more ('' : forever).
const ENSURE = /* @__PURE__ */ defineScript<string>(
  `
local v = redis.call('GET', KEYS[1])
if not v then
  if ARGV[2] == '' then redis.call('SET', KEYS[1], ARGV[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
  return ARGV[1]
end
if ARGV[2] == '' then redis.call('PERSIST', KEYS[1]) else
  local left = redis.call('PTTL', KEYS[1])
  if left >= 0 and left < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
end
return v`,
  { keys: 1 },
);
const MOVE = /* @__PURE__ */ defineScript<number>(
  `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[2], value, 'PX', ttl) else redis.call('SET', KEYS[2], value) end
if KEYS[1] ~= KEYS[2] then redis.call('DEL', KEYS[1]) end
return 1`,
  { keys: 2 },
);

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

/**
 * Splits `items` by the target that serves each one's key: a map from target
 * to the items' positions.
 */
function groupBy<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  targetOf: (key: string) => RedisTarget,
): Map<RedisTarget, number[]> {
  const groups = new Map<RedisTarget, number[]>();
  for (let i = 0; i < items.length; i++) {
    const target = targetOf(keyOf(items[i]));
    const group = groups.get(target);
    if (group === undefined) groups.set(target, [i]);
    else group.push(i);
  }
  return groups;
}

const itself = (key: string) => key;
const entryKey = (entry: StoreEntry) => entry[0];

/** Stores cache entries in Redis. */
export class RedisStore implements CacheStore {
  #router: Router;
  #read: (key: string) => RedisTarget;
  #write: (key: string) => RedisTarget;

  /** @param target A strategy's router, or the one pool or client that serves every key. */
  constructor(target: Router | RedisTarget) {
    this.#router = "route" in target ? target : new SingleRouter(target);
    this.#read = (key) => this.#router.route(key, true);
    this.#write = (key) => this.#router.route(key, false);
  }

  /** The router underneath. */
  get router(): Router {
    return this.#router;
  }

  get(key: string, mode: ReadMode): Promise<StoredValue | null> {
    return this.#read(key).send<StoredValue | null>(["GET", key], readOptions(mode));
  }

  /**
   * A near cache's read of `key`: GET, then PTTL queued right behind it (so
   * on the same connection unless the pool moves on between them), each
   * noting in `sessions` the tracking session of the connection it went out on.
   */
  readTracked(
    key: string,
    mode: ReadMode,
    sessions: { valueSession?: Session; ttlSession?: Session },
    value: Settle,
    ttl: Settle,
  ): void {
    const target = this.#read(key);
    target.dispatch(["GET", key], value, {
      bytes: mode === "bytes" ? true : "auto",
      [ON_SESSION]: (session: Session) => (sessions.valueSession = session),
    } as SendOptions);
    target.dispatch(["PTTL", key], ttl, {
      [ON_SESSION]: (session: Session) => (sessions.ttlSession = session),
    } as SendOptions);
  }

  async getMany(keys: readonly string[], mode: ReadMode): Promise<(StoredValue | null)[]> {
    if (keys.length === 0) return [];
    const options = readOptions(mode);
    const groups = groupBy(keys, itself, this.#read);
    if (groups.size === 1) {
      const [target] = groups.keys();
      return await target.send<(StoredValue | null)[]>(["MGET", ...keys], options);
    }
    const values = new Array<StoredValue | null>(keys.length);
    await Promise.all(
      Array.from(groups, async ([target, positions]) => {
        const found = await target.send<(StoredValue | null)[]>(
          ["MGET", ...positions.map((i) => keys[i])],
          options,
        );
        for (let j = 0; j < positions.length; j++) values[positions[j]] = found[j];
      }),
    );
    return values;
  }

  set(
    key: string,
    value: StoredValue,
    ttl: number | null,
    condition?: "nx" | "xx",
  ): Promise<boolean> {
    // One promise, settled straight from the reply (no .then hop).
    return new Promise((resolve, reject) =>
      this.#write(key).dispatch(setCommand(key, value, ttl, condition), {
        resolve: (reply) => resolve(reply !== null),
        reject,
      })
    );
  }

  /** One script: read, create with a TTL, or stretch the TTL, atomically. */
  async ensure(key: string, value: string, ttl: number | null): Promise<string> {
    const ms = ttl === null ? "" : Math.ceil(ttl);
    return await ENSURE(this.#write(key), [key], [value, ms]);
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const pipelines = [];
    for (const [target, positions] of groupBy(entries, entryKey, this.#write)) {
      const pipeline = new Pipeline(target);
      for (const i of positions) {
        const [key, value, ttl] = entries[i];
        pipeline.send(setCommand(key, value, ttl));
      }
      pipelines.push(pipeline.exec());
    }
    const failed = (await Promise.all(pipelines)).flat().find((r) => r instanceof ReplyError);
    if (failed !== undefined) throw failed;
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const counts = await Promise.all(
      Array.from(
        groupBy(keys, itself, this.#write),
        ([target, positions]) =>
          target.send<number>([
            "UNLINK",
            ...(positions.length === keys.length ? keys : positions.map((i) => keys[i])),
          ]),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#read(key).send<number>(["EXISTS", key])) === 1;
  }

  async incrBy(key: string, delta: number): Promise<number> {
    return Number(await this.#write(key).send<number | bigint>(["INCRBY", key, delta]));
  }

  pttl(key: string): Promise<number> {
    return this.#read(key).send<number>(["PTTL", key]);
  }

  async pexpire(key: string, ttl: number): Promise<boolean> {
    return (await this.#write(key).send<number>(["PEXPIRE", key, Math.ceil(ttl)])) === 1;
  }

  async pexpireAt(key: string, at: number): Promise<boolean> {
    return (await this.#write(key).send<number>(["PEXPIREAT", key, Math.ceil(at)])) === 1;
  }

  async persist(key: string): Promise<boolean> {
    return (await this.#write(key).send<number>(["PERSIST", key])) === 1;
  }

  /** SCAN on every node in turn (each shard or primary). */
  async *scan(match: string, count: number): AsyncGenerator<string[], void, undefined> {
    for (const target of await this.#router.nodes()) {
      let cursor = "0";
      do {
        const [next, keys] = await target.send<[string, string[]]>([
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
  }

  async flush(): Promise<void> {
    await Promise.all((await this.#router.nodes()).map((target) => target.send(["FLUSHDB"])));
  }

  async deleteIfEquals(key: string, token: string): Promise<boolean> {
    return (await DELETE_IF_EQUALS(this.#write(key), [key], [token])) === 1;
  }

  async expireIfEquals(key: string, token: string, ttl: number): Promise<boolean> {
    return (await EXPIRE_IF_EQUALS(this.#write(key), [key], [
      token,
      Math.ceil(ttl),
    ])) === 1;
  }

  /**
   * Atomic (one script) when both keys live on one server; otherwise a copy
   * (value and TTL) to the new server, then a delete on the old one.
   */
  async move(from: string, to: string): Promise<boolean> {
    const together = this.#router.together([from, to]);
    if (together !== undefined) return (await MOVE(together, [from, to])) === 1;
    const source = this.#write(from);
    const [value, ttl] = await Promise.all([
      source.send<Uint8Array | null>(["GET", from], BYTES),
      source.send<number>(["PTTL", from]),
    ]);
    if (value === null) return false;
    await this.#write(to).send(ttl > 0 ? ["SET", to, value, "PX", ttl] : ["SET", to, value]);
    await source.send(["UNLINK", from]);
    return true;
  }

  close(): Promise<void> {
    return this.#router.close();
  }
}
