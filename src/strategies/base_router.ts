/**
 * `BaseRouter`, the part every router shares: raw commands routed by their
 * first key, and pipelines whose commands each go where their key lives.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import { Pipeline } from "../client/pipeline.ts";
import { commandName } from "../resp/encode.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";
import { firstKey, isReadCommand } from "../cluster/command_keys.ts";
import { sendVia } from "../cluster/send_via.ts";
import type { Router } from "./router.ts";
import type { RedisEventMap } from "../client/events.ts";
import { dispatchTo, emit, listen, type RedisEventListener, unlisten } from "../util/events.ts";

/**
 * The part every router shares: raw commands routed by their first key, and
 * pipelines whose commands each go where their key lives.
 */
export abstract class BaseRouter implements Router {
  #ended = false;
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

  /** Listens for the router's events: see `Router.addEventListener`. */
  addEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: RedisEventListener<RedisEventMap[K]> | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    listen(this, type, listener, options);
  }

  /** Removes a listener added with `addEventListener`. */
  removeEventListener<K extends keyof RedisEventMap>(
    type: K,
    listener: RedisEventListener<RedisEventMap[K]> | null,
    options?: boolean | EventListenerOptions,
  ): void {
    unlisten(this, type, listener, options);
  }

  /** Runs the router's listeners of `event.type`; false if one called `preventDefault()`. */
  dispatchEvent(event: Event): boolean {
    return dispatchTo(this, event);
  }

  /** Emits `end`, the first time only (for `close()` to call once its servers are closed). */
  protected ended(): void {
    if (this.#ended) return;
    this.#ended = true;
    emit(this, "end", { address: undefined, error: undefined });
  }

  /** Closes every connection (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
