/**
 * What a near cache serves when Redis is down: with `grace`, a value that
 * expired (or whose connection was lost) at most `grace` ago, counted as
 * stale and reported like an ignored error; without it, nothing from
 * memory. And `getOrSet`'s `staleWhileRevalidate`: the expired value at
 * once, one refresh in the background.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { until } from "../support/wait.ts";
import {
  type CacheErrorContext,
  CircuitOpenError,
  createCache,
  type Pool,
  TimeoutError,
} from "../../mod.ts";

describe("near cache: grace while Redis is down", () => {
  it("serves a value whose connection was lost within grace, reports the error, then stops at grace's end", async () => {
    const server = await startRedis();
    const errors: string[] = [];
    await using cache = createCache({
      url: server.url,
      keyPrefix: "grace",
      nearCache: true,
      grace: 1500,
      max: 1,
      breaker: false,
      offlineQueue: { timeout: 100 },
      onError: (_error, { op, key }: CacheErrorContext) => errors.push(`${op} ${key}`),
    });
    await cache.set("k", { v: 1 });
    assert.deepEqual(await cache.get("k"), { v: 1 });
    await server.stop();
    await until(() => cache.stats().near!.flushes === 1);
    assert.deepEqual(await cache.get("k"), { v: 1 });
    assert.deepEqual(await cache.getOrSet("k", () => ({ v: 2 })), { v: 1 });
    assert.equal(cache.stats().near!.staleServed, 2);
    assert.deepEqual(errors.slice(0, 2), ["get k", "getOrSet k"]);
    // A key memory never held is still an error.
    await assert.rejects(cache.get("never"), TimeoutError); // offlineQueue.timeout
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await assert.rejects(cache.get("k"), TimeoutError);
    assert.equal(cache.stats().near!.staleServed, 2);
  });

  it("serves stale values while the breaker is open, without one report per read", async () => {
    const server = await startRedis();
    const errors: unknown[] = [];
    await using cache = createCache({
      url: server.url,
      keyPrefix: "breaker",
      nearCache: true,
      grace: "1m",
      max: 1,
      commandTimeout: 500,
      offlineQueue: { timeout: 200 },
      onError: (error) => errors.push(error),
    });
    await cache.set("k", "v");
    await cache.get("k");
    await server.stop();
    await until(() => (cache.client as Pool).stats().breaker === "open", 10_000);
    const reported = errors.length;
    for (let i = 0; i < 100; i++) assert.equal(await cache.get("k"), "v");
    assert.equal(errors.length, reported, "an open circuit is reported once, when it opens");
    assert.ok(errors.some((e) => e instanceof CircuitOpenError));
    assert.equal(cache.stats().near!.staleServed, 100);
  });

  it("without grace, serves nothing from memory once the connection is lost", async () => {
    const server = await startRedis();
    await using cache = createCache({
      url: server.url,
      keyPrefix: "nograce",
      nearCache: true,
      max: 1,
      offlineQueue: { timeout: 100 },
      ignoreErrors: true,
      onError: () => {},
    });
    await cache.set("k", "v");
    await cache.get("k");
    await server.stop();
    await until(() => cache.stats().near!.flushes === 1);
    assert.equal(await cache.get("k", "fallback"), "fallback");
    assert.equal(cache.stats().near!.entries, 0);
  });
});

describe("near cache: getOrSet with staleWhileRevalidate", () => {
  const fixture = useRedis();

  it("returns the expired value at once and refreshes it once in the background", async () => {
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "swr",
      nearCache: true,
      max: 1,
    });
    const options = { ttl: 100, staleWhileRevalidate: "10s" };
    assert.equal(await cache.getOrSet("page", () => "v1", options), "v1");
    assert.equal(await cache.get("page"), "v1"); // in memory
    await new Promise((resolve) => setTimeout(resolve, 150)); // expired in Redis
    let release: (value: string) => void = () => {};
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => cache.getOrSet("page", slow, options)),
    );
    assert.deepEqual(results, Array(10).fill("v1"), "callers waited for the refresh");
    await until(() => calls === 1); // the refresh reads Redis first, then calls the factory
    assert.equal(cache.stats().near!.staleServed, 10);
    release("v2");
    await until(async () => (await cache.get("page")) === "v2");
    assert.equal(calls, 1);
  });

  it("waits for the factory when memory holds nothing, and refuses the option without a near cache", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "swr2", nearCache: true });
    assert.equal(await cache.getOrSet("fresh", () => 7, { staleWhileRevalidate: 1000 }), 7);
    await using plain = createCache({ url: fixture.url, keyPrefix: "swr3" });
    await assert.rejects(
      plain.getOrSet("k", () => 1, { staleWhileRevalidate: 1000 }),
      /needs the near cache/,
    );
    await assert.rejects(
      cache.getOrSet("k", () => 1, { staleWhileRevalidat: 1 } as never),
      /did you mean "staleWhileRevalidate"/,
    );
  });

  it("reports a failed background refresh to onError and keeps serving the stale value", async () => {
    const errors: string[] = [];
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "swr4",
      nearCache: true,
      max: 1,
      onError: (error, { op }) => errors.push(`${op}: ${error.message}`),
    });
    const options = { ttl: 80, staleWhileRevalidate: "10s" };
    await cache.getOrSet("k", () => "old", options);
    await cache.get("k");
    await new Promise((resolve) => setTimeout(resolve, 120));
    const failing = () => Promise.reject(new Error("backend down"));
    assert.equal(await cache.getOrSet("k", failing, options), "old");
    await until(() => errors.length === 1);
    assert.deepEqual(errors, ["getOrSet: backend down"]);
    assert.equal(await cache.getOrSet("k", failing, options), "old");
  });
});
