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

const decoder = new TextDecoder();

/**
 * `reply` as the connection would have decoded it without `bytes` (EXEC was read with
 * `bytes: true` for another command's sake); with `auto`, bulks starting with NUL stay bytes.
 */
function asText<T>(reply: T, auto: boolean): T {
  if (reply instanceof Uint8Array) {
    return (auto && reply[0] === 0 ? reply : decoder.decode(reply)) as T;
  }
  if (Array.isArray(reply)) return reply.map((r) => asText(r, auto)) as T;
  if (reply instanceof Map) {
    return new Map([...reply].map(([k, v]) => [asText(k, auto), asText(v, auto)])) as T;
  }
  if (reply instanceof Set) return new Set([...reply].map((r) => asText(r, auto))) as T;
  return reply;
}

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
  /** The `bytes` option of each queued command: it applies to its element of EXEC's reply. */
  #bytes: SendOptions["bytes"][] = [];

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
    this.#bytes.push(options?.bytes);
    return this;
  }

  /**
   * Runs MULTI, the commands and EXEC in one write; resolves with the
   * commands' replies (shaped, for the typed methods), or `null` when a
   * WATCHed key changed.
   */
  async exec(): Promise<unknown[] | null> {
    const bytes = this.#bytes;
    const binary = bytes.some((mode) => mode === true || mode === "auto");
    const pipeline = this.#pipeline.send(["EXEC"], binary ? { bytes: true } : undefined);
    const maps = this.#maps;
    this.#pipeline = new Pipeline(this.#target).send(["MULTI"]);
    this.#maps = [];
    this.#bytes = [];
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
      if (binary && bytes[i] !== true) replies[i] = asText(replies[i], bytes[i] === "auto");
      const map = maps[i];
      if (map !== undefined && !(replies[i] instanceof ReplyError)) {
        replies[i] = mapReply(map, replies[i] as RedisReply) as RedisReply;
      }
    }
    return replies;
  }
}
