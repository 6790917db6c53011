/**
 * `connect()` and the client it returns: one connection at a time, replaced
 * with backoff when it drops. Commands that were written when the connection
 * died reject (they may have run: re-sending an INCR would count it twice);
 * commands issued while reconnecting wait in a bounded offline queue, across
 * failed attempts, and go out once, in order, when the handshake has run again.
 * Refused credentials are not an outage: waiting commands fail with the
 * server's `ReplyError`, and attempts back off for seconds.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import { commandName } from "../resp/encode.ts";
import { Commands } from "./commands.ts";
import { Connection } from "./connection.ts";
import type { SendOptions, Settle } from "./send_options.ts";
import type { ServerInfo } from "./handshake.ts";
import type { PushListener } from "./push.ts";
import { CircuitOpenError, ConnectionError, type ReplyError } from "../errors.ts";
import { Breaker, BreakerSettle, type BreakerState } from "./breaker.ts";
import {
  type ClientInternals,
  type ConnectOptions,
  resolveConnectOptions,
  type ResolvedOptions,
} from "./options.ts";
import { OfflineQueue } from "./offline_queue.ts";
import { isRefusal, refusalError, refusedBackoff, RETIRE_GRACE_MS } from "./reconnect.ts";
import { Pipeline } from "./pipeline.ts";
import { Transaction } from "./transaction.ts";
import { type MessageListener, PubSubRegistry, type Subscription } from "./pubsub.ts";
import type { Timer } from "../util/timers.ts";

/**
 * Where the client is in its life: `connecting` (first attempt), `ready`,
 * `reconnecting` (commands wait in the offline queue), `closed`.
 *
 * @example
 * ```ts ignore
 * if (redis.state !== "ready") console.warn("Redis is", redis.state);
 * ```
 */
export type ClientState = "connecting" | "ready" | "reconnecting" | "closed";

/** Gives `connect()` the first connection attempt's outcome. */
let firstAttempt: (client: RedisClient) => Promise<void>;
/** How many connections a client has had: the pool sees a reconnect as a change. */
let generationOf: (client: RedisClient) => number;

/** Counts the connections `client` has made (internal: used by the pool). */
export function connectionGeneration(client: RedisClient): number {
  return generationOf(client);
}

