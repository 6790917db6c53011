/**
 * The commands of one connection that wait for their replies, oldest first:
 * reply matching (each reply goes to the oldest command still queued), the
 * per-command deadlines, and failing them all when the connection ends. A
 * command that timed out or was aborted keeps its place and its late reply is
 * dropped, so it can never reach a later command.
 *
 * @module
 */

import { commandName } from "../resp/encode.ts";
import type { BulkMode } from "../resp/decode.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import { ConnectionError, ProtocolError, ReplyError, TimeoutError } from "../errors.ts";
import { Deque } from "../util/deque.ts";
import { DeadlineTimer } from "../util/deadline_timer.ts";
import type { Settle } from "./send_options.ts";

/** A command waiting for its reply. */
export interface Pending {
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

/** The commands of one connection waiting for replies, in the order they were written. */
export class CommandQueue {
  #label: string;
  #entries = new Deque<Pending>();
  /** How many commands at the back of the queue are encoded but not yet written. */
  #unwritten = 0;
  /** Entries in the queue not yet settled. */
  #live = 0;
  /** Times out commands; unref'd, so a forgotten client does not hold the process open. */
  #deadlines = new DeadlineTimer((now) => this.#expireOverdue(now), true);
  #onExpired: () => void;

  /**
   * @param label The server, for messages.
   * @param onExpired Called after commands timed out (a late reply may still come).
   */
  constructor(label: string, onExpired: () => void) {
    this.#label = label;
    this.#onExpired = onExpired;
  }

  /** Entries queued, settled or not (each still owns a reply to come). */
  get size(): number {
    return this.#entries.size;
  }

  /** Entries not yet settled. */
  get live(): number {
    return this.#live;
  }

  /** The oldest entry. */
  peek(): Pending | undefined {
    return this.#entries.peek();
  }

  /** Removes the oldest entry (its reply has come). */
  shift(): Pending | undefined {
    return this.#entries.shift();
  }

  /** Adds a command just encoded (not yet written) and schedules its deadline. */
  push(entry: Pending): void {
    this.#entries.push(entry);
    this.#live++;
    this.#unwritten++;
    if (entry.deadline !== 0) this.#deadlines.schedule(entry.deadline);
  }

  /** Everything queued so far has been handed to the socket; returns how many that was. */
  markWritten(): number {
    const count = this.#unwritten;
    this.#unwritten = 0;
    return count;
  }

  /** Marks an entry as answered (or given up on) and stops listening for its abort. */
  markSettled(entry: Pending): void {
    entry.done = true;
    this.#live--;
    if (entry.onAbort !== undefined) entry.signal!.removeEventListener("abort", entry.onAbort);
  }

  /**
   * Gives a reply to the oldest command; drops it if that command was
   * settled already (timed out, aborted). Throws a `ProtocolError` when no
   * command waits.
   */
  settleOldest(value: RedisReply): void {
    const entry = this.#entries.shift();
    if (entry === undefined) {
      throw new ProtocolError(
        `Received a reply from ${this.#label} with no command waiting for it`,
      );
    }
    if (entry.done) return;
    this.markSettled(entry);
    if (value instanceof ReplyError) {
      value.command = commandName(entry.command);
      entry.settle.reject(value);
    } else {
      entry.settle.resolve(value);
    }
  }

  /**
   * Rejects every waiting command because the connection ended with `error`.
   * Commands that were written get an error with `outcomeUnknown` set.
   */
  failAll(error: Error): void {
    this.#deadlines.clear();
    const entries = this.#entries.drain();
    const written = entries.length - this.#unwritten;
    this.#unwritten = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.done) continue;
      this.markSettled(entry);
      entry.settle.reject(commandError(error, commandName(entry.command), i < written));
    }
  }

  /** Times out every command past its deadline; returns the next deadline. */
  #expireOverdue(now: number): number {
    let next = Infinity;
    let expired = false;
    // Entries at the back of the queue, past `written`, have not left yet.
    const written = this.#entries.size - this.#unwritten;
    let index = 0;
    this.#entries.forEach((entry) => {
      const sent = index++ < written;
      if (entry.done || entry.deadline === 0) return;
      if (entry.deadline <= now) {
        expired = true;
        this.markSettled(entry);
        entry.settle.reject(
          new TimeoutError(
            `Command ${commandName(entry.command)} to ${this.#label} got no reply in time${
              sent ? "; it may or may not have run" : "; it was not sent"
            }`,
            { outcomeUnknown: sent },
          ),
        );
      } else if (entry.deadline < next) {
        next = entry.deadline;
      }
    });
    if (expired) this.#onExpired();
    return next;
  }
}

/** The error a command gets when its connection ended with `error`. */
function commandError(error: Error, name: string, written: boolean): Error {
  if (error instanceof ProtocolError) return error;
  const outcome = written ? "; it may or may not have run" : "; it was not sent";
  return new ConnectionError(`Command ${name} failed: ${error.message}${outcome}`, {
    cause: error,
    outcomeUnknown: written,
  });
}
