/**
 * The failover strategy: several independent servers in order of preference.
 * Commands go to the first healthy one; when it fails (connection lost or
 * timeout) the router moves to the next, and a read is sent again there once.
 * After `failbackAfter` it checks the first server in the background and
 * goes back to it once it answers.
 *
 * The servers do not replicate each other: after a move, the cache starts
 * cold on the next server. That is the point: a cache that is empty for a
 * moment instead of an application that is down.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import type { Command } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";
import { isReadCommand } from "../cluster/command_keys.ts";
import { BaseRouter } from "./base_router.ts";
import { isUnreachable, RetrySettle } from "./retry_settle.ts";
import { emit } from "../util/events.ts";

/**
 * Sends to the first healthy server of a list, moving down the list on
 * failures and back up after `failbackAfter`.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({
 *   strategy: "failover",
 *   urls: ["redis://10.0.0.1:6379", "redis://10.0.0.2:6379"],
 *   failbackAfter: 30_000,
 * });
 * ```
 */
export class FailoverRouter extends BaseRouter {
  #targets: RedisTarget[];
  /** Each server's address, for `failover` events. */
  #names: string[];
  #current = 0;
  #failbackAfter: number;
  #movedAt = 0;
  #probing = false;
  #onMove: (() => void) | undefined;

  /**
   * @param servers `[address, pool]` pairs, most preferred first.
   * @param failbackAfter Milliseconds after a move before the first server is checked again.
   * @param onMove Called each time another server takes over (a near cache forgets its values).
   */
  constructor(
    servers: readonly (readonly [name: string, target: RedisTarget])[],
    failbackAfter: number,
    onMove?: () => void,
  ) {
    super();
    this.#targets = servers.map(([, target]) => target);
    this.#names = servers.map(([name]) => name);
    this.#failbackAfter = failbackAfter;
    this.#onMove = onMove;
  }

  /** Index of the server in use (0: the first). */
  get current(): number {
    return this.#current;
  }

  /** Every key is served by the router itself, which picks the server per command. */
  route(): RedisTarget {
    return this;
  }

  /** The server in use, after checking whether it is time to go back to the first. */
  #active(): RedisTarget {
    if (this.#current !== 0) this.#maybeFailback();
    return this.#targets[this.#current];
  }

  override dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    const read = isReadCommand(command);
    const first = this.#active();
    let retried = false;
    const retry = new RetrySettle(command, settle, options, (error) => {
      if (!isUnreachable(error)) return undefined;
      this.#moveFrom(first, error);
      if (!read || retried) return undefined;
      retried = true;
      return this.#targets[this.#current];
    });
    first.dispatch(command, retry, options);
  }

  nodes(): Promise<readonly RedisTarget[]> {
    return Promise.resolve([this]);
  }

  together(): RedisTarget {
    return this;
  }

  /**
   * Marks `failed` as down: if it is still the server in use, move to the
   * next one (several commands failing together move only once).
   */
  #moveFrom(failed: RedisTarget, error: Error): void {
    if (this.#targets[this.#current] !== failed) return;
    this.#moveTo((this.#current + 1) % this.#targets.length, error);
  }

  /** Another server takes over: a near cache forgets, listeners hear of it. */
  #moveTo(next: number, error: Error | undefined): void {
    const from = this.#names[this.#current];
    this.#current = next;
    this.#movedAt = Date.now();
    this.#onMove?.();
    emit(this, "failover", { from, to: this.#names[next], error });
  }

  #maybeFailback(): void {
    if (this.#probing || Date.now() - this.#movedAt < this.#failbackAfter) return;
    this.#probing = true;
    this.#targets[0].send(["PING"], { timeout: 1_000 }).then(
      () => {
        this.#probing = false;
        if (this.#current !== 0) this.#moveTo(0, undefined);
      },
      () => {
        this.#movedAt = Date.now();
        this.#probing = false;
      },
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#targets.map((target) => target.close()));
    this.ended();
  }
}
