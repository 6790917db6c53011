/**
 * The `retry` option: reconnection backoff with full jitter, or a function
 * of the caller's that decides each delay.
 *
 * @module
 */

import { durationOption } from "../util/duration.ts";
import { checkOptionKeys } from "../util/options.ts";
import { checkPositive } from "./_checks.ts";

/**
 * Reconnection backoff: full jitter, a delay drawn from 0 to
 * `min(max, base * 2^attempt)` milliseconds.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect({ retry: { base: 100, max: 5_000, attempts: 20 } });
 * ```
 */
export interface RetryOptions {
  /**
   * First backoff step, in milliseconds (or a duration string such as `"100ms"`).
   *
   * @default {50}
   */
  base?: number | string;
  /**
   * Longest delay between attempts, in milliseconds (or a duration string).
   *
   * @default {1000}
   */
  max?: number | string;
  /**
   * Attempts before giving up (the client then closes).
   *
   * @default {Infinity}
   */
  attempts?: number;
  /**
   * Milliseconds (or a duration string such as `"1m"`) of failing attempts,
   * counted from the first one, after which the client gives up and closes.
   *
   * @default {Infinity}
   */
  deadline?: number | string;
}

/**
 * Decides the delay before reconnection attempt `attempt` (1, 2, …) after
 * `error`; `false` gives up and closes the client.
 *
 * @example
 * ```ts
 * import { connect, type RetryStrategy } from "@redcache/redcache";
 *
 * const retry: RetryStrategy = (attempt) => (attempt > 10 ? false : attempt * 100);
 * await using redis = await connect({ url: "redis://127.0.0.1:6379", retry });
 * ```
 */
export type RetryStrategy = (attempt: number, error: Error) => number | false;

const RETRY_KEYS = ["base", "max", "attempts", "deadline"];

/** Turns the `retry` option into a strategy function. */
export function retryStrategy(option: RetryOptions | RetryStrategy | undefined): RetryStrategy {
  if (typeof option === "function") return option;
  if (option !== undefined && (typeof option !== "object" || option === null)) {
    throw new TypeError(
      'Invalid option "retry": expected { base, max, attempts, deadline } or a function',
    );
  }
  checkOptionKeys(option ?? {}, RETRY_KEYS, "retry");
  const base = durationOption(option?.base ?? 50, "retry.base", 0, 2 ** 31 - 1);
  const max = durationOption(option?.max ?? 1000, "retry.max", 0, 2 ** 31 - 1);
  const attempts = checkPositive(option?.attempts ?? Infinity, "retry.attempts", true);
  const deadline = durationOption(option?.deadline ?? Infinity, "retry.deadline", 0, Infinity);
  let firstFailure = 0;
  return (attempt) => {
    if (attempt === 1) firstFailure = Date.now();
    if (attempt > attempts || Date.now() - firstFailure > deadline) return false;
    const cap = Math.min(max, base * 2 ** Math.min(attempt, 30));
    return Math.max(1, Math.round(Math.random() * cap));
  };
}
