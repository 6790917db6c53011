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
}

/** Validates the per-command options object (only when one is given). */
export function checkSendOptions(options: SendOptions): void {
  for (const key in options) {
    if (key !== "bytes" && key !== "timeout" && key !== "signal") {
      throw new TypeError(
        `Unknown option "${key.slice(0, 40)}" for send(); expected bytes, timeout or signal`,
      );
    }
  }
  const t = options.timeout;
  if (t !== undefined && (typeof t !== "number" || !(t >= 0) || !Number.isFinite(t))) {
    throw new TypeError('Invalid option "timeout": expected milliseconds, 0 or more');
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
