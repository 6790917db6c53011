/**
 * A history of reads and writes of a few keys, and a stale-read check in the
 * spirit of linearizability: a read may return the value of any write that
 * began before the read ended, unless another write of the key began after
 * that write ended and itself ended before the read began (then the value
 * was overwritten for good before the read started). Time is a counter
 * bumped at every event: JavaScript runs one thing at a time, so the
 * counter's order is real-time order.
 *
 * A write whose outcome is unknown (it failed after it may have been sent)
 * ends at `Infinity`: it may land at any time, so it can explain a read but
 * never hides another write. Data loss (a server restart without
 * persistence, FLUSHDB) is a write of `null` to every key.
 *
 * ```ts
 * const history = new History();
 * const w = history.write("k", "v1");
 * await cache.set("k", "v1");
 * history.done(w);
 * const r = history.begin();
 * const got = await cache.get("k");
 * assert.equal(history.read("k", got ?? null, r), undefined);
 * ```
 *
 * @module
 */

interface Write {
  key: string;
  value: string | null;
  start: number;
  end: number;
}

/** A write in the history; `done()` ends it. */
export type WriteHandle = { readonly end: number };

/** Reads and writes of a few keys, checked as they are recorded. */
export class History {
  #clock = 0;
  #writes = new Map<string, Write[]>();
  /** Starts of the reads in flight: writes overwritten for good before the oldest are dropped. */
  #inflight = new Set<number>();
  /** Reads checked so far. */
  reads = 0;

  /** The time a read starts: pass it to `read` when it ends. */
  begin(): number {
    const start = ++this.#clock;
    this.#inflight.add(start);
    return start;
  }

  /** A read that started at `start` failed: it will not be checked. */
  abandon(start: number): void {
    this.#inflight.delete(start);
  }

  /**
   * A write of `value` (`null`: a delete) starts now; until `done()` it may
   * land at any time. A write whose outcome stays unknown is never done.
   */
  write(key: string, value: string | null): WriteHandle {
    const write = { key, value, start: ++this.#clock, end: Infinity };
    const list = this.#writes.get(key);
    if (list === undefined) this.#writes.set(key, [write]);
    else list.push(write);
    return write;
  }

  /** The write has been acknowledged (it has landed). */
  done(handle: WriteHandle): void {
    const write = handle as Write;
    write.end = ++this.#clock;
    // Drop what no read in flight, nor any later one, can return: writes that
    // ended before one that began before the oldest read in flight.
    let oldest = this.#clock;
    for (const start of this.#inflight) if (start < oldest) oldest = start;
    const list = this.#writes.get(write.key)!;
    let settled = 0;
    for (const w of list) if (w.end < oldest && w.start > settled) settled = w.start;
    if (list.some((w) => w.end < settled)) {
      this.#writes.set(write.key, list.filter((w) => w.end >= settled));
    }
  }

  /** Data loss of every key (a restart, FLUSHDB) starts now; `done()` each handle when over. */
  lose(keys: Iterable<string>): WriteHandle[] {
    return [...keys].map((key) => this.write(key, null));
  }

  /**
   * Records a read of `key` that started at `start`, ends now and returned
   * `value`; returns why it is stale, or `undefined` when it is allowed.
   */
  read(key: string, value: string | null, start: number): string | undefined {
    this.#inflight.delete(start);
    const end = ++this.#clock;
    this.reads++;
    const writes = this.#writes.get(key) ?? [];
    // The latest start among writes that ended before the read began: any
    // write that ended before it was overwritten for good.
    let settled = 0;
    for (const w of writes) if (w.end < start && w.start > settled) settled = w.start;
    // The key was missing before its first write.
    const candidates = value === null ? [{ value, start: 0, end: 0 }, ...writes] : writes;
    const ok = candidates.some((w) => w.value === value && w.start < end && w.end >= settled);
    if (ok) return undefined;
    const known = candidates.some((w) => w.value === value);
    return known
      ? `read of ${key} [${start}, ${end}] returned ${value}, overwritten for good at ${settled}`
      : `read of ${key} [${start}, ${end}] returned ${value}, which no write wrote`;
  }
}
