/**
 * Typed blocking list commands: `BLPOP`, `BRPOP`, `BLMOVE`, `BLMPOP`, …. The server may hold them: the
 * reply is awaited for the block time plus `commandTimeout`, and a pool runs them on a
 * connection of their own.
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { ListCommands } from "./lists.ts";

/**
 * Typed blocking list commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const job = await redis.blpop(["jobs"], 5); // { key, element } or null after 5 s
 * ```
 */
export abstract class BlockingListCommands<M extends CommandMode> extends ListCommands<M> {
}
