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
import {
  Connection,
  type PushListener,
  type SendOptions,
  type ServerInfo,
  type Settle,
} from "./connection.ts";
import { CircuitOpenError, ConnectionError, ReplyError, TimeoutError } from "../errors.ts";
import { Breaker, BreakerSettle, type BreakerState } from "./breaker.ts";
import { type ConnectOptions, resolveConnectOptions, type ResolvedOptions } from "./options.ts";
import { Pipeline } from "./pipeline.ts";
import { Transaction } from "./transaction.ts";
import { type MessageListener, PubSubRegistry, type Subscription } from "./pubsub.ts";
import { Deque } from "../util/deque.ts";
import type { Timer } from "../util/timers.ts";
import { DeadlineTimer } from "../util/deadline_timer.ts";

/** A command waiting in the offline queue. */
interface Offline {
  command: Command;
  settle: Settle;
  options: SendOptions | undefined;
  /** When the offline queue gives up on it. */
  deadline: number;
  /** When the command's own timeout runs out (0: never). */
  commandDeadline: number;
  /** Its size, counted against `offlineQueue.maxBytes`. */
  bytes: number;
  done: boolean;
  onAbort: (() => void) | undefined;
}

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
  #connection: Connection | undefined;
  #state: ClientState = "connecting";
  #offline = new Deque<Offline>();
  /** Expires commands in the offline queue (a ref'd timer: callers are waiting). */
  #offlineTimer = new DeadlineTimer((now) => this.#expireOffline(now), false);
  /** Bytes of the commands in the offline queue. */
  #offlineBytes = 0;
  /** Aborted by `close()`: cuts short a connection attempt in flight. */
  #closing = new AbortController();
  /** True while a connection attempt runs (cleared as soon as it settles). */
  #inFlight = false;
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
  #attempting: Promise<void> | undefined;
  #lastError: Error | undefined;
  #first: Promise<void>;
  #firstSettle!: { resolve(): void; reject(error: Error): void } | undefined;
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
    firstAttempt = (client) => client.#first;
    generationOf = (client) => client.#generation;
  }

  /**
   * Creates a client and starts connecting in the background. Commands sent
   * before the connection is up wait in the offline queue.
   *
   * @param options A URL or connection options.
   * @throws {TypeError} For an unknown option or a malformed URL.
   */
  constructor(options: string | ConnectOptions = {}) {
    super();
    this.#options = resolveConnectOptions(options);
    const own = this.#options.breaker;
    this.#breaker = this.#options.sharedBreaker ??
      (own === undefined ? undefined : new Breaker(own));
    this.#admits = this.#options.sharedBreaker === undefined && own !== undefined;
    this.#first = new Promise((resolve, reject) => (this.#firstSettle = { resolve, reject }));
    this.#first.catch(() => {});
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
      const admitted = this.#breaker!.admit(command, this.#label());
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
    if (!this.#inFlight && this.#retiring === undefined) {
      if (this.#refused !== undefined) {
        // Refused credentials will not fix themselves on the next command:
        // fail with the server's answer until the next (backed off) attempt.
        settle.reject(refusal(this.#refused));
        return;
      }
      // Parked while the breaker was open: this command is its probe.
      if (this.#retryTimer === undefined) this.#attemptNow();
    }
    const queue = this.#options.offlineQueue;
    const bytes = queue === false ? 0 : commandBytes(command);
    if (
      queue === false || this.#offline.size >= queue.max ||
      // One command alone always fits (the caller holds it anyway): the bound stops piling up.
      (this.#offline.size > 0 && this.#offlineBytes + bytes > queue.maxBytes)
    ) {
      const why = queue === false
        ? "the offline queue is off"
        : this.#offline.size >= queue.max
        ? `the offline queue is full (offlineQueue.max: ${queue.max} commands)`
        : `the offline queue is full (offlineQueue.maxBytes: ${queue.maxBytes} bytes)`;
      settle.reject(
        new ConnectionError(
          `Cannot send ${commandName(command)}: not connected to ${this.#label()} and ${why}`,
          { cause: this.#lastError },
        ),
      );
      return;
    }
    const signal = options?.signal;
    if (signal?.aborted) {
      settle.reject(signal.reason);
      return;
    }
    const now = Date.now();
    const timeout = options?.timeout ?? this.#options.commandTimeout;
    const entry: Offline = {
      command,
      settle,
      options,
      deadline: now + queue.timeout,
      commandDeadline: timeout > 0 ? now + timeout : 0,
      bytes,
      done: false,
      onAbort: undefined,
    };
    if (signal !== undefined) {
      entry.onAbort = () => {
        if (this.#take(entry)) settle.reject(signal.reason);
      };
      signal.addEventListener("abort", entry.onAbort, { once: true });
    }
    this.#offline.push(entry);
    this.#offlineBytes += bytes;
    const due = Math.min(entry.deadline, entry.commandDeadline || Infinity);
    this.#offlineTimer.schedule(due);
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
      await this.#attempting;
      return;
    }
    this.#state = "closed";
    clearTimeout(this.#retireGrace);
    this.#closing.abort();
    this.#pubsub.endAll();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#failOffline(() => new ConnectionError(`The client for ${this.#label()} was closed`));
    this.#firstSettle?.reject(new ConnectionError(`The client for ${this.#label()} was closed`));
    this.#firstSettle = undefined;
    const connection = this.#connection;
    this.#connection = undefined;
    await Promise.all([
      connection?.close(),
      this.#attempting,
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
    if (!this.#inFlight && this.#retiring === undefined) {
      clearTimeout(this.#retryTimer);
      this.#refused = undefined;
      this.#attemptNow();
    }
  }

  /** Closes the client (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #label(): string {
    const target = this.#options.target;
    return target.path ?? `${target.host}:${target.port}`;
  }

  #closedError(command: Command): ConnectionError {
    return new ConnectionError(
      `Cannot send ${commandName(command)}: the client for ${this.#label()} is closed`,
      { cause: this.#lastError },
    );
  }

  #attemptNow(): void {
    this.#retryTimer = undefined;
    this.#inFlight = true;
    const attempt = Connection.open(this.#options, this.#closing.signal).then(
      (connection) => {
        this.#inFlight = false;
        return this.#attached(connection);
      },
      (error: Error) => {
        this.#inFlight = false;
        this.#attemptFailed(error);
      },
    );
    this.#attempting = attempt;
    attempt.finally(() => {
      if (this.#attempting === attempt) this.#attempting = undefined;
    });
  }

  async #attached(connection: Connection): Promise<void> {
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
    connection.onClose((error) => this.#lost(connection, error));
    connection.onRetire(() => this.#retire(connection));
    this.#state = "ready";
    this.#firstSettle?.resolve();
    this.#firstSettle = undefined;
    this.#flushOffline(connection);
  }

  #attemptFailed(error: Error): void {
    if (this.#state === "closed") return;
    this.#lastError = error;
    const refused = isRefusal(error);
    // A refused handshake is an answer, not an outage: it never trips the breaker.
    if (!refused) this.#breaker?.failure(error);
    if (this.#firstSettle !== undefined) {
      // connect() gives up on the first failure; a lazy client keeps trying.
      this.#firstSettle.reject(error);
      this.#firstSettle = undefined;
    }
    let delay = this.#options.retry(++this.#attempt, error);
    if (delay === false) {
      this.#state = "closed";
      this.#failOffline(() =>
        new ConnectionError(`Gave up reconnecting to ${this.#label()}: ${error.message}`, {
          cause: error,
        })
      );
      return;
    }
    if (refused) {
      // Waiting commands fail with the server's answer; new ones too until
      // the next attempt, which waits seconds, not milliseconds: no storm.
      this.#refused = error as ReplyError;
      this.#failOffline(() => refusal(error as ReplyError));
      delay = Math.max(delay, Math.min(REFUSED_MAX_MS, REFUSED_BASE_MS * 2 ** this.#refusals++));
    }
    // Otherwise the offline queue waits across attempts, each command until its own deadline.
    this.#retryTimer = setTimeout(this.#retryTick, delay);
  }

  /**
   * The backoff ran out: try again, unless the breaker is open and nobody
   * waits (then the next command, the breaker's probe, starts the attempt).
   */
  #retryTick = (): void => {
    this.#retryTimer = undefined;
    if (this.#breaker?.state === "open" && this.#offline.size === 0) return;
    this.#attemptNow();
  };

  /**
   * A connection stopped taking commands after an ambiguity (a timeout, an
   * abort): it finishes what it has and closes itself; new commands wait for
   * a replacement, opened at once (the server is not known to be down).
   */
  #retire(connection: Connection): void {
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
      if (this.#state !== "closed" && this.#connection === undefined && !this.#inFlight) {
        this.#attemptNow();
      }
    });
  }

  #lost(connection: Connection, error: Error): void {
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
    this.#retryTimer = setTimeout(this.#retryTick, delay);
  }

  #flushOffline(connection: Connection): void {
    this.#offlineTimer.clear();
    const now = Date.now();
    for (let entry = this.#offline.shift(); entry !== undefined; entry = this.#offline.shift()) {
      if (!this.#take(entry)) continue;
      // The time spent waiting counts against the command's own timeout.
      const options = entry.commandDeadline === 0
        ? entry.options
        : { ...entry.options, timeout: Math.max(1, entry.commandDeadline - now) };
      if (entry.settle instanceof BreakerSettle) entry.settle.sent = true;
      connection.dispatch(entry.command, entry.settle, options);
    }
  }

  #failOffline(error: () => Error): void {
    this.#offlineTimer.clear();
    for (let entry = this.#offline.shift(); entry !== undefined; entry = this.#offline.shift()) {
      if (this.#take(entry)) entry.settle.reject(error());
    }
  }

  /** Marks a queued entry as handled; false if it was already (aborted). */
  #take(entry: Offline): boolean {
    if (entry.done) return false;
    entry.done = true;
    this.#offlineBytes -= entry.bytes;
    if (entry.onAbort !== undefined) {
      entry.options!.signal!.removeEventListener("abort", entry.onAbort);
    }
    return true;
  }

  /**
   * Rejects queued commands whose own timeout ran out, or that waited longer
   * than `offlineQueue.timeout`: a `TimeoutError` whose `outcomeUnknown` is
   * false (they were never sent).
   */
  #expireOffline(now: number): number {
    let next = Infinity;
    const keep: Offline[] = [];
    for (let entry = this.#offline.shift(); entry !== undefined; entry = this.#offline.shift()) {
      if (entry.done) continue;
      const timedOut = entry.commandDeadline !== 0 && entry.commandDeadline <= now;
      if (!timedOut && entry.deadline > now) {
        keep.push(entry);
        next = Math.min(next, entry.deadline, entry.commandDeadline || Infinity);
        continue;
      }
      this.#take(entry);
      const name = commandName(entry.command);
      const waited = (this.#options.offlineQueue as { timeout: number }).timeout;
      entry.settle.reject(
        timedOut
          ? new TimeoutError(
            `Command ${name} to ${this.#label()} got no reply in time (not connected; it was not sent)`,
            { cause: this.#lastError, outcomeUnknown: false },
          )
          : new TimeoutError(
            `Cannot send ${name}: not connected to ${this.#label()} within ${waited} ms (offlineQueue.timeout; it was not sent)`,
            { cause: this.#lastError, outcomeUnknown: false },
          ),
      );
    }
    for (const entry of keep) this.#offline.push(entry);
    return next;
  }
}

/** A command's size on the wire, near enough to bound the offline queue (UTF-16 length for text). */
function commandBytes(command: Command): number {
  let bytes = 0;
  for (const arg of command) {
    bytes += (arg instanceof Uint8Array ? arg.length : typeof arg === "string" ? arg.length : 20) +
      16;
  }
  return bytes;
}

/** How long a retired connection may keep finishing its commands before it is closed. */
const RETIRE_GRACE_MS = 1000;

/** First wait after a refused handshake; it doubles with each refusal in a row. */
const REFUSED_BASE_MS = 2_000;
/** Longest wait between refused handshakes. */
const REFUSED_MAX_MS = 60_000;

/**
 * The server answered the handshake with an error that waiting a few
 * milliseconds will not fix (refused credentials or permissions, a bad `db`):
 * not an outage. Replies that say "try later" (LOADING, BUSY…) are an outage.
 */
function isRefusal(error: Error): boolean {
  return error instanceof ReplyError && !TRANSIENT_CODES.has(error.code);
}
const TRANSIENT_CODES = new Set(["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"]);

/** A command's own copy of a refused handshake's error. */
function refusal(error: ReplyError): ReplyError {
  const copy = new ReplyError(error.message, { cause: error });
  copy.command = error.command;
  return copy;
}

/**
 * Connects to a server and runs the handshake (`HELLO 3` with AUTH and
 * SETNAME, then SELECT, in one round trip; RESP2 where HELLO is unknown).
 * The client reconnects by itself if the connection drops later.
 *
 * @example Connect with a URL
 * ```ts ignore
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://:secret@127.0.0.1:6379/1");
 * await redis.send(["SET", "greeting", "hello"]); // "OK"
 * await redis.send(["GET", "greeting"]); // "hello"
 * await redis.send(["GET", "greeting"], { bytes: true }); // Uint8Array
 * ```
 *
 * @example Connect with options: TLS with a private CA
 * ```ts ignore
 * import { connect } from "@redcache/redcache";
 *
 * const redis = await connect({
 *   url: "rediss://cache.internal:6380",
 *   tls: { caCerts: [await Deno.readTextFile("ca.pem")] },
 *   commandTimeout: 2_000,
 * });
 * await redis.close();
 * ```
 *
 * @param options A URL (`redis://`, `rediss://`, `unix://`) or connection options.
 * @returns A ready client.
 * @throws {TypeError} For an unknown option or a malformed URL.
 * @throws {ConnectionError} When the server cannot be reached.
 * @throws {ReplyError} When the server refuses the credentials.
 */
export async function connect(options: string | ConnectOptions = {}): Promise<RedisClient> {
  const client = new RedisClient(options);
  try {
    await firstAttempt(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
