/**
 * One socket's lifetime: the handshake, the command queue, automatic
 * pipelining and the reply matching. Replies come back in the order commands
 * were written, so each reply goes to the oldest command still in the queue;
 * a command that timed out or was aborted keeps its place in the queue and
 * its late reply is dropped, so it can never reach a later command.
 *
 * @module
 */

import { CommandEncoder, commandName } from "../resp/encode.ts";
import { AUTO, type BulkMode, BYTES, ReplyDecoder, TEXT } from "../resp/decode.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import { describeTarget, type Transport } from "../net/transport.ts";
import { ConnectionError, ProtocolError, ReplyError, TimeoutError } from "../errors.ts";
import type { ResolvedOptions } from "./options.ts";
import { Deque } from "../util/deque.ts";
import { DeadlineTimer } from "../util/deadline_timer.ts";

/**
 * Per-command options of `send`.
 *
 * @example
 * ```ts ignore
 * const image = await redis.send(["GET", "logo"], { bytes: true, timeout: 500 });
 * const ac = new AbortController();
 * redis.send(["BLPOP", "jobs", "0"], { timeout: 0, signal: ac.signal });
 * ```
 */
export interface SendOptions {
  /**
   * `true` returns bulk strings as `Uint8Array` instead of `string`; `"auto"`
   * only those starting with a NUL byte (binary values with a header).
   */
  bytes?: boolean | "auto";
  /** Milliseconds to wait for the reply; `0` waits forever. Defaults to `commandTimeout`. */
  timeout?: number;
  /** Rejects the command with the signal's reason when aborted. */
  signal?: AbortSignal;
}

/**
 * Receives a command's outcome: the promise-free path of `dispatch`.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@redcache/redcache";
 *
 * const redis = await connect();
 * redis.dispatch(["PING"], { resolve: console.log, reject: console.error });
 * ```
 */
export interface Settle {
  /** Called with the reply. */
  resolve(value: RedisReply): void;
  /** Called with a `ReplyError`, `ConnectionError`, `TimeoutError`, … */
  reject(error: Error): void;
}

/** A command waiting for its reply. */
interface Pending {
  settle: Settle;
  command: Command;
  bytes: BulkMode;
  /** Pub/sub confirmations still due before this command is answered (0: a plain reply). */
  confirms: number;
  /** Epoch milliseconds after which the command times out; 0 for never. */
  deadline: number;
  /** Settled already (timed out, aborted): its reply is to be dropped. */
  done: boolean;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * What the server said about itself in the handshake.
 *
 * @example
 * ```ts ignore
 * const redis = await connect();
 * console.log(redis.server); // { protocol: 3, version: "7.0.15", id: 42 }
 * ```
 */
export interface ServerInfo {
  /** RESP version in use: 3, or 2 after a fallback. */
  protocol: 2 | 3;
  /** Server version, e.g. `7.0.15` (empty when the server did not say). */
  version: string;
  /** Client id the server gave this connection (0 when unknown). */
  id: number;
}

/**
 * Receives a push message (RESP3 `>`), e.g. pub/sub or invalidation.
 *
 * @example
 * ```ts ignore
 * const stop = redis.onPush((message) => console.log(message)); // ["invalidate", ["key"]]
 * await redis.send(["CLIENT", "TRACKING", "on"]);
 * stop();
 * ```
 */
export type PushListener = (message: RedisReply[]) => void;

/** Validates the per-command options object (only when one is given). */
export function checkSendOptions(options: SendOptions): void {
  for (const key in options) {
    if (key !== "bytes" && key !== "timeout" && key !== "signal") {
      throw new TypeError(
        `Unknown option "${key.slice(0, 40)}" for send(); expected bytes, timeout or signal`,
      );
    }
  }
  const t = options.timeout;
  if (t !== undefined && (typeof t !== "number" || !(t >= 0) || !Number.isFinite(t))) {
    throw new TypeError('Invalid option "timeout": expected milliseconds, 0 or more');
  }
}

/** One open connection to a server. */
export class Connection {
  /** `host:port` or the socket path, for messages. */
  readonly label: string;
  #options: ResolvedOptions;
  #transport: Transport | undefined;
  #encoder = new CommandEncoder();
  #decoder: ReplyDecoder;
  #queue = new Deque<Pending>();
  /** How many commands at the back of the queue are encoded but not yet written. */
  #unwritten = 0;
  #flushScheduled = false;
  #writing = false;
  #error: Error | undefined;
  #closedPromise: Promise<void>;
  #closedResolve!: () => void;
  /** Times out commands; unref'd, so a forgotten client does not hold the process open. */
  #deadlines = new DeadlineTimer((now) => this.#expire(now), true);
  #pushListeners = new Set<PushListener>();
  #closeListeners = new Set<(error: Error) => void>();
  #retireListeners = new Set<() => void>();
  #retired = false;
  /** Entries in the queue not yet settled. */
  #live = 0;
  #server: ServerInfo = { protocol: 3, version: "", id: 0 };
  /** Channels and patterns this connection is subscribed to, per the server's confirmations. */
  #channels = new Set<string>();
  #patterns = new Set<string>();

