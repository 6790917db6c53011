/**
 * The Hono session middleware through a real `Hono` app served on loopback: login with
 * regenerate, logout, a handler's error, and Redis down.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { describe, it } from "../support/test.ts";
import { startProxy } from "../support/proxy.ts";
import { useRedis } from "../support/use_redis.ts";
import { createCache } from "../../mod.ts";
import type { CacheOptions } from "../../src/cache/cache_options.ts";
import { type SessionEnv, sessionMiddleware } from "../../src/web/hono/sessions.ts";
import type { Session } from "../../src/web/sessions/session.ts";
import { CookieJar } from "./support/cookie_jar.ts";
import { idOf } from "./support/session_app.ts";
import { SECRET } from "./support/session_fixture.ts";
import { serve } from "./support/serve.ts";

async function call(
  jar: CookieJar,
  url: string,
  method = "GET",
): Promise<{ response: Response; body: string }> {
  const response = await jar.fetch(url, { method, redirect: "manual" });
  return { response, body: await response.text() };
}

/** A Hono app with sessions, served on loopback, over a cache with its own prefix. */
function honoApp(cacheOptions: CacheOptions) {
  const cache = createCache({ keyPrefix: "hono", ...cacheOptions });
  const app = new Hono<SessionEnv>();
  app.onError((_error, c) => c.text("error", 500)); // Hono's default would log every error
  app.use(sessionMiddleware({ cache, secret: SECRET }));
  app.post("/login", async (c) => {
    const session: Session = c.get("session");
    await session.regenerate();
    session.set("user", c.req.query("user") ?? "ada");
    return c.text("welcome");
  });
  app.get("/whoami", async (c) => c.text(`user:${await c.get("session").get("user") ?? "-"}`));
  app.post("/logout", (c) => {
    c.get("session").destroy();
    return c.redirect("/");
  });
  app.post("/fail", async (c) => {
    c.get("session").set("half", "done");
    await c.get("session").get("user");
    throw new Error("The handler failed");
  });
  const server = serve(app.fetch);
  return {
    url: server.url,
    key: (cookie: string | undefined) => `hono:1:session:${idOf(cookie)}`,
    async [Symbol.asyncDispose]() {
      await server.close();
      await cache.close();
    },
  };
}

describe("sessionMiddleware() for Hono", () => {
  const redis = useRedis();

  it("logs in with a new id, reads the session, logs out", async () => {
    await using app = honoApp({ url: redis.url });
    const jar = new CookieJar();
    assert.equal((await call(jar, `${app.url}/whoami`)).body, "user:-");
    assert.equal(jar.get("sid"), undefined);

    const login = await call(jar, `${app.url}/login?user=ada`, "POST");
    assert.equal(login.body, "welcome");
    const cookie = jar.get("sid")!;
    assert.equal(login.response.headers.getSetCookie().length, 1);
    assert.equal(await redis.server.cli("HGET", app.key(cookie), "user"), '"ada"');
    assert.equal((await call(jar, `${app.url}/whoami`)).body, "user:ada");

    await call(jar, `${app.url}/login?user=grace`, "POST");
    const second = jar.get("sid")!;
    assert.notEqual(idOf(second), idOf(cookie), "login did not regenerate the id");
    assert.equal(await redis.server.cli("EXISTS", app.key(cookie)), "0");

    const logout = await call(jar, `${app.url}/logout`, "POST");
    assert.equal(logout.response.status, 302);
    assert.match(logout.response.headers.getSetCookie()[0], /^sid=; .*Max-Age=0/);
    assert.equal(jar.get("sid"), undefined);
    assert.equal(await redis.server.cli("EXISTS", app.key(second)), "0");
    const replay = new CookieJar();
    replay.set("sid", second);
    assert.equal((await call(replay, `${app.url}/whoami`)).body, "user:-");
  });

  it("a handler's error stays Hono's 500 and saves nothing", async () => {
    await using app = honoApp({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login`, "POST");
    const { response } = await call(jar, `${app.url}/fail`, "POST");
    assert.equal(response.status, 500);
    assert.deepEqual(response.headers.getSetCookie(), []);
    assert.equal(await redis.server.cli("HEXISTS", app.key(jar.get("sid")), "half"), "0");
  });

  it("answers 503 with Retry-After: 1 when Redis is down", async () => {
    const proxy = await startProxy({ host: "127.0.0.1", port: redis.server.port });
    try {
      await using app = honoApp({ url: proxy.url, offlineQueue: { timeout: 300 } });
      const jar = new CookieJar();
      await call(jar, `${app.url}/login`, "POST");
      await proxy.close();
      const { response, body } = await call(jar, `${app.url}/whoami`);
      assert.equal(response.status, 503);
      assert.equal(response.headers.get("retry-after"), "1");
      assert.equal(body, "Session store unavailable\n");
      const login = await call(jar, `${app.url}/login`, "POST");
      assert.equal(login.response.status, 503);
      assert.deepEqual(login.response.headers.getSetCookie(), []);
    } finally {
      await proxy.close();
    }
  });
});
