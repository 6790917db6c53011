/**
 * The Hono response cache middleware through a real `Hono` app served on loopback: miss, hit,
 * purge, a handler's error, and a stale entry refreshed by the request that wins the refresh.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { until } from "../support/wait.ts";
import { createCache } from "../../mod.ts";
import type { ResponseCacheOptions } from "../../src/web/responses/options.ts";
import { responseCache } from "../../src/web/hono/responses.ts";
import { Gate, get, uniquePrefix } from "./support/response_fixture.ts";
import { serve } from "./support/serve.ts";

/** A Hono app whose `/items/*` are cached; `render` makes each item's response. */
function honoApp(
  redisUrl: string,
  render: (id: string, n: number) => Response | Promise<Response>,
  options: Omit<ResponseCacheOptions, "cache"> = {},
) {
  const cache = createCache({ url: redisUrl, keyPrefix: uniquePrefix() });
  const pages = responseCache({ cache, ...options });
  let calls = 0;
  const app = new Hono();
  app.onError((_error, c) => c.text("failed", 500)); // Hono's default would log the error
  app.use("*", async (c, next) => {
    await next();
    c.header("x-outer", "1"); // an outer middleware's header, on hits too
  });
  app.use("/items/*", pages);
  app.get("/items/:id", (c) => render(c.req.param("id"), ++calls));
  app.get("/plain", (c) => c.text(`plain ${++calls}`));
  const server = serve(app.fetch);
  return {
    url: server.url,
    pages,
    get calls() {
      return calls;
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      await pages.close();
      await cache.close();
    },
  };
}

describe("responseCache(): Hono middleware", () => {
  const redis = useRedis();

  it("renders on a miss, answers a hit from the cache, and strips Surrogate-Key", async () => {
    await using app = honoApp(redis.url, (id, n) =>
      new Response(`item ${id} #${n}`, {
        headers: { "content-type": "text/plain", "surrogate-key": `item:${id}` },
      }));
    const miss = await get(`${app.url}/items/1`);
    const hit = await get(`${app.url}/items/1`);
    assert.equal(miss.body, "item 1 #1");
    assert.equal(hit.body, "item 1 #1");
    assert.equal(app.calls, 1);
    assert.equal(hit.response.headers.get("age"), "0");
    assert.equal(hit.response.headers.get("content-type"), "text/plain");
    assert.equal(hit.response.headers.get("x-outer"), "1");
    assert.equal(miss.response.headers.get("surrogate-key"), null);
    assert.equal(hit.response.headers.get("surrogate-key"), null);
    assert.match(hit.response.headers.get("etag") ?? "", /^"/);
    assert.equal((await get(`${app.url}/plain`)).body, "plain 2", "not behind the middleware");
    assert.equal((await get(`${app.url}/plain`)).body, "plain 3");
  });

  it("renders again after purgeUrl() and purgeTags()", async () => {
    await using app = honoApp(
      redis.url,
      (id, n) => new Response(`item ${id} #${n}`, { headers: { "surrogate-key": `item:${id}` } }),
    );
    await get(`${app.url}/items/1`);
    await get(`${app.url}/items/2`);
    await app.pages.purgeUrl(`${app.url}/items/1`);
    assert.equal((await get(`${app.url}/items/1`)).body, "item 1 #3");
    assert.equal((await get(`${app.url}/items/2`)).body, "item 2 #2");
    await app.pages.purgeTags(["item:2"]);
    assert.equal((await get(`${app.url}/items/2`)).body, "item 2 #4");
    assert.equal((await get(`${app.url}/items/1`)).body, "item 1 #3");
  });

  it("does not cache Hono's error response for a handler that throws", async () => {
    await using app = honoApp(redis.url, (id, n) => {
      if (n === 1) throw new Error("render failed");
      return new Response(`item ${id} #${n}`);
    });
    assert.equal((await get(`${app.url}/items/1`)).response.status, 500);
    assert.equal((await get(`${app.url}/items/1`)).body, "item 1 #2");
    assert.equal((await get(`${app.url}/items/1`)).body, "item 1 #2");
  });

  it("refreshes a stale entry in the request that wins the refresh; others get the stale one", async () => {
    await using app = honoApp(redis.url, async (id, n) => {
      if (n > 1) await gate.wait();
      return new Response(`item ${id} #${n}`, { headers: { "cache-control": "max-age=0" } });
    }, { staleWhileRevalidate: "1m" });
    using gate = new Gate();
    assert.equal((await get(`${app.url}/items/1`)).body, "item 1 #1");
    const refreshing = get(`${app.url}/items/1`);
    await until(() => app.calls >= 2);
    const stale = await get(`${app.url}/items/1`);
    assert.equal(stale.body, "item 1 #1");
    assert.equal(stale.response.headers.get("age"), "0");
    gate.open();
    assert.equal((await refreshing).body, "item 1 #2");
    assert.equal(app.calls, 2);
  });
});
