/**
 * The memory store's bookkeeping: entries in least-recently-used order, the
 * bytes they hold, expiry (lazy on access, plus an incremental sweep on
 * writes, with no timer) and eviction down to `maxEntries` / `maxBytes`.
 *
 * @module
 */
import { quote, sizeOf } from "./_redis_values.ts";
import type { StoredValue } from "./store.ts";

/** One stored value. */
export interface Entry {
  value: StoredValue;
  /** Unix ms after which the entry is gone, or null. */
  expiresAt: number | null;
  size: number;
}

/** Entries an ordinary write checks for expiry, Redis-style active expiry without a timer. */
const SWEEP_STEP = 8;

/** Entries in LRU order, bounded in count and bytes, expired ones dropped as they are met. */
export class MemoryEntries {
  /** Entries in LRU order: least recently used first. */
  #entries = new Map<string, Entry>();
  #bytes = 0;
  #maxEntries: number;
  #maxBytes: number;
  /** The clock, in Unix ms. */
  readonly now: () => number;
  /** No entry expires before this (a lower bound). */
  #earliest = Infinity;
  /** Where the incremental expiry sweep resumes, and the soonest expiry it has seen. */
  #cursor?: Iterator<[string, Entry]>;
  #cursorEarliest = Infinity;

  /**
   * @param maxEntries Most entries kept.
   * @param maxBytes Most bytes kept (key length plus value length per entry).
   * @param now The clock, in Unix ms.
   */
  constructor(maxEntries: number, maxBytes: number, now: () => number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
    this.now = now;
  }

  /** Every key held now (expired ones included), in LRU order. */
  keys(): string[] {
    return Array.from(this.#entries.keys());
  }

  /** The entry under `key` unless missing or expired (an expired one is dropped). */
  live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    return entry;
  }

  /** Marks an entry most recently used. */
  touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  /** Drops an entry. */
  remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#earliest = Infinity;
    this.#cursor = undefined;
    this.#cursorEarliest = Infinity;
  }

  /** Writes an entry as most recently used, then sweeps and evicts. */
  write(key: string, value: StoredValue, expiresAt: number | null): void {
    const old = this.#entries.get(key);
    if (old) this.remove(key, old);
    const size = sizeOf(key, value);
    this.#entries.set(key, { value, expiresAt, size });
    this.#bytes += size;
    if (expiresAt !== null) this.#noteExpiry(expiresAt);
    this.#sweep(SWEEP_STEP);
    this.#evict();
  }

  /** Sets `expiresAt` of a live key, deleting it when that is not in the future. */
  expire(key: string, expiresAt: number): boolean {
    const entry = this.live(key);
    if (!entry) return false;
    if (expiresAt <= this.now()) {
      this.remove(key, entry);
    } else {
      entry.expiresAt = expiresAt;
      this.#noteExpiry(expiresAt);
    }
    return true;
  }

  /**
   * Checks that an entry fits within `maxBytes`.
   *
   * @throws {RangeError} When it alone is larger.
   */
  checkSize(key: string, value: StoredValue): void {
    const size = sizeOf(key, value);
    if (size > this.#maxBytes) {
      const name = quote(key);
      throw new RangeError(
        `Cannot store ${name} in the memory store: its ${size} bytes exceed maxBytes (${this.#maxBytes})`,
      );
    }
  }

  /** Keeps `#earliest` a lower bound, including for the sweep under way. */
  #noteExpiry(expiresAt: number): void {
    this.#earliest = Math.min(this.#earliest, expiresAt);
    this.#cursorEarliest = Math.min(this.#cursorEarliest, expiresAt);
  }

  /** Evicts least recently used entries, expired ones first, until within bounds. */
  #evict(): void {
    if (!this.#overBounds()) return;
    this.#sweep(Infinity);
    for (const [key, entry] of this.#entries) {
      if (!this.#overBounds()) break;
      this.remove(key, entry);
    }
  }

  /** True while more entries or bytes are held than allowed. */
  #overBounds(): boolean {
    return this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes;
  }

  /**
   * Checks up to `steps` entries for expiry, resuming where the last sweep
   * stopped; a sweep that reaches the end learns the soonest expiry left.
   */
  #sweep(steps: number): void {
    const now = this.now();
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
      if (entry.expiresAt <= now) this.remove(key, entry);
      else this.#cursorEarliest = Math.min(this.#cursorEarliest, entry.expiresAt);
    }
  }
}
