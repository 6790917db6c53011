/**
 * The pool's options: their types and names, and their resolution into the
 * settings a `Pool` runs on (counts and durations checked, the members'
 * connection options split off, the shared breaker made).
 *
 * @module
 */

import {
  type ClientInternals,
  CONNECT_OPTION_KEYS,
  type ConnectOptions,
  resolveConnectOptions,
} from "../client/options.ts";
import type { TrackingHooks } from "../client/tracking.ts";
import { Breaker, type BreakerListener, resolveBreaker } from "../client/breaker.ts";
import { durationOption } from "../util/duration.ts";
import { checkOptionKeys } from "../util/options.ts";

/**
 * Pool settings, on top of the connection options.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * await using pool = createPool({
 *   url: "redis://127.0.0.1:6379",
 *   max: 16,
 *   min: 2,
 *   idleTimeout: 60_000,
 * });
 * ```
 */
export interface PoolOptions extends ConnectOptions {
  /**
   * Most connections open at once.
   *
   * @default {10}
   */
  max?: number;
  /**
   * Connections kept open even when idle.
   *
   * @default {0}
   */
  min?: number;
  /**
   * Milliseconds (or a duration string such as `"5s"`) to wait for a free
   * connection before `PoolTimeoutError`.
   *
   * @default {10000}
   */
  acquireTimeout?: number | string;
  /**
   * Milliseconds (or a duration string) after which an idle connection
   * beyond `min` is closed; `0` never.
   *
   * @default {30000}
   */
  idleTimeout?: number | string;
  /**
   * Milliseconds (or a duration string such as `"1h"`) after which a
   * connection is replaced once idle; `0` never.
   *
   * @default {0}
   */
  maxLifetime?: number | string;
  /**
   * A connection idle longer than this (milliseconds or a duration string)
   * is checked with PING before `use()` lends it.
   *
   * @default {5000}
   */
  healthCheckAfter?: number | string;
}

/**
 * Internal: the pool options plus what the cache gives every pool a strategy
 * makes. Not among the public option names (`createPool()` rejects them as
 * unknown); the `Pool` constructor accepts them, and they pass through the
 * strategies' copies of the pool options unchanged.
 */
export interface PoolInternalOptions extends PoolOptions {
  /**
   * Called on every change of state of the pool's breaker (with the failure
   * that opened it); the cache reports each opening once through it.
   */
  onBreakerChange?: BreakerListener;
  /** A near cache's hooks: every member's connections track the keys they read. */
  tracking?: TrackingHooks;
}

/**
 * Options of `pool.close()`.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * const pool = createPool("redis://127.0.0.1:6379");
 * await pool.close({ timeout: 2_000 });
 * ```
 */
export interface PoolCloseOptions {
  /**
   * Milliseconds to wait for running commands and lent connections before
   * closing the sockets anyway.
   *
   * @default {5000}
   */
  timeout?: number;
}

// concat() marked pure rather than a spread, which bundlers keep as import-time work.
/** The option names `createPool` accepts. */
export const POOL_OPTION_KEYS: readonly string[] = /* @__PURE__ */ CONNECT_OPTION_KEYS.concat([
  "max",
  "min",
  "acquireTimeout",
  "idleTimeout",
  "maxLifetime",
  "healthCheckAfter",
]);

/** The option names the `Pool` constructor accepts: the public ones and `onBreakerChange`. */
export const POOL_INTERNAL_OPTION_KEYS: readonly string[] = /* @__PURE__ */ POOL_OPTION_KEYS
  .concat(["onBreakerChange", "tracking"]);

/** The connection options among pool options (for a one-off connection). */
export function connectOptionsOf(options: PoolOptions): ConnectOptions {
  const picked: Record<string | symbol, unknown> = {};
  for (const key of CONNECT_OPTION_KEYS) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked as ConnectOptions;
}

/** What a `Pool` runs on: its options resolved and checked. */
export interface PoolSettings {
  /** The options each member is made with. */
  connect: ConnectOptions;
  /** What each member gets besides its options (a shared breaker, a Sentinel's resolver, …). */
  clientInternals: ClientInternals;
  /** The address, for error messages. */
  label: string;
  /** One circuit for all members (`breaker` option), or none. */
  breaker: Breaker | undefined;
  max: number;
  min: number;
  acquireTimeout: number;
  idleTimeout: number;
  maxLifetime: number;
  healthCheckAfter: number;
}

function checkCount(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new TypeError(`Invalid option "${name}": expected a whole number, ${min} or more`);
  }
  return value;
}

/**
 * Checks the options of a pool and resolves them.
 *
 * @throws {TypeError} For an unknown option, a malformed URL or a bad value.
 * @throws {RangeError} When `min` is more than `max`.
 */
export function resolvePoolOptions(
  options: string | PoolInternalOptions,
  internals: ClientInternals,
): PoolSettings {
  const all: PoolInternalOptions = typeof options === "string" ? { url: options } : { ...options };
  checkOptionKeys(all, POOL_INTERNAL_OPTION_KEYS, "createPool()");
  const {
    max,
    min,
    acquireTimeout,
    idleTimeout,
    maxLifetime,
    healthCheckAfter,
    onBreakerChange,
    tracking,
    ...connect
  } = all;
  const resolved = resolveConnectOptions(connect, CONNECT_OPTION_KEYS, "createPool()"); // validate now
  const target = resolved.target;
  const label = target.path ?? `${target.host}:${target.port}`;
  const breakerOptions = resolveBreaker(connect.breaker);
  let memberConnect: ConnectOptions = connect;
  let clientInternals = tracking === undefined ? internals : { ...internals, tracking };
  let breaker: Breaker | undefined;
  if (breakerOptions !== undefined) {
    breaker = new Breaker(breakerOptions);
    if (onBreakerChange !== undefined) breaker.onChange(onBreakerChange);
    // The members report their connection attempts to the pool's breaker; the pool admits.
    memberConnect = { ...connect, breaker: undefined };
    clientInternals = { ...clientInternals, sharedBreaker: breaker };
  }
  const checkedMax = checkCount(max ?? 10, "max", 1);
  const checkedMin = checkCount(min ?? 0, "min", 0);
  if (checkedMin > checkedMax) {
    throw new RangeError(`Invalid option "min": ${checkedMin} is more than max`);
  }
  const ms = (value: unknown, name: string) => durationOption(value, name, 0, 2 ** 31 - 1);
  return {
    connect: memberConnect,
    clientInternals,
    label,
    breaker,
    max: checkedMax,
    min: checkedMin,
    acquireTimeout: ms(acquireTimeout ?? 10_000, "acquireTimeout"),
    idleTimeout: ms(idleTimeout ?? 30_000, "idleTimeout"),
    maxLifetime: ms(maxLifetime ?? 0, "maxLifetime"),
    healthCheckAfter: ms(healthCheckAfter ?? 5_000, "healthCheckAfter"),
  };
}