/** Settles with the client's first connection attempt (internal: used by `connect()`). */
export function firstAttemptOf(client: RedisClient): Promise<void> {
  return firstAttempt(client);
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
 * ```ts ignore
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [a, b] = await Promise.all([redis.incr("hits"), redis.get("name")]);
 * ```
 */
export class RedisClient extends Commands {
  #options: ResolvedOptions;
  /** `host:port` or the socket path, for messages. */
  #label: string;
  #connection: Connection | undefined;
  #state: ClientState = "connecting";
  /** Commands waiting for a connection. */
  #offline: OfflineQueue;
  /** Aborted by `close()`: cuts short a connection attempt in flight. */
  #closeController = new AbortController();
  /** True while a connection attempt runs (cleared as soon as it settles). */
  #attemptRunning = false;
  /** The server refused the handshake (credentials, db): commands fail with it at once. */
  #refused: ReplyError | undefined;
  /** Refused attempts in a row (their backoff grows). */
  #refusals = 0;
  /** The circuit breaker: the client's own, or its pool's. */
  #breaker: Breaker | undefined;
  /** True when the breaker is the client's own, so the client admits commands. */
  #admits = false;
  #retryTimer: Timer | undefined;
  #attempt = 0;
  /** The connection attempt in flight, for `close()` to wait for. */
  #attemptPromise: Promise<void> | undefined;
  #lastError: Error | undefined;
  /** Settles with the first connection attempt (what `connect()` waits for). */
  #firstAttempt: Promise<void>;
  #settleFirstAttempt!: { resolve(): void; reject(error: Error): void } | undefined;
  #pushListeners = new Set<PushListener>();
  /**
   * A retired connection still finishing its commands. The replacement opens
   * only once it is gone, so a client never holds two sockets.
   */
  #retiring: Connection | undefined;
  #retireGrace: Timer | undefined;
  #pubsub = new PubSubRegistry((command) => this.send(command));

  #generation = 0;

  static {
    firstAttempt = (client) => client.#firstAttempt;
    generationOf = (client) => client.#generation;
  }

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
    this.#offline = new OfflineQueue(
      this.#options.offlineQueue,
      this.#options.commandTimeout,
      this.#label,
      () => this.#lastError,
    );
    const own = this.#options.breaker;
    this.#breaker = this.#options.sharedBreaker ??
      (own === undefined ? undefined : new Breaker(own));
    this.#admits = this.#options.sharedBreaker === undefined && own !== undefined;
    this.#firstAttempt = new Promise((
      resolve,
      reject,
    ) => (this.#settleFirstAttempt = { resolve, reject }));
    this.#firstAttempt.catch(() => {});
    this.#attemptNow();
  }

  /** `connecting`, `ready`, `reconnecting` or `closed`. */
  get state(): ClientState {
    return this.#state;
  }

  /** The circuit breaker's state: `closed`, `open`, `half-open`, or `off` without one. */
  get breaker(): BreakerState {
    return this.#breaker?.state ?? "off";
  }

  /** True while a connection is up. */
  get connected(): boolean {
    return this.#state === "ready";
  }

  /** Commands sent and still waiting for a reply, plus those in the offline queue. */
  get pending(): number {
    return (this.#connection?.pending ?? 0) + this.#offline.size;
  }

  /** Protocol, server version and client id, as the last handshake reported them. */
  get server(): ServerInfo {
    return this.#connection?.server ?? { protocol: this.#options.protocol, version: "", id: 0 };
  }

  /**
   * Sends a command and resolves with its decoded reply. An error reply
   * rejects with `ReplyError`; a lost connection with `ConnectionError`.
   *
   * @param command The command name and its arguments.
   * @param options `bytes` for `Uint8Array` bulks, `timeout`, `signal`.
   */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    if (this.#connection !== undefined && this.#state === "ready" && !this.#admits) {
      return this.#connection.send(command, options) as Promise<T>;
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
    if (this.#connection !== undefined && this.#state === "ready") {
      if (settle instanceof BreakerSettle) settle.sent = true;
      this.#connection.dispatch(command, settle, options);
      return;
    }
    if (this.#state === "closed") {
      settle.reject(this.#closedError(command));
      return;
    }
    if (!this.#attemptRunning && this.#retiring === undefined) {
      if (this.#refused !== undefined) {
        // Refused credentials will not fix themselves on the next command:
        // fail with the server's answer until the next (backed off) attempt.
        settle.reject(refusalError(this.#refused));
        return;
      }
      // Parked while the breaker was open: this command is its probe.
      if (this.#retryTimer === undefined) this.#attemptNow();
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
  async close(): Promise<void> {
    if (this.#state === "closed") {
      await this.#attemptPromise;
      return;
    }
    this.#state = "closed";
    clearTimeout(this.#retireGrace);
    this.#closeController.abort();
    this.#pubsub.endAll();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#offline.failAll(() => new ConnectionError(`The client for ${this.#label} was closed`));
    this.#settleFirstAttempt?.reject(
      new ConnectionError(`The client for ${this.#label} was closed`),
    );
    this.#settleFirstAttempt = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    await Promise.all([
      connection?.close(),
      this.#attemptPromise,
      this.#retiring?.close(),
    ]);
  }

  /**
   * Moves to a new connection: the current one takes no new command, finishes
   * those it carries, and closes; then a new one opens (resolving the address
   * again, e.g. after a Sentinel failover). While disconnected, it retries at once.
   *
   * @example
   * ```ts ignore
   * redis.reconnect(); // commands sent from now on go to the new connection
   * ```
   */
  reconnect(): void {
    if (this.#state === "closed") return;
    if (this.#connection !== undefined) {
      this.#connection.retire();
      return;
    }
    if (!this.#attemptRunning && this.#retiring === undefined) {
      clearTimeout(this.#retryTimer);
      this.#refused = undefined;
      this.#attemptNow();
    }
  }

  /** Closes the client (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #closedError(command: Command): ConnectionError {
    return new ConnectionError(
      `Cannot send ${commandName(command)}: the client for ${this.#label} is closed`,
      { cause: this.#lastError },
    );
  }

  #attemptNow(): void {
    this.#retryTimer = undefined;
    this.#attemptRunning = true;
    const attempt = Connection.open(this.#options, this.#closeController.signal).then(
      (connection) => {
        this.#attemptRunning = false;
        return this.#onConnected(connection);
      },
      (error: Error) => {
        this.#attemptRunning = false;
        this.#onAttemptFailed(error);
      },
    );
    this.#attemptPromise = attempt;
    attempt.finally(() => {
      if (this.#attemptPromise === attempt) this.#attemptPromise = undefined;
    });
  }

  async #onConnected(connection: Connection): Promise<void> {
    if (this.#state === "closed") {
      await connection.close();
      return;
    }
    this.#connection = connection;
    this.#generation++;
    this.#attempt = 0;
    this.#lastError = undefined;
    this.#refused = undefined;
    this.#refusals = 0;
    connection.onPush((message) => {
      this.#pubsub.deliver(message);
      for (const listener of this.#pushListeners) listener(message);
    });
    // Subscriptions come back before any queued command goes out.
    for (const command of this.#pubsub.restoreCommands()) {
      connection.dispatch(command, { resolve() {}, reject() {} });
    }
    connection.onClose((error) => this.#onConnectionLost(connection, error));
    connection.onRetire(() => this.#onConnectionRetired(connection));
    this.#state = "ready";
    this.#settleFirstAttempt?.resolve();
    this.#settleFirstAttempt = undefined;
    this.#offline.flushTo(connection);
  }

  #onAttemptFailed(error: Error): void {
    if (this.#state === "closed") return;
    this.#lastError = error;
    const refused = isRefusal(error);
    // A refused handshake is an answer, not an outage: it never trips the breaker.
    if (!refused) this.#breaker?.failure(error);
    if (this.#settleFirstAttempt !== undefined) {
      // connect() gives up on the first failure; a lazy client keeps trying.
      this.#settleFirstAttempt.reject(error);
      this.#settleFirstAttempt = undefined;
    }
    let delay = this.#options.retry(++this.#attempt, error);
    if (delay === false) {
      this.#state = "closed";
      this.#offline.failAll(() =>
        new ConnectionError(`Gave up reconnecting to ${this.#label}: ${error.message}`, {
          cause: error,
        })
      );
      return;
    }
    if (refused) {
      // Waiting commands fail with the server's answer; new ones too until
      // the next attempt, which waits seconds, not milliseconds: no storm.
      this.#refused = error as ReplyError;
      this.#offline.failAll(() => refusalError(error as ReplyError));
      delay = refusedBackoff(delay, this.#refusals++);
    }
    // Otherwise the offline queue waits across attempts, each command until its own deadline.
    this.#retryTimer = setTimeout(this.#onBackoffElapsed, delay);
  }

  /**
   * The backoff ran out: try again, unless the breaker is open and nobody
   * waits (then the next command, the breaker's probe, starts the attempt).
   */
  #onBackoffElapsed = (): void => {
    this.#retryTimer = undefined;
    if (this.#breaker?.state === "open" && this.#offline.size === 0) return;
    this.#attemptNow();
  };

  /**
   * A connection stopped taking commands after an ambiguity (a timeout, an
   * abort): it finishes what it has and closes itself; new commands wait for
   * a replacement, opened at once (the server is not known to be down).
   */
  #onConnectionRetired(connection: Connection): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    if (this.#state === "closed") return;
    this.#state = "reconnecting";
    clearTimeout(this.#retryTimer);
    this.#retiring = connection;
    // It closes itself once drained; past the grace period it is closed anyway
    // (what it still carries rejects with outcomeUnknown). Then the replacement opens.
    this.#retireGrace = setTimeout(() => void connection.close(), RETIRE_GRACE_MS);
    connection.onClose(() => {
      clearTimeout(this.#retireGrace);
      if (this.#retiring !== connection) return;
      this.#retiring = undefined;
      if (this.#state !== "closed" && this.#connection === undefined && !this.#attemptRunning) {
        this.#attemptNow();
      }
    });
  }

  /** The connection ended (not retired first): reconnect with backoff. */
  #onConnectionLost(connection: Connection, error: Error): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    if (this.#state === "closed") return;
    this.#state = "reconnecting";
    this.#lastError = error;
    this.#attempt = 0;
    const delay = this.#options.retry(++this.#attempt, error);
    if (delay === false) {
      this.#state = "closed";
      return;
    }
    this.#retryTimer = setTimeout(this.#onBackoffElapsed, delay);
  }
}
