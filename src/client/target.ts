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
 * ```ts
 * import { connect, type Dispatcher, Pipeline } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const target: Dispatcher = redis; // as are pools and pooled connections
 * const replies = await new Pipeline(target).send(["PING"]).exec();
 * ```
 */
export interface Dispatcher {
  /** Queues `command`; its outcome goes to `settle`. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void;
}

/**
 * What a router routes to and the cache's store sends to: a pool, a client or a router.
 *
 * @example Code that runs on a client, a pool or a router
 * ```ts
 * import { connect, createPool, type RedisTarget } from "@redcache/redcache";
 *
 * async function touch(target: RedisTarget, keys: string[]): Promise<number> {
 *   return await target.send<number>(["TOUCH", ...keys]);
 * }
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await using pool = createPool("redis://127.0.0.1:6379");
 * await touch(redis, ["a", "b"]);
 * await touch(pool, ["a", "b"]);
 * ```
 */
export interface RedisTarget extends Dispatcher {
  /** Sends one command. */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T>;
  /** Closes the connections. */
  close(): Promise<void>;
}
