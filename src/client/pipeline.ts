/**
 * Pipelines: several commands written together, their replies collected in
 * order, an error reply kept as an element rather than thrown.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import type { SendOptions, Settle } from "./send_options.ts";
import type { Dispatcher } from "./target.ts";
import { ReplyError } from "../errors.ts";

/** Collects the replies of one `exec()`. */
class Batch {
  results: (RedisReply | ReplyError)[];
  remaining: number;
  fatal: Error | undefined;
  resolve!: (value: (RedisReply | ReplyError)[]) => void;
  reject!: (error: Error) => void;
  promise: Promise<(RedisReply | ReplyError)[]>;

  constructor(size: number) {
    this.results = new Array(size);
    this.remaining = size;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  settle(index: number, value: RedisReply | ReplyError, fatal?: Error): void {
    this.results[index] = value;
    if (fatal !== undefined) this.fatal ??= fatal;
    if (--this.remaining === 0) {
      if (this.fatal !== undefined) this.reject(this.fatal);
      else this.resolve(this.results);
    }
  }
}

/** The `Settle` of one pipelined command. */
class Slot implements Settle {
  constructor(readonly batch: Batch, readonly index: number) {}
  resolve(value: RedisReply): void {
    this.batch.settle(this.index, value);
  }
  reject(error: Error): void {
    if (error instanceof ReplyError) this.batch.settle(this.index, error);
    else this.batch.settle(this.index, null, error);
  }
}

/**
 * A batch of commands sent together. `exec()` resolves with one result per
 * command, in order; a command that got an error reply has a `ReplyError` in
 * its place. A lost connection rejects `exec()` once every command settled.
 *
 * @example
 * ```ts
 * import { connect, ReplyError } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [set, incr, get] = await redis.pipeline()
 *   .send(["SET", "n", "1"])
 *   .send(["INCR", "n"])
 *   .send(["GET", "n"])
 *   .exec(); // ["OK", 2, "2"]; a failed command is a ReplyError element
 * if (incr instanceof ReplyError) console.error(incr.message);
 * ```
 */
export class Pipeline {
  #target: Dispatcher;
  #commands: { command: Command; options?: SendOptions }[] = [];

  /**
   * Creates a pipeline; `client.pipeline()` is the usual way.
   *
   * @param target Where the commands go when `exec()` is called.
   */
  constructor(target: Dispatcher) {
    this.#target = target;
  }

  /** Number of commands queued. */
  get length(): number {
    return this.#commands.length;
  }

  /**
   * Adds a command; returns the pipeline for chaining.
   *
   * @param command The command and its arguments.
   * @param options Per-command options (`bytes`, `timeout`, `signal`).
   */
  send(command: Command, options?: SendOptions): this {
    this.#commands.push({ command, options });
    return this;
  }

  /** Sends every queued command in one write and resolves with their replies in order. */
  exec(): Promise<(RedisReply | ReplyError)[]> {
    const commands = this.#commands;
    this.#commands = [];
    if (commands.length === 0) return Promise.resolve([]);
    const batch = new Batch(commands.length);
    for (let i = 0; i < commands.length; i++) {
      this.#target.dispatch(commands[i].command, new Slot(batch, i), commands[i].options);
    }
    return batch.promise;
  }
}
