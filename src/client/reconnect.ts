/**
 * Keeping a client connected: the connection attempts, backoff after a
 * failure or a loss (the `retry` option), refused handshakes (an answer, not
 * an outage: seconds between attempts), and replacing a retired connection
 * once it has finished its commands. The client's state lives here.
 *
 * @module
 */

import type { Command } from "../resp/types.ts";
import { commandName } from "../resp/encode.ts";
import { ConnectionError, ReplyError } from "../errors.ts";
import { cannotReconnect } from "../net/transport.ts";
import type { Timer } from "../util/timers.ts";
import type { Breaker } from "./breaker.ts";
import type { ClientEventMap } from "./events.ts";
import { Connection } from "./connection.ts";
import type { OfflineQueue } from "./offline_queue.ts";
import type { ResolvedOptions } from "./options.ts";

/** How long a retired connection may keep finishing its commands before it is closed. */
export const RETIRE_GRACE_MS = 1000;

/** First wait after a refused handshake; it doubles with each refusal in a row. */
const REFUSED_BASE_MS = 2_000;
/** Longest wait between refused handshakes. */
const REFUSED_MAX_MS = 60_000;

/** Replies that say "try later": an outage, not a refusal. */
const TRANSIENT_CODES = new Set(["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"]);

/**
 * The server answered the handshake with an error that waiting a few
 * milliseconds will not fix (refused credentials or permissions, a bad `db`):
 * not an outage. Replies that say "try later" (LOADING, BUSY…) are an outage.
 */
export function isRefusal(error: Error): boolean {
  return error instanceof ReplyError && !TRANSIENT_CODES.has(error.code);
}

/** A command's own copy of a refused handshake's error. */
export function refusalError(error: ReplyError): ReplyError {
  const copy = new ReplyError(error.message, { cause: error });
  copy.command = error.command;
  return copy;
}

/**
 * The wait before the next attempt after `refusals` refusals in a row
 * (seconds, not milliseconds: no storm), or `delay` if that is longer.
 */
export function refusedBackoff(delay: number, refusals: number): number {
  return Math.max(delay, Math.min(REFUSED_MAX_MS, REFUSED_BASE_MS * 2 ** refusals));
}

/**
 * Where the client is in its life: `connecting` (first attempt), `ready`,
 * `reconnecting` (commands wait in the offline queue), `closed`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * if (redis.state !== "ready") console.warn("Redis is", redis.state);
 * ```
 */
export type ClientState = "connecting" | "ready" | "reconnecting" | "closed";

/** What the client does when the keeper's connection changes. */
export interface KeeperHooks {
  /** Wires a new connection (push listeners, restored subscriptions) before queued commands go out. */
  wire(connection: Connection): void;
  /** The client is closing: end what depends on it (subscriptions). */
  closing(): void;
  /** Emits one of the client's events (`connect` comes from its connector). */
  event<K extends keyof ClientEventMap>(type: K, detail: ClientEventMap[K]["detail"]): void;
}

/**
 * Keeps a client's one connection: the first attempt, backoff after a
 * failure or a loss, refusals, and replacing a retired connection once it
 * has finished its commands (a client never holds two sockets).
 */
export class ConnectionKeeper {
  #options: ResolvedOptions;
  #label: string;
  #offline: OfflineQueue;
  #breaker: Breaker | undefined;
  #hooks: KeeperHooks;
  #connection: Connection | undefined;
  #state: ClientState = "connecting";
  /** Aborted by `close()`: cuts short a connection attempt in flight. */
  #closeController = new AbortController();
  /** True while a connection attempt runs (cleared as soon as it settles). */
  #attemptRunning = false;
  /** The server refused the handshake (credentials, db): commands fail with it at once. */
  #refused: ReplyError | undefined;
  /** Refused attempts in a row (their backoff grows). */
  #refusals = 0;
  #retryTimer: Timer | undefined;
  #attempt = 0;
  /** The connection attempt in flight, for `close()` to wait for. */
  #attemptPromise: Promise<void> | undefined;
  #lastError: Error | undefined;
  /** Settles with the first connection attempt (what `connect()` waits for). */
  #firstAttempt: Promise<void>;
  #settleFirstAttempt!: { resolve(): void; reject(error: Error): void } | undefined;
  /**
   * A retired connection still finishing its commands. The replacement opens
   * only once it is gone, so a client never holds two sockets.
   */
  #retiring: Connection | undefined;
  #retireGrace: Timer | undefined;
  /** How many connections have been made: the pool sees a reconnect as a change. */
  #generation = 0;

