/**
 * The callers waiting for a pool connection: a FIFO (a deque, no
 * `Array.shift`), each waiter with its acquire timeout. A released or newly
 * opened connection goes to the longest-waiting caller still waiting.
 *
 * @module
 */

import { Deque } from "../util/deque.ts";
import type { Timer } from "../util/timers.ts";

/** One caller waiting for a `T` (a pool member). */
export interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: Timer | undefined;
  /** Settled already (timed out, or handed a member): skipped when its turn comes. */
  done: boolean;
}

/** The queue of callers waiting for a connection. */
export class Waiters<T> {
  #queue = new Deque<Waiter<T>>();

  /** Waiters in the queue (some may have timed out and wait to be skipped). */
  get size(): number {
    return this.#queue.size;
  }

  /**
   * Queues a caller: resolves with what `next()`'s taker hands it, or rejects
   * with `timeoutError()` after `timeout` ms (`0`: waits as long as it takes).
   */
  wait(timeout: number, timeoutError: () => Error): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, timer: undefined, done: false };
      if (timeout > 0) {
        waiter.timer = setTimeout(() => {
          if (waiter.done) return;
          waiter.done = true;
          reject(timeoutError());
        }, timeout);
      }
      this.#queue.push(waiter);
    });
  }

  /**
   * Takes the longest-waiting caller still waiting off the queue (marked done,
   * its timer stopped) for the caller to settle, or `undefined` when none waits.
   */
  next(): Waiter<T> | undefined {
    for (let w = this.#queue.shift(); w !== undefined; w = this.#queue.shift()) {
      if (w.done) continue;
      w.done = true;
      clearTimeout(w.timer);
      return w;
    }
    return undefined;
  }

  /** Rejects every caller still waiting with `error()`, emptying the queue. */
  rejectAll(error: () => Error): void {
    for (let w = this.next(); w !== undefined; w = this.next()) w.reject(error());
  }
}
