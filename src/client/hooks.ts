/**
 * Command hooks (the `hooks` option): functions called when a command starts
 * and ends on a connection, with what a tracer or a metrics library needs
 * (name, key count, bytes out and in, duration, error, server address), so
 * that an OpenTelemetry or Prometheus bridge needs no dependency here. A
 * connection without hooks never reaches this module's code: it costs one
 * `undefined` check per command, per reply and per chunk read, and the
 * decoder does no counting (`reply_sizes.ts` reads the framing when hooks are
 * set).
 *
 * @module
 */

import { type CommandEncoder, commandName } from "../resp/encode.ts";
import type { BulkMode } from "../resp/decode.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import { ReplyError } from "../errors.ts";
import { checkOptionKeys } from "../util/options.ts";
import type { Settle } from "./send_options.ts";
import { keyCount } from "./key_count.ts";
import { ReplySizes } from "./reply_sizes.ts";

/**
 * What the `start` hook is told of a command, just after it was encoded and
 * queued on a connection.
 *
 * @example
 * ```ts
 * import { type CommandStart, connect } from "@redcache/redcache";
 *
 * const log = (command: CommandStart) =>
 *   console.log(`${command.name} (${command.keys} keys) to ${command.address}`);
 * await using redis = await connect({ url: "redis://127.0.0.1:6379", hooks: { start: log } });
 * ```
 */
export interface CommandStart {
  /** The command's name in upper case (`"GET"`, `"EVALSHA"`); `"command"` when not text. */
  readonly name: string;
  /**
   * How many keys the command names, read from its shape: every argument of
   * `DEL`, `EXISTS`, `MGET`…, half of `MSET`'s, `numkeys` of `EVAL`/`FCALL`,
   * the streams of `XREAD`, 2 for `RENAME`/`COPY`/`LMOVE`, 0 for commands
   * without a key (`PING`, `INFO`, `SCAN`…), 1 for any other command with
   * an argument.
   */
  readonly keys: number;
  /** The server: `host:port`, or the Unix socket path. Never a user name or password. */
  readonly address: string;
  /** Size of the encoded command (RESP) in bytes: what goes onto the socket. */
  readonly bytesOut: number;
  /** `performance.now()` when the command was handed to the connection. */
  readonly startTime: number;
}

/**
 * What the `end` hook is told of a command once it settled: the `start`
 * fields, completed (the very same object).
 *
 * @example
 * ```ts
 * import { type CommandEnd, connect } from "@redcache/redcache";
 *
 * const slow = (command: CommandEnd) => {
 *   if (command.duration > 50) console.warn(`${command.name} took ${command.duration} ms`);
 * };
 * await using redis = await connect({ url: "redis://127.0.0.1:6379", hooks: { end: slow } });
 * ```
 */
export interface CommandEnd extends CommandStart {
  /**
   * Size in bytes of the reply as it came off the socket (RESP framing,
   * including an attribute before it); 0 when no reply came (a timeout, a
   * lost connection).
   */
  readonly bytesIn: number;
  /** Milliseconds from `startTime` to the settling, with `performance.now()`. */
  readonly duration: number;
  /** `undefined` on success; else the `ReplyError`, `TimeoutError`, `ConnectionError`, … */
  readonly error: Error | undefined;
}

/**
 * The `hooks` option of `connect`, `createPool`, `connectCluster` and
 * `createCache`: called for every command a connection sends, pipelined
 * and transaction commands each on their own; on a pool or a cluster, on
 * every member connection (a redirected cluster command once per node it
 * went to). A command refused before it reaches a connection (an offline
 * queue that is full or timed out, an open circuit) is not seen. The hooks
 * run synchronously before the caller sees the result; one that throws is
 * ignored and the command is unaffected. Unknown keys are a `TypeError`.
 *
 * @example Count commands and time them
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * const counts = new Map<string, number>();
 * await using redis = await connect({
 *   url: "redis://127.0.0.1:6379",
 *   hooks: {
 *     end(command) {
 *       counts.set(command.name, (counts.get(command.name) ?? 0) + 1);
 *     },
 *   },
 * });
 * await redis.get("k");
 * ```
 *
 * @example One span per command: what `start` returns is called at the end
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect({
 *   url: "redis://127.0.0.1:6379",
 *   hooks: {
 *     start(command) {
 *       const label = `${command.name} ${command.address}`;
 *       console.time(label);
 *       return (end) => console.timeEnd(label);
 *     },
 *   },
 * });
 * ```
 */
export interface CommandHooks {
  /**
   * Called when a command is queued on a connection. May return a function,
   * called when that command ends (before `end`).
   */
  start?(command: CommandStart): ((command: CommandEnd) => void) | void;
  /** Called when a command settles: replied, failed, timed out, or its connection ended. */
  end?(command: CommandEnd): void;
}

