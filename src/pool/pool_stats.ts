/**
 * `PoolStats`, what `pool.stats()` reports.
 *
 * @module
 */

import type { BreakerState } from "../client/breaker.ts";

/**
 * What `pool.stats()` reports.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * await using pool = createPool("redis://127.0.0.1:6379");
 * const { size, idle, inUse, waiting, pending } = pool.stats();
 * ```
 */
export interface PoolStats {
  /** Connections open or opening. */
  size: number;
  /** Connections neither lent out nor carrying commands. */
  idle: number;
  /** Connections lent out by `use()`. */
  inUse: number;
  /** Callers waiting for a connection. */
  waiting: number;
  /** Commands sent and not yet answered, across connections. */
  pending: number;
  /** The circuit breaker: `closed`, `open`, `half-open`, or `off` (the default). */
  breaker: BreakerState;
}
