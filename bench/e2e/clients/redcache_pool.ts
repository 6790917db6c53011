/**
 * redcache pool: `createPool({ url, max: 4 })`.
 *
 * @module
 */
import { createPool } from "../../../mod.ts";
import type { BenchClient, ClientAdapter, Target } from "../types.ts";
import { adapter as clientAdapter, redcacheUrl, wrapRedcache } from "./redcache_client.ts";

/** `createPool({ url, max: 4 })`, shared commands (`pool.get`, `pool.pipeline()`, …). */
export const adapter: ClientAdapter = {
  name: "redcache pool",
  available: () => true,
  version: () => clientAdapter.version(),
  note: () =>
    "redcache pool: `createPool({ url, max: 4 })`, shared commands on the pool itself " +
    "(it opens a further connection only past 256 commands in flight on each).",
  async create(target: Target): Promise<BenchClient> {
    const pool = createPool({ url: redcacheUrl(target), max: 4 });
    try {
      // The pool connects lazily; open the first connection before anything is timed.
      await pool.ping();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return wrapRedcache(this.name, pool);
  },
};
