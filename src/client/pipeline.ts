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
import type { ReplyMapper } from "./commands/base.ts";
import { Commands } from "./commands/commands.ts";
import { withScriptFallback } from "./scripts/script_fallback.ts";

/** A queued command: what to send, and how to shape its reply. */
export interface Queued {
  command: Command;
  options?: SendOptions;
  map?: ReplyMapper<unknown>;
}

/** Collects the replies of one `exec()`. */
class Batch {
  results: unknown[];
  remaining: number;
  fatal: Error | undefined;
  resolve!: (value: unknown[]) => void;
  reject!: (error: Error) => void;
  promise: Promise<unknown[]>;

  constructor(size: number) {
    this.results = new Array(size);
    this.remaining = size;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  settle(index: number, value: unknown, fatal?: Error): void {
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
  constructor(
    readonly batch: Batch,
    readonly index: number,
    readonly map: ReplyMapper<unknown> | undefined,
  ) {}
  resolve(value: RedisReply): void {
    this.batch.settle(this.index, this.map === undefined ? value : mapReply(this.map, value));
  }
  reject(error: Error): void {
    if (error instanceof ReplyError) this.batch.settle(this.index, error);
    else this.batch.settle(this.index, null, error);
  }
}

/** `map(value)`, or the error it threw as the element (a reply of a shape it did not expect). */
export function mapReply(map: ReplyMapper<unknown>, value: RedisReply): unknown {
  try {
    return map(value);
  } catch (error) {
    return error;
  }
}

/**
 * A batch of commands sent together. `exec()` resolves with one result per
 * command, in order; a command that got an error reply has a `ReplyError` in
 * its place. A lost connection rejects `exec()` once every command settled.
 * The typed methods (`.get()`, `.hgetall()`, …) queue their command and shape
 * its reply as the client's method would.
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
 * const [user, views] = await redis.pipeline().hgetall("user:1").incr("views").exec();
 * ```
 */
export class Pipeline extends Commands<"chain"> {
  #target: Dispatcher;
  #commands: Queued[] = [];

  /**
   * Creates a pipeline; `client.pipeline()` is the usual way.
   *
   * @param target Where the commands go when `exec()` is called.
   */
  constructor(target: Dispatcher) {
    super();
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

  /**
   * Adds a command whose reply `map` shapes; returns the pipeline.
   *
   * @param command The command and its arguments.
   * @param map Shapes the reply in `exec()`'s result.
   * @param options Per-command options (`bytes`, `timeout`, `signal`).
   */
  sendMapped<T = RedisReply>(command: Command, map?: ReplyMapper<T>, options?: SendOptions): this {
    this.#commands.push({ command, options, map });
    return this;
  }

  /**
   * Sends every queued command in one write and resolves with their replies
   * in order (shaped, for the typed methods).
   */
  exec(): Promise<unknown[]> {
    const commands = this.#commands;
    this.#commands = [];
    if (commands.length === 0) return Promise.resolve([]);
    const batch = new Batch(commands.length);
    for (let i = 0; i < commands.length; i++) {
      const { command, options, map } = commands[i];
      const slot = new Slot(batch, i, map);
      const settle = options === undefined
        ? slot
        : withScriptFallback(this.#target, command, slot, options);
      this.#target.dispatch(command, settle, options);
    }
    return batch.promise;
  }
}
