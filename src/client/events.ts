/**
 * The events of clients, pools, routers and the cluster client: their maps
 * (event name → `CustomEvent` type) and details. The mechanism (a private
 * `EventTarget` per object, made on the first listener) is `../util/events.ts`.
 *
 * @module
 */

import type { Connector, ConnectTarget, Transport } from "../net/transport.ts";
import { emit, forwardEvents } from "../util/events.ts";

/**
 * The detail of `connect` (a socket opened, the handshake is next) and
 * `ready` (the handshake is done: commands flow).
 *
 * @example
 * ```ts
 * import { RedisClient } from "@redcache/redcache";
 *
 * const redis = new RedisClient("redis://127.0.0.1:6379");
 * redis.addEventListener("ready", (event) => console.log(`ready: ${event.detail.address}`));
 * await redis.close();
 * ```
 */
export interface ServerDetail {
  /** The server: `host:port`, or the Unix socket's path (never credentials). */
  address: string;
}

/**
 * The detail of `reconnecting`: the connection was lost, or an attempt
 * failed, and the next attempt starts after `delay` (the `retry` option).
 * A connection replaced on purpose (`reconnect()`, or retired after a
 * timeout) is replaced at once, without `reconnecting`: `connect` and
 * `ready` follow.
 *
 * @example
 * ```ts
 * import { RedisClient } from "@redcache/redcache";
 *
 * const redis = new RedisClient("redis://127.0.0.1:6379");
 * redis.addEventListener("reconnecting", (event) => {
 *   const { address, attempt, delay, error } = event.detail;
 *   console.warn(`${address}: attempt ${attempt} in ${delay} ms (${error.message})`);
 * });
 * await redis.close();
 * ```
 */
export interface ReconnectingDetail extends ServerDetail {
  /** 1 for the first attempt after the loss, then 2, 3… until one succeeds. */
  attempt: number;
  /** Milliseconds until that attempt. */
  delay: number;
  /** What caused it: the lost connection's error, or the failed attempt's. */
  error: Error;
}

/**
 * The detail of `error`: a connection-level failure (a lost connection, a
 * failed or refused connection attempt), never a command's `ReplyError`.
 * Messages name the server, never a password.
 *
 * @example
 * ```ts
 * import { RedisClient } from "@redcache/redcache";
 *
 * const redis = new RedisClient("redis://127.0.0.1:6379");
 * redis.addEventListener("error", (event) => console.error(event.detail.error.message));
 * await redis.close();
 * ```
 */
export interface ErrorDetail extends ServerDetail {
  /** A `ConnectionError`, a `TimeoutError`, or the server's `ReplyError` to the handshake. */
  error: Error;
}

/**
 * The detail of `end`: the object is closed, once and for good: by
 * `close()`, or (a client) because `retry` gave up.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * const pool = createPool("redis://127.0.0.1:6379");
 * pool.addEventListener("end", () => console.log("pool closed"), { once: true });
 * await pool.close();
 * ```
 */
export interface EndDetail {
  /** The server of a client or a pool; `undefined` for routers and the cluster client. */
  address: string | undefined;
  /** Why a client gave up (`retry` returned `false`); `undefined` after `close()`. */
  error: Error | undefined;
}

/**
 * The detail of `failover`: the failover strategy moved to another server
 * (after a failure), or back to the first one (`failbackAfter`).
 *
 * @example
 * ```ts
 * import { createCache, type Router } from "@redcache/redcache";
 *
 * await using cache = createCache({
 *   strategy: "failover",
 *   urls: ["redis://127.0.0.1:6379", "redis://127.0.0.1:6380"],
 * });
 * (cache.client as Router).addEventListener("failover", (event) => {
 *   console.warn(`now on ${event.detail.to} (was ${event.detail.from})`);
 * });
 * ```
 */
export interface FailoverDetail {
  /** The server left. */
  from: string;
  /** The server now in use. */
  to: string;
  /** The failure that caused the move; `undefined` on failing back. */
  error: Error | undefined;
}

