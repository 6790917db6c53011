/**
 * An in-process {@linkcode CacheStore}: Django's LocMem for redcache, behind
 * `createCache({ url: "memory://" })` for development and tests. It answers
 * as the Redis store does, so one contract suite runs against both.
 *
 * @module
 */
import { ReplyError } from "../errors.ts";
import { globMatcher } from "./glob.ts";
import type { CacheStore, ReadMode, StoredValue, StoreEntry } from "./store.ts";

/** Options of {@linkcode MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. Default 10 000. */
  maxEntries?: number;
  /** Most bytes kept (key length plus value length per entry). Default 64 MiB. */
  maxBytes?: number;
  /** The clock, in Unix ms (default `Date.now`). For tests: drive expiry without sleeping. */
  now?: () => number;
}

interface Entry {
  value: StoredValue;
  /** Unix ms after which the entry is gone, or null. */
  expiresAt: number | null;
  size: number;
}

const OPTIONS = new Set(["maxEntries", "maxBytes", "now"]);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** 2^63 as a number: no Redis integer argument or expiry time reaches it. */
const INT64_LIMIT = 2 ** 63;
/** Decimal text that Redis accepts as an integer (string2ll): no sign, spaces or leading zeros. */
const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]{0,18})$/;
/** Entries an ordinary write checks for expiry, Redis-style active expiry without a timer. */
const SWEEP_STEP = 8;
const utf8 = new TextEncoder();
const text = new TextDecoder("utf-8", { ignoreBOM: true });

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
export class MemoryStore implements CacheStore {
  /** Entries in LRU order: least recently used first. */
  #entries = new Map<string, Entry>();
  #bytes = 0;
  #closed = false;
  #maxEntries: number;
  #maxBytes: number;
  #now: () => number;
  /** No entry expires before this (a lower bound). */
  #earliest = Infinity;
  /** Where the incremental expiry sweep resumes, and the soonest expiry it has seen. */
  #cursor?: Iterator<[string, Entry]>;
  #cursorEarliest = Infinity;

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
    this.#maxEntries = bound("maxEntries", options.maxEntries ?? 10_000);
    this.#maxBytes = bound("maxBytes", options.maxBytes ?? 64 * 1024 * 1024);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Reads a value (marking it recently used).
   *
   * @param key Full key.
   * @param mode `"text"`: a string, or bytes when the value starts with a NUL
   *   byte; `"bytes"`: always a `Uint8Array`.
   * @returns The value (a copy), or `null` when missing or expired.
   *
   * @example
   * ```ts ignore
   * await store.get("user:1", "text"); // '{"name":"Ada"}'
   * ```
   */
  get(key: string, mode: ReadMode): Promise<StoredValue | null> {
    return this.#run(() => this.#read(key, mode));
  }

