/**
 * `SingleRouter`: the router of one pool or client, for a store that is
 * given a target rather than a strategy.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import type { Command } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";
import { BaseRouter } from "./base_router.ts";

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
