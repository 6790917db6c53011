/**
 * Distributed locks: `SET key token NX PX ttl` with a random token; release
 * and extend check the token atomically, so a lock that expired and was taken
 * by someone else is never deleted or extended by its former owner.
 *
 * @module
 */

import { TimeoutError } from "../errors.ts";
import type { CacheStore } from "./stores/store.ts";

/** Hears about a failed lock operation: `lock`, `lock.release` or `lock.extend`. */
export type LockErrorListener = (error: unknown, op: string) => void;

/** Reports an error to `listener`, then rejects with it. */
function reported<T>(work: Promise<T>, listener: LockErrorListener | undefined, op: string) {
  if (listener === undefined) return work;
  return work.catch((error) => {
    listener(error, op);
    throw error;
  });
}

/**
 * Options of `cache.lock()`.
 *
 * @example
 * ```ts
 * import { createCache, type LockOptions } from "@redcache/redcache";
 *
 * await using cache = createCache("redis://127.0.0.1:6379/1");
 * const options: LockOptions = { ttl: "30s", wait: "5s", retryDelay: 100 };
 * await using lock = await cache.lock("job", options);
 * ```
 */
export interface LockOptions {
  /**
   * Milliseconds (or a duration such as `"30s"`) before the lock expires on its own.
   *
   * @default {10000}
   */
  ttl?: number | string;
  /**
   * Milliseconds (or a duration) to keep trying while another owner holds it; 0 tries once.
   *
   * @default {0}
   */
  wait?: number | string;
  /**
   * Milliseconds between tries while waiting (each jittered by ±50%).
   *
   * @default {50}
   */
  retryDelay?: number;
}

/**
 * A held lock. Release it with `release()` or `await using`.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache("redis://127.0.0.1:6379/1");
 * await using lock = await cache.lock("nightly-report", { ttl: "1m", wait: "5s" });
 * await cache.set("report", "…");
 * await lock.extend(60_000); // false when the lock was no longer ours
 * ```
 */
export class Lock {
  /** The lock's name, as given to `cache.lock()`. */
  readonly name: string;
  #store: CacheStore;
  #key: string;
  #token: string;
  #released = false;
  #onError: LockErrorListener | undefined;

  /**
   * Made by `cache.lock()`.
   *
   * @param store Where the lock lives.
   * @param key The full key.
   * @param name The name given by the caller.
   * @param token The random token that proves ownership.
   * @param onError Hears about a failed release or extend.
   */
  constructor(
    store: CacheStore,
    key: string,
    name: string,
    token: string,
    onError?: LockErrorListener,
  ) {
    this.#store = store;
    this.#key = key;
    this.name = name;
    this.#token = token;
    this.#onError = onError;
  }

  /** True until `release()`. */
  get held(): boolean {
    return !this.#released;
  }

  /**
   * Releases the lock if it is still ours. Resolves `false` when it had
   * expired (and possibly been taken by someone else, whose lock stays).
   */
  async release(): Promise<boolean> {
    if (this.#released) return false;
    this.#released = true;
    return await reported(
      this.#store.deleteIfEquals(this.#key, this.#token),
      this.#onError,
      "lock.release",
    );
  }

  /**
   * Sets the lock's time to live to `ttl` ms if it is still ours.
   *
   * @param ttl Milliseconds from now.
   * @returns `false` when the lock was no longer ours.
   */
  async extend(ttl: number): Promise<boolean> {
    if (this.#released) return false;
    return await reported(
      this.#store.expireIfEquals(this.#key, this.#token, ttl),
      this.#onError,
      "lock.extend",
    );
  }

  /** Releases the lock (for `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}

/**
 * Takes the lock at `key`, retrying until `wait` ms have passed.
 *
 * @throws {TimeoutError} When another owner still holds it after `wait`.
 */
export async function acquireLock(
  store: CacheStore,
  key: string,
  name: string,
  { ttl, wait, retryDelay }: { ttl: number; wait: number; retryDelay: number },
  onError?: LockErrorListener,
): Promise<Lock> {
  const token = crypto.randomUUID();
  const deadline = Date.now() + wait;
  for (;;) {
    if (await reported(store.set(key, token, ttl, "nx"), onError, "lock")) {
      return new Lock(store, key, name, token, onError);
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new TimeoutError(
        `Cannot acquire lock "${name.slice(0, 100)}" within ${wait} ms: another owner holds it`,
      );
    }
    const pause = Math.min(left, Math.max(1, Math.round(retryDelay * (0.5 + Math.random()))));
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
