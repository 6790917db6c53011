/**
 * The contract between the cache and a strategy: a `Router` says which
 * connection (pool) serves a key. The Redis store is written only against it,
 * so every strategy gets the whole cache API.
 *
 * A router is also a target itself: `send` and `dispatch` route a raw command
 * by its first key, so `cache.client.send(["GET", key])` works with any
 * strategy. The routers shared by several strategies live beside it
 * (`base_router.ts`, `single_router.ts`, `retry_settle.ts`).
 *
 * @module
 */

import type { Pipeline } from "../client/pipeline.ts";
import type { RedisTarget } from "../client/target.ts";
import type { RedisEventMap } from "../client/events.ts";
import type { RedisEventListener } from "../util/events.ts";

/**
 * Decides which connection serves each key. Made by a strategy; `cache.client`
 * returns it when the strategy spreads keys over several servers.
 *
 * @example
 * ```ts
 * import { createCache, type Router } from "@redcache/redcache";
 *
 * await using cache = createCache({
 *   strategy: "shard",
 *   urls: ["redis://10.0.0.1:6379", "redis://10.0.0.2:6379", "redis://10.0.0.3:6379"],
 * });
 * const router = cache.client as Router;
 * await router.send(["HSET", "{user:1}:profile", "name", "Ada"]); // routed by its key
 * const server = router.route("{user:1}:profile", false); // the server that holds it
 * ```
 */
export interface Router extends RedisTarget {
  /**
   * The target for a command on `key` (`undefined`: a command without a key).
   * With `read`, it may be a replica.
   */
  route(key: string | undefined, read: boolean): RedisTarget;
  /** One target per part of the keyspace (every shard or primary), for SCAN and FLUSHDB. */
  nodes(): Promise<readonly RedisTarget[]>;
  /**
   * A target that can run one script over all of `keys` atomically, or
   * `undefined` when they live on different servers.
   */
  together(keys: readonly string[]): RedisTarget | undefined;
  /** A pipeline whose commands are routed one by one. */
  pipeline(): Pipeline;
  /**
   * Listens for the router's events: its servers' `connect`, `ready`,
   * `reconnecting` and `error`, `failover` (failover strategy), `moved`
   * (cluster) and `end` when it closes. See {@link RedisEventMap}.
   */
  addEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: RedisEventListener<RedisEventMap[K]> | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /** Removes a listener added with `addEventListener`. */
  removeEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: RedisEventListener<RedisEventMap[K]> | null,
    options?: boolean | EventListenerOptions,
  ): void;
  /** Runs the router's listeners of `event.type`; false if one called `preventDefault()`. */
  dispatchEvent(event: Event): boolean;
}
