/**
 * cacheResponses(): purges by URL, by key prefix and by tag, made in one process and seen by
 * another with its own cache, connections and near cache; and Redis going away mid-traffic.
 * Both processes serve the origin `http://shop.test`, as behind a load balancer.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import type { Pool } from "../../mod.ts";
import { get, type ResponseSite, responseSite, uniquePrefix } from "./support/response_fixture.ts";

const ORIGIN = "http://shop.test";

/** A page per path; `/products/N` is tagged `product:N` and `products`. */
function shop(request: Request, n: number): Response {
  const { pathname } = new URL(request.url);
  const product = /^\/products\/(\d+)/.exec(pathname)?.[1];
  const headers: Record<string, string> = {};
  if (product !== undefined) headers["surrogate-key"] = `product:${product} products`;
  if (pathname === "/lang") headers["vary"] = "accept-language";
  return new Response(`${pathname} #${n}`, { headers });
}

/** Resolves once every invalidation push Redis sent to `site`'s near cache has arrived. */
async function sync(site: ResponseSite): Promise<void> {
  await (site.cache.client as Pool).send(["PING"]);
}

describe("cacheResponses(): purges reach every process", () => {
  const redis = useRedis();

  /** Two processes of one app: `a` purges, `b` (with a near cache) must notice. */
  function twoProcesses() {
    const keyPrefix = uniquePrefix();
    const a = responseSite(redis.url, shop, { origin: ORIGIN, cacheOptions: { keyPrefix } });
    const b = responseSite(redis.url, shop, {
      origin: ORIGIN,
      cacheOptions: { keyPrefix, nearCache: true, max: 1 },
    });
    return {
      a,
      b,
      /** The body `b` serves for `path`, and whether it came from the cache. */
      async fromB(path: string, init?: RequestInit): Promise<[string, boolean]> {
        const before = b.calls;
        const { body } = await get(`${b.url}${path}`, init);
        return [body, b.calls === before];
      },
      async [Symbol.asyncDispose]() {
        await a[Symbol.asyncDispose]();
        await b[Symbol.asyncDispose]();
      },
    };
  }

  it("purgeUrl() drops the URL's entry (every Vary variant) in the other process", async () => {
    await using app = twoProcesses();
    const { a, b, fromB } = app;
    const fr = { headers: { "accept-language": "fr" } };
    const de = { headers: { "accept-language": "de" } };
    await get(`${a.url}/page`);
    await get(`${a.url}/lang`, fr);
    await get(`${a.url}/lang`, de);
    await get(`${a.url}/other`);
    assert.deepEqual(await fromB("/page"), ["/page #1", true]);
    assert.deepEqual(await fromB("/page"), ["/page #1", true]); // from b's near cache
    assert.deepEqual(await fromB("/lang", fr), ["/lang #2", true]);
    await a.pages.purgeUrl(`${ORIGIN}/page`);
    await a.pages.purgeUrl(new URL(`${ORIGIN}/lang#fragment`));
    await sync(b);
    assert.deepEqual(await fromB("/page"), ["/page #1", false]);
    assert.deepEqual(await fromB("/lang", fr), ["/lang #2", false]);
    assert.deepEqual(await fromB("/lang", de), ["/lang #3", false]);
    assert.deepEqual(await fromB("/other"), ["/other #4", true]);
  });

  it("purgePrefix() drops the entries whose URL starts with the prefix", async () => {
    await using app = twoProcesses();
    const { a, b, fromB } = app;
    for (const path of ["/products/1", "/products/2", "/products-old", "/about"]) {
      await get(`${a.url}${path}`);
      await fromB(path); // into b's near cache
    }
    assert.equal(b.calls, 0);
    assert.equal(await a.pages.purgePrefix(`${ORIGIN}/products/`), 2);
    await sync(b);
    assert.deepEqual(await fromB("/products/1"), ["/products/1 #1", false]);
    assert.deepEqual(await fromB("/products/2"), ["/products/2 #2", false]);
    assert.deepEqual((await fromB("/products-old"))[1], true);
    assert.deepEqual((await fromB("/about"))[1], true);
  });

  it("purgePrefix() escapes glob characters in the prefix", async () => {
    await using app = twoProcesses();
    const { a, fromB } = app;
    await get(`${a.url}/a*b/1`);
    await get(`${a.url}/aXb/1`);
    assert.equal(await a.pages.purgePrefix(`${ORIGIN}/a*b/`), 1);
    assert.equal((await fromB("/aXb/1"))[1], true);
  });

  it("purgeTags() and cache.invalidateTags() drop tagged pages and data together", async () => {
    await using app = twoProcesses();
    const { a, b, fromB } = app;
    await get(`${a.url}/products/1`);
    await get(`${a.url}/products/2`);
    await get(`${a.url}/about`);
    await a.cache.set("product:1:price", 10, { tags: ["product:1"] });
    assert.equal((await fromB("/products/1"))[1], true);
    await b.cache.invalidateTags(["product:1"]); // from b's data layer
    await sync(a);
    assert.equal(await a.cache.get("product:1:price"), undefined);
    assert.equal((await fromB("/products/1"))[1], false);
    assert.equal((await fromB("/products/2"))[1], true);
    await a.pages.purgeTags(["products"]);
    await sync(b);
    assert.equal((await fromB("/products/1"))[1], false);
    assert.equal((await fromB("/products/2"))[1], false);
    assert.equal((await fromB("/about"))[1], true);
  });
});

describe("cacheResponses(): Redis down", () => {
  const redis = useRedis();

  it("passes requests to the handler and reports the errors: never a 500 because of Redis", async () => {
    const errors: string[] = [];
    await using site = responseSite(redis.url, (_, n) => new Response(`live ${n}`), {
      onError: (error, { op }) => errors.push(`${op}: ${error.name}`),
      cacheOptions: {
        offlineQueue: { timeout: 300 },
        connectTimeout: 500,
        retry: { base: 20, max: 100 },
      },
    });
    await get(`${site.url}/p`);
    assert.equal((await get(`${site.url}/p`)).body, "live 1");
    await redis.stop();
    for (const n of [2, 3]) {
      const { response, body } = await get(`${site.url}/p`);
      assert.equal(response.status, 200);
      assert.equal(body, `live ${n}`);
    }
    const posted = await get(`${site.url}/p`, { method: "POST" });
    assert.equal(posted.body, "live 4");
    assert.ok(errors.length >= 1, "no error reported"); // then the breaker opens: not per request
    for (const error of errors) assert.match(error, /^read: (ConnectionError|TimeoutError)/);
  });
});
