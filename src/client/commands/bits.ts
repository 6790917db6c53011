/**
 * Typed bit and HyperLogLog commands: `SETBIT`, `GETBIT`, `BITCOUNT`, `BITPOS`, `BITOP`,
 * `BITFIELD`, `PFADD`, `PFCOUNT`, `PFMERGE`.
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { StreamGroupCommands } from "./stream_groups.ts";

/**
 * Typed bit and HyperLogLog commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.pfadd("visitors", "ada", "alan");
 * console.log(await redis.pfcount("visitors"));
 * ```
 */
export abstract class BitCommands<M extends CommandMode> extends StreamGroupCommands<M> {
}
