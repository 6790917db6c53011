/**
 * Typed list commands: `LPUSH`, `RPUSH`, `LPOP`, `RPOP`, `LRANGE`, `LLEN`, `LPOS`, `LMOVE`, ….
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { HashCommands } from "./hashes.ts";

/**
 * Typed list commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.rpush("jobs", "a", "b");
 * console.log(await redis.lrange("jobs", 0, -1));
 * ```
 */
export abstract class ListCommands<M extends CommandMode> extends HashCommands<M> {
}
