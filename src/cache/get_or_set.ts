/**
 * Single-flight `getOrSet`: concurrent misses of a key in this process share
 * one `factory` call; under the herd strategy, one caller across all
 * processes refreshes a key while the others get the stale value or wait
 * for the new one. With `staleWhileRevalidate` (near cache), an expired
 * key's stale copy is returned at once while one background call refreshes it.
 *
 * @module
 */

import type { SetOptions } from "./cache_options.ts";
import type { ErrorPolicy } from "./error_policy.ts";
import type { HerdStore } from "./stores/herd_store.ts";

/** Marks a miss inside getOrSet (a stored `undefined` is impossible). */
export const MISSING: unique symbol = Symbol("missing");

/** How often herd waiters look for the value being refreshed by another caller, in ms (plus jitter). */
const HERD_POLL_MS = 20;

/** What `getOrSet` needs from the cache: its read and write, reported as `getOrSet`. */
export interface GetOrSetAccess {
  /** Reads a full key; `MISSING` on a miss (or an ignored error). */
  read(full: string, key: string): Promise<unknown>;
  /** Stores `value` under the caller's `key`. */
  write(
    key: string,
    value: unknown,
    options: Omit<SetOptions, "nx" | "xx"> | undefined,
  ): Promise<unknown>;
  /** A copy of `full` that went stale at most `window` ms ago, or `MISSING` (near cache). */
  stale(full: string, key: string, window: number): unknown;
  /** Keeps expired copies for `window` ms from now on (near cache). */
  keepStale(window: number): void;
}

/** The `getOrSet` calls running in this process, by full key. */
export class SingleFlight {
  #access: GetOrSetAccess;
  #errors: ErrorPolicy;
  #herd: HerdStore | undefined;
  #inflight = new Map<string, Promise<unknown>>();
  /** Refreshes running for `staleWhileRevalidate` callers, which `idle()` waits for. */
  #background = new Set<Promise<unknown>>();

  /**
   * @param access The cache's read and write.
   * @param errors The cache's error policy.
   * @param herd The herd store, when the strategy is `herd`.
   */
  constructor(access: GetOrSetAccess, errors: ErrorPolicy, herd: HerdStore | undefined) {
    this.#access = access;
    this.#errors = errors;
    this.#herd = herd;
  }

  /**
   * Reads `full` or, on a miss, computes it with `factory`, stores and
   * returns it; concurrent misses share one `factory` call. If it throws,
   * nothing is cached and every caller gets the error.
   */
  getOrSet<T>(
    key: string,
    full: string,
    factory: () => T | Promise<T>,
    options: Omit<SetOptions, "nx" | "xx"> | undefined,
    staleWindow = 0,
  ): Promise<T> {
    if (this.#herd !== undefined) {
      return this.#herdGetOrSet(key, full, this.#herd, factory, options);
    }
    if (staleWindow > 0) return this.#staleOrSet(key, full, factory, options, staleWindow);
    return this.#flight(key, full, factory, options);
  }

  /**
   * Resolves once no background refresh runs, or after `ms` (the cache's
   * `close()` waits this long for a factory; a later write then fails, reported).
   */
  async idle(ms: number): Promise<void> {
    if (this.#background.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    const drained = (async () => {
      while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
    })();
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
  }

  /** One read, then one `factory` call per key at a time in this process. */
  #flight<T>(
    key: string,
    full: string,
    factory: () => T | Promise<T>,
    options: Omit<SetOptions, "nx" | "xx"> | undefined,
  ): Promise<T> {
    const running = this.#inflight.get(full);
    if (running !== undefined) return running as Promise<T>;
    const work = (async () => {
      try {
        const cached = await this.#access.read(full, key);
        if (cached !== MISSING) return cached as T;
        const value = await factory();
        await this.#access.write(key, value, options);
        return value;
      } finally {
        this.#inflight.delete(full);
      }
    })();
    this.#inflight.set(full, work);
    return work;
  }

  /**
   * staleWhileRevalidate: a value in Redis is returned as usual; after a
   * miss, a stale copy from memory is returned at once and one refresh
   * starts in the background (its failure goes to `onError`); without a
   * copy, the caller waits for the refresh like any other miss.
   */
  async #staleOrSet<T>(
    key: string,
    full: string,
    factory: () => T | Promise<T>,
    options: Omit<SetOptions, "nx" | "xx"> | undefined,
    window: number,
  ): Promise<T> {
    this.#access.keepStale(window);
    const cached = await this.#access.read(full, key);
    if (cached !== MISSING) return cached as T;
    const stale = this.#access.stale(full, key, window);
    if (stale === MISSING) return await this.#flight(key, full, factory, options);
    if (!this.#inflight.has(full)) {
      const refresh = this.#flight(key, full, factory, options).catch((error) => {
        this.#errors.report(
          error instanceof Error ? error : new Error(String(error)),
          "getOrSet",
          key,
        );
      }).finally(() => this.#background.delete(refresh));
      this.#background.add(refresh);
    }
    return stale as T;
  }

  /**
   * getOrSet under herd: every caller reads first, so that while a refresh
   * runs (here or in another process) callers get the stale value; only
   * misses share the one refresh of this process.
   */
  async #herdGetOrSet<T>(
    key: string,
    full: string,
    herd: HerdStore,
    factory: () => T | Promise<T>,
    options: Omit<SetOptions, "nx" | "xx"> | undefined,
  ): Promise<T> {
    const cached = await this.#access.read(full, key);
    if (cached !== MISSING) return cached as T;
    const running = this.#inflight.get(full);
    if (running !== undefined) return running as Promise<T>;
    const work = (async () => {
      try {
        const waited = await this.#awaitRefresh(key, full, herd);
        if (waited !== MISSING) return waited as T;
        try {
          const started = Date.now();
          const value = await factory();
          herd.noteRefreshTime(Date.now() - started);
          await this.#access.write(key, value, options);
          return value;
        } finally {
          await herd.release(full).catch((error) => {
            this.#errors.reportTransient(error, "getOrSet", key);
          });
        }
      } finally {
        this.#inflight.delete(full);
      }
    })();
    this.#inflight.set(full, work);
    return work;
  }

  /**
   * Herd, after a miss: claims the refresh of `key` across processes. The
   * caller that holds the claim computes (`MISSING` returned); the others
   * poll for its value for up to `herdTtl`, then compute themselves.
   */
  async #awaitRefresh(key: string, full: string, herd: HerdStore): Promise<unknown> {
    const deadline = Date.now() + herd.herdTtl;
    for (let round = 0;; round++) {
      try {
        if (await herd.claim(full)) {
          if (round === 0) return MISSING;
          // Claimed after waiting: the previous holder may have just stored its value.
          const value = await this.#access.read(full, key);
          if (value !== MISSING) await herd.release(full);
          return value;
        }
      } catch (error) {
        this.#errors.failed(error, "getOrSet", key, undefined);
        return MISSING;
      }
      if (Date.now() >= deadline) return MISSING;
      await new Promise((resolve) =>
        setTimeout(resolve, HERD_POLL_MS + Math.random() * HERD_POLL_MS)
      );
      const value = await this.#access.read(full, key);
      if (value !== MISSING) return value;
    }
  }
}
