/**
 * What a caller hands to `send` and `dispatch` besides the command: the
 * per-command options, and the receiver of the outcome on the promise-free
 * path. Every layer that sends commands is written against these.
 *
 * @module
 */

import type { RedisReply } from "../resp/types.ts";

/**
 * Per-command options of `send`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const image = await redis.send(["GET", "logo"], { bytes: true, timeout: 500 });
 * const ac = new AbortController();
 * const job = redis.send(["BLPOP", "jobs", "0"], { timeout: 0, signal: ac.signal });
 * ac.abort(); // job rejects with the signal's reason
 * ```
 */
export interface SendOptions {
  /**
   * `true` returns bulk strings as `Uint8Array` instead of `string`; `"auto"`
   * only those starting with a NUL byte (binary values with a header).
   */
  bytes?: boolean | "auto";
  /** Milliseconds to wait for the reply; `0` waits forever. Defaults to `commandTimeout`. */
  timeout?: number;
  /** Rejects the command with the signal's reason when aborted. */
  signal?: AbortSignal;
  /**
   * Milliseconds the server may hold this command before it answers
   * (`BLPOP`, `XREAD … BLOCK`); `0`: forever. Unless `timeout` is given, the
   * reply is waited for that long plus `commandTimeout` (forever for `0`),
   * and a pool sends the command on a connection of its own.
   */
  block?: number;
}

/** The milliseconds to wait for a reply: `timeout`, else `block` plus `commandTimeout`. */
export function replyTimeout(options: SendOptions | undefined, commandTimeout: number): number {
  if (options === undefined) return commandTimeout;
  if (options.timeout !== undefined) return options.timeout;
  const block = options.block;
  if (block === undefined) return commandTimeout;
  return block === 0 || commandTimeout === 0 ? 0 : block + commandTimeout;
}

/** Validates the per-command options object (only when one is given). */
export function checkSendOptions(options: SendOptions): void {
  for (const key in options) {
    if (key !== "bytes" && key !== "timeout" && key !== "signal" && key !== "block") {
      throw new TypeError(
        `Unknown option "${key.slice(0, 40)}" for send(); expected bytes, timeout, signal or block`,
      );
    }
  }
  for (const name of ["timeout", "block"] as const) {
    const t = options[name];
    if (t !== undefined && (typeof t !== "number" || !(t >= 0) || !Number.isFinite(t))) {
      throw new TypeError(`Invalid option "${name}": expected milliseconds, 0 or more`);
    }
  }
}

/**
 * Receives a command's outcome: the promise-free path of `dispatch`.
 *
 * @example
 * ```ts
 * import { connect, type Settle } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const settle: Settle = { resolve: console.log, reject: console.error };
 * redis.dispatch(["PING"], settle);
 * ```
 */
export interface Settle {
  /** Called with the reply. */
  resolve(value: RedisReply): void;
  /** Called with a `ReplyError`, `ConnectionError`, `TimeoutError`, … */
  reject(error: Error): void;
}