/** Checks the `hooks` option; `undefined` when no hook is set. */
export function checkHooks(value: unknown): CommandHooks | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) {
    throw new TypeError('Invalid option "hooks": expected an object with start and end functions');
  }
  checkOptionKeys(value, ["start", "end"], "hooks");
  const hooks = value as CommandHooks;
  for (const key of ["start", "end"] as const) {
    if (hooks[key] !== undefined && typeof hooks[key] !== "function") {
      throw new TypeError(`Invalid option "hooks.${key}": expected a function`);
    }
  }
  return hooks.start === undefined && hooks.end === undefined ? undefined : hooks;
}

/** Queues an encoded command on the connection (its `#enqueue`). */
export type Enqueue = (
  command: Command,
  settle: Settle,
  bytes: BulkMode,
  timeout: number,
  signal: AbortSignal | undefined,
) => void;

/** The hooks of one connection: wraps each command it dispatches, measures each reply. */
export class Tracer {
  readonly hooks: CommandHooks;
  readonly address: string;
  #encoder: CommandEncoder;
  #enqueue: Enqueue;
  #sizes = new ReplySizes();
  /** Size of the reply being settled. */
  replyBytes = 0;

  constructor(hooks: CommandHooks, address: string, encoder: CommandEncoder, enqueue: Enqueue) {
    this.hooks = hooks;
    this.address = address;
    this.#encoder = encoder;
    this.#enqueue = enqueue;
  }

  /** Queues `command` like the connection does, between the hooks. */
  dispatch(
    command: Command,
    settle: Settle,
    bytes: BulkMode,
    timeout: number,
    signal: AbortSignal | undefined,
  ): void {
    const traced = new TracedCommand(this, command, settle);
    const before = this.#encoder.encoded;
    this.#enqueue(command, traced, bytes, timeout, signal);
    traced.started(this.#encoder.encoded - before);
  }

  /** Bytes arrived, about to be decoded: their framing gives each reply's size. */
  received(chunk: Uint8Array): void {
    this.#sizes.scan(chunk);
  }

  /** A reply or push message was decoded: its size becomes `replyBytes`. */
  replied(): void {
    this.replyBytes = this.#sizes.take();
  }
}

/** Not started yet / started / settled before it could start (its arguments did not encode). */
const QUEUED = 0, STARTED = 1, FAILED_EARLY = 2;

/** One command between its hooks: the `Settle` the connection sees. */
class TracedCommand implements Settle {
  #tracer: Tracer;
  #settle: Settle;
  #event: { -readonly [K in keyof CommandEnd]: CommandEnd[K] };
  #state: number = QUEUED;
  /** `FAILED_EARLY`: the error, kept from `start`'s view until `start` has run. */
  #early: Error | undefined;
  #onEnd: ((command: CommandEnd) => void) | void = undefined;

  constructor(tracer: Tracer, command: Command, settle: Settle) {
    this.#tracer = tracer;
    this.#settle = settle;
    const name = commandName(command);
    this.#event = {
      name,
      keys: keyCount(command, name),
      address: tracer.address,
      bytesOut: 0,
      startTime: performance.now(),
      bytesIn: 0,
      duration: 0,
      error: undefined,
    };
  }

  /** The command is queued (`bytesOut` encoded): calls `start`, and the end hooks if it failed. */
  started(bytesOut: number): void {
    const failed = this.#state === FAILED_EARLY;
    this.#state = STARTED;
    this.#event.bytesOut = bytesOut;
    const hooks = this.#tracer.hooks;
    if (hooks.start !== undefined) {
      try {
        this.#onEnd = hooks.start(this.#event);
      } catch { /* a hook never breaks a command */ }
    }
    if (failed) this.#settled(this.#early, 0);
  }

  resolve(value: RedisReply): void {
    this.#settled(undefined, this.#tracer.replyBytes);
    this.#settle.resolve(value);
  }

  reject(error: Error): void {
    this.#settled(error, error instanceof ReplyError ? this.#tracer.replyBytes : 0);
    this.#settle.reject(error);
  }

  /** Completes the event and calls the end hooks (once `start` has run). */
  #settled(error: Error | undefined, bytesIn: number): void {
    if (this.#state === QUEUED) {
      this.#state = FAILED_EARLY;
      this.#early = error;
      return;
    }
    const event = this.#event;
    event.duration = performance.now() - event.startTime;
    event.error = error;
    event.bytesIn = bytesIn;
    const onEnd = this.#onEnd;
    if (typeof onEnd === "function") {
      try {
        onEnd(event);
      } catch { /* ignored, as above */ }
    }
    const hooks = this.#tracer.hooks;
    if (hooks.end !== undefined) {
      try {
        hooks.end(event);
      } catch { /* ignored, as above */ }
    }
  }
}
