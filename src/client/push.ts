/**
 * Push messages of one connection: the listeners they go to, and the pub/sub
 * confirmations, which answer a (un)subscribe command instead. Tracks the
 * channels and patterns the server confirmed, and recognises pub/sub messages
 * on RESP2, where they arrive as plain arrays.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import type { CommandQueue } from "./command_queue.ts";

/**
 * Receives a push message (RESP3 `>`), e.g. pub/sub or invalidation.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const stop = redis.onPush((message) => console.log(message)); // ["invalidate", ["key"]]
 * await redis.send(["CLIENT", "TRACKING", "on"]);
 * stop();
 * ```
 */
export type PushListener = (message: RedisReply[]) => void;

/** The push kinds that confirm a (un)subscribe command. */
const CONFIRM_KINDS = new Set([
  "subscribe",
  "psubscribe",
  "ssubscribe",
  "unsubscribe",
  "punsubscribe",
  "sunsubscribe",
]);

/** Routes a connection's push messages: confirmations to the queue, the rest to listeners. */
export class PushRouter {
  #queue: CommandQueue;
  #afterConfirm: () => void;
  #listeners = new Set<PushListener>();
  /** Channels and patterns this connection is subscribed to, per the server's confirmations. */
  #channels = new Set<string>();
  #patterns = new Set<string>();

  /**
   * @param queue The connection's command queue, whose oldest command a confirmation answers.
   * @param afterConfirm Called after a confirmation removed a command from the queue.
   */
  constructor(queue: CommandQueue, afterConfirm: () => void) {
    this.#queue = queue;
    this.#afterConfirm = afterConfirm;
  }

  /** True while the server has confirmed a subscription. */
  get subscribed(): boolean {
    return this.#channels.size + this.#patterns.size > 0;
  }

  /** How many confirmations a SUBSCRIBE-family command gets; 0 for any other command. */
  confirmsFor(name: string, command: Command): number {
    const upper = name.toUpperCase();
    if (!CONFIRM_KINDS.has(upper.toLowerCase())) return 0;
    if (command.length > 1) return command.length - 1;
    // UNSUBSCRIBE with no argument confirms each subscription, or once if there are none.
    if (upper === "UNSUBSCRIBE") return Math.max(1, this.#channels.size);
    if (upper === "PUNSUBSCRIBE") return Math.max(1, this.#patterns.size);
    return 1;
  }

  /**
   * Takes a RESP2 reply that is really a pub/sub confirmation or message;
   * false if it is a command's reply.
   */
  takeResp2(value: RedisReply[]): boolean {
    const kind = value[0];
    if (typeof kind !== "string") return false;
    if (CONFIRM_KINDS.has(kind) && (this.#queue.peek()?.confirms ?? 0) > 0) {
      return this.#confirm(kind, value);
    }
    if (this.subscribed && (kind === "message" || kind === "pmessage")) {
      this.deliver(value);
      return true;
    }
    return false;
  }

  /** Handles a push message: a confirmation answers its command, anything else goes to the listeners. */
  deliver(message: RedisReply[]): void {
    const kind = message[0];
    if (typeof kind === "string" && CONFIRM_KINDS.has(kind) && this.#confirm(kind, message)) return;
    for (const listener of this.#listeners) {
      try {
        listener(message);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Adds a listener; returns a function that removes it. */
  listen(listener: PushListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Counts a confirmation against the waiting command; false if none waits for it. */
  #confirm(kind: string, message: RedisReply[]): boolean {
    const name = message[1];
    if (typeof name === "string") {
      if (kind === "subscribe") this.#channels.add(name);
      else if (kind === "unsubscribe") this.#channels.delete(name);
      else if (kind === "psubscribe") this.#patterns.add(name);
      else if (kind === "punsubscribe") this.#patterns.delete(name);
    }
    const head = this.#queue.peek();
    if (head === undefined || head.confirms === 0) return false;
    if (--head.confirms > 0) return true;
    this.#queue.shift();
    if (!head.done) {
      this.#queue.markSettled(head);
      head.settle.resolve(message[2] ?? null);
    }
    this.#afterConfirm();
    return true;
  }
}
