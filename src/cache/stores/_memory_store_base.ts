/**
 * The memory store's life cycle and its commands on times to live: the
 * options (bounds, clock), `close()`, `pttl`/`pexpire`/`pexpireAt`/`persist`
 * and the token-guarded `deleteIfEquals`/`expireIfEquals` that locks use.
 * `memory_store.ts` adds the value commands on top.
 *
 * @module
 */
import { MemoryEntries } from "./_memory_entries.ts";
import { equals, INT64_LIMIT, integer, invalidExpireTime } from "./_redis_values.ts";

/** Options of {@linkcode MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. Default 10 000. */
  maxEntries?: number;
  /** Most bytes kept (key length plus value length per entry). Default 64 MiB. */
  maxBytes?: number;
  /** The clock, in Unix ms (default `Date.now`). For tests: drive expiry without sleeping. */
  now?: () => number;
}

const OPTIONS = new Set(["maxEntries", "maxBytes", "now"]);

/** The memory store's options, closing and expiry commands; see `MemoryStore`. */
export abstract class MemoryStoreBase {
  /** The entries, their LRU order and expiry. */
  protected readonly entries: MemoryEntries;
  #closed = false;

  /**
   * Creates an empty store.
   *
   * @param options Bounds (`maxEntries`, `maxBytes`) and, for tests, a clock.
   * @throws {TypeError} On an unknown option.
   * @throws {RangeError} When a bound is not a positive number.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * let time = 0;
   * const store = new MemoryStore({ maxBytes: 1024 * 1024, now: () => time });
   * await store.set("k", "v", 1_000);
   * time = 1_000;
   * console.log(await store.exists("k")); // false
   * ```
   */
  constructor(options: MemoryStoreOptions = {}) {
    for (const name of Object.keys(options)) {
      if (!OPTIONS.has(name)) {
        throw new TypeError(`Cannot create a MemoryStore: unknown option "${name}"`);
      }
    }
    this.entries = new MemoryEntries(
      bound("maxEntries", options.maxEntries ?? 10_000),
      bound("maxBytes", options.maxBytes ?? 64 * 1024 * 1024),
      options.now ?? Date.now,
    );
  }

  /**
   * Milliseconds left to live.
   *
   * @param key Full key.
   * @returns At least 1 while the key expires, -1 without expiry, -2 when missing.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("session", "data", 60_000);
   * await store.pttl("session"); // 60_000 or a little less
   * ```
   */
  pttl(key: string): Promise<number> {
    return this.run(() => {
      const entry = this.entries.live(key);
      if (!entry) return -2;
      if (entry.expiresAt === null) return -1;
      return Math.max(1, Math.ceil(entry.expiresAt - this.entries.now()));
    });
  }

  /**
   * Sets a time to live; 0 or less deletes the key.
   *
   * @param key Full key.
   * @param ttl Milliseconds (a fraction rounds up, as the Redis store sends it).
   * @returns True when the key existed.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("session", "data", null);
   * await store.pexpire("session", 60_000); // true
   * ```
   */
  pexpire(key: string, ttl: number): Promise<boolean> {
    return this.run(() => this.entries.expire(key, this.expiryAfter(Math.ceil(ttl), "pexpire")));
  }

  /**
   * Makes a key expire at a Unix time; a time not in the future deletes it.
   *
   * @param key Full key.
   * @param at Unix time in ms (a fraction rounds up, as the Redis store sends it).
   * @returns True when the key existed.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("report", "…", null);
   * await store.pexpireAt("report", Date.now() + 3_600_000); // true
   * ```
   */
  pexpireAt(key: string, at: number): Promise<boolean> {
    return this.run(() => this.entries.expire(key, integer(Math.ceil(at))));
  }

  /**
   * Removes a key's time to live.
   *
   * @param key Full key.
   * @returns True only when a time to live was removed.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.set("session", "data", 60_000);
   * await store.persist("session"); // true
   * ```
   */
  persist(key: string): Promise<boolean> {
    return this.run(() => {
      const entry = this.entries.live(key);
      if (!entry || entry.expiresAt === null) return false;
      entry.expiresAt = null;
      return true;
    });
  }

  /**
   * Deletes a key only if its value (compared as UTF-8 bytes) equals `token`.
   *
   * @param key Full key.
   * @param token The expected value.
   * @returns True when deleted.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * const token = crypto.randomUUID();
   * await store.set("lock:report", token, 10_000, "nx");
   * await store.deleteIfEquals("lock:report", token); // true: release only my lock
   * ```
   */
  deleteIfEquals(key: string, token: string): Promise<boolean> {
    return this.run(() => {
      const entry = this.entries.live(key);
      if (!entry || !equals(entry.value, token)) return false;
      this.entries.remove(key, entry);
      return true;
    });
  }

  /**
   * Sets a key's time to live only if its value equals `token`; 0 or less deletes it.
   *
   * @param key Full key.
   * @param token The expected value.
   * @param ttl Milliseconds (a fraction rounds up, as the Redis store sends it).
   * @returns True when the time to live was set (or the key deleted).
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * const token = crypto.randomUUID();
   * await store.set("lock:report", token, 10_000, "nx");
   * await store.expireIfEquals("lock:report", token, 10_000); // true: extend my lock
   * ```
   */
  expireIfEquals(key: string, token: string, ttl: number): Promise<boolean> {
    return this.run(() => {
      const expiresAt = this.expiryAfter(Math.ceil(ttl), "pexpire");
      const entry = this.entries.live(key);
      if (!entry || !equals(entry.value, token)) return false;
      return this.entries.expire(key, expiresAt);
    });
  }

  /**
   * Drops every entry; later calls reject. Calling it again does nothing.
   *
   * @returns Nothing.
   *
   * @example
   * ```ts
   * import { MemoryStore } from "./memory_store.ts";
   *
   * const store = new MemoryStore();
   * await store.close();
   * ```
   */
  close(): Promise<void> {
    this.#closed = true;
    this.entries.clear();
    return Promise.resolve();
  }

  /** Runs `operation` as a promise: rejected once closed or when it throws. */
  protected run<T>(operation: () => T): Promise<T> {
    try {
      this.assertOpen();
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Throws once closed. */
  protected assertOpen(): void {
    if (this.#closed) throw new Error("Cannot use the memory store after close()");
  }

  /** `now + ttl`, validated as Redis validates `PEXPIRE` (any integer, no overflow). */
  protected expiryAfter(ttl: number, command: string): number {
    const expiresAt = this.entries.now() + integer(ttl);
    if (expiresAt >= INT64_LIMIT) throw invalidExpireTime(command);
    return expiresAt;
  }
}

/** Validates a `maxEntries` / `maxBytes` option. */
function bound(name: string, value: number): number {
  if (
    typeof value !== "number" || !(value >= 1) || !(Number.isInteger(value) || value === Infinity)
  ) {
    throw new RangeError(
      `Cannot create a MemoryStore: ${name} must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}
