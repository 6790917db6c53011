/**
 * The client `connect()` returns: its commands go to one connection at a
 * time, kept up by `reconnect.ts` (backoff, refusals, replacing a retired
 * connection); while there is none they wait in the offline queue. Commands
 * that were written when the connection died reject (they may have run:
 * re-sending an INCR would count it twice). With a breaker of its own the
 * client admits each command through it.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import { EmittingCommands } from "./emitting_commands.ts";
import type { Connection } from "./connection.ts";
import type { SendOptions, Settle } from "./send_options.ts";
import type { ServerInfo } from "./handshake.ts";
import type { PushListener } from "./push.ts";
import { CircuitOpenError } from "../errors.ts";
import { Breaker, BreakerSettle, type BreakerState } from "./breaker.ts";
import {
  type ClientInternals,
  type ConnectOptions,
  resolveConnectOptions,
  type ResolvedOptions,
} from "./options.ts";
import { OfflineQueue } from "./offline_queue.ts";
import { type ClientState, ConnectionKeeper } from "./reconnect.ts";
import { Pipeline } from "./pipeline.ts";
import { Transaction } from "./transaction.ts";
import { type MessageListener, PubSubRegistry, type Subscription } from "./pubsub.ts";
import { type ClientEventMap, clientEvents } from "./events.ts";
import { emit } from "../util/events.ts";

/**
 * Each client's connection keeper, for `connect()` (the first attempt) and the pool (the
 * generation). A WeakMap rather than a class static block: a static block is import-time
 * work that keeps the class in every bundle that imports this module.
 */
const keepers = new WeakMap<RedisClient, ConnectionKeeper>();

/** Counts the connections `client` has made (internal: used by the pool). */
export function connectionGeneration(client: RedisClient): number {
  return keepers.get(client)!.generation;
}

/** Settles with the client's first connection attempt (internal: used by `connect()`). */
export function firstAttemptOf(client: RedisClient): Promise<void> {
  return keepers.get(client)!.firstAttempt;
}

/**
 * A client on one connection at a time. Commands issued in the same tick
 * leave in one write (automatic pipelining); replies are matched in order.
 * When the connection drops the client reconnects with backoff (`retry`),
 * holding new commands in the offline queue (`offlineQueue`) meanwhile.
 *
 * `connect()` waits for the first connection and fails if it fails;
 * `new RedisClient(options)` returns at once and keeps trying in the
 * background, queueing commands until it is connected.
 *
 * @example Concurrent commands share one write
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [a, b] = await Promise.all([redis.incr("hits"), redis.get("name")]);
 * ```
 */
export class RedisClient extends EmittingCommands<ClientEventMap> {
  #options: ResolvedOptions;
  /** `host:port` or the socket path, for messages. */
  #label: string;
  /** Commands waiting for a connection. */
  #offline: OfflineQueue;
  /** The connection, its attempts and the client's state. */
  #keeper: ConnectionKeeper;
  /** The circuit breaker: the client's own, or its pool's. */
  #breaker: Breaker | undefined;
  /** True when the breaker is the client's own, so the client admits commands. */
  #admits = false;
  #pushListeners = new Set<PushListener>();
  #pubsub = new PubSubRegistry((command) => this.send(command));

