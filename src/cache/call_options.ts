/**
 * Per-call option checks of the cache's methods: `set()`'s TTL, condition
 * and version, the `version` of reads and deletes, `lock()`'s timings, and
 * the arguments of `incr()` and `expireAt()`.
 * Each unknown name is a `TypeError` naming it and the method.
 *
 * @module
 */

import { checkOptionKeys } from "../util/options.ts";
import {
  checkVersion,
  type GetOrSetOptions,
  type SetOptions,
  type VersionOptions,
} from "./cache_options.ts";
import { durationOption } from "../util/duration.ts";
import type { LockOptions } from "./lock.ts";
import { checkTags } from "./tags.ts";
import { parseTtl } from "./ttl.ts";

const SET_KEYS = ["ttl", "nx", "xx", "version", "tags"];
const VERSION_KEYS = ["version"];
const LOCK_KEYS = ["ttl", "wait", "retryDelay"];
const GET_OR_SET_KEYS = ["ttl", "version", "staleWhileRevalidate", "tags"];

/** Why a cache without a near cache cannot serve `staleWhileRevalidate`. */
export const NO_NEAR = "needs the near cache (nearCache), which keeps the stale copies";

/**
 * `getOrSet`'s options split: those of its write, and the stale window in ms
 * (0: none). `refusal` says why this cache cannot serve stale copies.
 */
export function resolveGetOrSetOptions(
  options: GetOrSetOptions | undefined,
  refusal: string | undefined,
): [set: Omit<SetOptions, "nx" | "xx"> | undefined, window: number] {
  if (options === undefined) return [undefined, 0];
  checkOptionKeys(options, GET_OR_SET_KEYS, "getOrSet()");
  const { staleWhileRevalidate, ...set } = options;
  if (staleWhileRevalidate === undefined) return [options, 0];
  if (refusal !== undefined) {
    throw new TypeError(`Option "staleWhileRevalidate" of getOrSet() ${refusal}`);
  }
  const window = durationOption(staleWhileRevalidate, "staleWhileRevalidate", 1, 2 ** 31 - 1);
  return [set, window];
}

/** What `set` needs from its options. */
export interface ResolvedSet {
  /** ms, `null` for forever, `0`: delete instead. */
  ttl: number | null;
  condition?: "nx" | "xx";
  version: number;
  /** Checked and without duplicates; `undefined` when none were given. */
  tags?: readonly string[];
}

/**
 * Checks the options of `set()` (and `add`, `setMany`, `getOrSet`).
 *
 * @param options The caller's options.
 * @param defaultTtl The cache's `defaultTtl`.
 * @param version The cache's `version`.
 */
export function resolveSetOptions(
  options: SetOptions,
  defaultTtl: number | null,
  version: number,
): ResolvedSet {
  checkOptionKeys(options, SET_KEYS, "set()");
  if (options.nx && options.xx) throw new TypeError("Cannot combine nx and xx in set()");
  const resolved: ResolvedSet = {
    ttl: parseTtl(options.ttl, defaultTtl),
    condition: options.nx ? "nx" : options.xx ? "xx" : undefined,
    version: options.version === undefined
      ? version
      : checkVersion(options.version, 'option "version" for set()'),
  };
  if (options.tags !== undefined) resolved.tags = checkTags(options.tags, "set()");
  return resolved;
}

/**
 * The version that per-call `options` name, or `version` (the cache's).
 *
 * @param method The method's name for messages, e.g. `"get()"`.
 * @param checked True when the caller already checked the option names.
 */
export function versionOption(
  options: VersionOptions,
  version: number,
  method: string,
  checked: boolean,
): number {
  if (!checked) checkOptionKeys(options, VERSION_KEYS, method);
  return options.version === undefined
    ? version
    : checkVersion(options.version, `option "version" for ${method}`);
}

/** `lock()`'s options in ms. */
export interface ResolvedLock {
  ttl: number;
  wait: number;
  retryDelay: number;
}

/** Checks the options of `lock()`: a positive `ttl` (10 s), `wait` (0), `retryDelay` (50 ms). */
export function resolveLockOptions(options: LockOptions): ResolvedLock {
  checkOptionKeys(options, LOCK_KEYS, "lock()");
  const ttl = parseTtl(options.ttl ?? 10_000, null);
  if (ttl === null || ttl === 0) {
    throw new TypeError('Invalid option "ttl" for lock(): expected a positive duration');
  }
  const wait = parseTtl(options.wait ?? 0, null) ?? 0;
  const retryDelay = options.retryDelay ?? 50;
  if (!(retryDelay > 0)) {
    throw new TypeError('Invalid option "retryDelay" for lock(): expected milliseconds above 0');
  }
  return { ttl, wait, retryDelay };
}

/** Checks `incr()`'s delta: a safe integer. */
export function checkDelta(delta: number): void {
  if (!Number.isSafeInteger(delta)) {
    throw new TypeError(`Invalid delta ${String(delta).slice(0, 40)}: expected a whole number`);
  }
}

/** `expireAt()`'s time in Unix ms, from a `Date` or ms. */
export function expireAtMs(at: Date | number): number {
  const ms = at instanceof Date ? at.getTime() : at;
  if (!Number.isFinite(ms)) {
    throw new TypeError("Invalid time for expireAt(): expected a Date or Unix milliseconds");
  }
  return ms;
}
