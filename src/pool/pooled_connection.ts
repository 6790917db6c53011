/**
 * `PooledConnection`, the connection `pool.use()` lends: it sends on one
 * client alone and tracks the commands that change a connection's state
 * (MULTI, WATCH, SELECT, SUBSCRIBE, …), so the pool knows whether it can lend
 * the connection again or must close it.
 *
 * @module
 */

import type { RedisClient } from "../client/client.ts";
import { AsyncCommands } from "../client/commands/commands.ts";
import { Pipeline } from "../client/pipeline.ts";
import type { SendOptions, Settle } from "../client/send_options.ts";
import type { Dispatcher } from "../client/target.ts";
import { Transaction } from "../client/transaction.ts";
import type { Command, RedisReply } from "../resp/types.ts";

/**
 * A connection lent by `pool.use()`. It tracks the commands that change a
 * connection's state so the pool knows whether it can lend it again.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * await using pool = createPool("redis://127.0.0.1:6379");
 * await pool.use(async (conn) => {
 *   await conn.send(["WATCH", "balance"]);
 *   const balance = Number(await conn.get("balance"));
 *   await conn.multi().send(["SET", "balance", balance + 10]).exec(); // null if balance changed
 * });
 * ```
 */
export class PooledConnection extends AsyncCommands implements Dispatcher {
  #client: RedisClient;
  #released = false;
  #inMulti = false;
  #watching = false;
  #dirty = false;

  /** Made by `pool.use()`. */
  constructor(client: RedisClient) {
    super();
    this.#client = client;
  }

  /**
   * Sends a command on this connection alone.
   *
   * @param command The command name and its arguments.
   * @param options `bytes`, `timeout` and `signal` for this command.
   */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.dispatch(command, { resolve: resolve as (value: RedisReply) => void, reject }, options)
    );
  }

  /** Queues a command whose outcome goes to `settle`. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    if (this.#released) {
      settle.reject(new Error("Cannot use a pooled connection after use() returned"));
      return;
    }
    this.#track(command);
    this.#client.dispatch(command, settle, options);
  }

  /** Starts a pipeline on this connection. */
  pipeline(): Pipeline {
    return new Pipeline(this);
  }

  /** Starts a MULTI/EXEC transaction on this connection (after WATCH, if any). */
  multi(): Transaction {
    return new Transaction(this);
  }

  /** True when the pool must close this connection rather than lend it again. */
  get dirty(): boolean {
    return this.#dirty || this.#inMulti;
  }

  /** True after WATCH without EXEC, DISCARD or UNWATCH. */
  get watching(): boolean {
    return this.#watching;
  }

  /** Ends the loan. */
  release(): void {
    this.#released = true;
  }

  #track(command: Command): void {
    const name = typeof command[0] === "string" ? command[0].toUpperCase() : "";
    switch (name) {
      case "MULTI":
        this.#inMulti = true;
        break;
      case "EXEC":
      case "DISCARD":
        this.#inMulti = false;
        this.#watching = false;
        break;
      case "WATCH":
        this.#watching = true;
        break;
      case "UNWATCH":
        this.#watching = false;
        break;
      case "SELECT":
      case "SUBSCRIBE":
      case "PSUBSCRIBE":
      case "SSUBSCRIBE":
      case "MONITOR":
      case "RESET":
      case "HELLO":
      case "AUTH":
      case "QUIT":
        this.#dirty = true;
        break;
      case "CLIENT": {
        const sub = typeof command[1] === "string" ? command[1].toUpperCase() : "";
        if (sub === "REPLY" || sub === "TRACKING" || sub === "SETNAME") this.#dirty = true;
        break;
      }
    }
  }
}
