/**
 * The sessions of `sessions()` as Hono middleware: `c.get("session")`.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import type { Session } from "../sessions/session.ts";
import type { SessionsOptions } from "../sessions/session_options.ts";
import { Sessions } from "../sessions/sessions.ts";

/**
 * The Hono environment the middleware provides: `c.get("session")` is a `Session`.
 *
 * @example Reading the session in a route
 * ```ts
 * import { Hono } from "hono";
 * import { createCache } from "@redcache/redcache";
 * import { type SessionEnv, sessionMiddleware } from "@redcache/redcache/hono";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * const app = new Hono<SessionEnv>();
 * app.use(sessionMiddleware({ cache, secret: Deno.env.get("SESSION_SECRET")! }));
 * app.get("/", async (c) => {
 *   const user = await c.get("session").get<string>("user");
 *   return c.text(`hello ${user ?? "stranger"}`);
 * });
 * ```
 */
export type SessionEnv = { Variables: { session: Session } };

/**
 * Hono middleware that opens the visitor's session as `c.get("session")` and
 * commits it with the response; Redis down while loading or saving it turns
 * the response into a `503` with `Retry-After: 1`.
 *
 * @param options As for `sessions()`.
 * @returns The middleware.
 * @throws {TypeError} For an unknown option, a bad value, a short secret or a `memory://` cache.
 * @example Log in with Hono
 * ```ts
 * import { Hono } from "hono";
 * import { createCache } from "@redcache/redcache";
 * import { type SessionEnv, sessionMiddleware } from "@redcache/redcache/hono";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * const app = new Hono<SessionEnv>();
 * app.use(sessionMiddleware({ cache, secret: Deno.env.get("SESSION_SECRET")! }));
 * app.post("/login", async (c) => {
 *   await c.get("session").regenerate();
 *   c.get("session").set("user", "ada");
 *   return c.text("welcome");
 * });
 * ```
 */
export function sessionMiddleware(options: SessionsOptions): MiddlewareHandler<SessionEnv> {
  const auth = new Sessions(options);
  return async (c, next) => {
    const session = await auth.open(c.req.raw);
    c.set("session", session);
    await next(); // a handler's error is already Hono's error response (status 500) here
    const response = await auth.commit(session, c.res);
    if (response !== c.res) {
      c.res = undefined; // replace, not merge: Hono would copy the old headers over
      c.res = response;
    }
  };
}
