/**
 * One timer for many deadlines: armed for the earliest, and on firing asks
 * its owner to expire what is due and name the next deadline.
 *
 * @module
 */

import { type Timer, unrefTimeout } from "./timers.ts";

/** Keeps a single timer armed for the earliest of many deadlines (epoch ms). */
export class DeadlineTimer {
  #expire: (now: number) => number;
  #unref: boolean;
  #timer: Timer | undefined;
  #due = Infinity;
  /** Bumped by clear(): a callback that cleared the timer must not see it re-armed. */
  #generation = 0;

  /**
   * @param expire Called when the earliest deadline passes: settles what is
   *   due at `now` and returns the next deadline, or `Infinity` for none.
   * @param unref Whether the timer may let the process exit.
   */
  constructor(expire: (now: number) => number, unref: boolean) {
    this.#expire = expire;
    this.#unref = unref;
  }

  /** Makes sure the timer fires by `due`. Cheap when an earlier one is armed. */
  schedule(due: number): void {
    if (this.#timer !== undefined && due >= this.#due) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#due = due;
    const delay = Math.max(0, due - Date.now());
    this.#timer = this.#unref ? unrefTimeout(this.#fire, delay) : setTimeout(this.#fire, delay);
  }

  /** Disarms the timer. */
  clear(): void {
    this.#generation++;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = Infinity;
  }

  #fire = (): void => {
    this.#timer = undefined;
    this.#due = Infinity;
    const generation = this.#generation;
    const next = this.#expire(Date.now());
    if (next !== Infinity && generation === this.#generation) this.schedule(next);
  };
}
