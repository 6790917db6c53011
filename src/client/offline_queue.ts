/**
 * The offline queue: commands issued while the client has no connection wait
 * here, bounded in count and bytes, each until its own deadline, and go out
 * once, in order, when a connection is up again. Also the `offlineQueue`
 * option and its validation.
 *
 * @module
 */

import type { Command } from "../resp/types.ts";
import { commandName } from "../resp/encode.ts";
import { ConnectionError, TimeoutError } from "../errors.ts";
import { checkOptionKeys } from "../util/options.ts";
import { durationOption } from "../util/duration.ts";
import { Deque } from "../util/deque.ts";
import { DeadlineTimer } from "../util/deadline_timer.ts";
import { BreakerSettle } from "./breaker.ts";
import { checkInteger } from "./_checks.ts";
import type { Dispatcher } from "./target.ts";
import { replyTimeout, type SendOptions, type Settle } from "./send_options.ts";

/**
 * Where commands wait while the client reconnects.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect({ offlineQueue: { max: 100, timeout: 500 } });
 * await using failFast = await connect({ offlineQueue: false });
 * ```
 */
export interface OfflineQueueOptions {
  /**
   * Most commands held; more reject at once with `ConnectionError`.
   *
   * @default {10000}
   */
  max?: number;
  /**
   * Milliseconds (or a duration string) a command may wait, across failed
   * attempts, for the connection to come back; then it rejects with a
   * `TimeoutError` whose `outcomeUnknown` is false.
   *
   * @default {2000}
   */
  timeout?: number | string;
  /**
   * Most bytes of commands held (a single command always fits); more reject
   * at once with `ConnectionError`.
   *
   * @default {16777216} (16 MiB)
   */
  maxBytes?: number;
}

/** `offlineQueue` after defaults, in milliseconds and bytes. */
export interface ResolvedOfflineQueue {
  max: number;
  timeout: number;
  maxBytes: number;
}

const OFFLINE_KEYS = ["max", "timeout", "maxBytes"];

/** Validates the `offlineQueue` option and applies its defaults. */
export function offlineQueueOptions(
  option: OfflineQueueOptions | false | undefined,
): ResolvedOfflineQueue | false {
  if (option === false) return false;
  if (option !== undefined && (typeof option !== "object" || option === null)) {
    throw new TypeError('Invalid option "offlineQueue": expected { max, timeout } or false');
  }
  checkOptionKeys(option ?? {}, OFFLINE_KEYS, "offlineQueue");
  return {
    max: checkInteger(option?.max ?? 10_000, "offlineQueue.max", 0, 2 ** 31 - 1),
    timeout: durationOption(option?.timeout ?? 2_000, "offlineQueue.timeout", 0, 2 ** 31 - 1),
    maxBytes: checkInteger(
      option?.maxBytes ?? 16 * 1024 * 1024,
      "offlineQueue.maxBytes",
      0,
      2 ** 53 - 1,
    ),
  };
}

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

/** Commands waiting for a connection, in order. */
export class OfflineQueue {
  #settings: ResolvedOfflineQueue | false;
  #commandTimeout: number;
  #label: string;
  /** The client's last connection error, the cause of the errors given here. */
  #lastError: () => Error | undefined;
  #entries = new Deque<Offline>();
  /** Expires waiting commands (a ref'd timer: callers are waiting). */
  #timer = new DeadlineTimer((now) => this.#expireOverdue(now), false);
  /** Bytes of the commands waiting. */
  #bytes = 0;

  /**
   * @param settings The resolved `offlineQueue` option (`false`: off).
   * @param commandTimeout The client's default command timeout.
   * @param label The server, for messages.
   * @param lastError The client's last connection error, for causes.
   */
  constructor(
    settings: ResolvedOfflineQueue | false,
    commandTimeout: number,
    label: string,
    lastError: () => Error | undefined,
  ) {
    this.#settings = settings;
    this.#commandTimeout = commandTimeout;
    this.#label = label;
    this.#lastError = lastError;
  }

