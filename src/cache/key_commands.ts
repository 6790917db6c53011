/**
 * The cache's commands on one full key that are not reads or writes of a
 * value: counters (`incr`), times to live (`ttl`, `expire`, `expireAt`,
 * `persist`) and moving a value to another version (`incrVersion`), each
 * with its error handling.
 *
 * @module
 */

import { ReplyError } from "../errors.ts";
import type { ErrorPolicy } from "./error_policy.ts";
import type { CacheStore } from "./stores/store.ts";

/**
 * The commands on one key, over a store. `full` is the stored key, `key`
 * the caller's (for errors and reports).
 */
export class KeyCommands {
  #store: CacheStore;
  #errors: ErrorPolicy;

  /**
   * @param store The cache's store.
   * @param errors The cache's error policy.
   */
  constructor(store: CacheStore, errors: ErrorPolicy) {
    this.#store = store;
    this.#errors = errors;
  }

  /** True when the key exists. */
  async exists(full: string, key: string): Promise<boolean> {
    try {
      return await this.#store.exists(full);
    } catch (error) {
      return this.#errors.failed(error, "has", key, false);
    }
  }

  /** INCRBY; never ignored: a counter must not silently lose counts. */
  async incr(full: string, key: string, delta: number): Promise<number> {
    try {
      return await this.#store.incrBy(full, delta);
    } catch (error) {
      this.#errors.reportTransient(error, "incr", key);
      if (error instanceof ReplyError && /not an integer/.test(error.message)) {
        throw new ReplyError(
          `ERR Cannot increment "${key.slice(0, 100)}": its value is not an integer`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Milliseconds left: `Infinity` without expiry, `null` when missing. */
  async ttl(full: string, key: string): Promise<number | null> {
    let ms;
    try {
      ms = await this.#store.pttl(full);
    } catch (error) {
      return this.#errors.failed(error, "ttl", key, null);
    }
    return ms === -2 ? null : ms === -1 ? Infinity : ms;
  }

  /** A new time to live in ms (`null`: forever); resolves whether the key exists. */
  async expire(full: string, key: string, ms: number | null): Promise<boolean> {
    try {
      if (ms === null) return await this.#store.persist(full) || await this.#store.exists(full);
      return await this.#store.pexpire(full, ms);
    } catch (error) {
      return this.#errors.failed(error, "expire", key, false);
    }
  }

  /** Expires the key at Unix time `at` (ms); resolves whether the key exists. */
  async expireAt(full: string, key: string, at: number): Promise<boolean> {
    try {
      return await this.#store.pexpireAt(full, at);
    } catch (error) {
      return this.#errors.failed(error, "expireAt", key, false);
    }
  }

  /** Removes the time to live; resolves whether there was one. */
  async persist(full: string, key: string): Promise<boolean> {
    try {
      return await this.#store.persist(full);
    } catch (error) {
      return this.#errors.failed(error, "persist", key, false);
    }
  }

  /**
   * Moves a value and its TTL from `from` to `to` (another version of `key`).
   *
   * @throws {TypeError} When the key does not exist.
   */
  async moveVersion(from: string, to: string, key: string): Promise<void> {
    let moved;
    try {
      moved = await this.#store.move(from, to);
    } catch (error) {
      this.#errors.reportTransient(error, "incrVersion", key);
      throw error;
    }
    if (!moved) {
      throw new TypeError(
        `Cannot change the version of "${key.slice(0, 100)}": the key does not exist`,
      );
    }
  }
}