  /**
   * Creates a client and starts connecting in the background. Commands sent
   * before the connection is up wait in the offline queue.
   *
   * @param options A URL or connection options.
   * @throws {TypeError} For an unknown option or a malformed URL.
   */
  constructor(options?: string | ConnectOptions);
  /**
   * Internal: a client of a pool or a strategy, with what they give it
   * besides the public options.
   *
   * @ignore
   */
  constructor(options: string | ConnectOptions, internals: ClientInternals);
  constructor(options: string | ConnectOptions = {}, internals?: ClientInternals) {
    super();
    this.#options = resolveConnectOptions(options, undefined, undefined, internals);
    const target = this.#options.target;
    this.#label = target.path ?? `${target.host}:${target.port}`;
    this.#options.connector = clientEvents(
      this,
      this.#options.connector,
      this.#label,
      internals?.eventParent,
      () => this.#keeper.state === "closed",
    );
    this.#offline = new OfflineQueue(
      this.#options.offlineQueue,
      this.#options.commandTimeout,
      this.#label,
      () => this.#keeper.lastError,
    );
    const own = this.#options.breaker;
    this.#breaker = this.#options.sharedBreaker ??
      (own === undefined ? undefined : new Breaker(own));
    this.#admits = this.#options.sharedBreaker === undefined && own !== undefined;
    this.#keeper = new ConnectionKeeper(this.#options, this.#label, this.#offline, this.#breaker, {
      wire: (connection) => this.#wire(connection),
      closing: () => this.#pubsub.endAll(),
      event: (type, detail) => emit(this, type, detail),
    });
    keepers.set(this, this.#keeper);
  }

  /** `connecting`, `ready`, `reconnecting` or `closed`. */
  get state(): ClientState {
    return this.#keeper.state;
  }

  /** The circuit breaker's state: `closed`, `open`, `half-open`, or `off` without one. */
  get breaker(): BreakerState {
    return this.#breaker?.state ?? "off";
  }

  /** True while a connection is up. */
  get connected(): boolean {
    return this.#keeper.state === "ready";
  }

  /** Commands sent and still waiting for a reply, plus those in the offline queue. */
  get pending(): number {
    return (this.#keeper.connection?.pending ?? 0) + this.#offline.size;
  }

  /** Protocol, server version and client id, as the last handshake reported them. */
  get server(): ServerInfo {
    return this.#keeper.connection?.server ??
      { protocol: this.#options.protocol, version: "", id: 0 };
  }

  /**
   * Sends a command and resolves with its decoded reply. An error reply
   * rejects with `ReplyError`; a lost connection with `ConnectionError`.
   *
   * @param command The command name and its arguments.
   * @param options `bytes` for `Uint8Array` bulks, `timeout`, `signal`.
   */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    const connection = this.#keeper.connection;
    if (connection !== undefined && this.#keeper.state === "ready" && !this.#admits) {
      return connection.send(command, options) as Promise<T>;
    }
    return new Promise<T>((resolve, reject) =>
      this.dispatch(command, { resolve: resolve as (value: RedisReply) => void, reject }, options)
    );
  }

  /** Queues a command whose outcome goes to `settle` (used by pipelines and pools). */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    if (this.#admits) {
      const admitted = this.#breaker!.admit(command, this.#label);
      if (admitted instanceof CircuitOpenError) {
        settle.reject(admitted);
        return;
      }
      settle = new BreakerSettle(this.#breaker!, settle, admitted.probe);
    }
    const connection = this.#keeper.connection;
    if (connection !== undefined && this.#keeper.state === "ready") {
      if (settle instanceof BreakerSettle) settle.sent = true;
      connection.dispatch(command, settle, options);
      return;
    }
    const refused = this.#keeper.admitOffline(command);
    if (refused !== undefined) {
      settle.reject(refused);
      return;
    }
    this.#offline.add(command, settle, options);
  }

  /** Starts a pipeline: commands queued with `send()`, written together by `exec()`. */
  pipeline(): Pipeline {
    return new Pipeline(this);
  }

  /**
   * Starts a MULTI/EXEC transaction. For WATCH, send it first on the same
   * client (or use `pool.use()`, which lends a connection of your own).
   */
  multi(): Transaction {
    return new Transaction(this);
  }

  /**
   * Subscribes to channels. Messages go to `listener`, or, without one, to the
   * returned subscription's async iterator. Subscriptions are restored after
   * a reconnect. On RESP3 the connection stays usable for other commands;
   * on RESP2 use a client of its own for pub/sub.
   *
   * @param channels One channel or several.
   * @param listener Receives `(message, channel)`.
   */
  subscribe(channels: string | string[], listener?: MessageListener): Promise<Subscription> {
    return this.#pubsub.add(
      "channel",
      typeof channels === "string" ? [channels] : channels,
      listener,
    );
  }

  /**
   * Subscribes to glob patterns of channels, like `subscribe`.
   *
   * @param patterns One pattern or several, e.g. `news.*`.
   * @param listener Receives `(message, channel, pattern)`.
   */
  psubscribe(patterns: string | string[], listener?: MessageListener): Promise<Subscription> {
    return this.#pubsub.add(
      "pattern",
      typeof patterns === "string" ? [patterns] : patterns,
      listener,
    );
  }

  /** Listens to push messages (RESP3); returns a function that stops listening. */
  onPush(listener: PushListener): () => void {
    this.#pushListeners.add(listener);
    return () => this.#pushListeners.delete(listener);
  }

  /** Closes the connection and stops reconnecting; waiting commands reject with `ConnectionError`. */
  close(): Promise<void> {
    return this.#keeper.close();
  }

  /**
   * Moves to a new connection: the current one takes no new command, finishes
   * those it carries, and closes; then a new one opens (resolving the address
   * again, e.g. after a Sentinel failover). While disconnected, it retries at once.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * redis.reconnect(); // commands sent from now on go to the new connection
   * ```
   */
  reconnect(): void {
    this.#keeper.reconnect();
  }

  /** Closes the client (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** A new connection: push messages reach the listeners, subscriptions come back. */
  #wire(connection: Connection): void {
    connection.onPush((message) => {
      this.#pubsub.deliver(message);
      for (const listener of this.#pushListeners) listener(message);
    });
    // Subscriptions come back before any queued command goes out.
    for (const command of this.#pubsub.restoreCommands()) {
      connection.dispatch(command, { resolve() {}, reject() {} });
    }
  }
}
