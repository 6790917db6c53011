/**
 * Following a cluster's redirections: a command on its way between nodes
 * (`Routed`), where a `MOVED`/`ASK` reply points, `ASKING` then the command
 * on the node importing the slot, and the backoff before a retry.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import { ReplyError } from "../errors.ts";
import type { Pool } from "../pool/pool.ts";
import type { Command, RedisReply } from "../resp/types.ts";

/** Where a routed command's failures go: the cluster client decides what comes next. */
export interface FailureHandler {
  /** `routed` failed on `routed.node`: redirect, retry or give up. */
  failed(routed: Routed, error: Error): void;
}

/** One pending command, as it moves between nodes. */
export class Routed implements Settle {
  attempts = 0;
  node = "";
  constructor(
    readonly cluster: FailureHandler,
    readonly command: Command,
    readonly settle: Settle,
    readonly options: SendOptions | undefined,
    readonly slot: number,
    readonly read: boolean,
  ) {}

  resolve(value: RedisReply): void {
    this.settle.resolve(value);
  }

  reject(error: Error): void {
    this.cluster.failed(this, error);
  }
}

/** `host:port` from a MOVED/ASK reply, with the replying node's host when it is left out. */
export function redirectTarget(error: ReplyError, from: string): [slot: number, address: string] {
  const [, slot, address] = error.message.split(" ");
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon) || from.slice(0, from.lastIndexOf(":"));
  return [Number(slot), `${host}:${address.slice(colon + 1)}`];
}

/** `ASKING` then the command, on one connection of `pool`; the map stays. */
export function sendAsking(pool: Pool, routed: Routed): void {
  pool.use(async (connection) => {
    const [, reply] = await connection.pipeline()
      .send(["ASKING"])
      .send(routed.command, routed.options)
      .exec();
    return reply;
  }).then(
    (reply) =>
      reply instanceof ReplyError ? routed.reject(reply) : routed.resolve(reply as RedisReply),
    (error) => routed.reject(error),
  );
}

/** How long to wait before the `attempts`-th retry (TRYAGAIN, CLUSTERDOWN, a lost node), in ms. */
export function retryDelay(attempts: number): number {
  return Math.min(1_000, 25 * 2 ** attempts);
}
