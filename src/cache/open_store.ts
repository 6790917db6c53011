/**
 * Which store backs a cache: the shared memory store of `memory://name`, or
 * the Redis store over the strategy's router (with the breaker on by
 * default), wrapped in the herd store under the `herd` strategy.
 *
 * @module
 */

import type { Pool } from "../pool/pool.ts";
import type { Router } from "../strategies/router.ts";
import { buildStrategy } from "../strategies/strategy.ts";
import { withCacheBreaker } from "./cache_breaker.ts";
import type { CacheSettings } from "./cache_options.ts";
import { HerdStore } from "./stores/herd_store.ts";
import { sharedMemoryStore } from "./stores/memory_registry.ts";
import { RedisStore } from "./stores/redis_store.ts";
import { NearStore } from "./stores/near_store.ts";
import { NearMemory } from "../near/near_memory.ts";
import type { CacheStore } from "./stores/store.ts";

/** The stores a cache works on. */
export interface OpenedStore {
  /** Where values go (the herd store under `herd`). */
  store: CacheStore;
  /** The store without herd's soft expiry: locks keep their exact TTLs. */
  plain: CacheStore;
  /** The herd store, under the `herd` strategy. */
  herd?: HerdStore;
  /** For raw commands (`cache.client`); `undefined` for `memory://`. */
  client?: Pool | Router;
  /** The near cache's memory, when `nearCache` is on. */
  near?: NearMemory;
}

/**
 * Opens the store that `settings` name (connections open on first use).
 *
 * @param reportBreaker Told once each time the circuit breaker opens.
 * @throws {TypeError} For bad strategy options.
 */
export function openStore(
  settings: CacheSettings,
  reportBreaker: (error: Error) => void,
): OpenedStore {
  if (settings.memory !== undefined) {
    const { name, maxEntries, maxBytes } = settings.memory;
    const store = sharedMemoryStore(name, { maxEntries, maxBytes });
    return { store, plain: store };
  }
  // The breaker is on by default; each opening is reported once, not per command.
  const pool = withCacheBreaker(settings.pool, reportBreaker);
  // With a near cache every connection of every pool tracks the keys it reads.
  const near = settings.near && new NearMemory(settings.near);
  if (near) {
    pool.tracking = near;
    // Hits leave the connection idle: closing it would make memory forget what it read.
    pool.min ??= 1;
  }
  const built = buildStrategy(settings.strategy, pool);
  const redis = new RedisStore(built.router);
  const plain = near ? new NearStore(redis, near) : redis;
  const client = built.client;
  if (built.herd === undefined) return { store: plain, plain, client, near };
  const herd = new HerdStore(plain, built.herd.ttl, built.herd.beta);
  return { store: herd, plain, herd, client, near };
}
