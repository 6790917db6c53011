/**
 * Client-side caching support (RESP3 `CLIENT TRACKING`, default mode): what
 * a connection tells the near cache above it. Every connection of a tracking
 * client turns tracking on in its handshake, so the server remembers the
 * keys each connection read and pushes an invalidation on that same
 * connection when one changes. A `Session` names one connection's tracking:
 * a value read on it stays valid only while the session is live, because
 * once the socket is gone the server forgets what it tracked there and
 * sends nothing more about it.
 *
 * @module
 */

import type { RedisReply } from "../resp/types.ts";
import type { PushListener } from "./push.ts";

/** One connection's tracking: valid while `live`; `lostAt` is when it ended (ms). */
export interface Session {
  /** False once the connection has ended: nothing read on it may be trusted from memory. */
  live: boolean;
  /** `Date.now()` when the connection ended; 0 while live. */
  lostAt: number;
}

/**
 * What the near cache gives the clients of its pools: told about
 * invalidations, and about every session that ends.
 */
export interface TrackingHooks {
  /** The server says `keys` changed; `null`: everything (FLUSHDB, a full tracking table). */
  invalidated(keys: readonly string[] | null): void;
  /** A connection that tracked keys ended (lost, closed, retired or replaced). */
  lost(session: Session): void;
  /**
   * The server behind some keys changed while connections stayed open (a
   * failover, a moved slot): nothing read before may be served from memory.
   */
  moved(): void;
}

/**
 * A send option (symbol-keyed, so `checkSendOptions` never sees it): called
 * with the session of the connection the command is written to, at the
 * moment it is queued there. A read that goes through redirects, retries or
 * the offline queue reports the connection that finally carries it.
 */
export const ON_SESSION: unique symbol = Symbol("redcache.onSession");

/** The send option above, as a type to spread into `SendOptions`. */
export interface SessionOption {
  [ON_SESSION]?: (session: Session) => void;
}

/** A new live session. */
export function newSession(): Session {
  return { live: true, lostAt: 0 };
}

const text = /* @__PURE__ */ new TextDecoder();

/** Marks `session` ended (now) and tells the near cache, if any. */
export function endSession(session: Session, hooks: TrackingHooks | undefined): void {
  session.live = false;
  session.lostAt = Date.now();
  hooks?.lost(session);
}

/** The push listener that turns `invalidate` pushes into `hooks.invalidated`. */
export function invalidationListener(hooks: TrackingHooks): PushListener {
  return (message: RedisReply[]) => {
    if (message[0] !== "invalidate") return;
    const keys = message[1];
    if (keys === null || keys === undefined) hooks.invalidated(null);
    else if (Array.isArray(keys)) {
      hooks.invalidated(
        keys.map((key) =>
          typeof key === "string" ? key : key instanceof Uint8Array ? text.decode(key) : String(key)
        ),
      );
    }
  };
}
