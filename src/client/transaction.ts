/**
 * MULTI/EXEC transactions: the commands and their MULTI and EXEC leave in one
 * write, so nothing from another caller can land in between.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import type { SendOptions } from "./send_options.ts";
import { ReplyError } from "../errors.ts";
import type { ReplyMapper } from "./commands/base.ts";
import { Commands } from "./commands/commands.ts";
import { mapReply, Pipeline } from "./pipeline.ts";
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
export class Transaction extends Commands<"chain"> {
  #target: Dispatcher;
  /** MULTI followed by the queued commands; EXEC is added by `exec()`. */
  #pipeline: Pipeline;
  /** The reply shaper of each queued command (`undefined`: raw). */
  #maps: (ReplyMapper<unknown> | undefined)[] = [];

  /**
   * Creates a transaction; `client.multi()` is the usual way.
   *
   * @param target The connection the transaction runs on.
   */
  constructor(target: Dispatcher) {
    super();
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
    return this.sendMapped(command, undefined, options);
  }

  /**
   * Adds a command whose reply `map` shapes; returns the transaction.
   *
   * @param command The command and its arguments.
   * @param map Shapes the reply in `exec()`'s result.
   * @param options Per-command options (`timeout`, `signal`).
   */
  sendMapped<T = RedisReply>(command: Command, map?: ReplyMapper<T>, options?: SendOptions): this {
    this.#pipeline.send(command, options);
    this.#maps.push(map);
    return this;
  }

  /**
   * Runs MULTI, the commands and EXEC in one write; resolves with the
   * commands' replies (shaped, for the typed methods), or `null` when a
   * WATCHed key changed.
   */
  async exec(): Promise<unknown[] | null> {
    const pipeline = this.#pipeline.send(["EXEC"]);
    const maps = this.#maps;
    this.#pipeline = new Pipeline(this.#target).send(["MULTI"]);
    this.#maps = [];
    const results = await pipeline.exec();
    if (results[0] instanceof ReplyError) throw results[0];
    const exec = results[results.length - 1];
    if (exec instanceof ReplyError) {
      const refused = results.slice(1, -1).find((r) => r instanceof ReplyError);
      throw refused === undefined ? exec : new ReplyError(exec.message, { cause: refused });
    }
    if (exec === null) return null;
    const replies = exec as (RedisReply | ReplyError)[];
    for (let i = 0; i < replies.length; i++) {
      const map = maps[i];
      if (map !== undefined && !(replies[i] instanceof ReplyError)) {
        replies[i] = mapReply(map, replies[i] as RedisReply) as RedisReply;
      }
    }
    return replies;
  }
}
