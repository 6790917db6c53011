/**
 * The near cache's memory: entries bounded by count and bytes (SIEVE), the
 * reads in flight, and the rules that keep it from serving a stale value.
 *
 * - An entry is served only while the connection it was read on (its
 *   tracking session) is live, before its own expiry (the near `ttl`, and
 *   the key's Redis TTL as measured when it was read), and until Redis or
 *   this process invalidates the key.
 * - A read in flight is a ticket. Any invalidation of its key, a flush, or
 *   the end of its connection while it is in flight makes the ticket stale,
 *   and a stale ticket's value is returned to its caller but never kept.
 * - An entry that expired (or whose connection ended) is kept a while as a
 *   stale copy for `grace` and `staleWhileRevalidate`; one that was
 *   invalidated by a write is dropped at once.
 *
 * @module
 */

import type { Session, TrackingHooks } from "../client/tracking.ts";
import type { NearSettings } from "./near_options.ts";
import { SieveList, type SieveNode } from "./sieve.ts";

/** A stored value as the cache store holds it: text or bytes. */
export type NearValue = string | Uint8Array;
/** How the value was read (the cache store's read mode). */
export type NearMode = "text" | "bytes";

/** `decoded` before the cache has decoded the value. */
export const UNDECODED: unique symbol = Symbol("undecoded");

/** One value in memory. */
export interface NearEntry extends SieveNode {
  readonly key: string;
  readonly stored: NearValue;
  readonly mode: NearMode;
  readonly size: number;
  /** Not served fresh from this time on (ms): the near `ttl` or the Redis TTL, the sooner. */
  readonly expiresAt: number;
  /** When Redis itself expires the key (ms), `Infinity` without a TTL. */
  readonly redisExpiresAt: number;
  /** The tracking session of the connection it was read on. */
  readonly session: Session;
  /** Set when Redis invalidated it after its Redis expiry: stale since then. */
  expiredAt: number;
  /** The cache's decoded value, made on the first hit. */
  decoded: unknown;
  /** False once a copy of `decoded` failed: hits decode again instead. */
  copyable: boolean;
}

/** A read of Redis in flight. */
export interface NearRead {
  readonly key: string;
  readonly mode: NearMode;
  /** `Date.now()` when the read was sent: the Redis TTL counts from here. */
  readonly sentAt: number;
  /** Invalidated, flushed or cut off meanwhile: its value is not kept. */
  stale: boolean;
  /** The sessions the value and its TTL were read on (they must be one, and live). */
  valueSession?: Session;
  ttlSession?: Session;
  /** The value, once a caller awaits it (callers of one key share it). */
  promise?: Promise<NearValue | null>;
}

/**
 * The near cache's counters, in `cache.stats().near`.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({ url: "redis://127.0.0.1:6379", nearCache: true });
 * const near = cache.stats().near!;
 * console.log(near.hits / (near.hits + near.misses), near.entries, near.bytes);
 * ```
 */
export interface NearStats {
  /** Reads answered from memory. */
  hits: number;
  /** Reads that went to Redis. */
  misses: number;
  /** Keys dropped because Redis said they changed (flushes count once). */
  invalidations: number;
  /** Entries dropped to stay within `maxEntries` and `maxBytes`. */
  evictions: number;
  /** Connections that ended, and failovers, while values read through them were in memory. */
  flushes: number;
  /** Stale values served: `grace` while Redis was unreachable, or `staleWhileRevalidate`. */
  staleServed: number;
  /** Values in memory now. */
  entries: number;
  /** Their size now (key plus stored value). */
  bytes: number;
}

/** The entries, the reads in flight and the counters of one near cache. */
export class NearMemory implements TrackingHooks {
  readonly settings: NearSettings;
  #entries = new Map<string, NearEntry>();
  #sieve = new SieveList<NearEntry>();
  #reads = new Map<string, NearRead>();
  #bytes = 0;
  /** Sessions that values in memory came from. */
  #used = new WeakSet<Session>();
  /** How long expired entries are kept as stale copies (ms): grace, or the widest SWR window. */
  #keepStale: number;
  #stats = { hits: 0, misses: 0, invalidations: 0, evictions: 0, flushes: 0, staleServed: 0 };

  constructor(settings: NearSettings) {
    this.settings = settings;
    this.#keepStale = settings.grace;
  }

