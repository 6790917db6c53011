/**
 * The pool's periodic sweep: closes members idle past `idleTimeout` (beyond
 * `min`) and members older than `maxLifetime` once they are idle; the pool
 * then opens replacements as waiters and `min` need them.
 *
 * @module
 */

import { type Timer, unrefTimeout } from "../util/timers.ts";
import type { Member } from "./members.ts";

/** What the sweep needs to know (from the pool's settings). */
export interface SweepSettings {
  idleTimeout: number;
  maxLifetime: number;
  min: number;
}

/** The sweep timer of one pool (unref'd: it never keeps the process alive). */
export class Maintenance {
  #settings: SweepSettings;
  #members: () => readonly Member[];
  #discard: (member: Member) => void;
  #timer: Timer | undefined;
  #stopped = false;

  /**
   * @param settings The pool's `idleTimeout`, `maxLifetime` and `min`.
   * @param members The pool's members right now (the live list).
   * @param discard Closes a member (and lets the pool replace it).
   */
  constructor(
    settings: SweepSettings,
    members: () => readonly Member[],
    discard: (member: Member) => void,
  ) {
    this.#settings = settings;
    this.#members = members;
    this.#discard = discard;
  }

  /** Arms the next sweep: half the shorter of the two timeouts, at least 100 ms; none when both are 0. */
  start(): void {
    const period = Math.min(
      this.#settings.idleTimeout || Infinity,
      this.#settings.maxLifetime || Infinity,
    );
    if (period === Infinity || this.#stopped) return;
    this.#timer = unrefTimeout(() => {
      this.#sweep();
      this.start();
    }, Math.max(100, Math.floor(period / 2)));
  }

  /** Stops sweeping (the pool is closing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Closes members idle past `idleTimeout` (beyond `min`) or older than `maxLifetime`. */
  #sweep(): void {
    const { idleTimeout, maxLifetime, min } = this.#settings;
    const now = Date.now();
    for (const m of [...this.#members()]) {
      if (m.held || m.client.pending > 0) continue;
      const old = maxLifetime > 0 && now - m.createdAt >= maxLifetime;
      const idle = idleTimeout > 0 && now - m.lastUsed >= idleTimeout &&
        this.#members().length > min;
      if (old || idle || m.client.state === "closed") this.#discard(m);
    }
  }
}
