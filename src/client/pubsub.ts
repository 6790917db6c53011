/**
 * Pub/sub: subscriptions as callbacks or async iterators, kept across
 * reconnects. A client tracks which channels and patterns its subscriptions
 * need, subscribes once per name, and subscribes again on each new
 * connection before any queued command goes out.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import { Deque } from "../util/deque.ts";

/**
 * One message received on a subscription.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * for await (const { channel, message } of await redis.subscribe("news")) {
 *   console.log(channel, message);
 * }
 * ```
 */
export interface PubSubMessage {
  /** The channel it was published on. */
  channel: string;
  /** The payload. */
  message: string;
  /** The pattern that matched, for `psubscribe`. */
  pattern?: string;
}

/**
 * Receives the messages of a subscription.
 *
 * @example
 * ```ts
 * import { connect, type MessageListener } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const log: MessageListener = (message, channel) => console.log(channel, message);
 * await using news = await redis.subscribe("news", log);
 * ```
 */
export type MessageListener = (message: string, channel: string, pattern?: string) => void;

/** Messages an iterated subscription buffers before it drops the oldest. */
const BUFFER_LIMIT = 10_000;

type Kind = "channel" | "pattern";

/** What a subscription needs from the client that owns it. */
interface Owner {
  remove(subscription: Subscription): Promise<void>;
}

/**
 * A subscription to channels or patterns: a listener, or an async iterator of
 * `PubSubMessage`s. It survives reconnects. Made by `client.subscribe()` and
 * `client.psubscribe()`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await using sub = await redis.subscribe(["orders", "refunds"]);
 * for await (const { channel, message } of sub) {
 *   if (message === "stop") break;
 *   console.log(channel, message);
 * }
 * ```
 */
export class Subscription implements AsyncIterable<PubSubMessage> {
  /** The channels (or patterns) subscribed to. */
  readonly names: readonly string[];
  /** `channel` for `subscribe`, `pattern` for `psubscribe`. */
  readonly kind: "channel" | "pattern";
  /** Messages dropped because an iterator fell more than 10,000 behind. */
  dropped = 0;
  #owner: Owner;
  #listener: MessageListener | undefined;
  #buffer = new Deque<PubSubMessage>();
  #wake: (() => void) | undefined;
  #active = true;

  /**
   * Made by `subscribe()` and `psubscribe()`.
   *
   * @param owner The client that delivers messages.
   * @param kind Channels or patterns.
   * @param names What is subscribed to.
   * @param listener Receives each message; without one, iterate the subscription.
   */
  constructor(
    owner: Owner,
    kind: "channel" | "pattern",
    names: readonly string[],
    listener?: MessageListener,
  ) {
    this.#owner = owner;
    this.kind = kind;
    this.names = names;
    this.#listener = listener;
  }

  /** True until `unsubscribe()`. */
  get active(): boolean {
    return this.#active;
  }

  /** Hands one message to the listener or the iterator. */
  deliver(message: PubSubMessage): void {
    if (!this.#active) return;
    if (this.#listener !== undefined) {
      try {
        this.#listener(message.message, message.channel, message.pattern);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
      return;
    }
    if (this.#buffer.size >= BUFFER_LIMIT) {
      this.#buffer.shift();
      this.dropped++;
    }
    this.#buffer.push(message);
    this.#wake?.();
  }

  /** Stops this subscription; the client unsubscribes names nobody else needs. */
  async unsubscribe(): Promise<void> {
    if (!this.#active) return;
    this.end();
    await this.#owner.remove(this);
  }

  /** Ends iteration without talking to the server (the client is closing). */
  end(): void {
    this.#active = false;
    this.#wake?.();
  }

  /** Unsubscribes (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.unsubscribe();
  }

  /** Yields messages as they arrive; ends after `unsubscribe()`. Breaking out unsubscribes. */
  async *[Symbol.asyncIterator](): AsyncGenerator<PubSubMessage, void, undefined> {
    try {
      while (true) {
        const next = this.#buffer.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (!this.#active) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } finally {
      await this.unsubscribe();
    }
  }
}

/** The subscriptions of one client, by channel and by pattern. */
export class PubSubRegistry implements Owner {
  #send: (command: Command) => Promise<RedisReply>;
  #channels = new Map<string, Set<Subscription>>();
  #patterns = new Map<string, Set<Subscription>>();

  /** @param send Sends a command on the owning client. */
  constructor(send: (command: Command) => Promise<RedisReply>) {
    this.#send = send;
  }

  /** Subscribes `names`, sending (P)SUBSCRIBE for those not yet subscribed. */
  async add(
    kind: Kind,
    names: readonly string[],
    listener?: MessageListener,
  ): Promise<Subscription> {
    const unique = [...new Set(names)];
    if (unique.length === 0) {
      throw new TypeError("Cannot subscribe to nothing: give at least one name");
    }
    for (const name of unique) {
      if (typeof name !== "string") throw new TypeError("Cannot subscribe: names must be strings");
    }
    const map = kind === "channel" ? this.#channels : this.#patterns;
    const subscription = new Subscription(this, kind, unique, listener);
    const fresh = unique.filter((name) => !map.has(name));
    for (const name of unique) {
      let set = map.get(name);
      if (set === undefined) map.set(name, set = new Set());
      set.add(subscription);
    }
    if (fresh.length > 0) {
      try {
        await this.#send([kind === "channel" ? "SUBSCRIBE" : "PSUBSCRIBE", ...fresh]);
      } catch (error) {
        subscription.end();
        this.#detach(subscription);
        throw error;
      }
    }
    return subscription;
  }

  /** Removes a subscription and unsubscribes the names nobody else needs. */
  async remove(subscription: Subscription): Promise<void> {
    const gone = this.#detach(subscription);
    if (gone.length === 0) return;
    await this.#send([subscription.kind === "channel" ? "UNSUBSCRIBE" : "PUNSUBSCRIBE", ...gone])
      .catch(() => {}); // a lost connection unsubscribed already; a new one will not resubscribe
  }

  #detach(subscription: Subscription): string[] {
    const map = subscription.kind === "channel" ? this.#channels : this.#patterns;
    const gone: string[] = [];
    for (const name of subscription.names) {
      const set = map.get(name);
      if (set === undefined || !set.delete(subscription)) continue;
      if (set.size === 0) {
        map.delete(name);
        gone.push(name);
      }
    }
    return gone;
  }

  /** Routes a `message`/`pmessage` push to its subscriptions; false for other pushes. */
  deliver(push: RedisReply[]): boolean {
    const kind = push[0];
    if (kind === "message" && push.length >= 3) {
      const channel = String(push[1]);
      const message = { channel, message: String(push[2]) };
      for (const s of this.#channels.get(channel) ?? []) s.deliver(message);
      return true;
    }
    if (kind === "pmessage" && push.length >= 4) {
      const pattern = String(push[1]);
      const message = { pattern, channel: String(push[2]), message: String(push[3]) };
      for (const s of this.#patterns.get(pattern) ?? []) s.deliver(message);
      return true;
    }
    return false;
  }

  /** The commands that restore every subscription on a new connection. */
  restoreCommands(): Command[] {
    const commands: Command[] = [];
    if (this.#channels.size > 0) commands.push(["SUBSCRIBE", ...this.#channels.keys()]);
    if (this.#patterns.size > 0) commands.push(["PSUBSCRIBE", ...this.#patterns.keys()]);
    return commands;
  }

  /** Ends every subscription (the client closed). */
  endAll(): void {
    for (const map of [this.#channels, this.#patterns]) {
      for (const set of map.values()) for (const s of set) s.end();
      map.clear();
    }
  }
}
