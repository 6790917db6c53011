/**
 * cacheResponses(): what is cached and for how long, and what a hit looks like, through a real
 * HTTP server on loopback and a real Redis.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { createCache } from "../../mod.ts";
import { cacheResponses } from "../../src/web/responses/cache_responses.ts";
import { get, type Respond, responseSite } from "./support/response_fixture.ts";

const text = (body: string, headers: HeadersInit = {}, status = 200): Response =>
  new Response(status === 204 ? null : body, { status, headers });

describe("cacheResponses(): hits and misses", () => {
  const redis = useRedis();

  it("answers the second GET from the cache: the handler runs once, same status, headers and body", async () => {
    await using site = responseSite(
      redis.url,
      (_, n) => text(`page ${n}`, { "content-type": "text/html", "x-extra": "yes" }),
    );
    const first = await get(`${site.url}/page`);
    const second = await get(`${site.url}/page`);
    assert.equal(site.calls, 1);
    assert.equal(first.body, "page 1");
    assert.equal(second.body, "page 1");
    assert.equal(second.response.status, 200);
    assert.equal(second.response.headers.get("content-type"), "text/html");
    assert.equal(second.response.headers.get("x-extra"), "yes");
    assert.equal(second.response.headers.get("age"), "0");
    const other = await get(`${site.url}/page?x=1`);
    assert.equal(other.body, "page 2", "another query string is another entry");
  });

  it("creates a strong ETag when the response has none, and keeps one it has", async () => {
    await using site = responseSite(
      redis.url,
      (request) =>
        new URL(request.url).pathname === "/own" ? text("own", { etag: 'W/"v1"' }) : text("made"),
    );
    const made = await get(`${site.url}/made`);
    const etag = made.response.headers.get("etag");
    assert.match(etag ?? "", /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal((await get(`${site.url}/made`)).response.headers.get("etag"), etag);
    assert.equal((await get(`${site.url}/own`)).response.headers.get("etag"), 'W/"v1"');
    assert.equal((await get(`${site.url}/own`)).response.headers.get("etag"), 'W/"v1"');
  });

  it("caches 203, 204, 301, 404 and 410 as well as 200", async () => {
    const statuses = [203, 204, 301, 404, 410];
    await using site = responseSite(redis.url, (request) => {
      const status = Number(new URL(request.url).pathname.slice(1));
      return text(`status ${status}`, status === 301 ? { location: "/elsewhere" } : {}, status);
    });
    for (const status of statuses) {
      const first = await get(`${site.url}/${status}`, { redirect: "manual" });
      const second = await get(`${site.url}/${status}`, { redirect: "manual" });
      assert.equal(second.response.status, status);
      assert.equal(second.body, first.body);
      assert.equal(second.response.headers.get("age"), "0", `status ${status} was not a hit`);
    }
    assert.equal(site.calls, statuses.length);
  });

  it("adds Age counted from when the origin made the response (its own Age included)", async () => {
    await using site = responseSite(redis.url, () => text("old", { age: "100" }));
    const miss = await get(`${site.url}/aged`);
    assert.equal(miss.response.headers.get("age"), "100");
    const hit = await get(`${site.url}/aged`);
    assert.ok(Number(hit.response.headers.get("age")) >= 100, hit.response.headers.get("age")!);
  });

  it("answers HEAD from the GET entry, without a body", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "head" });
    let calls = 0;
    await using pages = cacheResponses(() => text(`body ${++calls}`, { "x-v": "1" }), { cache });
    const url = "http://example.test/head";
    await (await pages(new Request(url))).text();
    const head = await pages(new Request(url, { method: "HEAD" }));
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    assert.equal(head.headers.get("x-v"), "1");
    assert.equal(head.headers.get("content-length"), "6");
    assert.equal(calls, 1);
    const missHead = await pages(new Request("http://example.test/other", { method: "HEAD" }));
    await missHead.body?.cancel();
    const after = await pages(new Request("http://example.test/other"));
    assert.equal(await after.text(), "body 3", "a HEAD miss is not stored as the GET entry");
  });
});

describe("cacheResponses(): what is never cached", () => {
  const redis = useRedis();

  /** Asserts that two identical requests both reach the handler. */
  async function assertNotCached(respond: Respond, init: RequestInit = {}, path = "/x") {
    await using site = responseSite(redis.url, respond);
    const first = await get(`${site.url}${path}`, init);
    const second = await get(`${site.url}${path}`, init);
    assert.equal(site.calls, 2, `cached: ${JSON.stringify(init)}`);
    return [first, second];
  }

  it("a status outside the list (201, 206, 302, 500)", async () => {
    for (const status of [201, 206, 302, 500]) {
      await assertNotCached(() => text("s", status === 302 ? { location: "/" } : {}, status), {
        redirect: "manual",
      });
    }
  });

  it("a response with Set-Cookie, Cache-Control private, no-store or no-cache, or Vary: *", async () => {
    const headers: HeadersInit[] = [
      { "set-cookie": "a=1" },
      { "cache-control": "private, max-age=60" },
      { "cache-control": "no-store" },
      { "cache-control": "no-cache" },
      { vary: "Accept, *" },
    ];
    for (const header of headers) {
      const [, second] = await assertNotCached(() => text("x", header));
      assert.equal(second.response.headers.get("age"), null);
    }
  });

  it("a request with Authorization or Cookie (default key), and POST", async () => {
    await assertNotCached(() => text("x"), { headers: { authorization: "Bearer t" } });
    await assertNotCached(() => text("x"), { headers: { cookie: "sid=1" } });
    await assertNotCached(() => text("x"), { method: "POST", body: "data" });
  });

  it("max-age=0 without a stale window, and ttl: 0 without Cache-Control", async () => {
    await assertNotCached(() => text("x", { "cache-control": "max-age=0" }));
    await using cache = createCache({ url: redis.url, keyPrefix: "ttl0" });
    let calls = 0;
    await using pages = cacheResponses(() => text(`${++calls}`), { cache, ttl: 0 });
    await (await pages(new Request("http://example.test/"))).text();
    await (await pages(new Request("http://example.test/"))).text();
    assert.equal(calls, 2);
  });

  it("a custom key may cache credentialed requests; undefined from it bypasses the cache", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "custom" });
    let calls = 0;
    await using pages = cacheResponses(() => text(`v${++calls}`), {
      cache,
      key: (request) => {
        const user = request.headers.get("authorization");
        return user === "skip" ? undefined : `${user}|${new URL(request.url).pathname}`;
      },
    });
    const as = (user: string) =>
      pages(new Request("http://example.test/me", { headers: { authorization: user } }));
    assert.equal(await (await as("ada")).text(), "v1");
    assert.equal(await (await as("ada")).text(), "v1");
    assert.equal(await (await as("bob")).text(), "v2");
    assert.equal(await (await as("skip")).text(), "v3");
    assert.equal(await (await as("skip")).text(), "v4");
    assert.equal(await cache.has("response:ada|/me"), true);
  });
});

