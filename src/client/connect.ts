/**
 * `connect()`: a client that is ready, or the first connection attempt's
 * error (the client is closed then).
 *
 * @module
 */

import { firstAttemptOf, RedisClient } from "./client.ts";
import type { ConnectOptions } from "./options.ts";

/**
 * Connects to a server and runs the handshake (`HELLO 3` with AUTH and
 * SETNAME, then SELECT, in one round trip; RESP2 where HELLO is unknown).
 * The client reconnects by itself if the connection drops later.
 *
 * @example Connect with a URL
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://:secret@127.0.0.1:6379/1");
 * await redis.send(["SET", "greeting", "hello"]); // "OK"
 * await redis.send(["GET", "greeting"]); // "hello"
 * await redis.send(["GET", "greeting"], { bytes: true }); // Uint8Array
 * ```
 *
 * @example Connect with options: TLS with a private CA
 * ```ts
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
  const client = new RedisClient(options);
  try {
    await firstAttemptOf(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
