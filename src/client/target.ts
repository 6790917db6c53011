/**
 * What the layers above send commands through: a client, a pool, a cluster
 * client or a strategy's router. Pipelines, the cache's store and the
 * routers are written against these two contracts only.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import type { SendOptions, Settle } from "./send_options.ts";

/**
 * Something that can queue a command with a callback: a client, or a pool.
 *
 * @example
 * ```ts ignore
 * import { connect, Pipeline } from "@redcache/redcache";
 *
 * const redis = await connect();
 * const pipeline = new Pipeline(redis); // RedisClient is a Dispatcher
 * ```
 */
export interface Dispatcher {
  /** Queues `command`; its outcome goes to `settle`. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void;
}

/** What a router routes to and the cache's store sends to: a pool, a client or a router. */
export interface RedisTarget extends Dispatcher {
  /** Sends one command. */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T>;
  /** Closes the connections. */
  close(): Promise<void>;
}
