/**
 * The handshake a new connection runs before any command: `HELLO` with AUTH
 * and SETNAME, then `SELECT`, in one round trip; the RESP2 commands (AUTH,
 * CLIENT SETNAME, SELECT) where the server does not know `HELLO`.
 *
 * @module
 */

import type { Command, RedisReply } from "../resp/types.ts";
import { ReplyError } from "../errors.ts";

/**
 * What the server said about itself in the handshake.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * console.log(redis.server); // { protocol: 3, version: "7.0.15", id: 42 }
 * ```
 */
export interface ServerInfo {
  /** RESP version in use: 3, or 2 after a fallback. */
  protocol: 2 | 3;
  /** Server version, e.g. `7.0.15` (empty when the server did not say). */
  version: string;
  /** Client id the server gave this connection (0 when unknown). */
  id: number;
}

/** What the handshake needs from the connection options. */
export interface HandshakeOptions {
  username?: string;
  password?: string;
  name?: string;
  db: number;
  protocol: 2 | 3;
}

/**
 * Runs the handshake over `send` and returns what the server said about
 * itself. Rejects with the server's `ReplyError` when it refuses (a refused
 * `SELECT` names the `db` option).
 */
export async function handshake(
  options: HandshakeOptions,
  send: (command: Command) => Promise<RedisReply>,
): Promise<ServerInfo> {
  const { username, password, name, db, protocol } = options;
  const hello: (string | number)[] = ["HELLO", protocol];
  if (password !== undefined) hello.push("AUTH", username ?? "default", password);
  if (name !== undefined) hello.push("SETNAME", name);
  const replies = [send(hello)];
  if (db !== 0) replies.push(select(db, send));
  const [helloResult, selectResult] = await Promise.allSettled(replies);
  if (helloResult.status === "rejected") {
    const error = helloResult.reason;
    if (!(error instanceof ReplyError) || !isUnknownCommand(error)) throw error;
    // A server older than Redis 6: RESP2, with AUTH and CLIENT SETNAME.
    const legacy: Promise<RedisReply>[] = [];
    if (password !== undefined) {
      legacy.push(send(username ? ["AUTH", username, password] : ["AUTH", password]));
    }
    if (name !== undefined) legacy.push(send(["CLIENT", "SETNAME", name]));
    if (db !== 0) legacy.push(select(db, send));
    await Promise.all(legacy);
    return { protocol: 2, version: "", id: 0 };
  }
  if (selectResult?.status === "rejected") throw selectResult.reason;
  return serverInfo(helloResult.value, protocol);
}

/**
 * `SELECT db`. A refusal (`ERR DB index is out of range`, `NOPERM`) stays a
 * `ReplyError` with the server's code and text, and names the `db` option.
 */
async function select(
  db: number,
  send: (command: Command) => Promise<RedisReply>,
): Promise<RedisReply> {
  try {
    return await send(["SELECT", db]);
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error;
    const named = new ReplyError(
      `${error.message} (the server refused SELECT for the "db" option ${db})`,
      { cause: error },
    );
    named.command = error.command;
    throw named;
  }
}

/** What `prepare` needs: the handshake's options, setup commands, tracking. */
export interface PrepareOptions extends HandshakeOptions {
  setupCommands: readonly Command[];
  tracking: unknown;
}

/**
 * Readies a new connection: the handshake, then the setup commands (a
 * cluster replica's `READONLY`, the near cache's `CLIENT TRACKING ON`).
 * A near cache needs RESP3, whose pushes carry the invalidations: a server
 * that only speaks RESP2 is refused with a `ReplyError` that says so.
 */
export async function prepare(
  options: PrepareOptions,
  label: string,
  send: (command: Command) => Promise<RedisReply>,
): Promise<ServerInfo> {
  const server = await handshake(options, send);
  if (options.tracking !== undefined && server.protocol === 2) {
    throw new ReplyError(
      `ERR the near cache needs RESP3 client tracking (Redis 6 or later), but ${label} only speaks RESP2`,
    );
  }
  if (options.setupCommands.length > 0) await Promise.all(options.setupCommands.map(send));
  return server;
}

function isUnknownCommand(error: ReplyError): boolean {
  return /unknown command|NOPROTO/i.test(error.message);
}

/** Reads `HELLO`'s reply (a map on RESP3, a flat array on RESP2). */
function serverInfo(reply: RedisReply, protocol: 2 | 3): ServerInfo {
  let fields: Map<RedisReply, RedisReply>;
  if (reply instanceof Map) fields = reply;
  else if (Array.isArray(reply)) {
    fields = new Map();
    for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i], reply[i + 1]);
  } else return { protocol, version: "", id: 0 };
  const proto = fields.get("proto");
  const version = fields.get("version");
  const id = fields.get("id");
  return {
    protocol: proto === 2 ? 2 : proto === 3 ? 3 : protocol,
    version: typeof version === "string" ? version : "",
    id: typeof id === "number" ? id : 0,
  };
}
