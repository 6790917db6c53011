/**
 * Typed blocking list commands: `BLPOP`, `BRPOP`, `BLMOVE`, `BLMPOP`, …. The server may hold them: the
 * reply is awaited for the block time plus `commandTimeout`, and a pool runs them on a
 * connection of their own.
 *
 * @module
 */

import { blockMs } from "./block.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import {
  type ListSide,
  lmpopArgs,
  type LmpopOptions,
  type PoppedElement,
  type PoppedElements,
  toPoppedElement,
  toPoppedElements,
} from "./list_args.ts";
import { ListCommands } from "./lists.ts";

/**
 * Typed blocking list commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const job = await redis.blpop(["jobs"], 5); // { key, element } or null after 5 s
 * ```
 */
export abstract class BlockingListCommands<M extends CommandMode> extends ListCommands<M> {
  /**
   * `BLPOP`: pops the first element of the first non-empty list of `keys`,
   * waiting up to `timeout` seconds (decimals allowed, `0` forever) for one;
   * `{ key, element }`, or `null` on timeout. The reply is awaited for
   * `timeout` plus `commandTimeout`; a pool runs it on a connection of its own.
   *
   * @throws {TypeError} When `timeout` is negative or not a finite number.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const job = await redis.blpop(["urgent", "normal"], 5);
   * if (job) console.log(`${job.element} from ${job.key}`);
   * ```
   */
  blpop(
    keys: string | readonly string[],
    timeout: number,
  ): CommandResult<M, PoppedElement | null, this> {
    const block = blockMs(timeout, "blpop");
    return this.sendMapped(["BLPOP", ...listKeys(keys), timeout], toPoppedElement, { block });
  }

  /**
   * `BRPOP`: `blpop` from the tail: the last element of the first non-empty
   * list of `keys`, waiting up to `timeout` seconds (`0` forever);
   * `{ key, element }`, or `null` on timeout.
   *
   * @throws {TypeError} When `timeout` is negative or not a finite number.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const newest = await redis.brpop("events", 0.5);
   * ```
   */
  brpop(
    keys: string | readonly string[],
    timeout: number,
  ): CommandResult<M, PoppedElement | null, this> {
    const block = blockMs(timeout, "brpop");
    return this.sendMapped(["BRPOP", ...listKeys(keys), timeout], toPoppedElement, { block });
  }

  /**
   * `BLMOVE`: `lmove` that waits up to `timeout` seconds (`0` forever) for
   * `source` to have an element; the element moved, or `null` on timeout.
   *
   * @throws {TypeError} When `timeout` is negative or not a finite number.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const job = await redis.blmove("jobs", "working", "LEFT", "RIGHT", 5);
   * ```
   */
  blmove(
    source: string,
    destination: string,
    from: ListSide,
    to: ListSide,
    timeout: number,
  ): CommandResult<M, string | null, this> {
    const block = blockMs(timeout, "blmove");
    return this.sendMapped<string | null>(
      ["BLMOVE", source, destination, from, to, timeout],
      undefined,
      { block },
    );
  }

  /**
   * `BLMPOP`: `lmpop` that waits up to `timeout` seconds (`0` forever) for
   * one of `keys` to have elements; `{ key, elements }`, or `null` on timeout.
   * The timeout comes first, as in Redis.
   *
   * @throws {TypeError} When `timeout` is negative or not a finite number.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const batch = await redis.blmpop(5, ["urgent", "normal"], "LEFT", { count: 10 });
   * ```
   */
  blmpop(
    timeout: number,
    keys: readonly string[],
    from: ListSide,
    options?: LmpopOptions,
  ): CommandResult<M, PoppedElements | null, this> {
    const block = blockMs(timeout, "blmpop");
    const args = lmpopArgs(keys, from, options, "blmpop");
    return this.sendMapped(["BLMPOP", timeout, ...args], toPoppedElements, { block });
  }

  /**
   * `BRPOPLPUSH`: `rpoplpush` that waits up to `timeout` seconds (`0`
   * forever); the element moved, or `null` on timeout.
   *
   * @deprecated Redis 6.2 deprecates `BRPOPLPUSH`: use
   * `blmove(source, destination, "RIGHT", "LEFT", timeout)`.
   *
   * @throws {TypeError} When `timeout` is negative or not a finite number.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const job = await redis.brpoplpush("jobs", "working", 5);
   * ```
   */
  brpoplpush(
    source: string,
    destination: string,
    timeout: number,
  ): CommandResult<M, string | null, this> {
    const block = blockMs(timeout, "brpoplpush");
    return this.sendMapped<string | null>(
      ["BRPOPLPUSH", source, destination, timeout],
      undefined,
      { block },
    );
  }
}

/** A key or several, as command arguments. */
function listKeys(keys: string | readonly string[]): readonly string[] {
  return typeof keys === "string" ? [keys] : keys;
}
