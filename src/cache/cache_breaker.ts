/**
 * The cache's circuit breaker: on by default, because for a cache a miss is
 * cheaper than a wait. After 5 failures in a row within 10 s the cache stops
 * asking Redis for 5 s (reads are misses under `ignoreErrors`), then one
 * probe decides. A restart of a second or two stays under it with the
 * default backoff most of the time, and the commands already queued are
 * sent once the server is back either way.
 *
 * @module
 */

import type { BreakerListener, BreakerOptions } from "../client/breaker.ts";
import { CircuitOpenError } from "../errors.ts";
import type { PoolInternalOptions, PoolOptions } from "../pool/pool_options.ts";

/** The cache's `breaker` when the option is not given. */
export const CACHE_BREAKER: Readonly<BreakerOptions> = {
  failures: 5,
  window: 10_000,
  cooldown: 5_000,
};

/**
 * The pool options with the cache's breaker default, and a listener that
 * reports each opening of the circuit once through `report` (not once per
 * command that it fails).
 */
export function withCacheBreaker(
  options: PoolOptions,
  report: (error: Error) => void,
): PoolInternalOptions {
  const listener: BreakerListener = (state, cause) => {
    if (state !== "open") return;
    report(
      new CircuitOpenError(
        `The circuit breaker opened: commands fail at once (reads miss under ignoreErrors) until a probe succeeds${
          cause ? ` (${cause.message})` : ""
        }`,
        { cause },
      ),
    );
  };
  return {
    ...options,
    breaker: options.breaker === undefined ? { ...CACHE_BREAKER } : options.breaker,
    onBreakerChange: listener,
  };
}
