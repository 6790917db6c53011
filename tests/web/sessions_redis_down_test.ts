/**
 * Sessions fail closed: when Redis cannot be reached while a session is loaded or saved, the
 * answer is a 503 with `Retry-After: 1` and nothing is reported as saved; requests that never
 * touch their session go on as if nothing happened. Redis goes away by closing a TCP proxy
 * between the cache and the server.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { startProxy } from "../support/proxy.ts";
import { useRedis } from "../support/use_redis.ts";
import type { CacheOptions } from "../../src/cache/cache_options.ts";
import { CookieJar } from "./support/cookie_jar.ts";
import { type FixtureSessionsOptions, sessionFixture } from "./support/session_fixture.ts";

async function call(jar: CookieJar, url: string): Promise<{ response: Response; body: string }> {
  const response = await jar.fetch(url);
  return { response, body: await response.text() };
}

function assertUnavailable(response: Response, body: string): void {
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "1");
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
  assert.equal(body, "Session store unavailable\n");
  assert.deepEqual(response.headers.getSetCookie(), [], "a cookie was sent");
}

describe("sessions(): Redis down", () => {
  const redis = useRedis();

  /** A session app whose cache reaches Redis through a proxy that the test can close. */
  async function appBehindProxy(options: FixtureSessionsOptions = {}) {
    const proxy = await startProxy({ host: "127.0.0.1", port: redis.server.port });
    const cache: CacheOptions = {
      url: proxy.url,
      offlineQueue: { timeout: 300 },
      connectTimeout: 500,
      retry: { base: 20, max: 100 },
    };
    const app = sessionFixture(cache, options);
    return {
      app,
      proxy,
      async [Symbol.asyncDispose]() {
        await app[Symbol.asyncDispose]();
        await proxy.close();
      },
    };
  }

  it("while saving: 503 with Retry-After: 1, and the handler's writes are not saved", async () => {
    await using setup = await appBehindProxy();
    const { app, proxy } = setup;
    const jar = new CookieJar();
    await call(jar, `${app.url}/login?user=ada`);
    const key = app.key(jar.get("sid"));

    const pending = call(jar, `${app.url}/slow-set?gate=g&color=red`);
    await app.gates.arrived("g"); // the session is loaded
    await proxy.close();
    app.gates.release("g");
    const { response, body } = await pending;
    assertUnavailable(response, body);
    assert.equal(await redis.server.cli("HEXISTS", key, "color"), "0", "the write was saved");
    assert.equal(await redis.server.cli("HGET", key, "user"), '"ada"');
  });

  it("while loading: 503, also when the handler swallowed the error", async () => {
    await using setup = await appBehindProxy();
    const { app, proxy } = setup;
    const jar = new CookieJar();
    await call(jar, `${app.url}/login?user=ada`);
    await proxy.close();
    const thrown = await call(jar, `${app.url}/whoami`);
    assertUnavailable(thrown.response, thrown.body);
    const swallowed = await call(jar, `${app.url}/guest-on-error`);
    assertUnavailable(swallowed.response, swallowed.body);
    const login = await call(jar, `${app.url}/login?user=eve`);
    assertUnavailable(login.response, login.body);
  });

  it("a request that never touches its session still answers (rolling too)", async () => {
    await using plain = await appBehindProxy();
    await using rolling = await appBehindProxy({ rolling: true });
    for (const { app, proxy } of [plain, rolling]) {
      const jar = new CookieJar();
      await call(jar, `${app.url}/login?user=ada`);
      await proxy.close();
      const { response, body } = await call(jar, `${app.url}/plain`);
      assert.equal(response.status, 200);
      assert.equal(body, "plain");
      assert.deepEqual(response.headers.getSetCookie(), []);
    }
  });
});
