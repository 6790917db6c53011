/**
 * The options of `sessions()` and the Hono `sessionMiddleware()`, with
 * their defaults (checked by `_resolve_options.ts`).
 *
 * @module
 */

import type { Cache } from "../../cache/cache.ts";

/**
 * Where and how the session cookie is sent.
 *
 * @example A strict cookie that ends with the browser session
 * ```ts
 * import { createCache, sessions } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * const auth = sessions({
 *   cache,
 *   secret: Deno.env.get("SESSION_SECRET")!,
 *   cookie: { name: "app_sid", sameSite: "Strict", maxAge: null },
 * });
 * ```
 */
export interface SessionCookieOptions {
  /**
   * The cookie's name.
   *
   * @default {"sid"}
   */
  name?: string;
  /**
   * Send the cookie over HTTPS only (`Secure`). Turn it off only for plain
   * HTTP during development.
   *
   * @default {true}
   */
  secure?: boolean;
  /**
   * Hide the cookie from scripts (`HttpOnly`).
   *
   * @default {true}
   */
  httpOnly?: boolean;
  /**
   * `SameSite`: `"Strict"`, `"Lax"` or `"None"` (which needs `secure`).
   *
   * @default {"Lax"}
   */
  sameSite?: "Strict" | "Lax" | "None";
  /**
   * `Path` of the cookie.
   *
   * @default {"/"}
   */
  path?: string;
  /**
   * `Domain` of the cookie; without it, the cookie goes to the host that set it only.
   *
   * @default {undefined}
   */
  domain?: string;
  /**
   * How long the browser keeps the cookie: milliseconds or a duration such as
   * `"14d"` (sent as `Max-Age` in seconds); `null` for a cookie that ends with
   * the browser session. Unset, it is the sessions' `ttl`.
   *
   * @default {undefined}
   */
  maxAge?: number | string | null;
}

/**
 * Options of `sessions()` and of the Hono `sessionMiddleware()`.
 *
 * @example Rotating secrets, sliding expiry
 * ```ts
 * import { createCache, sessions, type SessionsOptions } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * const options: SessionsOptions = {
 *   cache,
 *   secrets: [Deno.env.get("SESSION_SECRET")!, Deno.env.get("OLD_SESSION_SECRET")!],
 *   ttl: "7d",
 *   rolling: true,
 * };
 * const auth = sessions(options);
 * ```
 */
export interface SessionsOptions {
  /** The Redis cache that stores sessions (not `memory://`). */
  cache: Cache;
  /**
   * The secret that signs session cookies: at least 32 characters. Give
   * either `secret` or `secrets`.
   */
  secret?: string;
  /**
   * Several secrets, for rotation: cookies are signed with the first and
   * accepted when signed with any. Each at least 32 characters.
   */
  secrets?: readonly string[];
  /**
   * The session cookie's attributes.
   *
   * @default {{ name: "sid", secure: true, httpOnly: true, sameSite: "Lax", path: "/" }}
   */
  cookie?: SessionCookieOptions;
  /**
   * How long a session lives in Redis after it was last saved (or, with
   * `rolling`, last used): milliseconds or a duration such as `"14d"`.
   *
   * @default {"14d"}
   */
  ttl?: number | string;
  /**
   * Extend the session's time to live, and send its cookie again, on every
   * request that carries a session cookie (one `PEXPIRE`, even when the
   * handler does not touch the session).
   *
   * @default {false}
   */
  rolling?: boolean;
  /**
   * The part of the Redis key before the session id: sessions live under
   * `<cache prefix>:<version>:<namespace>:<id>`.
   *
   * @default {"session"}
   */
  namespace?: string;
}