  private constructor(options: ResolvedOptions) {
    this.#options = options;
    this.label = describeTarget(options.target);
    this.#decoder = new ReplyDecoder({
      wantsBytes: () => this.#replyStarts(),
      reply: (value) => this.#reply(value),
      push: (message) => this.#push(message),
    }, options.limits);
    this.#closedPromise = new Promise((resolve) => (this.#closedResolve = resolve));
  }

  /**
   * Opens a socket and runs the handshake, all within `connectTimeout`.
   * Rejects with `ConnectionError`, `TimeoutError` or the server's `ReplyError`.
   */
  static async open(options: ResolvedOptions, signal?: AbortSignal): Promise<Connection> {
    const connection = new Connection(options);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new TimeoutError(
            `Cannot connect to ${connection.label}: no answer within ${options.connectTimeout} ms`,
          ),
        );
      }, options.connectTimeout);
      onAbort = () =>
        reject(new ConnectionError(`Cannot connect to ${connection.label}: the client was closed`));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    const opening = connection.#open();
    try {
      if (signal?.aborted) onAbort!();
      await Promise.race([opening, timeout]);
      return connection;
    } catch (error) {
      connection.#fail(error instanceof Error ? error : new Error(String(error)));
      // A socket that opens after the deadline is closed as soon as it does.
      opening.catch(() => {});
      if (connection.#transport !== undefined) await connection.#closedPromise;
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort!);
    }
  }

  async #open(): Promise<void> {
    const options = this.#options;
    try {
      const transport = await options.connector(options.target, {
        data: (chunk) => this.#data(chunk),
        closed: (error) => this.#closed(error),
      });
      if (this.#error !== undefined) {
        transport.close();
        return;
      }
      this.#transport = transport;
    } catch (error) {
      this.#closedResolve(); // no socket to wait for
      if (this.#error !== undefined) return;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConnectionError(`Cannot connect to ${this.label}: ${reason}`, { cause: error });
    }
    await this.#handshake();
    if (options.setup.length > 0) {
      await Promise.all(options.setup.map((command) => this.#handshakeSend(command)));
    }
  }

  /** `HELLO` with AUTH and SETNAME, then SELECT, in one round trip; RESP2 when HELLO is unknown. */
  async #handshake(): Promise<void> {
    const { username, password, name, db, protocol } = this.#options;
    const hello: (string | number)[] = ["HELLO", protocol];
    if (password !== undefined) hello.push("AUTH", username ?? "default", password);
    if (name !== undefined) hello.push("SETNAME", name);
    const replies = [this.#handshakeSend(hello)];
    if (db !== 0) replies.push(this.#select(db));
    const [helloResult, selectResult] = await Promise.allSettled(replies);
    if (helloResult.status === "fulfilled") {
      this.#server = serverInfo(helloResult.value, protocol);
    } else {
      const error = helloResult.reason;
      if (!(error instanceof ReplyError) || !isUnknownCommand(error)) throw error;
      // A server older than Redis 6: RESP2, with AUTH and CLIENT SETNAME.
      this.#server = { protocol: 2, version: "", id: 0 };
      const legacy: Promise<RedisReply>[] = [];
      if (password !== undefined) {
        legacy.push(
          this.#handshakeSend(username ? ["AUTH", username, password] : ["AUTH", password]),
        );
      }
      if (name !== undefined) legacy.push(this.#handshakeSend(["CLIENT", "SETNAME", name]));
      if (db !== 0) legacy.push(this.#select(db));
      await Promise.all(legacy);
      return;
    }
    if (selectResult?.status === "rejected") throw selectResult.reason;
  }

  /**
   * `SELECT db`. A refusal (`ERR DB index is out of range`, `NOPERM`) stays a
   * `ReplyError` with the server's code and text, and names the `db` option.
   */
  async #select(db: number): Promise<RedisReply> {
    try {
      return await this.#handshakeSend(["SELECT", db]);
    } catch (error) {
      if (!(error instanceof ReplyError)) throw error;
      const named = new ReplyError(
        `${error.message} (the server refused SELECT for the "db" option ${db})`,
        { cause: error },
      );
      named.command = error.command;
      throw named;
    }
  }

  #handshakeSend(command: Command): Promise<RedisReply> {
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
    if (options !== undefined) {
      try {
        checkSendOptions(options);
      } catch (error) {
        settle.reject(error as Error);
        return;
      }
      bytes = options.bytes === true ? BYTES : options.bytes === "auto" ? AUTO : TEXT;
      if (options.timeout !== undefined) timeout = options.timeout;
      signal = options.signal;
      if (signal?.aborted) {
        settle.reject(signal.reason);
        return;
      }
    }
    if (this.#error !== undefined) {
      settle.reject(
        new ConnectionError(
          `Cannot send ${commandName(command)}: the connection to ${this.label} is closed`,
          {
            cause: this.#error,
          },
        ),
      );
      return;
    }
    if (this.#live >= this.#options.maxInFlight) {
      settle.reject(
        new ConnectionError(
          `Cannot send ${
            commandName(command)
          }: ${this.#options.maxInFlight} commands already wait for replies on ${this.label} (maxInFlight)`,
        ),
      );
      return;
    }
    this.#enqueue(command, settle, bytes, timeout, signal);
  }

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
        ? this.#confirmsFor(first, command)
        : 0,
      deadline,
      done: false,
      signal,
      onAbort: undefined,
    };
    if (signal !== undefined) {
      entry.onAbort = () => {
        if (entry.done) return;
        this.#settled(entry);
        entry.settle.reject(signal.reason);
        // It may have been written: its reply could still come. Retire the connection.
        this.#retire();
      };
      signal.addEventListener("abort", entry.onAbort, { once: true });
    }
    this.#queue.push(entry);
    this.#live++;
    this.#unwritten++;
    if (deadline !== 0) this.#deadlines.schedule(deadline);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /** Writes everything encoded since the last write, as one chunk. */
  #flush = (): void => {
    this.#flushScheduled = false;
    if (this.#writing || this.#encoder.length === 0 || this.#transport === undefined) return;
    if (this.#error !== undefined) return;
    const chunk = this.#encoder.take();
    this.#unwritten = 0;
    let result: void | Promise<void>;
    try {
      result = this.#transport.write(chunk);
    } catch (error) {
      this.#fail(this.#lost(error));
      return;
    }
    if (result !== undefined) {
      this.#writing = true;
      result.then(this.#written, (error) => this.#fail(this.#lost(error)));
    }
  };

  #written = (): void => {
    this.#writing = false;
    if (this.#encoder.length > 0) this.#flush();
  };

  #data(chunk: Uint8Array): void {
    try {
      this.#decoder.feed(chunk);
    } catch (error) {
      this.#fail(
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
  #replyStarts(): BulkMode {
    const head = this.#queue.peek();
    if (head !== undefined) return head.bytes;
    // RESP2 pub/sub messages are plain arrays that no command waits for.
    if (this.#server.protocol === 2 && this.#channels.size + this.#patterns.size > 0) return TEXT;
    throw new ProtocolError(`Received a reply from ${this.label} with no command waiting for it`);
  }

  #reply(value: RedisReply): void {
    // RESP2 has no push type: pub/sub confirmations and messages arrive as arrays.
    if (this.#server.protocol === 2 && Array.isArray(value) && this.#resp2PubSub(value)) return;
    const entry = this.#queue.shift();
    if (entry === undefined) {
      throw new ProtocolError(`Received a reply from ${this.label} with no command waiting for it`);
    }
    if (entry.done) {
      if (this.#retired) this.#closeIfDrained();
      return;
    }
    this.#settled(entry);
    if (value instanceof ReplyError) {
      value.command = commandName(entry.command);
      entry.settle.reject(value);
    } else {
      entry.settle.resolve(value);
    }
    if (this.#retired) this.#closeIfDrained();
  }

  /** Marks an entry as answered (or given up on) and stops listening for its abort. */
  #settled(entry: Pending): void {
    entry.done = true;
    this.#live--;
    if (entry.onAbort !== undefined) entry.signal!.removeEventListener("abort", entry.onAbort);
  }

  /**
   * Stops taking commands after an ambiguity (a timeout, an abort after the
   * write): the owner opens a replacement, the commands already here still get
   * their own replies, and the connection closes once none is left.
   */
  #retire(): void {
    if (this.#retired || this.#error !== undefined) return;
    this.#retired = true;
    for (const listener of this.#retireListeners) listener();
    this.#retireListeners.clear();
    this.#closeIfDrained();
  }

  #closeIfDrained(): void {
    if (this.#live === 0 && this.#error === undefined) void this.close();
  }

  /**
   * Retires the connection on purpose (e.g. the server's role changed): it
   * takes no new command, finishes those it has, then closes.
   */
  retire(): void {
    this.#retire();
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

  /** How many confirmations a SUBSCRIBE-family command gets; 0 for any other command. */
  #confirmsFor(name: string, command: Command): number {
    const upper = name.toUpperCase();
    if (!CONFIRM_KINDS.has(upper.toLowerCase())) return 0;
    if (command.length > 1) return command.length - 1;
    // UNSUBSCRIBE with no argument confirms each subscription, or once if there are none.
    if (upper === "UNSUBSCRIBE") return Math.max(1, this.#channels.size);
    if (upper === "PUNSUBSCRIBE") return Math.max(1, this.#patterns.size);
    return 1;
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
      this.#settled(head);
      head.settle.resolve(message[2] ?? null);
    }
    if (this.#retired) this.#closeIfDrained();
    return true;
  }

  #resp2PubSub(value: RedisReply[]): boolean {
    const kind = value[0];
    if (typeof kind !== "string") return false;
    if (CONFIRM_KINDS.has(kind) && (this.#queue.peek()?.confirms ?? 0) > 0) {
      return this.#confirm(kind, value);
    }
    if (
      this.#channels.size + this.#patterns.size > 0 && (kind === "message" || kind === "pmessage")
    ) {
      this.#push(value);
      return true;
    }
    return false;
  }

  #push(message: RedisReply[]): void {
    const kind = message[0];
    if (typeof kind === "string" && CONFIRM_KINDS.has(kind) && this.#confirm(kind, message)) return;
    for (const listener of this.#pushListeners) {
      try {
        listener(message);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Adds a push listener; returns a function that removes it. */
  onPush(listener: PushListener): () => void {
    this.#pushListeners.add(listener);
    return () => this.#pushListeners.delete(listener);
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

  /** Times out every command past its deadline; returns the next deadline. */
  #expire(now: number): number {
    let next = Infinity;
    let expired = false;
    // Entries at the back of the queue, past `written`, have not left yet.
    const written = this.#queue.size - this.#unwritten;
    let index = 0;
    this.#queue.forEach((entry) => {
      const sent = index++ < written;
      if (entry.done || entry.deadline === 0) return;
      if (entry.deadline <= now) {
        expired = true;
        this.#settled(entry);
        entry.settle.reject(
          new TimeoutError(
            `Command ${commandName(entry.command)} to ${this.label} got no reply in time${
              sent ? "; it may or may not have run" : "; it was not sent"
            }`,
            { outcomeUnknown: sent },
          ),
        );
      } else if (entry.deadline < next) {
        next = entry.deadline;
      }
    });
    // A late reply may still come: never send another command on this connection.
    // Once nothing on it waits any more (also when an earlier expiry retired it),
    // it closes now rather than after the client's grace period.
    if (expired) {
      this.#retire();
      if (this.#retired) this.#closeIfDrained();
    }
    return next;
  }

  #lost(cause: unknown): ConnectionError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new ConnectionError(`Connection to ${this.label} was lost: ${reason}`, { cause });
  }

  #closed(error?: Error): void {
    this.#fail(
      error !== undefined
        ? this.#lost(error)
        : new ConnectionError(`Connection to ${this.label} was closed by the server`),
    );
    this.#closedResolve();
  }

  /**
   * Ends the connection: rejects every waiting command and closes the socket.
   * Commands that were written get an error with `outcomeUnknown` set.
   */
  #fail(error: Error): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    this.#deadlines.clear();
    this.#encoder.reset();
    const entries = this.#queue.drain();
    const written = entries.length - this.#unwritten;
    this.#unwritten = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.done) continue;
      this.#settled(entry);
      entry.settle.reject(this.#failure(error, commandName(entry.command), i < written));
    }
    this.#transport?.close();
    for (const listener of this.#closeListeners) listener(error);
    this.#closeListeners.clear();
  }

  #failure(error: Error, name: string, written: boolean): Error {
    if (error instanceof ProtocolError) return error;
    const outcome = written ? "; it may or may not have run" : "; it was not sent";
    return new ConnectionError(`Command ${name} failed: ${error.message}${outcome}`, {
      cause: error,
      outcomeUnknown: written,
    });
  }

  /** Closes the socket; waiting commands reject with `ConnectionError`. Resolves once closed. */
  close(): Promise<void> {
    this.#fail(new ConnectionError(`Connection to ${this.label} was closed by the client`));
    return this.#closedPromise;
  }
}

/** The push kinds that confirm a (un)subscribe command. */
const CONFIRM_KINDS = new Set([
  "subscribe",
  "psubscribe",
  "ssubscribe",
  "unsubscribe",
  "punsubscribe",
  "sunsubscribe",
]);

function isUnknownCommand(error: ReplyError): boolean {
  return /unknown command|NOPROTO/i.test(error.message);
}

function serverInfo(reply: RedisReply, protocol: 2 | 3): ServerInfo {
  let fields: Map<RedisReply, RedisReply>;
  if (reply instanceof Map) fields = reply;
  else if (Array.isArray(reply)) {
    fields = new Map();
    for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i], reply[i + 1]);
  } else return { protocol, version: "", id: 0 };
  const proto = fields.get("proto");
  const version = fields.get("version");
  const id = fields.get("id");
  return {
    protocol: proto === 2 ? 2 : proto === 3 ? 3 : protocol,
    version: typeof version === "string" ? version : "",
    id: typeof id === "number" ? id : 0,
  };
}
