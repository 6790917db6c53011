/**
 * redcache, one connection, with command hooks that do nothing: `connect({
 * url, hooks: { start() {}, end() {} } })`. Next to the "redcache client"
 * column (no hooks), it shows what the hooks machinery costs by itself
 * (`--hooks`).
 *
 * @module
 */
import { connect } from "../../../mod.ts";
import type { ClientAdapter, Target } from "../types.ts";
import { redcacheUrl, wrapRedcache } from "./redcache_client.ts";

/** The column name. */
export const HOOKS = "redcache hooks";

/** `connect()` with no-op `start` and `end` hooks. */
export const adapter: ClientAdapter = {
  name: HOOKS,
  available: () => true,
  version: () => "redcache with no-op hooks (working tree)",
  note: () => `${HOOKS}: as redcache client, with \`hooks: { start() {}, end() {} }\`.`,
  async create(target: Target) {
    const hooks = { start() {}, end() {} };
    return wrapRedcache(HOOKS, await connect({ url: redcacheUrl(target), hooks }));
  },
};
