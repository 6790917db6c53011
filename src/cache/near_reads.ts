/**
 * The cache's side of the near cache: decoded hits straight from memory
 * (no promise hop through the stores), and the stale copies it may serve:
 * under `grace` when Redis cannot be reached, and for `getOrSet`'s
 * `staleWhileRevalidate`. Coherence lives in `src/near` and the near store.
 *
 * @module
 */

import { CircuitOpenError } from "../errors.ts";
import type { NearMemory } from "../near/near_memory.ts";
import { valueOf } from "../near/near_values.ts";
import type { CacheStats } from "./cache_options.ts";
import { type ErrorPolicy, isTransient } from "./error_policy.ts";
import { MISSING } from "./get_or_set.ts";
import type { OpenedStore } from "./open_store.ts";
import type { ReadMode } from "./stores/store.ts";
import type { ValueCoder } from "./value_coder.ts";
import { isTagged, unframeTagged } from "./tags.ts";
import type { Decoder } from "../near/near_values.ts";

/** Reads that the near cache answers for the cache. */
export class NearReads {
  readonly memory: NearMemory;
  /** The cache's coder, opening tagged frames first. */
  #coder: Decoder;
  #mode: ReadMode;
  #stats: CacheStats;
  #errors: ErrorPolicy;
  #clone: boolean;
  #grace: number;
  /** Decoded hits straight from memory: not under herd, whose reads decide refreshes. */
  #direct: boolean;
  /** Why `staleWhileRevalidate` cannot be used, if it cannot. */
  readonly staleRefusal: string | undefined;

  /** The near cache's reads for an opened store, or `undefined` without a near cache. */
  static of(
    opened: OpenedStore,
    coder: ValueCoder,
    stats: CacheStats,
    errors: ErrorPolicy,
  ): NearReads | undefined {
    if (opened.near === undefined) return undefined;
    return new NearReads(opened.near, coder, stats, errors, opened.herd === undefined);
  }

  /** @param direct False under herd: hits then go through the herd store. */
  constructor(
    memory: NearMemory,
    coder: ValueCoder,
    stats: CacheStats,
    errors: ErrorPolicy,
    direct: boolean,
  ) {
    this.memory = memory;
    this.#coder = {
      decode: (stored, key) =>
        coder.decode(isTagged(stored) ? unframeTagged(stored, key).inner : stored, key),
    };
    this.#mode = coder.readMode;
    this.#stats = stats;
    this.#errors = errors;
    this.#clone = memory.settings.clone;
    this.#grace = memory.settings.grace;
    this.#direct = direct;
    this.staleRefusal = direct
      ? undefined
      : 'does not apply to the "herd" strategy, which serves stale values itself';
  }

  /**
   * The value of `full` from memory, counted as a cache hit, or `MISSING`.
   *
   * @throws {SerializationError} When the stored value cannot be decoded.
   */
  hit(full: string, key: string): unknown {
    if (!this.#direct) return MISSING;
    const entry = this.memory.fresh(full, this.#mode);
    if (entry === undefined) return MISSING;
    if (isTagged(entry.stored) && !this.#tagsHold(entry.stored, key)) return MISSING;
    this.#stats.hits++;
    return valueOf(entry, this.#clone, this.#coder, key);
  }

  /** True when memory knows every tag of `frame` still holds its token (else Redis must tell). */
  #tagsHold(frame: Uint8Array, key: string): boolean {
    const { keys, tokens } = unframeTagged(frame, key);
    for (let i = 0; i < keys.length; i++) {
      if (this.memory.fresh(keys[i], "text")?.stored !== tokens[i]) return false;
    }
    return true;
  }

  /**
   * A read of `full` failed with `error`: under `grace`, when Redis cannot
   * be reached, the stale copy (reported like any ignored error), else `MISSING`.
   */
  graceful(error: unknown, full: string, key: string, op: string): unknown {
    if (this.#grace === 0 || !isTransient(error)) return MISSING;
    const entry = this.memory.stale(full, this.#grace);
    if (entry === undefined) return MISSING;
    // An open circuit was reported once, when it opened.
    if (!(error instanceof CircuitOpenError)) this.#errors.report(error, op, key);
    this.#stats.hits++;
    return valueOf(entry, this.#clone, this.#coder, key);
  }

  /** A copy of `full` that went stale at most `window` ms ago, or `MISSING`. */
  stale(full: string, key: string, window: number): unknown {
    const entry = this.memory.stale(full, window);
    return entry === undefined ? MISSING : valueOf(entry, this.#clone, this.#coder, key);
  }
}
