/**
 * Another copy of redcache, for before/after comparisons in one run:
 * `--before=DIR` loads `DIR/mod.ts` (for example a `git worktree` at an
 * older commit) and drives its `connect(url)` like the redcache client.
 *
 * Its code is a module of its own, used by this one client only, while the
 * working tree's code serves both the client and the pool: the JIT may keep
 * the copy's functions more specialised, which favours it a little (seen up
 * to ~15% on concurrent GET on Bun). Compare the client columns.
 *
 * @module
 */
import type { BenchClient, ClientAdapter, Target } from "../types.ts";
import { redcacheUrl, wrapRedcache } from "./redcache_client.ts";

/** The column name of the other copy. */
export const BEFORE = "redcache before";

/** An adapter for the copy of redcache in `dir` (an absolute path). */
export function beforeAdapter(dir: string): ClientAdapter {
  const url = new URL(`file://${dir.replace(/\/$/, "")}/mod.ts`).href;
  return {
    name: BEFORE,
    available: () => true,
    version: () => `redcache in ${dir}`,
    note: () => `${BEFORE}: \`connect(url)\` of the redcache in ${dir}, driven as redcache client.`,
    async create(target: Target): Promise<BenchClient> {
      const { connect } = await import(url);
      return wrapRedcache(BEFORE, await connect(redcacheUrl(target)));
    },
  };
}
