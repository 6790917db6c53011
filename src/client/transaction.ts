/**
 * MULTI/EXEC transactions: the commands and their MULTI and EXEC leave in one
 * write, so nothing from another caller can land in between.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import type { SendOptions } from "./send_options.ts";
import { ReplyError } from "../errors.ts";
import { Pipeline } from "./pipeline.ts";
import type { Dispatcher } from "./target.ts";

/**
 * A MULTI/EXEC transaction. `exec()` resolves with one result per command (a
 * `ReplyError` element where a command failed at run time), or `null` when a
 * WATCHed key changed and the transaction did not run. A command Redis
 * refused to queue makes `exec()` reject with the `EXECABORT` error, whose
 * `cause` is the refusal.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [n, list] = await redis.multi()
 *   .send(["INCR", "counter"])
 *   .send(["LPUSH", "log", "incremented"])
 *   .exec() ?? [];
 * ```
 */
export class Transaction {
  #target: Dispatcher;
  /** MULTI followed by the queued commands; EXEC is added by `exec()`. */
  #pipeline: Pipeline;

  /**
   * Creates a transaction; `client.multi()` is the usual way.
   *
   * @param target The connection the transaction runs on.
   */
  constructor(target: Dispatcher) {
    this.#target = target;
    this.#pipeline = new Pipeline(target).send(["MULTI"]);
  }

  /** Number of commands queued. */
  get length(): number {
    return this.#pipeline.length - 1;
  }

  /**
   * Adds a command; returns the transaction for chaining.
   *
   * @param command The command and its arguments.
   * @param options Per-command options (`timeout`, `signal`).
   */
  send(command: Command, options?: SendOptions): this {
    this.#pipeline.send(command, options);
    return this;
  }

  /** Runs MULTI, the commands and EXEC in one write. */
  async exec(): Promise<(RedisReply | ReplyError)[] | null> {
    const pipeline = this.#pipeline.send(["EXEC"]);
    this.#pipeline = new Pipeline(this.#target).send(["MULTI"]);
    const results = await pipeline.exec();
    if (results[0] instanceof ReplyError) throw results[0];
    const exec = results[results.length - 1];
    if (exec instanceof ReplyError) {
      const refused = results.slice(1, -1).find((r) => r instanceof ReplyError);
      throw refused === undefined ? exec : new ReplyError(exec.message, { cause: refused });
    }
    return exec as (RedisReply | ReplyError)[] | null;
  }
}
