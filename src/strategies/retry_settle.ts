/**
 * Falling back to another server: `RetrySettle` sends a failed command to the
 * next target a strategy names, and `isUnreachable` tells the failures after
 * which another server may do better.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import { ConnectionError, TimeoutError } from "../errors.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";

/** Errors after which another server may do better: the server is down or stalled. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ConnectionError || error instanceof TimeoutError;
}

/**
 * A `Settle` that, when its command fails, asks `next` for another target
 * and sends the command there instead. Used by replica reads (fall back to
 * another replica, then the primary), by the failover strategy (move to the
 * next server) and by Sentinel (send a write again after `READONLY`).
 */
export class RetrySettle implements Settle {
  #command: Command;
  #settle: Settle;
  #options: SendOptions | undefined;
  #next: (error: Error) => RedisTarget | undefined;

  /**
   * @param command The command, to send again.
   * @param settle Where the final outcome goes.
   * @param options The command's options.
   * @param next Called with each error: the target to try next, or
   *   `undefined` to give up with that error. Not called once the command's
   *   signal aborted.
   */
  constructor(
    command: Command,
    settle: Settle,
    options: SendOptions | undefined,
    next: (error: Error) => RedisTarget | undefined,
  ) {
    this.#command = command;
    this.#settle = settle;
    this.#options = options;
    this.#next = next;
  }

  resolve(value: RedisReply): void {
    this.#settle.resolve(value);
  }

  reject(error: Error): void {
    if (!this.#options?.signal?.aborted) {
      const target = this.#next(error);
      if (target !== undefined) return target.dispatch(this.#command, this, this.#options);
    }
    this.#settle.reject(error);
  }
}