  /** Commands waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /** Holds a command until `flushTo`; rejects it at once when the queue is off or full. */
  add(command: Command, settle: Settle, options: SendOptions | undefined): void {
    const queue = this.#settings;
    const bytes = queue === false ? 0 : commandBytes(command);
    if (
      queue === false || this.#entries.size >= queue.max ||
      // One command alone always fits (the caller holds it anyway): the bound stops piling up.
      (this.#entries.size > 0 && this.#bytes + bytes > queue.maxBytes)
    ) {
      const why = queue === false
        ? "the offline queue is off"
        : this.#entries.size >= queue.max
        ? `the offline queue is full (offlineQueue.max: ${queue.max} commands)`
        : `the offline queue is full (offlineQueue.maxBytes: ${queue.maxBytes} bytes)`;
      settle.reject(
        new ConnectionError(
          `Cannot send ${commandName(command)}: not connected to ${this.#label} and ${why}`,
          { cause: this.#lastError() },
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
    const timeout = replyTimeout(options, this.#commandTimeout);
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
    this.#entries.push(entry);
    this.#bytes += bytes;
    const due = Math.min(entry.deadline, entry.commandDeadline || Infinity);
    this.#timer.schedule(due);
  }

  /** Sends every waiting command on `connection`, in order. */
  flushTo(connection: Dispatcher): void {
    this.#timer.clear();
    const now = Date.now();
    for (let entry = this.#entries.shift(); entry !== undefined; entry = this.#entries.shift()) {
      if (!this.#take(entry)) continue;
      // The time spent waiting counts against the command's own timeout.
      const options = entry.commandDeadline === 0
        ? entry.options
        : { ...entry.options, timeout: Math.max(1, entry.commandDeadline - now) };
      if (entry.settle instanceof BreakerSettle) entry.settle.sent = true;
      connection.dispatch(entry.command, entry.settle, options);
    }
  }

  /** Rejects every waiting command with a fresh `error()`. */
  failAll(error: () => Error): void {
    this.#timer.clear();
    for (let entry = this.#entries.shift(); entry !== undefined; entry = this.#entries.shift()) {
      if (this.#take(entry)) entry.settle.reject(error());
    }
  }

  /** Marks a queued entry as handled; false if it was already (aborted). */
  #take(entry: Offline): boolean {
    if (entry.done) return false;
    entry.done = true;
    this.#bytes -= entry.bytes;
    if (entry.onAbort !== undefined) {
      entry.options!.signal!.removeEventListener("abort", entry.onAbort);
    }
    return true;
  }

  /**
   * Rejects queued commands whose own timeout ran out, or that waited longer
   * than `offlineQueue.timeout`: a `TimeoutError` whose `outcomeUnknown` is
   * false (they were never sent). Returns the next deadline.
   */
  #expireOverdue(now: number): number {
    let next = Infinity;
    const keep: Offline[] = [];
    for (let entry = this.#entries.shift(); entry !== undefined; entry = this.#entries.shift()) {
      if (entry.done) continue;
      const timedOut = entry.commandDeadline !== 0 && entry.commandDeadline <= now;
      if (!timedOut && entry.deadline > now) {
        keep.push(entry);
        next = Math.min(next, entry.deadline, entry.commandDeadline || Infinity);
        continue;
      }
      this.#take(entry);
      const name = commandName(entry.command);
      const waited = (this.#settings as { timeout: number }).timeout;
      entry.settle.reject(
        timedOut
          ? new TimeoutError(
            `Command ${name} to ${this.#label} got no reply in time (not connected; it was not sent)`,
            { cause: this.#lastError(), outcomeUnknown: false },
          )
          : new TimeoutError(
            `Cannot send ${name}: not connected to ${this.#label} within ${waited} ms (offlineQueue.timeout; it was not sent)`,
            { cause: this.#lastError(), outcomeUnknown: false },
          ),
      );
    }
    for (const entry of keep) this.#entries.push(entry);
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
