import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { redisFixture, useRedis } from "../support/use_redis.ts";
import { until } from "../support/wait.ts";
import { type Cache, createCache } from "../../mod.ts";
import { cacheContract } from "../cache/contract.ts";

const contractServer = redisFixture();

cacheContract("strategy herd", {
  setup: () => contractServer.start(),
  teardown: () => contractServer.stop(),
  makeCache: (options) =>
    createCache({ strategy: "herd", url: contractServer.url, herdTtl: "30s", ...options }),
});

describe("strategy herd", () => {
  const primary = useRedis();

  const herdCache = (options = {}) =>
    createCache({
      strategy: "herd",
      url: primary.url,
      herdTtl: "20s",
      keyPrefix: "herd",
      ...options,
    });

  it("4 clients × 50 getOrSet on a stale key: the factory runs once; the others get the stale value", async () => {
    const caches: Cache[] = [1, 2, 3, 4].map(() => herdCache());
    try {
      await caches[0].set("page", "old", { ttl: 50 });
      await until(async () => (await caches[0].ttl("page")) === 0, 2_000); // soft-expired
      let runs = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const factory = async () => {
        runs++;
        await gate;
        return "new";
      };
      const calls = caches.flatMap((cache) =>
        Array.from({ length: 50 }, () => cache.getOrSet("page", factory, { ttl: 60_000 }))
      );
      // While the refresh runs, every other reader got the stale value.
      const settled: string[] = [];
      calls.forEach((call) => call.then((value) => settled.push(value)));
      await until(() => settled.length === 199, 5_000);
      assert.ok(settled.every((value) => value === "old"));
      assert.equal(await caches[1].get("page"), "old", "plain reads too");
      release();
      assert.equal((await Promise.all(calls)).filter((v) => v === "new").length, 1);
      assert.equal(runs, 1);
      assert.equal(await caches[2].get("page"), "new");
    } finally {
      await Promise.all(caches.map((cache) => cache.close()));
    }
  });

  it("4 clients × 50 getOrSet on a missing key: the factory runs once; the others wait for its value", async () => {
    const caches: Cache[] = [1, 2, 3, 4].map(() => herdCache());
    try {
      let runs = 0;
      const factory = async () => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { built: runs };
      };
      const results = await Promise.all(
        caches.flatMap((cache) =>
          Array.from({ length: 50 }, () => cache.getOrSet("report", factory, { ttl: 60_000 }))
        ),
      );
      assert.equal(runs, 1);
      assert.ok(results.every((r) => r.built === 1));
    } finally {
      await Promise.all(caches.map((cache) => cache.close()));
    }
  });

  it("keeps the value ttl + herdTtl in Redis, reports the soft expiry, and leaves counters and locks alone", async () => {
    await using cache = herdCache();
    await cache.set("k", 1, { ttl: 10_000 });
    const real = Number(await primary.server.cli("PTTL", "herd:1:k"));
    assert.ok(real > 20_000 && real <= 30_000, `real ttl ${real}`);
    const soft = await cache.ttl("k");
    assert.ok(soft !== null && soft > 5_000 && soft <= 10_000, `soft ttl ${soft}`);
    assert.equal(await cache.incr("k"), 2);
    assert.equal(await primary.server.cli("GET", "herd:1:k"), "2");
    await using lock = await cache.lock("job", { ttl: 5_000 });
    const lockTtl = Number(await primary.server.cli("PTTL", "herd:1:lock:job"));
    assert.ok(lockTtl > 2_500 && lockTtl <= 5_000, `lock ttl ${lockTtl}`);
    assert.equal(lock.held, true);
  });

  it("refreshes early by probability with herdEarlyRefresh (XFetch)", async () => {
    await using eager = herdCache({ herdEarlyRefresh: 1e9, keyPrefix: "xfetch" });
    await eager.set("v", "x", { ttl: 60_000 });
    // β huge: the first read claims the refresh (a miss); the next ones see the claim held.
    assert.equal(await eager.get("v"), undefined);
    assert.equal(await eager.get("v"), "x");
    await using calm = herdCache({ keyPrefix: "xfetch" });
    for (let i = 0; i < 20; i++) assert.equal(await calm.get("v"), "x", "off by default");
  });
});
