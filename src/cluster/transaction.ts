/**
 * MULTI/EXEC on a cluster: every key in one slot, run on that slot's primary.
 *
 * @module
 */

import type { ReplyMapper } from "../client/commands/base.ts";
import { Commands } from "../client/commands/commands.ts";
import type { SendOptions } from "../client/send_options.ts";
import type { Transaction } from "../client/transaction.ts";
import { ClusterError } from "../errors.ts";
import type { Pool } from "../pool/pool.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import { firstKey } from "./command_keys.ts";
import { keySlot } from "./key_slot.ts";

/** What a cluster transaction needs of its client (a `ClusterClient`). */
export interface SlotPrimaries {
  /** The primary serving `slot` now (`host:port`), loading the map if needed. */
  primaryOf(slot: number): Promise<string | undefined>;
  /** The pool of the primary at `address`. */
  poolOf(address: string): Pool;
}

/**
 * A MULTI/EXEC transaction on a cluster: every key in one slot.
 *
 * @example
 * ```ts
 * import { connectCluster } from "@redcache/redcache";
 *
 * await using cluster = connectCluster({ urls: ["redis://127.0.0.1:7000"] });
 * const results = await cluster.multi()
 *   .send(["INCR", "{cart:7}:items"])
 *   .send(["EXPIRE", "{cart:7}:items", 3600])
 *   .exec();
 * ```
 */
export class ClusterTransaction extends Commands<"chain"> {
  #cluster: SlotPrimaries;
  #commands: { command: Command; options?: SendOptions; map?: ReplyMapper<unknown> }[] = [];

  /** Made by `cluster.multi()`. */
  constructor(cluster: SlotPrimaries) {
    super();
    this.#cluster = cluster;
  }

  /** Queues a command; returns the transaction for chaining. */
  send(command: Command, options?: SendOptions): this {
    return this.sendMapped(command, undefined, options);
  }

  /**
   * Queues a command whose reply `map` shapes; returns the transaction.
   *
   * @param command The command and its arguments.
   * @param map Shapes the reply in `exec()`'s result.
   * @param options Per-command options (`timeout`, `signal`).
   */
  sendMapped<T = RedisReply>(command: Command, map?: ReplyMapper<T>, options?: SendOptions): this {
    this.#commands.push({ command, options, map });
    return this;
  }

  /**
   * Runs the commands in MULTI/EXEC on the node of their slot; `null` when a
   * WATCHed key changed.
   *
   * @throws {ClusterError} When the keys span several slots (nothing is sent).
   */
  async exec(): Promise<unknown[] | null> {
    const commands = this.#commands;
    this.#commands = [];
    const slots = new Set<number>();
    for (const { command } of commands) {
      const key = firstKey(command);
      if (key !== undefined) slots.add(keySlot(key));
    }
    if (slots.size > 1) {
      throw new ClusterError(
        `A transaction needs every key in one slot, but these keys are in slots ${
          [...slots].slice(0, 5).join(", ")
        }: give them a common {tag}`,
      );
    }
    const [slot] = slots;
    const address = await this.#cluster.primaryOf(slot ?? 0);
    if (address === undefined) {
      throw new ClusterError(`No node serves slot ${slot}`, { slot });
    }
    const transaction: Transaction = this.#cluster.poolOf(address).multi();
    for (const { command, options, map } of commands) transaction.sendMapped(command, map, options);
    return await transaction.exec();
  }
}
