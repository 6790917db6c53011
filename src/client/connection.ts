/**
 * One socket's life cycle: opening it (then the handshake), the write loop
 * with automatic pipelining (commands of one tick leave in one write), feeding
 * the decoder, and ending: on a lost socket, a protocol error, `close()`, or
 * after retiring. The command queue, the handshake and push handling live in
 * `command_queue.ts`, `handshake.ts` and `push.ts` beside this file.
 *
 * @module
 */

import { CommandEncoder, commandName } from "../resp/encode.ts";
import { AUTO, type BulkMode, BYTES, ReplyDecoder, TEXT } from "../resp/decode.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import { describeTarget, type Transport } from "../net/transport.ts";
import { ConnectionError, ProtocolError } from "../errors.ts";
import type { ResolvedOptions } from "./options.ts";
import { CommandQueue, type Pending } from "./command_queue.ts";
import { checkSendOptions, replyTimeout, type SendOptions, type Settle } from "./send_options.ts";
import { prepare, type ServerInfo } from "./handshake.ts";
import { type PushListener, PushRouter } from "./push.ts";
import * as tracking from "./tracking.ts";
import { connectDeadline } from "./connect_deadline.ts";
import { Tracer } from "./hooks.ts";

/** One open connection to a server. */
export class Connection {
  /** `host:port` or the socket path, for messages. */
  readonly label: string;
  #options: ResolvedOptions;
  #transport: Transport | undefined;
  #encoder = new CommandEncoder();
  #decoder: ReplyDecoder;
  #queue: CommandQueue;
  #push: PushRouter;
  /** The `hooks` option's calls; `undefined` without hooks. */
  #tracer: Tracer | undefined;
  #flushScheduled = false;
  #writing = false;
  /** How many commands the last write carried. */
  #lastWrite = 0;
  /** The error that ended the connection; `undefined` while open. */
  #error: Error | undefined;
  /** Resolves once the socket has closed (or there never was one). */
  #socketClosed: Promise<void>;
  #resolveSocketClosed!: () => void;
  #closeListeners = new Set<(error: Error) => void>();
  #retireListeners = new Set<() => void>();
  #retired = false;
  #server: ServerInfo = { protocol: 3, version: "", id: 0 };
  /** This connection's key tracking (near cache): live until the connection ends. */
  readonly session: tracking.Session = tracking.newSession();

