/**
 * The cache's error policy: which errors are transient (Redis unreachable,
 * as opposed to wrong use), how they are reported (`onError`, the `errors`
 * count) and when `ignoreErrors` turns them into a fallback value.
 *
 * @module
 */

import { CircuitOpenError, ConnectionError, PoolTimeoutError, TimeoutError } from "../errors.ts";
import type { CacheErrorContext, CacheStats } from "./cache_options.ts";

/** Errors that mean "Redis is not reachable right now", as opposed to wrong use. */
export function isTransient(error: unknown): error is Error {
  return error instanceof ConnectionError || error instanceof TimeoutError ||
    error instanceof PoolTimeoutError;
}

/** Reports transient errors and, under `ignoreErrors`, turns them into fallbacks. */
export class ErrorPolicy {
  #ignoreErrors: boolean;
  #onError: ((error: Error, context: CacheErrorContext) => void) | undefined;
  #stats: CacheStats;

  /**
   * @param ignoreErrors The cache's `ignoreErrors`.
   * @param onError The cache's `onError`.
   * @param stats The cache's counters (`errors`, and `misses` of ignored reads).
   */
  constructor(
    ignoreErrors: boolean,
    onError: ((error: Error, context: CacheErrorContext) => void) | undefined,
    stats: CacheStats,
  ) {
    this.#ignoreErrors = ignoreErrors;
    this.#onError = onError;
    this.#stats = stats;
  }

  /** Counts an error and tells `onError` (whose own errors are swallowed). */
  report(error: Error, op: string, key?: string): void {
    this.#stats.errors++;
    try {
      this.#onError?.(error, key === undefined ? { op } : { op, key });
    } catch { /* a broken onError must not break the cache */ }
  }

  /** Reports `error` when it is transient (for calls that always rethrow). */
  reportTransient(error: unknown, op: string, key?: string): void {
    if (isTransient(error)) this.report(error, op, key);
  }

  /** Ignores a transient error under `ignoreErrors` (returning `fallback`), else rethrows. */
  failed<T>(error: unknown, op: string, key: string | undefined, fallback: T): T {
    if (!isTransient(error)) throw error;
    // An open circuit was reported once, when it opened: a miss, not one report per command.
    if (this.#ignoreErrors && error instanceof CircuitOpenError) {
      if (op === "get" || op === "getMany") this.#stats.misses++;
      return fallback;
    }
    this.report(error, op, key);
    if (!this.#ignoreErrors) throw error;
    if (op === "get" || op === "getMany") this.#stats.misses++;
    return fallback;
  }
}
