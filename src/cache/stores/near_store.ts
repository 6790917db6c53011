/**
 * The `CacheStore` with a near cache in front of the Redis store: reads look
 * in process memory first (`src/near`), a miss reads Redis on a tracking
 * connection and keeps what comes back unless something invalidated it
 * meanwhile; every write drops the keys it touches before it is sent and
 * again once it is answered, so a read that resolves after a write never
 * sees the old value (read-your-writes). Other processes' writes arrive as
 * Redis's invalidation pushes.
 *
 * @module
 */

import type { NearMemory, NearRead } from "../../near/near_memory.ts";
import type { RedisStore } from "./redis_store.ts";
import type { CacheStore, ReadMode, StoredValue, StoreEntry } from "./store.ts";

/** Bytes are copied for each caller: nobody may change what memory or another caller holds. */
function own(value: StoredValue | null): StoredValue | null {
  return value instanceof Uint8Array ? value.slice() : value;
}

/** Redis behind a near cache. */
export class NearStore implements CacheStore {
  #redis: RedisStore;
  #memory: NearMemory;

  constructor(redis: RedisStore, memory: NearMemory) {
    this.#redis = redis;
    this.#memory = memory;
  }

  /** The near cache's memory. */
  get memory(): NearMemory {
    return this.#memory;
  }

  get(key: string, mode: ReadMode): Promise<StoredValue | null> {
    const entry = this.#memory.fresh(key, mode);
    if (entry !== undefined) return Promise.resolve(own(entry.stored));
    return this.#fetch(key, mode);
  }

  async getMany(keys: readonly string[], mode: ReadMode): Promise<(StoredValue | null)[]> {
    const values = new Array<StoredValue | null | Promise<StoredValue | null>>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const entry = this.#memory.fresh(keys[i], mode);
      // Misses are sent in this tick, so they leave together in one write.
      values[i] = entry !== undefined ? own(entry.stored) : this.#fetch(keys[i], mode);
    }
    return await Promise.all(values);
  }

  /** Reads Redis, sharing a read of the same key already in flight. */
  #fetch(key: string, mode: ReadMode): Promise<StoredValue | null> {
    const read = this.#memory.read(key, mode);
    if (read.promise !== undefined) return read.promise.then(own);
    const promise = new Promise<StoredValue | null>((resolve, reject) => {
      let value: StoredValue | null = null;
      let pttl: number | undefined;
      let failure: Error | undefined;
      let waiting = 2;
      const done = () => {
        if (--waiting > 0) return;
        this.#memory.settle(read, failure === undefined ? value : null, pttl);
        if (failure === undefined) resolve(value);
        else reject(failure);
      };
      this.#redis.readTracked(key, mode, read, {
        resolve: (reply) => {
          value = reply as StoredValue | null;
          done();
        },
        reject: (error) => {
          failure = error;
          done();
        },
      }, {
        resolve: (reply) => {
          pttl = typeof reply === "number" ? reply : undefined;
          done();
        },
        reject: () => done(),
      });
    });
    (read as NearRead).promise = promise;
    // The first caller gets its own bytes too; memory keeps the original.
    return promise.then(own);
  }

  /** Runs a write of `keys`, dropping them from memory before it is sent and once it settles. */
  #writing<T>(keys: readonly string[], write: () => Promise<T>): Promise<T> {
    this.#memory.forget(keys);
    let running: Promise<T>;
    try {
      running = write();
    } catch (error) {
      return Promise.reject(error);
    }
    const forget = () => this.#memory.forget(keys);
    return running.then((result) => {
      forget();
      return result;
    }, (error) => {
      forget();
      throw error;
    });
  }

  set(key: string, value: StoredValue, ttl: number | null, condition?: "nx" | "xx") {
    return this.#writing([key], () => this.#redis.set(key, value, ttl, condition));
  }

  ensure(key: string, value: string, ttl: number | null): Promise<string> {
    return this.#writing([key], () => this.#redis.ensure(key, value, ttl));
  }

  setMany(entries: readonly StoreEntry[]): Promise<void> {
    return this.#writing(entries.map((e) => e[0]), () => this.#redis.setMany(entries));
  }

  delete(keys: readonly string[]): Promise<number> {
    return this.#writing(keys, () => this.#redis.delete(keys));
  }

  exists(key: string): Promise<boolean> {
    return this.#redis.exists(key);
  }

  incrBy(key: string, delta: number): Promise<number> {
    return this.#writing([key], () => this.#redis.incrBy(key, delta));
  }

  /** From memory while the value is there (the herd strategy asks on every read). */
  pttl(key: string): Promise<number> {
    const known = this.#memory.pttl(key);
    return known !== undefined ? Promise.resolve(known) : this.#redis.pttl(key);
  }

  pexpire(key: string, ttl: number): Promise<boolean> {
    return this.#writing([key], () => this.#redis.pexpire(key, ttl));
  }

  pexpireAt(key: string, at: number): Promise<boolean> {
    return this.#writing([key], () => this.#redis.pexpireAt(key, at));
  }

  persist(key: string): Promise<boolean> {
    return this.#writing([key], () => this.#redis.persist(key));
  }

  scan(match: string, count: number): AsyncIterable<string[]> {
    return this.#redis.scan(match, count);
  }

  async flush(): Promise<void> {
    this.#memory.forgetAll();
    try {
      await this.#redis.flush();
    } finally {
      this.#memory.forgetAll();
    }
  }

  deleteIfEquals(key: string, token: string): Promise<boolean> {
    return this.#writing([key], () => this.#redis.deleteIfEquals(key, token));
  }

  expireIfEquals(key: string, token: string, ttl: number): Promise<boolean> {
    return this.#writing([key], () => this.#redis.expireIfEquals(key, token, ttl));
  }

  move(from: string, to: string): Promise<boolean> {
    return this.#writing([from, to], () => this.#redis.move(from, to));
  }

  close(): Promise<void> {
    this.#memory.forgetAll();
    return this.#redis.close();
  }
}
