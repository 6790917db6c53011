/**
 * The contract between the cache and a strategy: a `Router` says which
 * connection (pool) serves a key. The Redis store is written only against it,
 * so every strategy gets the whole cache API.
 *
 * A router is also a target itself: `send` and `dispatch` route a raw command
 * by its first key, so `cache.client.send(["GET", key])` works with any
 * strategy.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import { ConnectionError, TimeoutError } from "../errors.ts";
import { Pipeline } from "../client/pipeline.ts";
import { commandName } from "../resp/encode.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";
import { firstKey, isReadCommand } from "../cluster/command_keys.ts";
import { sendVia } from "../cluster/send_via.ts";

/**
 * Decides which connection serves each key. Made by a strategy; `cache.client`
 * returns it when the strategy spreads keys over several servers.
 *
 * @example
 * ```ts ignore
 * const cache = createCache({ strategy: "shard", urls: [a, b, c] });
 * const router = cache.client as Router;
 * await router.send(["HSET", "{user:1}:profile", "name", "Ada"]); // routed by its key
 * const pool = router.route("{user:1}:profile", false);            // the server that holds it
 * ```
 */
export interface Router extends RedisTarget {
  /**
   * The target for a command on `key` (`undefined`: a command without a key).
   * With `read`, it may be a replica.
   */
  route(key: string | undefined, read: boolean): RedisTarget;
  /** One target per part of the keyspace (every shard or primary), for SCAN and FLUSHDB. */
  nodes(): Promise<readonly RedisTarget[]>;
  /**
   * A target that can run one script over all of `keys` atomically, or
   * `undefined` when they live on different servers.
   */
  together(keys: readonly string[]): RedisTarget | undefined;
  /** A pipeline whose commands are routed one by one. */
  pipeline(): Pipeline;
}

/** Errors after which another server may do better: the server is down or stalled. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ConnectionError || error instanceof TimeoutError;
}

/**
 * The part every router shares: raw commands routed by their first key, and
 * pipelines whose commands each go where their key lives.
 */
export abstract class BaseRouter implements Router {
  abstract route(key: string | undefined, read: boolean): RedisTarget;
  abstract nodes(): Promise<readonly RedisTarget[]>;
  abstract together(keys: readonly string[]): RedisTarget | undefined;
  abstract close(): Promise<void>;

  /**
   * Sends a command to the server that holds its first key. A command on
   * several keys must have them on one server (use a `{tag}`).
   */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    return sendVia<T>(this, command, options);
  }

  /** Queues a command on the server that holds its first key. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    const name = commandName(command);
    this.route(firstKey(command, name), isReadCommand(command, name)).dispatch(
      command,
      settle,
      options,
    );
  }

  /** A pipeline whose commands are routed one by one (not atomic across servers). */
  pipeline(): Pipeline {
    return new Pipeline(this);
  }

  /** Closes every connection (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The router of a single target: everything goes to it. */
export class SingleRouter extends BaseRouter {
  #target: RedisTarget;
  #nodes: readonly RedisTarget[];

  /** @param target The pool or client that serves every key. */
  constructor(target: RedisTarget) {
    super();
    this.#target = target;
    this.#nodes = [target];
  }

  route(): RedisTarget {
    return this.#target;
  }

  nodes(): Promise<readonly RedisTarget[]> {
    return Promise.resolve(this.#nodes);
  }

  together(): RedisTarget {
    return this.#target;
  }

  override dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    this.#target.dispatch(command, settle, options);
  }

  close(): Promise<void> {
    return this.#target.close();
  }
}

/**
 * A `Settle` that, when its command fails, asks `next` for another target
 * and sends the command there instead. Used by replica reads (fall back to
 * another replica, then the primary), by the failover strategy (move to the
 * next server) and by Sentinel (send a write again after `READONLY`).
 */
export class RetrySettle implements Settle {
  #command: Command;
  #settle: Settle;
  #options: SendOptions | undefined;
  #next: (error: Error) => RedisTarget | undefined;

  /**
   * @param command The command, to send again.
   * @param settle Where the final outcome goes.
   * @param options The command's options.
   * @param next Called with each error: the target to try next, or
   *   `undefined` to give up with that error. Not called once the command's
   *   signal aborted.
   */
  constructor(
    command: Command,
    settle: Settle,
    options: SendOptions | undefined,
    next: (error: Error) => RedisTarget | undefined,
  ) {
    this.#command = command;
    this.#settle = settle;
    this.#options = options;
    this.#next = next;
  }

  resolve(value: RedisReply): void {
    this.#settle.resolve(value);
  }

  reject(error: Error): void {
    if (!this.#options?.signal?.aborted) {
      const target = this.#next(error);
      if (target !== undefined) return target.dispatch(this.#command, this, this.#options);
    }
    this.#settle.reject(error);
  }
}