  /**
   * Starts the first connection attempt.
   *
   * @param options The client's resolved options.
   * @param label The server, for messages.
   * @param offline The client's offline queue: flushed on connect, failed on giving up.
   * @param breaker The breaker that hears of failed attempts, if any.
   * @param hooks What the client does with a new connection and on close.
   */
  constructor(
    options: ResolvedOptions,
    label: string,
    offline: OfflineQueue,
    breaker: Breaker | undefined,
    hooks: KeeperHooks,
  ) {
    this.#options = options;
    this.#label = label;
    this.#offline = offline;
    this.#breaker = breaker;
    this.#hooks = hooks;
    this.#firstAttempt = new Promise((
      resolve,
      reject,
    ) => (this.#settleFirstAttempt = { resolve, reject }));
    this.#firstAttempt.catch(() => {});
    this.#attemptNow();
  }

  /** The connection, while there is one that takes commands. */
  get connection(): Connection | undefined {
    return this.#connection;
  }

  /** `connecting`, `ready`, `reconnecting` or `closed`. */
  get state(): ClientState {
    return this.#state;
  }

  /** The error of the last failed attempt or lost connection (cleared on connecting). */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** Settles with the first connection attempt. */
  get firstAttempt(): Promise<void> {
    return this.#firstAttempt;
  }

  /** How many connections have been made. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * A command comes while no connection takes commands: returns the error it
   * fails with at once (the client is closed, or the server refused the
   * handshake), or `undefined` if it may wait in the offline queue. Starts an
   * attempt if none runs or is scheduled (after the breaker parked it).
   */
  admitOffline(command: Command): Error | undefined {
    if (this.#state === "closed") {
      const why = cannotReconnect(this.#lastError) ? ` (${this.#lastError!.message})` : "";
      return new ConnectionError(
        `Cannot send ${commandName(command)}: the client for ${this.#label} is closed${why}`,
        { cause: this.#lastError },
      );
    }
    if (!this.#attemptRunning && this.#retiring === undefined) {
      // Refused credentials will not fix themselves on the next command:
      // fail with the server's answer until the next (backed off) attempt.
      if (this.#refused !== undefined) return refusalError(this.#refused);
      // Parked while the breaker was open: this command is its probe.
      if (this.#retryTimer === undefined) this.#attemptNow();
    }
    return undefined;
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
    this.#hooks.closing();
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
    this.#hooks.event("end", { address: this.#label, error: undefined });
  }

  /** Retires the connection, or, while disconnected, tries again at once. */
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
    this.#hooks.wire(connection);
    connection.onClose((error) => this.#onConnectionLost(connection, error));
    connection.onRetire(() => this.#onConnectionRetired(connection));
    this.#state = "ready";
    this.#settleFirstAttempt?.resolve();
    this.#settleFirstAttempt = undefined;
    this.#offline.flushTo(connection);
    this.#hooks.event("ready", { address: this.#label });
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
      this.#announce(error, false);
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
    this.#announce(error, delay);
  }

  /**
   * Tells listeners of a failure once the state is settled (a listener may
   * close the client): `error`, then `reconnecting`, or `end` when giving up.
   */
  #announce(error: Error, delay: number | false): void {
    const address = this.#label;
    this.#hooks.event("error", { address, error });
    if (delay === false) this.#hooks.event("end", { address, error });
    else if (this.#state !== "closed") {
      this.#hooks.event("reconnecting", { address, attempt: this.#attempt, delay, error });
    }
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
    this.#lastError = error;
    // A socket used where it cannot serve (workerd: opened by another request) is a mistake
    // that a new connection would only repeat; its backoff timer might never fire there either.
    // The client closes and says why to every later command.
    if (cannotReconnect(error)) {
      this.#state = "closed";
      this.#announce(error, false);
      return;
    }
    this.#state = "reconnecting";
    this.#attempt = 0;
    const delay = this.#options.retry(++this.#attempt, error);
    if (delay === false) {
      this.#state = "closed";
      this.#announce(error, false);
      return;
    }
    this.#retryTimer = setTimeout(this.#onBackoffElapsed, delay);
    this.#announce(error, delay);
  }
}
