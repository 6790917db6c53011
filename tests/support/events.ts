/**
 * Recording the events of a client, pool, router or cluster client, and waiting for one
 * without sleeping: `await log.next((e) => e.type === "ready")` resolves when a matching event
 * arrives (or has arrived since the last match), and fails loudly after a deadline.
 *
 * @module
 */

/** One event as recorded: its type and detail. */
export interface Recorded {
  type: string;
  // deno-lint-ignore no-explicit-any
  detail: any;
}

/** What can be listened to (the typed overloads of the classes accept these names). */
interface Listenable {
  // deno-lint-ignore no-explicit-any
  addEventListener(type: any, listener: (event: CustomEvent) => void): void;
}

/** The events every object emits; strategies add theirs. */
export const CLIENT_EVENTS = ["connect", "ready", "reconnecting", "error", "end"] as const;

/** A log of `target`'s events of `types`, with a way to wait for the next match. */
export class EventLog {
  readonly events: Recorded[] = [];
  /** Events before this index were consumed by an earlier `next()`. */
  #consumed = 0;
  #waiters = new Set<() => void>();

  constructor(target: Listenable, types: readonly string[] = CLIENT_EVENTS) {
    for (const type of types) {
      target.addEventListener(type, (event: CustomEvent) => {
        this.events.push({ type, detail: event.detail });
        for (const wake of this.#waiters) wake();
      });
    }
  }

  /** The recorded types, in order. */
  get types(): string[] {
    return this.events.map((e) => e.type);
  }

  /**
   * Resolves with the first event after the last match that satisfies `match` (waiting for it
   * if needed); rejects after `ms` with the log so far.
   */
  next(match: (event: Recorded) => boolean, ms = 10_000): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      const look = () => {
        for (let i = this.#consumed; i < this.events.length; i++) {
          if (match(this.events[i])) {
            this.#consumed = i + 1;
            done();
            resolve(this.events[i]);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`No matching event within ${ms} ms; got ${this.types.join(", ")}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(look);
      };
      this.#waiters.add(look);
      look();
    });
  }

  /** Resolves with the next event of `type` (see `next`). */
  nextOf(type: string, ms?: number): Promise<Recorded> {
    return this.next((e) => e.type === type, ms);
  }
}
