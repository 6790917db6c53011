/**
 * The shard strategy: client-side consistent hashing over independent
 * servers. Each key lives on one server, chosen by a hash ring with virtual
 * nodes, so adding a fifth server to four moves about a fifth of the keys.
 * A `{tag}` in a key hashes only the tag, as in Redis Cluster, so related
 * keys live together.
 *
 * @module
 */

import type { RedisTarget } from "../client/target.ts";
import { HashRing } from "./hash.ts";
import { BaseRouter } from "./base_router.ts";

/**
 * Routes each key to one of several servers by consistent hashing.
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
 * router.route("app:1:{user1}:a", false) === router.route("app:1:{user1}:b", false); // true
 * ```
 */
export class ShardRouter extends BaseRouter {
  #ring: HashRing<RedisTarget>;
  #targets: readonly RedisTarget[];

  /**
   * @param shards `[name, pool]` pairs. The name places the server on the
   *   ring (its address without credentials): keep names stable, or keys move.
   */
  constructor(shards: readonly (readonly [name: string, target: RedisTarget])[]) {
    super();
    this.#ring = new HashRing(shards, { vnodes: 512 });
    this.#targets = shards.map(([, target]) => target);
  }

  /** The server holding `key`; keyless commands go to the first server. */
  route(key: string | undefined): RedisTarget {
    return key === undefined ? this.#targets[0] : this.#ring.get(key);
  }

  nodes(): Promise<readonly RedisTarget[]> {
    return Promise.resolve(this.#targets);
  }

  together(keys: readonly string[]): RedisTarget | undefined {
    const first = this.#ring.get(keys[0]);
    for (let i = 1; i < keys.length; i++) if (this.#ring.get(keys[i]) !== first) return undefined;
    return first;
  }

  async close(): Promise<void> {
    await Promise.all(this.#targets.map((target) => target.close()));
    this.ended();
  }
}
