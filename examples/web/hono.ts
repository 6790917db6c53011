/**
 * The web example as a Hono app, on `Deno.serve` or `Bun.serve` (whichever runtime runs it):
 * `deno run -A examples/web/hono.ts` or `bun examples/web/hono.ts` (with `REDIS_URL`).
 * The same routes as `app.ts`, with the Hono adapters: `sessionMiddleware` puts the session in
 * `c.get("session")`, and `responseCache` caches the report route.
 *
 * @module
 */
import { Hono } from "hono";
import { responseCache, type SessionEnv, sessionMiddleware } from "../../hono.ts";
import { createDemoApp } from "./app.ts";
import { demoCache, secret } from "./settings.ts";

const cache = demoCache();
const demo = createDemoApp(cache, secret);
const pages = responseCache({ cache, ttl: "1m", key: (request) => new URL(request.url).href });

const app = new Hono<SessionEnv>();
app.use(sessionMiddleware({ cache, secret, cookie: { secure: false }, ttl: "1h" }));
app.on(["GET", "HEAD"], "/report", pages, (c) => demo.renderReport(c.req.raw));
app.get("/", (c) => demo.home(c.get("session")));
app.post("/login", (c) => demo.login(c.req.raw, c.get("session")));
app.post("/logout", (c) => demo.logout(c.get("session")));
app.post("/purge", (c) => demo.purge(c.req.raw));
app.get("/stats", () => demo.stats());

// The same servers as deno.ts and bun.ts, whichever runtime runs this file.
if ("Deno" in globalThis) (await import("./deno.ts")).serveOnDeno(app.fetch, demo.close);
else (await import("./bun.ts")).serveOnBun(app.fetch, demo.close);
