/**
 * The target of one slot (its reads or its writes): what the cluster client's
 * `route()` hands to the cache's store, which sends through it as through a
 * pool.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import type { RedisTarget } from "../client/target.ts";
import type { Command } from "../resp/types.ts";
import { isReadCommand } from "./command_keys.ts";
import { sendVia } from "./send_via.ts";

/** What a slot target sends through: the cluster client. */
export interface SlotDispatcher {
  /** Sends a command by its first key. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void;
  /** Sends a command of a known slot. */
  dispatchSlot(
    command: Command,
    settle: Settle,
    options: SendOptions | undefined,
    slot: number,
    read: boolean,
  ): void;
}

/** The commands of one slot (reads or writes), as the cache's store sees them. */
export class SlotTarget implements RedisTarget {
  constructor(readonly cluster: SlotDispatcher, readonly slot: number, readonly read: boolean) {}

  send<T>(command: Command, options?: SendOptions): Promise<T> {
    return sendVia<T>(this, command, options);
  }

  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    if (this.slot === -1) return this.cluster.dispatch(command, settle, options);
    this.cluster.dispatchSlot(
      command,
      settle,
      options,
      this.slot,
      this.read && isReadCommand(command),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