/**
 * The detail of `switch-master`: a sentinel announced a new primary (its
 * `+switch-master` message); the pool moves its connections there.
 *
 * @example
 * ```ts
 * import { createCache, type Pool } from "@redcache/redcache";
 *
 * await using cache = createCache({
 *   strategy: "sentinel",
 *   sentinels: ["127.0.0.1:26379"],
 *   masterName: "mymaster",
 * });
 * (cache.client as Pool).addEventListener("switch-master", (event) => {
 *   console.warn(`${event.detail.masterName}: ${event.detail.from} -> ${event.detail.to}`);
 * });
 * ```
 */
export interface SwitchMasterDetail {
  /** The name the sentinels monitor the primary under. */
  masterName: string;
  /** The old primary, `host:port`. */
  from: string;
  /** The new primary, `host:port`. */
  to: string;
}

/**
 * The detail of `moved`: a `MOVED` reply told the cluster client that a slot
 * lives on another node; its slot map now says so (and reloads in the background).
 *
 * @example
 * ```ts
 * import { connectCluster } from "@redcache/redcache";
 *
 * await using cluster = connectCluster({ urls: ["redis://127.0.0.1:7000"] });
 * cluster.addEventListener("moved", (event) => {
 *   const { slot, from, to } = event.detail;
 *   console.log(`slot ${slot}: ${from} -> ${to}`);
 * });
 * ```
 */
export interface MovedDetail {
  /** The slot, 0 to 16383. */
  slot: number;
  /** The node the map named before, `host:port` (`undefined` if none served it). */
  from: string | undefined;
  /** The node serving it now, `host:port`. */
  to: string;
}

/**
 * The events of a `RedisClient`, by name: each is a `CustomEvent` whose
 * `detail` is typed.
 *
 * @example
 * ```ts
 * import { type ClientEventMap, RedisClient } from "@redcache/redcache";
 *
 * const seen: (keyof ClientEventMap)[] = [];
 * const redis = new RedisClient("redis://127.0.0.1:6379");
 * for (const type of ["connect", "ready", "reconnecting", "error", "end"] as const) {
 *   redis.addEventListener(type, () => seen.push(type));
 * }
 * await redis.close();
 * ```
 */
export interface ClientEventMap {
  /** A socket opened; the handshake comes next. */
  connect: CustomEvent<ServerDetail>;
  /** The handshake is done: commands flow (again). */
  ready: CustomEvent<ServerDetail>;
  /** The connection is down; the next attempt starts after `detail.delay` ms. */
  reconnecting: CustomEvent<ReconnectingDetail>;
  /** A connection-level error (not a command's `ReplyError`). */
  error: CustomEvent<ErrorDetail>;
  /** Closed for good (once). */
  end: CustomEvent<EndDetail>;
}

/**
 * The events of a `Pool`, a `ClusterClient` and a strategy's `Router`: their
 * connections' `connect`, `ready`, `reconnecting` and `error` (the detail's
 * `address` names the server), their own `end`, and the strategies' events.
 * Which object emits which is in the README's "Events".
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * await using pool = createPool("redis://127.0.0.1:6379");
 * pool.addEventListener("error", (event) => {
 *   console.error(`${event.detail.address}: ${event.detail.error.message}`);
 * });
 * ```
 */
export interface RedisEventMap extends ClientEventMap {
  /** The failover strategy moved to another server. */
  failover: CustomEvent<FailoverDetail>;
  /** A sentinel announced a new primary (on the sentinel strategy's primary pool). */
  "switch-master": CustomEvent<SwitchMasterDetail>;
  /** A `MOVED` reply updated the cluster client's slot map. */
  moved: CustomEvent<MovedDetail>;
}

/**
 * Internal: a client's connector that emits `connect` on `owner` once the
 * socket is open (before the handshake), unless the client was closed
 * meanwhile (no `connect` after `end`); its events forwarded to `parent`.
 */
export function clientEvents(
  owner: object,
  connector: Connector,
  address: string,
  parent: object | undefined,
  closed: () => boolean,
): Connector {
  if (parent !== undefined) forwardEvents(owner, parent);
  return async (target: ConnectTarget, handlers): Promise<Transport> => {
    const transport = await connector(target, handlers);
    if (!closed()) emit(owner, "connect", { address } satisfies ServerDetail);
    return transport;
  };
}