  /**
   * Reads several values (marking them recently used).
   *
   * @param keys Full keys.
   * @param mode As for {@linkcode MemoryStore.get}.
   * @returns The values in the order of `keys`, `null` for missing ones.
   *
   * @example
   * ```ts ignore
   * await store.getMany(["a", "b"], "text"); // ["1", null]
   * ```
   */
  getMany(keys: readonly string[], mode: ReadMode): Promise<(StoredValue | null)[]> {
    return this.#run(() => keys.map((key) => this.#read(key, mode)));
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
   * ```ts ignore
   * await store.set("lock", "token", 10_000, "nx"); // true, then false while held
   * ```
   */
  set(
    key: string,
    value: StoredValue,
    ttl: number | null,
    condition?: "nx" | "xx",
  ): Promise<boolean> {
    return this.#run(() => {
      const expiresAt = this.#expiryOf(ttl, "set");
      const stored = this.#storable(key, value);
      if (condition) {
        const present = this.#live(key) !== undefined;
        if (present !== (condition === "xx")) return false;
      }
      this.#write(key, stored, expiresAt);
      return true;
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
   * ```ts ignore
   * await store.setMany([["a", "1", null], ["b", "2", 60_000]]);
   * ```
   */
  setMany(entries: readonly StoreEntry[]): Promise<void> {
    return this.#run(() => {
      const checked = entries.map(([key, value, ttl]) =>
        [key, this.#storable(key, value), this.#expiryOf(ttl, "set")] as const
      );
      for (const [key, value, expiresAt] of checked) this.#write(key, value, expiresAt);
    });
  }

  /**
   * Deletes keys.
   *
   * @param keys Full keys.
   * @returns How many of them existed.
   *
   * @example
   * ```ts ignore
   * await store.delete(["a", "missing"]); // 1
   * ```
   */
  delete(keys: readonly string[]): Promise<number> {
    return this.#run(() => {
      let count = 0;
      for (const key of keys) {
        const entry = this.#live(key);
        if (entry) {
          this.#remove(key, entry);
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
   * ```ts ignore
   * await store.exists("user:1"); // true
   * ```
   */
  exists(key: string): Promise<boolean> {
    return this.#run(() => this.#live(key) !== undefined);
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
   * ```ts ignore
   * await store.incrBy("views", 1); // 1
   * ```
   */
  incrBy(key: string, delta: number): Promise<number> {
    return this.#run(() => {
      const increment = BigInt(integer(delta));
      const entry = this.#live(key);
      const current = entry ? parseInteger(entry.value) : 0n;
      const result = current + increment;
      if (result < INT64_MIN || result > INT64_MAX) {
        throw new ReplyError("ERR increment or decrement would overflow");
      }
      this.#write(key, String(result), entry ? entry.expiresAt : null);
      return Number(result);
    });
  }

  /**
   * Milliseconds left to live.
   *
   * @param key Full key.
   * @returns At least 1 while the key expires, -1 without expiry, -2 when missing.
   *
   * @example
   * ```ts ignore
   * await store.pttl("session"); // 59_998
   * ```
   */
  pttl(key: string): Promise<number> {
    return this.#run(() => {
      const entry = this.#live(key);
      if (!entry) return -2;
      if (entry.expiresAt === null) return -1;
      return Math.max(1, Math.ceil(entry.expiresAt - this.#now()));
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
   * ```ts ignore
   * await store.pexpire("session", 60_000); // true
   * ```
   */
  pexpire(key: string, ttl: number): Promise<boolean> {
    return this.#run(() => this.#expire(key, this.#expiryAfter(Math.ceil(ttl), "pexpire")));
  }

  /**
   * Makes a key expire at a Unix time; a time not in the future deletes it.
   *
   * @param key Full key.
   * @param at Unix time in ms (a fraction rounds up, as the Redis store sends it).
   * @returns True when the key existed.
   *
   * @example
   * ```ts ignore
   * await store.pexpireAt("report", Date.now() + 3_600_000); // true
   * ```
   */
  pexpireAt(key: string, at: number): Promise<boolean> {
    return this.#run(() => this.#expire(key, integer(Math.ceil(at))));
  }

  /**
   * Removes a key's time to live.
   *
   * @param key Full key.
   * @returns True only when a time to live was removed.
   *
   * @example
   * ```ts ignore
   * await store.persist("session"); // true
   * ```
   */
  persist(key: string): Promise<boolean> {
    return this.#run(() => {
      const entry = this.#live(key);
      if (!entry || entry.expiresAt === null) return false;
      entry.expiresAt = null;
      return true;
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
   * ```ts ignore
   * for await (const keys of store.scan("session:*", 100)) await store.delete(keys);
   * ```
   */
  async *scan(match: string, count: number): AsyncIterable<string[]> {
    this.#open();
    if (integer(count) < 1) throw new ReplyError("ERR syntax error");
    const matches = globMatcher(match);
    const snapshot = Array.from(this.#entries.keys());
    let batch: string[] = [];
    for (const key of snapshot) {
      if (!matches(key) || !this.#live(key)) continue;
      batch.push(key);
      if (batch.length >= count) {
        yield batch;
        batch = [];
        this.#open();
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
   * ```ts ignore
   * await store.flush();
   * ```
   */
  flush(): Promise<void> {
    return this.#run(() => {
      this.#clear();
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
   * ```ts ignore
   * await store.deleteIfEquals("lock:report", myToken); // release only my lock
   * ```
   */
  deleteIfEquals(key: string, token: string): Promise<boolean> {
    return this.#run(() => {
      const entry = this.#live(key);
      if (!entry || !equals(entry.value, token)) return false;
      this.#remove(key, entry);
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
   * ```ts ignore
   * await store.expireIfEquals("lock:report", myToken, 10_000); // extend my lock
   * ```
   */
  expireIfEquals(key: string, token: string, ttl: number): Promise<boolean> {
    return this.#run(() => {
      const expiresAt = this.#expiryAfter(Math.ceil(ttl), "pexpire");
      const entry = this.#live(key);
      if (!entry || !equals(entry.value, token)) return false;
      return this.#expire(key, expiresAt);
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
   * ```ts ignore
   * await store.move("draft:1", "post:1"); // true
   * ```
   */
  move(from: string, to: string): Promise<boolean> {
    return this.#run(() => {
      const entry = this.#live(from);
      if (!entry) return false;
      if (from === to) return true;
      this.#checkSize(to, entry.value);
      this.#remove(from, entry);
      this.#write(to, entry.value, entry.expiresAt);
      return true;
    });
  }

  /**
   * Drops every entry; later calls reject. Calling it again does nothing.
   *
   * @returns Nothing.
   *
   * @example
   * ```ts ignore
   * await store.close();
   * ```
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#clear();
    return Promise.resolve();
  }

  /** Runs `operation` as a promise: rejected once closed or when it throws. */
  #run<T>(operation: () => T): Promise<T> {
    try {
      this.#open();
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Throws once closed. */
  #open(): void {
    if (this.#closed) throw new Error("Cannot use the memory store after close()");
  }

  /** The entry under `key` unless missing or expired (an expired one is dropped). */
  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.#now()) {
      this.#remove(key, entry);
      return undefined;
    }
    return entry;
  }

  /** A live value as `mode` asks, marking it most recently used. */
  #read(key: string, mode: ReadMode): StoredValue | null {
    const entry = this.#live(key);
    if (!entry) return null;
    this.#touch(key, entry);
    return read(entry.value, mode);
  }

  /** Marks an entry most recently used. */
  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }

  #clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#earliest = Infinity;
    this.#cursor = undefined;
    this.#cursorEarliest = Infinity;
  }

  /** Writes an entry as most recently used, then sweeps and evicts. */
  #write(key: string, value: StoredValue, expiresAt: number | null): void {
    const old = this.#entries.get(key);
    if (old) this.#remove(key, old);
    const size = sizeOf(key, value);
    this.#entries.set(key, { value, expiresAt, size });
    this.#bytes += size;
    if (expiresAt !== null) this.#noteExpiry(expiresAt);
    this.#sweep(SWEEP_STEP);
    this.#evict();
  }

  /** Sets `expiresAt` of a live key, deleting it when that is not in the future. */
  #expire(key: string, expiresAt: number): boolean {
    const entry = this.#live(key);
    if (!entry) return false;
    if (expiresAt <= this.#now()) {
      this.#remove(key, entry);
    } else {
      entry.expiresAt = expiresAt;
      this.#noteExpiry(expiresAt);
    }
    return true;
  }

  /** Keeps `#earliest` a lower bound, including for the sweep under way. */
  #noteExpiry(expiresAt: number): void {
    this.#earliest = Math.min(this.#earliest, expiresAt);
    this.#cursorEarliest = Math.min(this.#cursorEarliest, expiresAt);
  }

  /** Evicts least recently used entries, expired ones first, until within bounds. */
  #evict(): void {
    if (!this.#over()) return;
    this.#sweep(Infinity);
    for (const [key, entry] of this.#entries) {
      if (!this.#over()) break;
      this.#remove(key, entry);
    }
  }

  #over(): boolean {
    return this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes;
  }

  /**
   * Checks up to `steps` entries for expiry, resuming where the last sweep
   * stopped; a sweep that reaches the end learns the soonest expiry left.
   */
  #sweep(steps: number): void {
    const now = this.#now();
    if (now < this.#earliest) return;
    if (steps === Infinity || !this.#cursor) {
      this.#cursor = this.#entries.entries();
      this.#cursorEarliest = Infinity;
    }
    for (let i = 0; i < steps; i++) {
      const next = this.#cursor.next();
      if (next.done) {
        this.#earliest = this.#cursorEarliest;
        this.#cursor = undefined;
        this.#cursorEarliest = Infinity;
        return;
      }
      const [key, entry] = next.value;
      if (entry.expiresAt === null) continue;
      if (entry.expiresAt <= now) this.#remove(key, entry);
      else this.#cursorEarliest = Math.min(this.#cursorEarliest, entry.expiresAt);
    }
  }

  /** A private copy of `value`, checked to fit within `maxBytes`. */
  #storable(key: string, value: StoredValue): StoredValue {
    this.#checkSize(key, value);
    if (typeof value !== "string") return new Uint8Array(value);
    // Redis stores UTF-8: a lone surrogate comes back as U+FFFD.
    return value.isWellFormed() ? value : value.toWellFormed();
  }

  #checkSize(key: string, value: StoredValue): void {
    const size = sizeOf(key, value);
    if (size > this.#maxBytes) {
      const name = quote(key);
      throw new RangeError(
        `Cannot store ${name} in the memory store: its ${size} bytes exceed maxBytes (${this.#maxBytes})`,
      );
    }
  }

  /** `expiresAt` for a `set` TTL, validated as Redis validates `PX`. */
  #expiryOf(ttl: number | null, command: string): number | null {
    if (ttl === null) return null;
    if (integer(ttl) <= 0) throw invalidExpireTime(command);
    return this.#expiryAfter(ttl, command);
  }

  /** `now + ttl`, validated as Redis validates `PEXPIRE` (any integer, no overflow). */
  #expiryAfter(ttl: number, command: string): number {
    const expiresAt = this.#now() + integer(ttl);
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

/** `n`, when Redis would take it as a 64-bit integer argument. */
function integer(n: number): number {
  if (!Number.isInteger(n) || n < -INT64_LIMIT || n >= INT64_LIMIT) {
    throw new ReplyError("ERR value is not an integer or out of range");
  }
  return n;
}

/** A stored value as a 64-bit integer, as Redis's `INCRBY` parses it. */
function parseInteger(value: StoredValue): bigint {
  const digits = typeof value === "string" ? value : value.length <= 20 ? text.decode(value) : "";
  const parsed = INTEGER_TEXT.test(digits) ? BigInt(digits) : undefined;
  if (parsed === undefined || parsed < INT64_MIN || parsed > INT64_MAX) {
    throw new ReplyError("ERR value is not an integer or out of range");
  }
  return parsed;
}

function invalidExpireTime(command: string): ReplyError {
  return new ReplyError(`ERR invalid expire time in '${command}' command`);
}

/** A stored value as `mode` asks, never sharing the stored bytes. */
function read(value: StoredValue, mode: ReadMode): StoredValue {
  if (typeof value === "string") {
    // Through Redis, text starting with NUL reads back as bytes in "text" mode too.
    return mode === "bytes" || value.charCodeAt(0) === 0 ? utf8.encode(value) : value;
  }
  return mode === "bytes" || value[0] === 0 ? value.slice() : text.decode(value);
}

/** Whether a stored value has the same UTF-8 bytes as `token`. */
function equals(value: StoredValue, token: string): boolean {
  if (typeof value === "string") {
    return value === (token.isWellFormed() ? token : token.toWellFormed());
  }
  const bytes = utf8.encode(token);
  return bytes.length === value.length && bytes.every((byte, i) => byte === value[i]);
}

/** The accounted size of an entry: key length plus value length. */
function sizeOf(key: string, value: StoredValue): number {
  return key.length + (typeof value === "string" ? value.length : value.byteLength);
}

/** A key for an error message: quoted, and cut short when long. */
function quote(key: string): string {
  return JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key);
}
