/**
 * `connect()` and the client it returns.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import { Commands } from "./commands.ts";
import {
  Connection,
  type PushListener,
  type SendOptions,
  type ServerInfo,
  type Settle,
} from "./connection.ts";
import { type ConnectOptions, resolveConnectOptions } from "./options.ts";
import { Pipeline } from "./pipeline.ts";

/**
 * A client on one connection. Commands issued in the same tick leave in one
 * write (automatic pipelining); replies are matched in order. Made by
 * `connect()`.
 *
 * @example Concurrent commands share one write
 * ```ts ignore
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [a, b] = await Promise.all([redis.incr("hits"), redis.get("name")]);
 * ```
 */
export class RedisClient extends Commands {
  #connection: Connection;

  /** Use `connect()` to make one. */
  constructor(connection: Connection) {
    super();
    this.#connection = connection;
  }

  /**
   * Sends a command and resolves with its decoded reply. An error reply
   * rejects with `ReplyError`; a lost connection with `ConnectionError`.
   *
   * @param command The command name and its arguments.
   * @param options `bytes` for `Uint8Array` bulks, `timeout`, `signal`.
   */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    return this.#connection.send(command, options) as Promise<T>;
  }

  /** Queues a command whose outcome goes to `settle` (used by pipelines). */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    this.#connection.dispatch(command, settle, options);
  }

  /** Starts a pipeline: commands queued with `send()`, written together by `exec()`. */
  pipeline(): Pipeline {
    return new Pipeline(this);
  }

  /** Listens to push messages (RESP3); returns a function that stops listening. */
  onPush(listener: PushListener): () => void {
    return this.#connection.onPush(listener);
  }

  /** Protocol, server version and client id, as the handshake reported them. */
  get server(): ServerInfo {
    return this.#connection.server;
  }

  /** True while the connection is open. */
  get connected(): boolean {
    return this.#connection.open;
  }

  /** Commands sent and still waiting for a reply. */
  get pending(): number {
    return this.#connection.pending;
  }

  /** Closes the connection; commands still waiting reject with `ConnectionError`. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  /** Closes the connection (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Connects to a server and runs the handshake (`HELLO 3` with AUTH and
 * SETNAME, then SELECT, in one round trip; RESP2 where HELLO is unknown).
 *
 * @example Connect with a URL
 * ```ts ignore
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://:secret@127.0.0.1:6379/1");
 * await redis.send(["SET", "greeting", "hello"]); // "OK"
 * await redis.send(["GET", "greeting"]); // "hello"
 * await redis.send(["GET", "greeting"], { bytes: true }); // Uint8Array
 * ```
 *
 * @example Connect with options: TLS with a private CA
 * ```ts ignore
 * import { connect } from "@redcache/redcache";
 *
 * const redis = await connect({
 *   url: "rediss://cache.internal:6380",
 *   tls: { caCerts: [await Deno.readTextFile("ca.pem")] },
 *   commandTimeout: 2_000,
 * });
 * await redis.close();
 * ```
 *
 * @param options A URL (`redis://`, `rediss://`, `unix://`) or connection options.
 * @returns A ready client.
 * @throws {TypeError} For an unknown option or a malformed URL.
 * @throws {ConnectionError} When the server cannot be reached.
 * @throws {ReplyError} When the server refuses the credentials.
 */
export async function connect(options: string | ConnectOptions = {}): Promise<RedisClient> {
  const resolved = resolveConnectOptions(options);
  return new RedisClient(await Connection.open(resolved));
}
