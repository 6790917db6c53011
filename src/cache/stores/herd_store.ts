/**
 * The herd store: a `CacheStore` decorator that gives any store stampede
 * protection (the `herd` strategy picks it; the cache wraps its store in it).
 *
 * A value set with a time to live `ttl` is kept in Redis for `ttl + herdTtl`.
 * Past `ttl` it is *stale*: the first reader claims the refresh with a short
 * Redis marker (`SET … NX PX herdTtl`) and gets a miss, so it recomputes;
 * every other reader, in this process or another, keeps getting the stale
 * value until the new one lands. `getOrSet` goes further: on a plain miss,
 * one caller across all processes runs the factory and the others wait for
 * its value (up to `herdTtl`).
 *
 * Nothing is wrapped around the value: the soft expiry is the key's own TTL
 * minus `herdTtl`, read with `PTTL` in the same round trip. So counters,
 * other clients and `ttl()` keep working (`ttl()` reports the soft expiry).
 *
 * Optional early refresh (XFetch): with `herdEarlyRefresh` β > 0, a read
 * claims the refresh *before* the soft expiry with probability
 * `exp(-remaining / (β · refreshTime))`, where `refreshTime` is how long
 * refreshes take (measured by `getOrSet`).
 *
 * @module
 */

import type { CacheStore, ReadMode, StoredValue, StoreEntry } from "./store.ts";

/** Where the refresh marker of a full key lives (outside any cache prefix's scan pattern). */
export function herdMarker(key: string): string {
  return `herd:${key}`;
}

/** Measured refresh time before any was measured, in ms. */
const DEFAULT_REFRESH_MS = 100;

/** A `CacheStore` that serves stale values while one caller refreshes them. */
export class HerdStore implements CacheStore {
  #inner: CacheStore;
  #herdTtl: number;
  #beta: number;
  /** Full keys whose refresh this process claimed, with when. */
  #claimed = new Map<string, number>();
  #refreshMs = DEFAULT_REFRESH_MS;

  /**
   * @param inner The store that holds the values.
   * @param herdTtl How long a stale value is still served, in ms.
   * @param beta XFetch's β for early refresh; 0 turns it off.
   */
  constructor(inner: CacheStore, herdTtl: number, beta: number) {
    this.#inner = inner;
    this.#herdTtl = herdTtl;
    this.#beta = beta;
  }

  /** The store underneath (locks use it directly: their TTLs must not grow). */
  get inner(): CacheStore {
    return this.#inner;
  }

  /** How long stale values are served, in ms. */
  get herdTtl(): number {
    return this.#herdTtl;
  }

  /** Records how long a refresh took (for early refresh). */
  noteRefreshTime(ms: number): void {
    this.#refreshMs = this.#refreshMs * 0.8 + Math.max(1, ms) * 0.2;
  }

  /**
   * Claims the refresh of `key` for this caller: true when nobody else
   * holds it (or this process already claimed it in a read).
   */
  async claim(key: string): Promise<boolean> {
    if (this.#claimed.delete(key)) return true;
    return await this.#setMarker(key);
  }

  /** Sets the refresh marker of `key` if nobody holds it; true when this caller got it. */
  #setMarker(key: string): Promise<boolean> {
    return this.#inner.set(herdMarker(key), "1", this.#herdTtl, "nx");
  }

  /** Drops the refresh marker once the new value is stored. */
  async release(key: string): Promise<void> {
    this.#claimed.delete(key);
    await this.#inner.delete([herdMarker(key)]);
  }

  /** True when a value with `pttl` ms left should be refreshed by this reader now. */
  #refreshDue(pttl: number): boolean {
    if (pttl < 0) return false; // no expiry (or gone meanwhile)
    const fresh = pttl - this.#herdTtl;
    if (fresh <= 0) return true;
    return this.#beta > 0 && fresh < -Math.log(Math.random()) * this.#beta * this.#refreshMs;
  }

  /** The value, unless this reader just claimed its refresh (then `null`: recompute). */
  async #serveOrClaim(key: string, value: StoredValue, pttl: number): Promise<StoredValue | null> {
    if (!this.#refreshDue(pttl)) return value;
    if (!await this.#setMarker(key)) return value;
    this.#rememberClaim(key);
    return null;
  }

  /** Notes that this process claimed `key` in a read (past 1 000 claims, old ones go). */
  #rememberClaim(key: string): void {
    const now = Date.now();
    if (this.#claimed.size >= 1_000) {
      for (const [k, at] of this.#claimed) if (now - at > this.#herdTtl) this.#claimed.delete(k);
    }
    this.#claimed.set(key, now);
  }

  async get(key: string, mode: ReadMode): Promise<StoredValue | null> {
    const [value, pttl] = await Promise.all([this.#inner.get(key, mode), this.#inner.pttl(key)]);
    return value === null ? null : await this.#serveOrClaim(key, value, pttl);
  }

  async getMany(keys: readonly string[], mode: ReadMode): Promise<(StoredValue | null)[]> {
    const [values, pttls] = await Promise.all([
      this.#inner.getMany(keys, mode),
      Promise.all(keys.map((key) => this.#inner.pttl(key))),
    ]);
    return await Promise.all(
      values.map((value, i) =>
        value === null ? null : this.#serveOrClaim(keys[i], value, pttls[i])
      ),
    );
  }

  set(
    key: string,
    value: StoredValue,
    ttl: number | null,
    condition?: "nx" | "xx",
  ): Promise<boolean> {
    return this.#inner.set(key, value, ttl === null ? null : ttl + this.#herdTtl, condition);
  }

  ensure(key: string, value: string, ttl: number | null): Promise<string> {
    return this.#inner.ensure(key, value, ttl === null ? null : ttl + this.#herdTtl);
  }

  setMany(entries: readonly StoreEntry[]): Promise<void> {
    return this.#inner.setMany(
      entries.map(([key, value, ttl]) => [key, value, ttl === null ? null : ttl + this.#herdTtl]),
    );
  }

  delete(keys: readonly string[]): Promise<number> {
    return this.#inner.delete(keys);
  }

  exists(key: string): Promise<boolean> {
    return this.#inner.exists(key);
  }

  incrBy(key: string, delta: number): Promise<number> {
    return this.#inner.incrBy(key, delta);
  }

  /** Time left until the soft expiry (0 while stale). */
  async pttl(key: string): Promise<number> {
    const ms = await this.#inner.pttl(key);
    return ms < 0 ? ms : Math.max(0, ms - this.#herdTtl);
  }

  pexpire(key: string, ttl: number): Promise<boolean> {
    return ttl <= 0 ? this.#inner.pexpire(key, ttl) : this.#inner.pexpire(key, ttl + this.#herdTtl);
  }

  pexpireAt(key: string, at: number): Promise<boolean> {
    return this.#inner.pexpireAt(key, at <= Date.now() ? at : at + this.#herdTtl);
  }

  persist(key: string): Promise<boolean> {
    return this.#inner.persist(key);
  }

  scan(match: string, count: number): AsyncIterable<string[]> {
    return this.#inner.scan(match, count);
  }

  flush(): Promise<void> {
    return this.#inner.flush();
  }

  deleteIfEquals(key: string, token: string): Promise<boolean> {
    return this.#inner.deleteIfEquals(key, token);
  }

  expireIfEquals(key: string, token: string, ttl: number): Promise<boolean> {
    return this.#inner.expireIfEquals(key, token, ttl);
  }

  move(from: string, to: string): Promise<boolean> {
    return this.#inner.move(from, to);
  }

  close(): Promise<void> {
    this.#claimed.clear();
    return this.#inner.close();
  }
}
