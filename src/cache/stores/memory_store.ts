/**
 * An in-process {@linkcode CacheStore}: Django's LocMem for redcache, behind
 * `createCache({ url: "memory://" })` for development and tests. It answers
 * as the Redis store does, so one contract suite runs against both. This
 * file holds the value commands; `_memory_store_base.ts` the options,
 * closing and TTL commands, `_memory_entries.ts` the LRU and expiry
 * bookkeeping, `_redis_values.ts` Redis's integer and value rules.
 *
 * @module
 */
import { ReplyError } from "../../errors.ts";
import { globMatcher } from "../glob.ts";
import { MemoryStoreBase } from "./_memory_store_base.ts";
import {
  INT64_MAX,
  INT64_MIN,
  integer,
  invalidExpireTime,
  parseInteger,
  readAs,
} from "./_redis_values.ts";
import type { CacheStore, ReadMode, StoredValue, StoreEntry } from "./store.ts";

export type { MemoryStoreOptions } from "./_memory_store_base.ts";

const utf8 = /* @__PURE__ */ new TextDecoder();
/**
 * An LRU-bounded, in-process cache store with Redis semantics: TTLs in ms,
 * `NX`/`XX` writes, integer counters, glob scans. Expired entries are
 * invisible and are purged as the store is used; no timer ever runs, so a
 * forgotten store never keeps the process alive.
 *
 * @example
 * ```ts
 * import { MemoryStore } from "./memory_store.ts";
 *
 * const store = new MemoryStore({ maxEntries: 1_000 });
 * await store.set("greeting", "hello", 60_000);
 * console.log(await store.get("greeting", "text")); // "hello"
 * await store.close();
 * ```
 */
