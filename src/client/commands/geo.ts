/**
 * Typed geo commands: `GEOADD`, `GEOPOS`, `GEODIST`, `GEOSEARCH`, `GEOSEARCHSTORE`, `GEOHASH`.
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { BitCommands } from "./bits.ts";

/**
 * Typed geo commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.geoadd("shops", { longitude: 13.4, latitude: 52.5, member: "berlin" });
 * ```
 */
export abstract class GeoCommands<M extends CommandMode> extends BitCommands<M> {
}