  /** The entry for `key` if it may be served now, counted as a hit. */
  fresh(key: string, mode: NearMode): NearEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.mode !== mode) return undefined;
    if (!entry.session.live || entry.expiredAt !== 0 || Date.now() >= entry.expiresAt) {
      if (this.#keepStale === 0) this.#drop(entry);
      return undefined;
    }
    entry.visited = true;
    this.#stats.hits++;
    return entry;
  }

  /** Redis's TTL of `key` as known from a fresh entry (-1: none), without counting a hit. */
  pttl(key: string): number | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || !entry.session.live || entry.expiredAt !== 0) return undefined;
    const now = Date.now();
    if (now >= entry.expiresAt) return undefined;
    return entry.redisExpiresAt === Infinity ? -1 : entry.redisExpiresAt - now;
  }

  /**
   * A stale copy of `key` that went stale at most `window` ms ago (expired,
   * or its connection ended), counted as served; `undefined` when there is
   * none or it is fresh.
   */
  stale(key: string, window: number): NearEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const since = entry.expiredAt !== 0
      ? entry.expiredAt
      : Math.min(entry.expiresAt, entry.session.live ? Infinity : entry.session.lostAt);
    if (since === Infinity) return undefined;
    const now = Date.now();
    if (now < since) return undefined; // still fresh
    if (now - since > window) {
      if (now - since > this.#keepStale) this.#drop(entry);
      return undefined;
    }
    this.#stats.staleServed++;
    return entry;
  }

  /** Keeps expired entries for at least `ms` (a `staleWhileRevalidate` window). */
  keepStaleFor(ms: number): void {
    if (ms > this.#keepStale) this.#keepStale = ms;
  }

  /** The read of `key` in flight that a new read may share, or a new one, counted as a miss. */
  read(key: string, mode: NearMode): NearRead {
    const running = this.#reads.get(key);
    if (running !== undefined && !running.stale && running.mode === mode) return running;
    this.#stats.misses++;
    const read: NearRead = { key, mode, sentAt: Date.now(), stale: false };
    this.#reads.set(key, read);
    return read;
  }

  /**
   * A read came back: keeps the value unless something made it stale.
   * `pttl` is Redis's PTTL for the key read just after the value, on the
   * same connection (-1: no TTL; -2: gone).
   */
  settle(read: NearRead, value: NearValue | null, pttl: number | undefined): void {
    if (this.#reads.get(read.key) === read) this.#reads.delete(read.key);
    const session = read.valueSession;
    if (
      read.stale || value === null || session === undefined || !session.live ||
      read.ttlSession !== session || pttl === undefined || pttl === -2 || pttl < -1
    ) return;
    const redisExpiresAt = pttl === -1 ? Infinity : read.sentAt + pttl;
    const expiresAt = Math.min(redisExpiresAt, Date.now() + this.settings.ttl);
    if (expiresAt <= Date.now()) return;
    const size = read.key.length + (typeof value === "string" ? value.length : value.byteLength);
    if (size > this.settings.maxBytes) return;
    const old = this.#entries.get(read.key);
    if (old !== undefined) this.#drop(old);
    const entry: NearEntry = {
      key: read.key,
      stored: value,
      mode: read.mode,
      size,
      expiresAt,
      redisExpiresAt,
      session,
      expiredAt: 0,
      decoded: UNDECODED,
      copyable: true,
      visited: false,
      newer: undefined,
      older: undefined,
    };
    this.#entries.set(read.key, entry);
    this.#sieve.insert(entry);
    this.#bytes += size;
    this.#used.add(session);
    this.#bound();
  }

  /** This process writes `keys`: drop them and spoil their reads in flight. */
  forget(keys: readonly string[]): void {
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry !== undefined) this.#drop(entry);
      this.#spoil(key);
    }
  }

  /** This process empties the database or the prefix: drop everything. */
  forgetAll(): void {
    this.#entries.clear();
    this.#sieve.clear();
    this.#bytes = 0;
    for (const read of this.#reads.values()) read.stale = true;
    this.#reads.clear();
  }

  /** Redis says `keys` changed (`null`: everything). */
  invalidated(keys: readonly string[] | null): void {
    if (keys === null) {
      this.#stats.invalidations++;
      this.forgetAll();
      return;
    }
    const now = Date.now();
    for (const key of keys) {
      this.#spoil(key);
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      this.#stats.invalidations++;
      // Past its Redis TTL the key expired rather than changed: keep it as a stale copy.
      if (entry.redisExpiresAt <= now && this.#keepStale > 0) {
        entry.expiredAt = entry.redisExpiresAt;
      } else this.#drop(entry);
    }
  }

  /** A tracking connection ended: what was read on it is no longer served fresh. */
  lost(session: Session): void {
    for (const read of this.#reads.values()) {
      if (read.valueSession === session) read.stale = true;
    }
    if (!this.#used.has(session)) return;
    this.#used.delete(session);
    this.#stats.flushes++;
    if (this.#keepStale > 0) return; // kept as stale copies until the window passes
    for (const entry of this.#entries.values()) {
      if (entry.session === session) this.#drop(entry);
    }
  }

  /** The server behind some keys changed (failover, moved slot): forget everything. */
  moved(): void {
    if (this.#entries.size > 0) this.#stats.flushes++;
    this.forgetAll();
  }

  /** The counters and sizes. */
  stats(): NearStats {
    return { ...this.#stats, entries: this.#entries.size, bytes: this.#bytes };
  }

  #spoil(key: string): void {
    const read = this.#reads.get(key);
    if (read === undefined) return;
    read.stale = true;
    this.#reads.delete(key);
  }

  #drop(entry: NearEntry): void {
    if (this.#entries.get(entry.key) !== entry) return;
    this.#entries.delete(entry.key);
    this.#sieve.remove(entry);
    this.#bytes -= entry.size;
  }

  /** Evicts until within both bounds. */
  #bound(): void {
    const { maxEntries, maxBytes } = this.settings;
    while (this.#entries.size > maxEntries || this.#bytes > maxBytes) {
      const victim = this.#sieve.victim();
      if (victim === undefined) return;
      this.#drop(victim);
      this.#stats.evictions++;
    }
  }
}
