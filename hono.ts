/**
 * redcache for Hono: Redis sessions and response caching as middleware. Hono is not a
 * dependency of the main module (`@redcache/redcache`); only this entry point refers to it,
 * for its types. The middleware is a thin layer over `sessions()` and `cacheResponses()`.
 *
 * @example Sessions and a cached route
 * ```ts
 * import { Hono } from "hono";
 * import { createCache } from "@redcache/redcache";
 * import { responseCache, type SessionEnv, sessionMiddleware } from "@redcache/redcache/hono";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379/1", keyPrefix: "web" });
 * const app = new Hono<SessionEnv>();
 * app.use(sessionMiddleware({ cache, secret: Deno.env.get("SESSION_SECRET")! }));
 * app.get("/report", responseCache({ cache, ttl: "5m" }), (c) => c.html("<h1>Report</h1>"));
 * Deno.serve(app.fetch);
 * ```
 *
 * @module
 */

export { type SessionEnv, sessionMiddleware } from "./src/web/hono/sessions.ts";
export { responseCache, type ResponseCacheMiddleware } from "./src/web/hono/responses.ts";
