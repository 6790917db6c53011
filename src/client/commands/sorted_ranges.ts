/**
 * Typed sorted-set range commands: `ZRANGE` with `BYSCORE`/`BYLEX`/`REV`/`LIMIT`/`WITHSCORES`,
 * `ZRANGESTORE`, `ZPOPMIN`, `ZCOUNT`, ….
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { SortedSetCommands } from "./sorted_sets.ts";

/**
 * Typed sorted-set range commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const top = await redis.zrange("board", 0, 9, { rev: true, withScores: true });
 * ```
 */
export abstract class SortedRangeCommands<M extends CommandMode> extends SortedSetCommands<M> {
}