  private constructor(options: ResolvedOptions) {
    this.#options = options;
    this.label = describeTarget(options.target);
    this.#queue = new CommandQueue(this.label, () => this.#onCommandsExpired());
    this.#push = new PushRouter(this.#queue, () => {
      if (this.#retired) this.#closeIfDrained();
    });
    this.#decoder = new ReplyDecoder({
      wantsBytes: () => this.#bulkModeOfNextReply(),
      reply: (value) => this.#onReply(value),
      push: (message) => {
        this.#tracer?.replied();
        this.#push.deliver(message);
      },
    }, options.limits);
    if (options.hooks !== undefined) {
      const enqueue = this.#enqueue.bind(this);
      this.#tracer = new Tracer(options.hooks, this.label, this.#encoder, enqueue);
    }
    this.#socketClosed = new Promise((resolve) => (this.#resolveSocketClosed = resolve));
    if (options.tracking) this.#push.listen(tracking.invalidationListener(options.tracking));
  }

  /**
   * Opens a socket and runs the handshake, all within `connectTimeout`.
   * Rejects with `ConnectionError`, `TimeoutError` or the server's `ReplyError`.
   */
  static async open(options: ResolvedOptions, signal?: AbortSignal): Promise<Connection> {
    const connection = new Connection(options);
    const deadline = connectDeadline(connection.label, options.connectTimeout, signal);
    const opening = connection.#openSocketAndHandshake();
    try {
      await Promise.race([opening, deadline.promise]);
      return connection;
    } catch (error) {
      connection.#end(error instanceof Error ? error : new Error(String(error)));
      // A socket that opens after the deadline is closed as soon as it does.
      opening.catch(() => {});
      if (connection.#transport !== undefined) await connection.#socketClosed;
      throw error;
    } finally {
      deadline.clear();
    }
  }

  async #openSocketAndHandshake(): Promise<void> {
    const options = this.#options;
    try {
      const transport = await options.connector(options.target, {
        data: (chunk) => this.#onData(chunk),
        closed: (error) => this.#onSocketClosed(error),
      });
      if (this.#error !== undefined) {
        transport.close();
        return;
      }
      this.#transport = transport;
    } catch (error) {
      this.#resolveSocketClosed(); // no socket to wait for
      if (this.#error !== undefined) return;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConnectionError(`Cannot connect to ${this.label}: ${reason}`, { cause: error });
    }
    this.#server = await prepare(options, this.label, (cmd) => this.#sendDuringHandshake(cmd));
  }

  /** Sends a command before the connection is handed out (no limits, no timeout of its own). */
  #sendDuringHandshake(command: Command): Promise<RedisReply> {
    return new Promise((resolve, reject) => {
      this.#enqueue(command, { resolve, reject }, TEXT, 0, undefined);
    });
  }

  /** What the server said about itself in the handshake. */
  get server(): ServerInfo {
    return this.#server;
  }

  /** Commands waiting for replies. */
  get pending(): number {
    return this.#queue.size;
  }

  /** The error that ended this connection, if it has ended. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** True until the connection fails or is closed. */
  get open(): boolean {
    return this.#error === undefined;
  }

  /** Sends a command and resolves with its reply. */
  send(command: Command, options?: SendOptions): Promise<RedisReply> {
    return new Promise((resolve, reject) => this.dispatch(command, { resolve, reject }, options));
  }

  /**
   * Queues a command whose outcome goes to `settle`: the promise-free path
   * used by pipelines. Never throws; errors go to `settle.reject`.
   */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    let bytes: BulkMode = TEXT;
    let timeout = this.#options.commandTimeout;
    let signal: AbortSignal | undefined;
    let onSession: ((session: tracking.Session) => void) | undefined;
    if (options !== undefined) {
      try {
        checkSendOptions(options);
      } catch (error) {
        settle.reject(error as Error);
        return;
      }
      bytes = options.bytes === true ? BYTES : options.bytes === "auto" ? AUTO : TEXT;
      timeout = replyTimeout(options, timeout);
      signal = options.signal;
      if (signal?.aborted) {
        settle.reject(signal.reason);
        return;
      }
      onSession = (options as tracking.SessionOption)[tracking.ON_SESSION];
    }
    const refusal = this.#error !== undefined
      ? `the connection to ${this.label} is closed`
      : this.#queue.live >= this.#options.maxInFlight
      ? `${this.#options.maxInFlight} commands already wait for replies on ${this.label} (maxInFlight)`
      : undefined;
    if (refusal !== undefined) {
      const message = `Cannot send ${commandName(command)}: ${refusal}`;
      settle.reject(new ConnectionError(message, { cause: this.#error }));
      return;
    }
    if (onSession !== undefined) onSession(this.session);
    if (this.#tracer === undefined) this.#enqueue(command, settle, bytes, timeout, signal);
    else this.#tracer.dispatch(command, settle, bytes, timeout, signal);
  }

  /** Encodes a command, queues it for its reply and schedules the write. */
  #enqueue(
    command: Command,
    settle: Settle,
    bytes: BulkMode,
    timeout: number,
    signal: AbortSignal | undefined,
  ): void {
    try {
      this.#encoder.encode(command);
    } catch (error) {
      settle.reject(error as Error);
      return;
    }
    const deadline = timeout > 0 ? Date.now() + timeout : 0;
    const first = command[0];
    const entry: Pending = {
      settle,
      command,
      bytes,
      // Only the pub/sub commands have names of 9 to 12 letters that matter here.
      confirms: typeof first === "string" && first.length >= 9 && first.length <= 12
        ? this.#push.confirmsFor(first, command)
        : 0,
      deadline,
      done: false,
      signal,
      onAbort: undefined,
    };
    if (signal !== undefined) this.#watchAbort(entry, signal);
    this.#queue.push(entry);
    if (this.#flushScheduled) return;
    if (this.#queue.size === 1 && this.#lastWrite === 1 && !this.#writing) {
      // One command at a time: an idle connection whose last write carried a
      // single command writes this one at once instead of a microtask later.
      // After a write of several (commands sent in bursts), the next burst
      // waits for the tick's end and leaves in one write.
      this.#flush();
    } else {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /** Rejects `entry` when `signal` aborts (kept out of `#enqueue`, which every command runs). */
  #watchAbort(entry: Pending, signal: AbortSignal): void {
    entry.onAbort = () => {
      if (entry.done) return;
      this.#queue.markSettled(entry);
      entry.settle.reject(signal.reason);
      // It may have been written: its reply could still come. Retire the connection.
      this.retire();
    };
    signal.addEventListener("abort", entry.onAbort, { once: true });
  }

  /** Writes everything encoded since the last write, as one chunk. */
  #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#writing || this.#encoder.length === 0 || this.#transport === undefined) return;
    if (this.#error !== undefined) return;
    const chunk = this.#encoder.take();
    this.#lastWrite = this.#queue.markWritten();
    let result: void | Promise<void>;
    try {
      result = this.#transport.write(chunk);
    } catch (error) {
      this.#end(this.#lostError(error));
      return;
    }
    if (result !== undefined) {
      this.#writing = true;
      result.then(this.#onWritten, (error) => this.#end(this.#lostError(error)));
    }
  };

  #onWritten = (): void => {
    this.#writing = false;
    if (this.#encoder.length > 0) this.#flush();
  };

  #onData(chunk: Uint8Array): void {
    if (this.#tracer !== undefined) this.#tracer.received(chunk);
    try {
      this.#decoder.feed(chunk);
    } catch (error) {
      this.#end(
        error instanceof ProtocolError
          ? error
          : new ProtocolError(`Cannot decode a reply from ${this.label}`, { cause: error }),
      );
    }
  }

  /**
   * A reply (not a push) begins: how its bulks should come back. With no
   * command waiting it can only be unsolicited, so the connection fails
   * before a later reply could complete it and reach the wrong command.
   */
  #bulkModeOfNextReply(): BulkMode {
    const head = this.#queue.peek();
    if (head !== undefined) return head.bytes;
    // RESP2 pub/sub messages are plain arrays that no command waits for.
    if (this.#server.protocol === 2 && this.#push.subscribed) return TEXT;
    throw new ProtocolError(`Received a reply from ${this.label} with no command waiting for it`);
  }

  #onReply(value: RedisReply): void {
    if (this.#tracer !== undefined) this.#tracer.replied();
    // RESP2 has no push type: pub/sub confirmations and messages arrive as arrays.
    if (this.#server.protocol === 2 && Array.isArray(value) && this.#push.takeResp2(value)) return;
    this.#queue.settleOldest(value);
    if (this.#retired) this.#closeIfDrained();
  }

  /**
   * Commands timed out: a late reply may still come, so never send another
   * command on this connection. Once nothing on it waits any more (also when
   * an earlier expiry retired it), it closes now rather than after the
   * client's grace period.
   */
  #onCommandsExpired(): void {
    this.retire();
    if (this.#retired) this.#closeIfDrained();
  }

  #closeIfDrained(): void {
    if (this.#queue.live === 0 && this.#error === undefined) void this.close();
  }

  /**
   * Stops taking commands, after an ambiguity (a timeout, an abort after the
   * write) or on purpose (e.g. the server's role changed): the owner opens a
   * replacement, the commands already here still get their own replies, and
   * the connection closes once none is left.
   */
  retire(): void {
    if (this.#retired || this.#error !== undefined) return;
    this.#retired = true;
    for (const listener of this.#retireListeners) listener();
    this.#retireListeners.clear();
    this.#closeIfDrained();
  }

  /** Calls `listener` once if the connection is retired: send nothing more to it. */
  onRetire(listener: () => void): void {
    if (this.#retired) listener();
    else this.#retireListeners.add(listener);
  }

  /** True once retired: it only finishes the commands it already has. */
  get retired(): boolean {
    return this.#retired;
  }

  /** Adds a push listener; returns a function that removes it. */
  onPush(listener: PushListener): () => void {
    return this.#push.listen(listener);
  }

  /** Calls `listener` once when the connection ends, with the reason. */
  onClose(listener: (error: Error) => void): () => void {
    if (this.#error !== undefined) {
      listener(this.#error);
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** The error for a socket that failed (a write, a read) with `cause`. */
  #lostError(cause: unknown): ConnectionError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new ConnectionError(`Connection to ${this.label} was lost: ${reason}`, { cause });
  }

  /** The transport reports the socket closed, by either side; `error` when it failed. */
  #onSocketClosed(error?: Error): void {
    this.#end(
      error !== undefined
        ? this.#lostError(error)
        : new ConnectionError(`Connection to ${this.label} was closed by the server`),
    );
    this.#resolveSocketClosed();
  }

  /**
   * Ends the connection with `error` (once): rejects every waiting command
   * and closes the socket. Commands that were written get an error with
   * `outcomeUnknown` set.
   */
  #end(error: Error): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    tracking.endSession(this.session, this.#options.tracking);
    this.#encoder.reset();
    this.#queue.failAll(error);
    this.#transport?.close();
    for (const listener of this.#closeListeners) listener(error);
    this.#closeListeners.clear();
  }

  /** Closes the socket; waiting commands reject with `ConnectionError`. Resolves once closed. */
  close(): Promise<void> {
    this.#end(new ConnectionError(`Connection to ${this.label} was closed by the client`));
    return this.#socketClosed;
  }
}
