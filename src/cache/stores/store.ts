/**
 * The storage contract under the cache API. The Redis store (over a pool or
 * a strategy's router) and the in-process memory store implement it, and the
 * cache is written only against it, so both pass one contract suite.
 *
 * Keys here are full keys (prefix and version applied). Values are what the
 * value codec produced: a string (text serializers, integers) or bytes.
 *
 * @module
 */

/** A stored value: text, or bytes. */
export type StoredValue = string | Uint8Array;

/**
 * How a read returns values: `"text"` as strings, except that a value whose
 * first byte is NUL (a value-codec header) comes back as bytes; `"bytes"`
 * always as bytes.
 */
export type ReadMode = "text" | "bytes";

/** One entry of `setMany`: full key, value, time to live in ms (`null`: forever). */
export type StoreEntry = readonly [key: string, value: StoredValue, ttl: number | null];

/** The operations the cache needs from a backend. */
export interface CacheStore {
  /** A value, or `null` when missing or expired. */
  get(key: string, mode: ReadMode): Promise<StoredValue | null>;
  /** Values in the order of `keys`, `null` for missing ones. */
  getMany(keys: readonly string[], mode: ReadMode): Promise<(StoredValue | null)[]>;
  /**
   * Stores a value. `ttl` in ms (positive) or `null` for no expiry.
   * `condition` `"nx"`: only if absent; `"xx"`: only if present.
   * Resolves `false` when the condition prevented the write.
   */
  set(
    key: string,
    value: StoredValue,
    ttl: number | null,
    condition?: "nx" | "xx",
  ): Promise<boolean>;
  /**
   * The value of `key` as text, after storing `value` there if the key was
   * missing, atomically; either way the key then lives at least `ttl` ms
   * more (`null`: forever). Tag versions use it.
   */
  ensure(key: string, value: string, ttl: number | null): Promise<string>;
  /** Stores every entry, in one round trip where the backend allows. */
  setMany(entries: readonly StoreEntry[]): Promise<void>;
  /** Deletes keys; resolves with how many existed. */
  delete(keys: readonly string[]): Promise<number>;
  /** True when the key exists (never fetches the value). */
  exists(key: string): Promise<boolean>;
  /**
   * Adds `delta` to an integer value (a missing key counts as 0), keeping the
   * key's time to live. Rejects with a `ReplyError` (`ERR …not an integer…`)
   * when the value is not an integer, leaving it untouched.
   */
  incrBy(key: string, delta: number): Promise<number>;
  /** Milliseconds left: -1 without expiry, -2 when missing. */
  pttl(key: string): Promise<number>;
  /** Sets a time to live in ms (0 or less deletes); true when the key existed. */
  pexpire(key: string, ttl: number): Promise<boolean>;
  /** Expires at Unix time `at` in ms; true when the key existed. */
  pexpireAt(key: string, at: number): Promise<boolean>;
  /** Removes the time to live; true when one was removed. */
  persist(key: string): Promise<boolean>;
  /**
   * Full keys matching a Redis glob `match`, in batches of about `count`
   * (SCAN semantics: every key present throughout is seen at least once).
   */
  scan(match: string, count: number): AsyncIterable<string[]>;
  /** Deletes every key of the database (FLUSHDB). */
  flush(): Promise<void>;
  /** Deletes `key` only if its value equals `token`; true when deleted. */
  deleteIfEquals(key: string, token: string): Promise<boolean>;
  /** Sets `key`'s time to live only if its value equals `token`; true when set. */
  expireIfEquals(key: string, token: string, ttl: number): Promise<boolean>;
  /**
   * Moves a value and its time to live from `from` to `to` (overwriting `to`),
   * atomically; false when `from` does not exist.
   */
  move(from: string, to: string): Promise<boolean>;
  /** Releases the backend's connections or timers. */
  close(): Promise<void>;
}
