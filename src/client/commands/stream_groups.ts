/**
 * Typed stream consumer-group commands: `XGROUP`, `XREADGROUP`, `XACK`, `XPENDING`, `XCLAIM`,
 * `XAUTOCLAIM`, `XINFO`.
 *
 * @module
 */

import type { CommandMode } from "./base.ts";
import { StreamCommands } from "./streams.ts";

/**
 * Typed stream consumer-group commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xgroup("CREATE", "events", "workers", "$", { mkstream: true });
 * ```
 */
export abstract class StreamGroupCommands<M extends CommandMode> extends StreamCommands<M> {
}
