/**
 * The cache's key-space walks: `scan()` (this cache's keys by glob, without
 * the prefix), `deletePattern()` and `clear()` (SCAN, then delete in
 * batches), each kept to the keys that the cache's prefix and version own.
 *
 * @module
 */

import { checkOptionKeys } from "../util/options.ts";
import type { CacheStats } from "./cache_options.ts";
import type { ErrorPolicy } from "./error_policy.ts";
import { defaultKeyFunction, escapeGlob, type KeyFunction, ownsKey } from "./keys.ts";
import type { CacheStore } from "./stores/store.ts";

/** Walks the keys of one cache (its prefix, its version) with SCAN. */
/** SCAN batch size (`COUNT`), 500 by default. */
export interface CountOption {
  count?: number;
}

export class KeyScan {
  #store: CacheStore;
  #errors: ErrorPolicy;
  #stats: CacheStats;
  #keyFunction: KeyFunction;
  #prefix: string;
  #version: number;

  /**
   * @param store The cache's store.
   * @param errors The cache's error policy.
   * @param stats The cache's counters (`deletes`).
   */
  constructor(
    store: CacheStore,
    errors: ErrorPolicy,
    stats: CacheStats,
    keys: { keyFunction: KeyFunction; prefix: string; version: number },
  ) {
    this.#store = store;
    this.#errors = errors;
    this.#stats = stats;
    this.#keyFunction = keys.keyFunction;
    this.#prefix = keys.prefix;
    this.#version = keys.version;
  }

  /** This cache's keys matching `pattern`, without `prefix:version:`. */
  async *scan(pattern: string, options: CountOption): AsyncGenerator<string, void, undefined> {
    checkOptionKeys(options, ["count"], "scan()");
    const count = options.count ?? 500;
    const match = this.#pattern(pattern);
    const strip = this.#keyFunction === defaultKeyFunction
      ? `${this.#prefix}:${this.#version}:`
      : undefined;
    try {
      for await (const batch of this.#store.scan(match, count)) {
        for (const full of batch) {
          if (strip === undefined) yield full;
          // The pattern pins `prefix:version:`; a key that the server's glob let
          // through anyway (it cannot) is still never shown.
          else if (full.startsWith(strip)) yield full.slice(strip.length);
        }
      }
    } catch (error) {
      this.#errors.failed(error, "scan", undefined, undefined);
    }
  }

  /** Deletes this cache's keys (this version) matching `pattern`; resolves with the count. */
  deletePattern(pattern: string, options: CountOption): Promise<number> {
    checkOptionKeys(options, ["count"], "deletePattern()");
    const count = options.count ?? 500;
    const match = this.#pattern(pattern);
    const strip = `${this.#prefix}:${this.#version}:`;
    const owned = this.#keyFunction === defaultKeyFunction
      ? (full: string) => full.startsWith(strip)
      : undefined;
    return this.#deleteMatching(match, count, "deletePattern", owned);
  }

  /**
   * Deletes the keys under the prefix (every version), or with `flushDb`
   * the whole database.
   *
   * @throws {TypeError} Without a prefix and without `flushDb`.
   */
  async clear(options: { flushDb?: boolean }): Promise<number> {
    checkOptionKeys(options, ["flushDb"], "clear()");
    const flushDb = options.flushDb;
    if (flushDb) {
      try {
        await this.#store.flush();
      } catch (error) {
        this.#errors.failed(error, "clear", undefined, 0);
      }
      return 0;
    }
    if (this.#prefix === "") {
      throw new TypeError(
        "Cannot clear a cache without keyPrefix: pass { flushDb: true } to empty the whole database",
      );
    }
    const prefix = this.#prefix;
    // Every version: `prefix:<integer>:…`, re-checked here, since a glob
    // cannot say "digits"; `app:*` alone would also match keyPrefix "app:".
    const owned = this.#keyFunction === defaultKeyFunction
      ? (full: string) => ownsKey(full, prefix)
      : undefined;
    return await this.#deleteMatching(`${escapeGlob(prefix)}:*`, 500, "clear", owned);
  }

  /** The SCAN glob of a caller's `pattern`: inside the prefix and version. */
  #pattern(pattern: string): string {
    if (typeof pattern !== "string") throw new TypeError("Invalid pattern: expected a string");
    return this.#keyFunction(pattern, escapeGlob(this.#prefix), this.#version);
  }

  /**
   * Deletes the keys that SCAN finds for `match` and that `owned` (when
   * given) confirms. Under `ignoreErrors`, a failure ends it with the count
   * so far.
   */
  async #deleteMatching(
    match: string,
    count: number,
    op: string,
    owned?: (full: string) => boolean,
  ): Promise<number> {
    let deleted = 0;
    try {
      for await (const batch of this.#store.scan(match, count)) {
        const mine = owned === undefined ? batch : batch.filter(owned);
        if (mine.length > 0) deleted += await this.#store.delete(mine);
      }
    } catch (error) {
      this.#errors.failed(error, op, undefined, deleted);
    } finally {
      this.#stats.deletes += deleted;
    }
    return deleted;
  }
}
