/**
 * Typed set commands: `SADD`, `SREM`, `SMEMBERS`, `SISMEMBER`, `SINTER`, `SSCAN`, ….
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { BlockingListCommands } from "./blocking_lists.ts";

/**
 * Typed set commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.sadd("tags", "a", "b");
 * console.log(await redis.smembers("tags"));
 * ```
 */
export abstract class SetCommands<M extends CommandMode> extends BlockingListCommands<M> {
}
