/**
 * cacheResponses(): concurrent misses render once (in one process, and across two processes
 * sharing one Redis), and stale-while-revalidate serves the stale response while exactly one
 * refresh runs. Renders wait on gates that the tests open: no timing luck.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { until } from "../support/wait.ts";
import { Gate, get, responseSite, uniquePrefix } from "./support/response_fixture.ts";

/** A custom key without the origin, so that two servers (two ports) share entries. */
const byPath = (request: Request): string => new URL(request.url).pathname;

describe("cacheResponses(): one render per key", () => {
  const redis = useRedis();

  it("runs the handler once for 100 concurrent requests of one URL", async () => {
    await using site = responseSite(redis.url, async (_, n) => {
      await gate.wait();
      return new Response(`render ${n}`);
    });
    using gate = new Gate();
    const requests = Array.from({ length: 100 }, () => get(`${site.url}/hot`));
    await until(() => site.calls >= 1);
    gate.open();
    const results = await Promise.all(requests);
    assert.equal(site.calls, 1);
    for (const { response, body } of results) {
      assert.equal(response.status, 200);
      assert.equal(body, "render 1");
    }
  });

  it("runs the handler once across two processes (two caches, one Redis)", async () => {
    const keyPrefix = uniquePrefix();
    const render = async (_: Request, n: number) => {
      await gate.wait();
      return new Response(`render ${n}`);
    };
    await using a = responseSite(redis.url, render, { key: byPath, cacheOptions: { keyPrefix } });
    await using b = responseSite(redis.url, render, { key: byPath, cacheOptions: { keyPrefix } });
    using gate = new Gate();
    const requests = Array.from(
      { length: 100 },
      (_, i) => get(`${i % 2 === 0 ? a.url : b.url}/shared`),
    );
    await until(() => a.calls + b.calls >= 1);
    gate.open();
    const results = await Promise.all(requests);
    assert.equal(a.calls + b.calls, 1);
    for (const { body } of results) assert.equal(body, "render 1");
  });

  it("renders anyway when waiting for another process's render times out", async () => {
    const keyPrefix = uniquePrefix();
    await using a = responseSite(redis.url, async () => {
      await gate.wait();
      return new Response("from a");
    }, { key: byPath, cacheOptions: { keyPrefix } });
    await using b = responseSite(redis.url, () => new Response("from b"), {
      key: byPath,
      cacheOptions: { keyPrefix },
      lock: { wait: 50 },
    });
    using gate = new Gate();
    const slow = get(`${a.url}/slow`);
    await until(() => a.calls >= 1);
    assert.equal((await get(`${b.url}/slow`)).body, "from b");
    gate.open();
    assert.equal((await slow).body, "from a");
  });

  it("renders each Vary variant once when the first requests of both arrive together", async () => {
    await using site = responseSite(redis.url, async (request) => {
      await gate.wait();
      const lang = request.headers.get("accept-language");
      return new Response(`in ${lang}`, { headers: { vary: "Accept-Language" } });
    });
    using gate = new Gate();
    const requests = Array.from({ length: 20 }, (_, i) => {
      const lang = i % 2 === 0 ? "fr" : "de";
      return get(`${site.url}/v`, { headers: { "accept-language": lang } }).then(({ body }) =>
        assert.equal(body, `in ${lang}`)
      );
    });
    await until(() => site.calls >= 1);
    gate.open();
    await Promise.all(requests);
    assert.equal(site.calls, 2);
  });
});

describe("cacheResponses(): stale-while-revalidate", () => {
  const redis = useRedis();

  it("serves the stale response at once, refreshes once in the background, then serves the fresh one", async () => {
    await using site = responseSite(redis.url, async (_, n) => {
      if (n === 1) {
        return new Response("v1", {
          headers: { "cache-control": "max-age=0, stale-while-revalidate=60" },
        });
      }
      await gate.wait();
      return new Response(`v${n}`, { headers: { "cache-control": "max-age=60" } });
    });
    using gate = new Gate();
    const url = `${site.url}/swr`;
    assert.equal((await get(url)).body, "v1");
    const stale = await get(url); // answered while the refresh waits at the gate
    assert.equal(stale.body, "v1");
    assert.equal(stale.response.headers.get("age"), "0");
    await until(() => site.calls >= 2);
    assert.equal((await get(url)).body, "v1");
    assert.equal(site.calls, 2, "a second refresh started");
    gate.open();
    await until(async () => (await get(url)).body === "v2");
    assert.equal(site.calls, 2);
  });

  it("takes the stale window from the staleWhileRevalidate option; close() awaits the refresh", async () => {
    await using site = responseSite(
      redis.url,
      (_, n) => new Response(`v${n}`, { headers: { "cache-control": "max-age=0" } }),
      { staleWhileRevalidate: "1m" },
    );
    const url = `${site.url}/opt`;
    assert.equal((await get(url)).body, "v1");
    assert.equal((await get(url)).body, "v1");
    await site.pages.close();
    assert.equal(site.calls, 2);
    assert.equal((await get(url)).body, "v2");
    assert.equal(site.calls, 2, "no refresh starts after close()");
  });

  it("refreshes once across processes: a process that finds the lock taken does not", async () => {
    const keyPrefix = uniquePrefix();
    const options = { key: byPath, cacheOptions: { keyPrefix }, staleWhileRevalidate: "1m" };
    await using a = responseSite(redis.url, async (_, n) => {
      if (n > 1) await gate.wait();
      return new Response(`a${n}`, { headers: { "cache-control": "max-age=0" } });
    }, options);
    await using b = responseSite(redis.url, (_, n) => new Response(`b${n}`), options);
    using gate = new Gate();
    await get(`${a.url}/p`);
    assert.equal((await get(`${a.url}/p`)).body, "a1"); // starts a's refresh, which waits
    await until(() => a.calls >= 2);
    assert.equal((await get(`${b.url}/p`)).body, "a1");
    await b.pages.close(); // b's refresh attempt is over
    assert.equal(b.calls, 0);
    gate.open();
    await a.pages.close();
    assert.equal((await get(`${b.url}/p`)).body, "a2");
  });

  it("reports a background refresh that throws, and keeps serving the stale response", async () => {
    const errors: string[] = [];
    await using site = responseSite(redis.url, (_, n) => {
      if (n > 1) throw new Error("refresh failed");
      return new Response("v1", { headers: { "cache-control": "max-age=0" } });
    }, {
      staleWhileRevalidate: "1m",
      onError: (error, { op }) => errors.push(`${op}: ${error.message}`),
    });
    const url = `${site.url}/bad-refresh`;
    await get(url);
    assert.equal((await get(url)).body, "v1");
    await until(() => errors.length === 1);
    assert.deepEqual(errors, ["refresh: refresh failed"]);
    assert.equal((await get(url)).body, "v1");
  });
});
