/**
 * Typed sorted-set commands: `ZADD` with its options, `ZSCORE`, `ZINCRBY`, `ZRANK`, `ZREM`, `ZSCAN`, ….
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { SetCommands } from "./sets.ts";

/**
 * Typed sorted-set commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.zadd("board", { member: "ada", score: 10 });
 * console.log(await redis.zscore("board", "ada"));
 * ```
 */
export abstract class SortedSetCommands<M extends CommandMode> extends SetCommands<M> {
}
