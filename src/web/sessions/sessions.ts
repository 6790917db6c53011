/**
 * `sessions()`: signed-cookie sessions stored in Redis, for handlers that
 * take a `Request` and return a `Response` (`Deno.serve`, `Bun.serve`,
 * workers); the Hono middleware is built on it.
 *
 * @module
 */

import { isTransient } from "../../cache/error_policy.ts";
import { cookieValues, setCookieLine } from "./_cookie_header.ts";
import { CookieSigner } from "./_cookie_signer.ts";
import { unavailable, withSessionHeaders } from "./_responses.ts";
import type { Session } from "./session.ts";
import type { SessionsOptions } from "./session_options.ts";
import { resolveSessionsOptions, type SessionsSettings } from "./_resolve_options.ts";
import { SessionState } from "./_session_state.ts";
import { SessionStore } from "./_session_store.ts";

/**
 * A request handler that gets the visitor's session.
 *
 * @example A handler that counts the visitor's requests
 * ```ts
 * import { createCache, type SessionHandler, sessions } from "@redcache/redcache";
 *
 * const visits: SessionHandler = async (_request, session) => {
 *   const count = (await session.get<number>("visits") ?? 0) + 1;
 *   session.set("visits", count);
 *   return new Response(`visit ${count}`);
 * };
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * Deno.serve(sessions({ cache, secret: Deno.env.get("SESSION_SECRET")! }).wrap(visits));
 * ```
 */
export type SessionHandler = (request: Request, session: Session) => Response | Promise<Response>;

/**
 * Sessions of one application: opens a request's session from its cookie,
 * and commits it (saves the changes, sets the cookie) with the response.
 * Made by `sessions()`.
 *
 * @example Open and commit by hand
 * ```ts
 * import { createCache, sessions } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * const auth = sessions({ cache, secret: Deno.env.get("SESSION_SECRET")! });
 * Deno.serve(async (request) => {
 *   const session = await auth.open(request); // checks the cookie; no Redis yet
 *   session.set("seen", true);
 *   return await auth.commit(session, new Response("ok")); // saves, sets the cookie
 * });
 * ```
 */
export class Sessions {
  #settings: SessionsSettings;
  #signer: CookieSigner;
  #store: SessionStore;

  /**
   * Checks the options; `sessions()` is the usual way.
   *
   * @param options The cache, the secret(s), the cookie, the TTL.
   * @throws {TypeError} For an unknown option, a bad value, a secret under
   *   32 characters, or a cache without Redis (`memory://`).
   */
  constructor(options: SessionsOptions) {
    this.#settings = resolveSessionsOptions(options);
    this.#signer = new CookieSigner(this.#settings.secrets);
    this.#store = new SessionStore(this.#settings);
  }

  /**
   * The session of `request`, from its cookie when that is correctly signed
   * (otherwise a new, empty session). Redis is not contacted: the session
   * loads on first read.
   *
   * @param request The incoming request.
   * @returns Its session.
   */
  async open(request: Request): Promise<Session> {
    const header = request.headers.get("cookie");
    const values = header === null ? [] : cookieValues(header, this.#settings.cookie.name);
    let cookieId: string | undefined;
    for (const value of values) {
      cookieId = await this.#signer.verify(value);
      if (cookieId !== undefined) break;
    }
    return new SessionState({
      owner: this,
      store: this.#store,
      coder: this.#settings.access.coder,
      cookieId,
      hadCookie: values.length > 0,
    });
  }

  /**
   * Saves what the handler changed in `session` and adds its cookie to
   * `response`. Unchanged sessions send nothing to Redis (except the TTL
   * extension of `rolling`); a response with a status of 500 or more
   * saves nothing.
   *
   * @param session The session `open()` gave for this request.
   * @param response The handler's response.
   * @returns `response` with `Set-Cookie` (and `Vary: Cookie`) added, or a
   *   `503` with `Retry-After: 1` when Redis could not be reached to load or
   *   save the session.
   * @throws {TypeError} When `session` was not opened by these sessions.
   */
  async commit(session: Session, response: Response): Promise<Response> {
    const state = this.#own(session);
    if (state.failure !== undefined) {
      state.abandon();
      return unavailable(response);
    }
    if (response.status >= 500) {
      state.abandon();
      return response;
    }
    let action;
    try {
      action = await state.save(this.#settings.rolling);
    } catch (error) {
      if (isTransient(error)) return unavailable(response);
      throw error;
    }
    const cookie = this.#settings.cookie;
    const line = action === "set"
      ? setCookieLine(cookie, await this.#signer.sign(state.id))
      : action === "expire"
      ? setCookieLine(cookie, undefined)
      : undefined;
    return withSessionHeaders(response, line, state.accessed);
  }

  /**
   * Wraps a handler: opens the session, runs the handler, commits. When the
   * session meets Redis down (loading or saving), the answer is a `503`
   * with `Retry-After: 1`, even if the handler threw.
   *
   * @param handler Gets the request and its session.
   * @returns A handler for `Deno.serve`, `Bun.serve` or a worker's `fetch`.
   */
  wrap(handler: SessionHandler): (request: Request) => Promise<Response> {
    return async (request) => {
      const session = await this.open(request);
      let response: Response;
      try {
        response = await handler(request, session);
      } catch (error) {
        const state = session as SessionState;
        state.abandon();
        if (state.failure !== undefined) return unavailable();
        throw error;
      }
      return await this.commit(session, response);
    };
  }

  #own(session: Session): SessionState {
    if (!(session instanceof SessionState) || session.owner !== this) {
      throw new TypeError("Cannot commit the session: it was not opened by these sessions");
    }
    return session;
  }
}

/**
 * Redis-backed sessions behind a signed cookie.
 *
 * Each session is a Redis hash under `<cache prefix>:<version>:session:<id>`,
 * one field per key, loaded on first read and saved field by field, so that
 * concurrent requests of one session keep each other's writes. The cookie
 * holds only the random id (192 bits) and its HMAC-SHA-256 signature; a
 * cookie that is tampered with, unsigned, expired or unknown starts a new
 * session. Redis down means a `503`, never an anonymous session.
 *
 * @param options The cache, `secret` (or `secrets` for rotation), `cookie`,
 *   `ttl` (default `"14d"`), `rolling` (default false).
 * @returns The sessions: `wrap(handler)`, or `open(request)` and `commit(session, response)`.
 * @throws {TypeError} For an unknown option, a bad value, a secret under
 *   32 characters, or a `memory://` cache.
 * @example Log in and out with Deno.serve
 * ```ts
 * import { createCache, sessions } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * const auth = sessions({ cache, secret: Deno.env.get("SESSION_SECRET")!, ttl: "14d" });
 *
 * Deno.serve(auth.wrap(async (request, session) => {
 *   const path = new URL(request.url).pathname;
 *   if (path === "/login") {
 *     await session.regenerate();
 *     session.set("user", "ada");
 *   } else if (path === "/logout") {
 *     session.destroy();
 *   }
 *   return new Response(`hello ${await session.get<string>("user") ?? "stranger"}`);
 * }));
 * ```
 */
export function sessions(options: SessionsOptions): Sessions {
  return new Sessions(options);
}
