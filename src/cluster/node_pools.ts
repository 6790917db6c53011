/**
 * The cluster client's connections: one lazily made pool per node, and a
 * second set in `READONLY` mode for reads from replicas; pools of nodes that
 * left the map are closed.
 *
 * @module
 */

import { Pool } from "../pool/pool.ts";
import type { PoolOptions } from "../pool/pool_options.ts";
import { forwardEvents } from "../util/events.ts";

/** One pool per node address (`host:port`), made on first use. */
export class NodePools {
  #options: PoolOptions;
  /** Who emits the pools' events too (the cluster client). */
  #owner: object;
  #pools = new Map<string, Pool>();
  #replicaPools = new Map<string, Pool>();

  /**
   * @param options The pool options of every node (no address).
   * @param owner Emits the pools' events (but `end`) too.
   */
  constructor(options: PoolOptions, owner: object) {
    this.#options = options;
    this.#owner = owner;
  }

  /** The pool of a node (`READONLY` connections for replica reads), made on first use. */
  get(address: string, replica: boolean): Pool {
    const pools = replica ? this.#replicaPools : this.#pools;
    let pool = pools.get(address);
    if (pool === undefined) {
      const colon = address.lastIndexOf(":");
      const host = address.slice(0, colon).replace(/^\[|\]$/g, "");
      const options = {
        ...this.#options,
        host,
        port: Number(address.slice(colon + 1)),
      } as PoolOptions;
      pool = new Pool(options, replica ? { setupCommands: [["READONLY"]] } : {});
      forwardEvents(pool, this.#owner);
      pools.set(address, pool);
    }
    return pool;
  }

  /** Closes the pools of nodes that are not in `live`. */
  keepOnly(live: ReadonlySet<string>): void {
    for (const map of [this.#pools, this.#replicaPools]) {
      for (const [address, pool] of map) {
        if (!live.has(address)) {
          map.delete(address);
          void pool.close();
        }
      }
    }
  }

  /** Closes every pool. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.#pools.values(), ...this.#replicaPools.values()].map((p) => p.close()),
    );
  }
}
