/**
 * Typed stream commands: `XADD`, `XRANGE`, `XREVRANGE`, `XREAD`, `XLEN`, `XTRIM`, `XDEL`, ….
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { SortedRangeCommands } from "./sorted_ranges.ts";

/**
 * Typed stream commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const id = await redis.xadd("events", "*", { type: "signup" });
 * ```
 */
export abstract class StreamCommands<M extends CommandMode> extends SortedRangeCommands<M> {
}