describe("cacheResponses(): freshness and Vary", () => {
  const redis = useRedis();

  it("keeps an entry for s-maxage, else max-age, else ttl (the key's PTTL)", async () => {
    const controls: Record<string, string> = {
      "/max": "public, max-age=120",
      "/s": "max-age=120, s-maxage=30",
      "/none": "",
    };
    await using site = responseSite(
      redis.url,
      (request) => text("x", { "cache-control": controls[new URL(request.url).pathname] }),
      { ttl: "10m" },
    );
    const expected: Record<string, number> = { "/max": 120_000, "/s": 30_000, "/none": 600_000 };
    for (const [path, ms] of Object.entries(expected)) {
      await get(`${site.url}${path}`);
      const left = await site.cache.ttl(`response:${site.url}${path}`);
      assert.ok(left !== null && left <= ms && left > ms - 5_000, `${path}: ${left}`);
    }
  });

  it("stores one entry per value of the headers the response varies on, each served right", async () => {
    await using site = responseSite(
      redis.url,
      (request, n) =>
        text(`${request.headers.get("accept-language")} ${n}`, { vary: "Accept-Language" }),
    );
    const lang = (value: string) => get(`${site.url}/v`, { headers: { "accept-language": value } });
    assert.equal((await lang("fr")).body, "fr 1");
    assert.equal((await lang("de")).body, "de 2");
    assert.equal((await lang("fr")).body, "fr 1");
    assert.equal((await lang("de")).body, "de 2");
    assert.equal(site.calls, 2);
    const keys = await site.cache.keys("response:*");
    assert.deepEqual(keys.sort(), [
      `response:${site.url}/v`, // the Vary pointer
      `response:${site.url}/v#accept-language=de`,
      `response:${site.url}/v#accept-language=fr`,
    ]);
  });

  it("lets another process find the variants through the Vary pointer", async () => {
    const options = { url: redis.url, keyPrefix: "pointer" };
    await using cacheA = createCache(options);
    await using cacheB = createCache(options);
    const respond = (request: Request) =>
      text(`${request.headers.get("accept-language")}`, { vary: "accept-language" });
    let callsB = 0;
    await using a = cacheResponses(respond, { cache: cacheA });
    await using b = cacheResponses((request) => (callsB++, respond(request)), { cache: cacheB });
    const lang = (value: string) =>
      new Request("http://example.test/p", { headers: { "accept-language": value } });
    await (await a(lang("fr"))).text();
    await (await a(lang("de"))).text();
    assert.equal(await (await b(lang("de"))).text(), "de");
    assert.equal(await (await b(lang("fr"))).text(), "fr");
    assert.equal(callsB, 0);
    assert.equal(await (await b(lang("it"))).text(), "it");
    assert.equal(callsB, 1);
  });

  it("adds the option's vary headers to every key", async () => {
    await using site = responseSite(
      redis.url,
      (request, n) => text(`${request.headers.get("x-tenant")} ${n}`),
      { vary: ["X-Tenant"] },
    );
    const as = (tenant: string) => get(`${site.url}/t`, { headers: { "x-tenant": tenant } });
    assert.equal((await as("a")).body, "a 1");
    assert.equal((await as("b")).body, "b 2");
    assert.equal((await as("a")).body, "a 1");
    assert.equal(site.calls, 2);
  });
});
