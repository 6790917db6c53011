/**
 * The cache's writes and reads off the hot path: several keys at once
 * (`getMany` and `setMany` in one round trip each, deleting a list of full
 * keys) and a write with tags, counted in the stats, errors through the
 * error policy.
 *
 * @module
 */

import type { CacheStats } from "./cache_options.ts";
import type { ErrorPolicy } from "./error_policy.ts";
import type { CacheStore, StoredValue, StoreEntry } from "./stores/store.ts";
import type { ResolvedSet } from "./call_options.ts";
import type { ValueCoder } from "./value_coder.ts";
import { isTagged, type TagVersions } from "./tags.ts";

/** What `setMany` accepts. */
export type ManyEntries<T> =
  | Map<string, T>
  | Record<string, T>
  | Iterable<readonly [string, T]>;

/** The `[key, value]` pairs of a `Map`, an iterable of pairs or a plain object. */
export function entriesOf<T>(entries: ManyEntries<T>): Iterable<readonly [string, T]> {
  if (entries instanceof Map || Symbol.iterator in entries) {
    return entries as Iterable<readonly [string, T]>;
  }
  return Object.entries(entries);
}

/** Reads, writes and deletes of several keys over one cache's store. */
export class BulkOps {
  #store: CacheStore;
  #errors: ErrorPolicy;
  #stats: CacheStats;
  #coder: ValueCoder;
  #tags: TagVersions;

  /**
   * @param store The cache's store.
   * @param errors The cache's error policy.
   * @param stats The cache's counters.
   * @param coder The cache's value coder.
   * @param tags The cache's tag versions.
   */
  constructor(
    store: CacheStore,
    errors: ErrorPolicy,
    stats: CacheStats,
    coder: ValueCoder,
    tags: TagVersions,
  ) {
    this.#store = store;
    this.#errors = errors;
    this.#stats = stats;
    this.#coder = coder;
    this.#tags = tags;
  }

  /**
   * The values found, by the caller's keys.
   *
   * @param fullKey The stored key of a caller's key.
   */
  async getMany<T>(
    list: readonly string[],
    fullKey: (key: string) => string,
  ): Promise<Map<string, T>> {
    const fulls = list.map(fullKey);
    const found = new Map<string, T>();
    let values;
    try {
      values = await this.#store.getMany(fulls, this.#coder.readMode);
      if (values.some((value) => value !== null && isTagged(value))) {
        values = await Promise.all(values.map((value, i) => this.#tags.read(value, list[i])));
      }
    } catch (error) {
      return this.#errors.failed(error, "getMany", undefined, found);
    }
    for (let i = 0; i < list.length; i++) {
      const stored = values[i];
      if (stored === null) {
        this.#stats.misses++;
        continue;
      }
      this.#stats.hits++;
      found.set(list[i], this.#coder.decode(stored, list[i]) as T);
    }
    return found;
  }

  /**
   * Encodes every value, then stores them all (or, for a `ttl` of 0, deletes the keys).
   *
   * @param fullKey The stored key of a caller's key.
   */
  async setMany(
    entries: ManyEntries<unknown>,
    ttl: number | null,
    fullKey: (key: string) => string,
    tags?: readonly string[],
  ): Promise<boolean> {
    const items: StoreEntry[] = [];
    for (const [key, value] of entriesOf(entries)) {
      const full = fullKey(key);
      items.push([full, ttl === 0 ? "" : this.#coder.encode(value, key), ttl === 0 ? null : ttl]);
    }
    if (ttl === 0) {
      await this.delete(items.map(([full]) => full), "setMany");
      return false;
    }
    try {
      if (tags !== undefined && items.length > 0) {
        const frame = await this.#tags.framer(tags, ttl);
        for (let i = 0; i < items.length; i++) {
          items[i] = [items[i][0], frame(items[i][1]), items[i][2]];
        }
      }
      await this.#store.setMany(items);
      this.#stats.sets += items.length;
      return true;
    } catch (error) {
      return this.#errors.failed(error, "setMany", undefined, false);
    }
  }

  /**
   * Stores one value with tags (`set` of a tagged value): framed with its
   * tags' tokens first.
   *
   * @param key The caller's key, for errors.
   */
  async setTagged(
    full: string,
    data: StoredValue,
    { ttl, condition, tags }: ResolvedSet,
    op: string,
    key: string,
  ): Promise<boolean> {
    try {
      const framed = await this.#tags.frame(tags ?? [], data, ttl);
      const written = await this.#store.set(full, framed, ttl, condition);
      if (written) this.#stats.sets++;
      return written;
    } catch (error) {
      return this.#errors.failed(error, op, key, false);
    }
  }

  /** Deletes full keys; resolves with how many existed. */
  async delete(fulls: string[], op: string, key?: string): Promise<number> {
    try {
      const n = await this.#store.delete(fulls);
      this.#stats.deletes += n;
      return n;
    } catch (error) {
      return this.#errors.failed(error, op, key, 0);
    }
  }
}
