/**
 * The near cache against a real redis-server: hits cost no round trip, and
 * every way a key can change on the server (another client's SET, DEL,
 * EXPIRE, FLUSHDB, MULTI, Lua, maxmemory eviction, expiry) removes it from
 * memory. "Another client" is a plain connection; after its write, one PING
 * on the cache's only connection proves every push Redis sent before has
 * arrived (pushes and replies share the connection, in order).
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { type Cache, connect, createCache, type Pool, type RedisClient } from "../../mod.ts";

const NEAR = { nearCache: true, max: 1 } as const;

/** Resolves once every invalidation Redis sent to `cache` before now has been applied. */
async function sync(cache: Cache): Promise<void> {
  await (cache.client as Pool).send(["PING"]);
}

/** Commands of one name the server ran since the last `CONFIG RESETSTAT`. */
async function calls(redis: RedisClient, name: string): Promise<number> {
  const info = await redis.send<string>(["INFO", "commandstats"]);
  const match = new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info);
  return match ? Number(match[1]) : 0;
}

describe("near cache: hits from memory, invalidated by Redis", () => {
  const fixture = useRedis({ config: ["enable-debug-command local"] });

  it("answers a repeated get from memory: no GET reaches the server", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "hit", ...NEAR });
    await using other = await connect(fixture.url);
    await cache.set("user", { name: "Ada" });
    assert.deepEqual(await cache.get("user"), { name: "Ada" });
    await other.send(["CONFIG", "RESETSTAT"]);
    for (let i = 0; i < 100; i++) assert.deepEqual(await cache.get("user"), { name: "Ada" });
    assert.equal(await calls(other, "get"), 0);
    const near = cache.stats().near!;
    assert.equal(near.hits, 100);
    assert.equal(near.misses, 1);
    assert.equal(near.entries, 1);
    assert.equal(cache.stats().hits, 101);
  });

  it("is off by default: stats() has no near counters and every get asks Redis", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "off", max: 1 });
    await using other = await connect(fixture.url);
    await cache.set("k", 1);
    await other.send(["CONFIG", "RESETSTAT"]);
    await cache.get("k");
    await cache.get("k");
    assert.equal(await calls(other, "get"), 2);
    assert.equal(cache.stats().near, undefined);
  });

  it("drops a key when another client changes it: SET, DEL, EXPIRE, PERSIST, MULTI, Lua, FLUSHDB", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "inv", ...NEAR });
    await using other = await connect(fixture.url);
    const full = "inv:1:k";
    const writes: [string, (string | number)[][], unknown][] = [
      ["SET", [["SET", full, '"b"']], "b"],
      ["DEL", [["DEL", full]], undefined],
      ["EXPIRE", [["PEXPIRE", full, 1]], undefined],
      ["MULTI", [["MULTI"], ["SET", full, '"m"'], ["EXEC"]], "m"],
      ["Lua", [["EVAL", "redis.call('SET', KEYS[1], ARGV[1])", 1, full, '"lua"']], "lua"],
      ["APPEND", [["SET", full, '"x'], ["APPEND", full, 'y"']], "xy"],
      ["FLUSHDB", [["FLUSHDB"]], undefined],
    ];
    for (const [name, commands, expected] of writes) {
      await cache.set("k", "a", { ttl: null });
      assert.equal(await cache.get("k"), "a", name);
      assert.equal(await cache.get("k"), "a", name); // from memory
      for (const command of commands) await other.send(command);
      if (name === "EXPIRE") await new Promise((resolve) => setTimeout(resolve, 20));
      await sync(cache);
      assert.equal(await cache.get("k"), expected, name);
    }
    const near = cache.stats().near!;
    assert.ok(near.invalidations >= writes.length, JSON.stringify(near));
  });

  it("empties memory on FLUSHDB (a null invalidation), every key at once", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "flush", ...NEAR });
    await using other = await connect(fixture.url);
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, i);
    for (let i = 0; i < 20; i++) await cache.get(`k${i}`);
    assert.equal(cache.stats().near!.entries, 20);
    await other.send(["FLUSHDB"]);
    await sync(cache);
    assert.equal(cache.stats().near!.entries, 0);
    for (let i = 0; i < 20; i++) assert.equal(await cache.get(`k${i}`), undefined);
  });

  it("drops keys that maxmemory evicts: whatever memory still serves, Redis still has", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "evict", ...NEAR });
    await using other = await connect(fixture.url);
    await other.send(["FLUSHDB"]);
    const used = Number(/used_memory:(\d+)/.exec(await other.send<string>(["INFO", "memory"]))![1]);
    await other.send(["CONFIG", "SET", "maxmemory-policy", "allkeys-random"]);
    try {
      const value = "v".repeat(1000);
      for (let i = 0; i < 200; i++) await cache.set(`k${i}`, value, { ttl: null });
      for (let i = 0; i < 200; i++) await cache.get(`k${i}`);
      // Room for about half of them: Redis evicts at random on the next writes.
      await other.send(["CONFIG", "SET", "maxmemory", String(used + 100 * 1100)]);
      for (let i = 0; i < 50; i++) await other.send(["SET", `filler${i}`, value]);
      await sync(cache);
      let evicted = 0;
      for (let i = 0; i < 200; i++) {
        const exists = await other.send<number>(["EXISTS", `evict:1:k${i}`]);
        const got = await cache.get(`k${i}`);
        assert.equal(got, exists ? value : undefined, `k${i}`);
        if (!exists) evicted++;
      }
      assert.ok(evicted > 0, "nothing was evicted: the test proved nothing");
    } finally {
      await other.send(["CONFIG", "SET", "maxmemory", "0"]);
      await other.send(["CONFIG", "SET", "maxmemory-policy", "noeviction"]);
    }
  });

  it("never serves a value past its Redis TTL, even with no push", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "ttl", ...NEAR });
    await using other = await connect(fixture.url);
    // Active expiry off: the server deletes (and pushes) only when the key is touched.
    await other.send(["DEBUG", "SET-ACTIVE-EXPIRE", 0]);
    try {
      await cache.set("short", "v", { ttl: 150 });
      assert.equal(await cache.get("short"), "v");
      await new Promise((resolve) => setTimeout(resolve, 200));
      const misses = cache.stats().near!.misses;
      assert.equal(await cache.get("short"), undefined);
      assert.equal(cache.stats().near!.misses, misses + 1, "expired entry was not served");
    } finally {
      await other.send(["DEBUG", "SET-ACTIVE-EXPIRE", 1]);
    }
  });

  it("never keeps a value longer than nearCache.ttl", async () => {
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "nttl",
      max: 1,
      nearCache: { ttl: 100 },
    });
    await cache.set("k", 1, { ttl: null });
    await cache.get("k");
    await cache.get("k");
    assert.deepEqual([cache.stats().near!.hits, cache.stats().near!.misses], [1, 1]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await cache.get("k");
    assert.equal(cache.stats().near!.misses, 2);
  });

  it("keeps one connection per pool open (min: 1) so that idle time does not flush memory", async () => {
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "idle",
      nearCache: true,
      max: 2,
      idleTimeout: 20,
    });
    await cache.set("k", 1);
    await cache.get("k");
    await new Promise((resolve) => setTimeout(resolve, 150)); // several idle sweeps
    assert.equal(await cache.get("k"), 1);
    assert.deepEqual([cache.stats().near!.hits, cache.stats().near!.flushes], [1, 0]);
  });

  it("shares one Redis read among concurrent misses of a key", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "share", ...NEAR });
    await using other = await connect(fixture.url);
    await cache.set("k", { n: 1 });
    await other.send(["CONFIG", "RESETSTAT"]);
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.get("k")));
    assert.ok(values.every((v) => JSON.stringify(v) === '{"n":1}'));
    assert.equal(await calls(other, "get"), 1);
    // Each caller got its own object.
    assert.notEqual(values[0], values[1]);
  });
});
