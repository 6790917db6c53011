/**
 * `sendVia`: the promise-returning `send` of anything that only has the
 * callback-style `dispatch` (the cluster client, its slot targets, the
 * strategies' routers).
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import type { Command } from "../resp/types.ts";

/** Sends `command` through `target.dispatch` and resolves with its reply. */
export function sendVia<T>(
  target: { dispatch(command: Command, settle: Settle, options?: SendOptions): void },
  command: Command,
  options?: SendOptions,
): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    target.dispatch(command, { resolve: resolve as Settle["resolve"], reject }, options)
  );
}
