/**
 * The web example as a Hono app, on `Deno.serve` or `Bun.serve` (whichever runtime runs it):
 * `deno run -A examples/web/hono.ts` or `bun examples/web/hono.ts` (with `REDIS_URL`).
 * The same routes as `app.ts`, with the Hono adapters: `sessionMiddleware` puts the session in
 * `c.get("session")`, and `responseCache` caches the report route.
 *
 * @module
 */
import process from "node:process";
import { Hono } from "hono";
import { createCache } from "../../mod.ts";
import { responseCache, type SessionEnv, sessionMiddleware } from "../../hono.ts";
import { createDemoApp } from "./app.ts";
import { port } from "./settings.ts";

declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { port: number; stop(closeActiveConnections?: boolean): Promise<void> };
};

const cache = createCache({
  url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  keyPrefix: "demo",
});
const secret = process.env.SESSION_SECRET ?? "development secret: change me in production!";
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

const close = async () => {
  await demo.close();
};
if ("Deno" in globalThis) {
  const server = Deno.serve({
    port,
    hostname: "127.0.0.1",
    onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
  }, app.fetch);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      await server.shutdown();
      await close();
      Deno.exit(0);
    });
  }
} else {
  const server = Bun.serve({ port, hostname: "127.0.0.1", fetch: app.fetch });
  console.log(`listening on http://127.0.0.1:${server.port}`);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      await server.stop(true);
      await close();
      process.exit(0);
    });
  }
}
