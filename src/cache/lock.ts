/**
 * Distributed locks: `SET key token NX PX ttl` with a random token; release
 * and extend check the token atomically, so a lock that expired and was taken
 * by someone else is never deleted or extended by its former owner.
 *
 * @module
 */

import { TimeoutError } from "../client/errors.ts";
import type { CacheStore } from "./store.ts";

/**
 * Options of `cache.lock()`.
 *
 * @example
 * ```ts ignore
 * await using lock = await cache.lock("job", { ttl: "30s", wait: "5s", retryDelay: 100 });
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
 * ```ts ignore
 * await using lock = await cache.lock("nightly-report", { ttl: "1m", wait: "5s" });
 * await buildReport();
 * await lock.extend("1m"); // still ours? then keep it longer
 * ```
 */
export class Lock {
  /** The lock's name, as given to `cache.lock()`. */
  readonly name: string;
  #store: CacheStore;
  #key: string;
  #token: string;
  #released = false;

  /**
   * Made by `cache.lock()`.
   *
   * @param store Where the lock lives.
   * @param key The full key.
   * @param name The name given by the caller.
   * @param token The random token that proves ownership.
   */
  constructor(store: CacheStore, key: string, name: string, token: string) {
    this.#store = store;
    this.#key = key;
    this.name = name;
    this.#token = token;
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
    return await this.#store.deleteIfEquals(this.#key, this.#token);
  }

  /**
   * Sets the lock's time to live to `ttl` ms if it is still ours.
   *
   * @param ttl Milliseconds from now.
   * @returns `false` when the lock was no longer ours.
   */
  async extend(ttl: number): Promise<boolean> {
    if (this.#released) return false;
    return await this.#store.expireIfEquals(this.#key, this.#token, ttl);
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
  ttl: number,
  wait: number,
  retryDelay: number,
): Promise<Lock> {
  const token = crypto.randomUUID();
  const deadline = Date.now() + wait;
  for (;;) {
    if (await store.set(key, token, ttl, "nx")) return new Lock(store, key, name, token);
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
