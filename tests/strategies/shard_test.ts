import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import type { RedisServer } from "../support/redis.ts";
import { redisGroup, useRedisGroup } from "../support/use_redis.ts";
import { createCache, type Pool, type Router } from "../../mod.ts";
import { cacheContract } from "../cache/contract.ts";

const contractShards = redisGroup(3);

cacheContract("strategy shard, 3 servers", {
  setup: () => contractShards.start(),
  teardown: () => contractShards.stop(),
  makeCache: (options) => createCache({ strategy: "shard", urls: contractShards.urls, ...options }),
});

describe("strategy shard", () => {
  const group = useRedisGroup(5);

  /** Which of `servers` holds each of `keys`, by index. */
  async function placement(servers: RedisServer[], prefix: string): Promise<Map<string, number>> {
    const where = new Map<string, number>();
    for (let i = 0; i < servers.length; i++) {
      const keys = (await servers[i].cli("--scan", "--pattern", `${prefix}:*`)).split("\n");
      for (const key of keys) if (key !== "") where.set(key, i);
    }
    return where;
  }

  it("spreads 10,000 keys over 4 servers (none above 30%); a fifth server leaves at least 70% in place", async () => {
    const four = group.servers.slice(0, 4);
    const entries = Array.from({ length: 10_000 }, (_, i) => [`key:${i}`, i] as const);
    {
      await using cache = createCache({
        strategy: "shard",
        urls: four.map((s) => s.url),
        keyPrefix: "spread",
      });
      assert.equal(await cache.setMany(entries, { ttl: null }), true);
      const found = await cache.getMany(entries.map(([k]) => k));
      assert.equal(found.size, 10_000);
    }
    const before = await placement(four, "spread");
    assert.equal(before.size, 10_000);
    const shares = [0, 1, 2, 3].map((i) => [...before.values()].filter((s) => s === i).length);
    assert.ok(Math.max(...shares) <= 3_000, `shares ${shares}`);

    await using grown = createCache({
      strategy: "shard",
      urls: group.servers.map((s) => s.url),
      keyPrefix: "spread",
    });
    const router = grown.client as Router;
    const owners = group.servers.map((s) => s.port);
    let stayed = 0;
    for (const [full, was] of before) {
      const target = router.route(full, false) as Pool;
      const port = Number(
        await target.send<string>(["CONFIG", "GET", "port"]).then(
          (r) =>
            (r as unknown as string[])[1] ?? [...(r as unknown as Map<string, string>).values()][0],
        ),
      );
      if (port === owners[was]) stayed++;
      if (stayed > 7_000) break;
    }
    assert.ok(stayed > 7_000, `only ${stayed} of 10,000 stayed`);
  });

  it("keeps {user1}:a and {user1}:b on one server, and getMany of 1,000 keys spans every shard", async () => {
    const four = group.servers.slice(0, 4);
    await using cache = createCache({
      strategy: "shard",
      urls: four.map((s) => s.url),
      keyPrefix: "tags",
    });
    await cache.set("{user1}:a", 1);
    await cache.set("{user1}:b", 2);
    const where = await placement(four, "tags");
    assert.equal(where.get("tags:1:{user1}:a"), where.get("tags:1:{user1}:b"));

    const keys = Array.from({ length: 1_000 }, (_, i) => `many:${i}`);
    await cache.setMany(keys.map((k, i) => [k, i] as const));
    const spread = new Set((await placement(four, "tags")).values());
    assert.equal(spread.size, 4, "keys on all four shards");
    const found = await cache.getMany(keys);
    assert.equal(found.size, 1_000);
    for (let i = 0; i < 1_000; i++) assert.equal(found.get(`many:${i}`), i);
    assert.equal(await cache.deleteMany(keys.slice(0, 500)), 500);
    assert.equal((await cache.keys("many:*")).length, 500);
    assert.equal(await cache.deletePattern("many:*"), 500);
    assert.equal(await cache.clear(), 2);
  });

  it("routes a raw command by its key through cache.client", async () => {
    const four = group.servers.slice(0, 4);
    await using cache = createCache({ strategy: "shard", urls: four.map((s) => s.url) });
    const router = cache.client as Router;
    await router.send(["HSET", "{u9}:profile", "name", "Ada"]);
    assert.equal(await router.send(["HGET", "{u9}:profile", "name"]), "Ada");
    const holder = router.route("{u9}:profile", false) as Pool;
    assert.equal(await holder.send(["HGET", "{u9}:profile", "name"]), "Ada");
    const [set, get] = await router.pipeline().send(["SET", "p1", "x"]).send(["GET", "p1"]).exec();
    assert.deepEqual([set, get], ["OK", "x"]);
  });
});