export class MemoryStore extends MemoryStoreBase implements CacheStore {
  /**
   * Reads a value (marking it recently used).
   *
   * @param key Full key.
   * @param mode `"text"`: a string, or bytes when the value starts with a NUL
   *   byte; `"bytes"`: always a `Uint8Array`.
   * @returns The value (a copy), or `null` when missing or expired.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("user:1", '{"name":"Ada"}', null);
   * await store.get("user:1", "text"); // '{"name":"Ada"}'
   * ```
   */
  get(key: string, mode: ReadMode): Promise<StoredValue | null> {
    return this.run(() => this.#read(key, mode));
  }

  /**
   * Reads several values (marking them recently used).
   *
   * @param keys Full keys.
   * @param mode As for {@linkcode MemoryStore.get}.
   * @returns The values in the order of `keys`, `null` for missing ones.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("a", "1", null);
   * await store.getMany(["a", "b"], "text"); // ["1", null]
   * ```
   */
  getMany(keys: readonly string[], mode: ReadMode): Promise<(StoredValue | null)[]> {
    return this.run(() => keys.map((key) => this.#read(key, mode)));
  }

  /**
   * Stores a value (a copy of bytes), replacing any value and time to live.
   *
   * @param key Full key.
   * @param value Text or bytes.
   * @param ttl Time to live in ms (a positive integer), or `null` for none.
   * @param condition `"nx"`: only if absent; `"xx"`: only if present.
   * @returns Whether the value was written.
   * @throws {RangeError} When the entry alone is larger than `maxBytes`.
   * @throws {ReplyError} When `ttl` is not a positive integer, as Redis does.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("lock", "token", 10_000, "nx"); // true, then false while held
   * ```
   */
  set(
    key: string,
    value: StoredValue,
    ttl: number | null,
    condition?: "nx" | "xx",
  ): Promise<boolean> {
    return this.run(() => {
      const expiresAt = this.#expiryOf(ttl, "set");
      const stored = this.#storable(key, value);
      if (condition) {
        const present = this.entries.live(key) !== undefined;
        if (present !== (condition === "xx")) return false;
      }
      this.entries.write(key, stored, expiresAt);
      return true;
    });
  }

  /**
   * The value of `key` as text, after storing `value` if it was missing; the
   * key then lives at least `ttl` ms more (`null`: forever).
   *
   * @param key Full key.
   * @param value The value to store when the key is missing.
   * @param ttl Milliseconds, or `null`.
   * @returns What the key holds now.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.ensure("tag:a", "t1", 60_000); // "t1"
   * await store.ensure("tag:a", "t2", 60_000); // "t1" again: the first value stays
   * ```
   */
  ensure(key: string, value: string, ttl: number | null): Promise<string> {
    return this.run(() => {
      const until = ttl === null ? null : this.entries.now() + Math.ceil(ttl);
      const entry = this.entries.live(key);
      if (entry === undefined) {
        this.entries.write(key, this.#storable(key, value), until);
        return value;
      }
      if (until === null) entry.expiresAt = null;
      else if (entry.expiresAt !== null && entry.expiresAt < until) this.entries.expire(key, until);
      return typeof entry.value === "string" ? entry.value : utf8.decode(entry.value);
    });
  }

  /**
   * Stores every entry, in order; nothing is written if one is invalid.
   *
   * @param entries `[key, value, ttl]` triples.
   * @returns Nothing.
   * @throws {RangeError} When an entry alone is larger than `maxBytes`.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.setMany([["a", "1", null], ["b", "2", 60_000]]);
   * ```
   */
  setMany(entries: readonly StoreEntry[]): Promise<void> {
    return this.run(() => {
      const checked = entries.map(([key, value, ttl]) =>
        [key, this.#storable(key, value), this.#expiryOf(ttl, "set")] as const
      );
      for (const [key, value, expiresAt] of checked) this.entries.write(key, value, expiresAt);
    });
  }

  /**
   * Deletes keys.
   *
   * @param keys Full keys.
   * @returns How many of them existed.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("a", "1", null);
   * await store.delete(["a", "missing"]); // 1
   * ```
   */
  delete(keys: readonly string[]): Promise<number> {
    return this.run(() => {
      let count = 0;
      for (const key of keys) {
        const entry = this.entries.live(key);
        if (entry) {
          this.entries.remove(key, entry);
          count++;
        }
      }
      return count;
    });
  }

  /**
   * Tells whether a key exists, without marking it used.
   *
   * @param key Full key.
   * @returns True when present and not expired.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("user:1", "Ada", null);
   * await store.exists("user:1"); // true
   * ```
   */
  exists(key: string): Promise<boolean> {
    return this.run(() => this.entries.live(key) !== undefined);
  }

  /**
   * Adds `delta` to a 64-bit integer value, exactly (a missing key counts as 0
   * and gets no time to live; an existing time to live is kept).
   *
   * @param key Full key.
   * @param delta An integer.
   * @returns The new value (as a number; the stored text stays exact).
   * @throws {ReplyError} `ERR value is not an integer or out of range` when the
   *   value (or `delta`) is not the text of a 64-bit integer; `ERR increment or
   *   decrement would overflow` past the 64-bit range. The value is untouched.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.incrBy("views", 1); // 1
   * ```
   */
  incrBy(key: string, delta: number): Promise<number> {
    return this.run(() => {
      const increment = BigInt(integer(delta));
      const entry = this.entries.live(key);
      const current = entry ? parseInteger(entry.value) : 0n;
      const result = current + increment;
      if (result < INT64_MIN || result > INT64_MAX) {
        throw new ReplyError("ERR increment or decrement would overflow");
      }
      this.entries.write(key, String(result), entry ? entry.expiresAt : null);
      return Number(result);
    });
  }

  /**
   * Keys matching a Redis glob, in batches of up to `count`. Keys present
   * for the whole scan are seen exactly once; keys added or deleted meanwhile
   * may or may not be.
   *
   * @param match A Redis glob (`*`, `?`, `[a-z]`, `[^a]`, `\*`), matched as Redis does.
   * @param count Batch size (a positive integer).
   * @returns An async iterable of non-empty batches of full keys.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * for await (const keys of store.scan("session:*", 100)) await store.delete(keys);
   * ```
   */
  async *scan(match: string, count: number): AsyncIterable<string[]> {
    this.assertOpen();
    if (integer(count) < 1) throw new ReplyError("ERR syntax error");
    const matches = globMatcher(match);
    const snapshot = this.entries.keys();
    let batch: string[] = [];
    for (const key of snapshot) {
      if (!matches(key) || !this.entries.live(key)) continue;
      batch.push(key);
      if (batch.length >= count) {
        yield batch;
        batch = [];
        this.assertOpen();
      }
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * Deletes every entry.
   *
   * @returns Nothing.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.flush();
   * ```
   */
  flush(): Promise<void> {
    return this.run(() => {
      this.entries.clear();
    });
  }

  /**
   * Moves a value and its time to live to another key, overwriting it.
   *
   * @param from Full key to move.
   * @param to Full key to move it to.
   * @returns False when `from` does not exist.
   * @throws {RangeError} When the entry under `to` would be larger than `maxBytes`.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("draft:1", "text", null);
   * await store.move("draft:1", "post:1"); // true
   * ```
   */
  move(from: string, to: string): Promise<boolean> {
    return this.run(() => {
      const entry = this.entries.live(from);
      if (!entry) return false;
      if (from === to) return true;
      this.entries.checkSize(to, entry.value);
      this.entries.remove(from, entry);
      this.entries.write(to, entry.value, entry.expiresAt);
      return true;
    });
  }

  /** A live value as `mode` asks, marking it most recently used. */
  #read(key: string, mode: ReadMode): StoredValue | null {
    const entry = this.entries.live(key);
    if (!entry) return null;
    this.entries.touch(key, entry);
    return readAs(entry.value, mode);
  }

  /** A private copy of `value`, checked to fit within `maxBytes`. */
  #storable(key: string, value: StoredValue): StoredValue {
    this.entries.checkSize(key, value);
    if (typeof value !== "string") return new Uint8Array(value);
    // Redis stores UTF-8: a lone surrogate comes back as U+FFFD.
    return value.isWellFormed() ? value : value.toWellFormed();
  }

  /** `expiresAt` for a `set` TTL, validated as Redis validates `PX`. */
  #expiryOf(ttl: number | null, command: string): number | null {
    if (ttl === null) return null;
    if (integer(ttl) <= 0) throw invalidExpireTime(command);
    return this.expiryAfter(ttl, command);
  }
}
