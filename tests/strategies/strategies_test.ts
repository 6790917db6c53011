import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { type RedisServer, startRedis } from "../support/redis.ts";
import { commandCalls as calls, startReplica } from "../support/topology.ts";
import { until } from "../support/wait.ts";
import { type Cache, createCache, type Pool, type Router } from "../../mod.ts";
import { cacheContract } from "../cache/contract.ts";

/** Stops servers, ignoring ones already stopped. */
async function stopAll(servers: (RedisServer | undefined)[]): Promise<void> {
  await Promise.all(servers.map((server) => server?.stop()));
}

let primary: RedisServer;
let replica: RedisServer;
let shards: RedisServer[] = [];
let pair: RedisServer[] = [];

cacheContract("strategy default, with a replica", {
  setup: async () => {
    primary = await startRedis();
    replica = await startReplica(primary);
  },
  teardown: () => stopAll([replica, primary]),
  makeCache: (options) =>
    createCache({ url: primary.url, replicas: [replica.url], readFrom: "primary", ...options }),
});

cacheContract("strategy shard, 3 servers", {
  setup: async () => {
    shards = await Promise.all([startRedis(), startRedis(), startRedis()]);
  },
  teardown: () => stopAll(shards),
  makeCache: (options) =>
    createCache({ strategy: "shard", urls: shards.map((s) => s.url), ...options }),
});

cacheContract("strategy herd", {
  setup: async () => {
    primary = await startRedis();
  },
  teardown: () => primary.stop(),
  makeCache: (options) =>
    createCache({ strategy: "herd", url: primary.url, herdTtl: "30s", ...options }),
});

cacheContract("strategy failover, 2 servers", {
  setup: async () => {
    pair = await Promise.all([startRedis(), startRedis()]);
  },
  teardown: () => stopAll(pair),
  makeCache: (options) =>
    createCache({ strategy: "failover", urls: pair.map((s) => s.url), ...options }),
});

describe("strategy options", () => {
  it("refuses an unknown strategy, options of another strategy, and a server address where urls belong", () => {
    assert.throws(
      () => createCache({ strategy: "shards" as "shard", urls: ["redis://a"] }),
      /Invalid option "strategy": "shards" is not one of default, shard, herd, failover, sentinel, cluster/,
    );
    assert.throws(
      () => createCache({ url: "redis://127.0.0.1:1", urls: ["redis://127.0.0.1:2"] }),
      /Option "urls" does not apply to strategy "default"; it is for shard, failover, cluster/,
    );
    assert.throws(
      () => createCache({ strategy: "shard", url: "redis://127.0.0.1:1", urls: ["redis://b"] }),
      /Option "url" does not apply to strategy "shard": give the servers in urls/,
    );
    assert.throws(
      () => createCache({ strategy: "shard", urls: [] }),
      /Invalid option "urls": expected a non-empty list/,
    );
    assert.throws(
      () => createCache({ strategy: "failover", urls: ["redis://a", "redis://b:99999"] }),
      TypeError,
    );
    assert.throws(
      () => createCache({ readFrom: "replicas" as "replica" }),
      /Invalid option "readFrom": expected "primary", "replica" or "any"/,
    );
    assert.throws(() => createCache({ strategy: "herd", herdTtl: "soon" }), /herdTtl/);
    assert.throws(
      () => createCache({ strategy: "herd", herdEarlyRefresh: -1 }),
      /herdEarlyRefresh/,
    );
    assert.throws(() => createCache({ strategy: "sentinel", sentinels: ["h:1"] }), /masterName/);
    assert.throws(
      () => createCache({ strategy: "sentinel", sentinels: ["ftp://h:1"], masterName: "m" }),
      /Invalid option "sentinels"/,
    );
    assert.throws(() => createCache({ failbakAfter: 1 } as never), /did you mean "failbackAfter"/);
  });

  it("never puts a password in a shard's name or in an error", () => {
    let message = "";
    try {
      createCache({
        strategy: "shard",
        urls: ["redis://:s3cret@127.0.0.1:1", "redis://:s3cret@h:x"],
      });
    } catch (error) {
      message = String(error) + JSON.stringify(error) + (error as Error).stack;
    }
    assert.ok(message.length > 0);
    assert.ok(!message.includes("s3cret"), message);
  });
});

describe("strategy default: primary and replica", () => {
  before(async () => {
    primary = await startRedis();
    replica = await startReplica(primary);
  });
  after(() => stopAll([replica, primary]));

  it('with readFrom "replica", reads reach the replica and writes the primary', async () => {
    await using cache = createCache({
      url: primary.url,
      replicas: [replica.url],
      readFrom: "replica",
      keyPrefix: "rr",
    });
    const getsBefore = [await calls(primary, "get"), await calls(replica, "get")];
    const setsBefore = await calls(primary, "set");
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, i);
    await (cache.client as Pool).send(["WAIT", 1, 2_000]);
    for (let i = 0; i < 20; i++) assert.equal(await cache.get(`k${i}`), i);
    assert.equal(await calls(primary, "get") - getsBefore[0], 0, "no read on the primary");
    assert.equal(await calls(replica, "get") - getsBefore[1], 20, "every read on the replica");
    assert.equal(await calls(primary, "set") - setsBefore, 20, "writes on the primary");
  });

  it('with readFrom "any", reads take turns between primary and replica', async () => {
    await using cache = createCache({
      url: primary.url,
      replicas: [replica.url],
      readFrom: "any",
      keyPrefix: "any",
    });
    const before = [await calls(primary, "get"), await calls(replica, "get")];
    for (let i = 0; i < 10; i++) await cache.get(`k${i}`);
    assert.equal(await calls(primary, "get") - before[0], 5);
    assert.equal(await calls(replica, "get") - before[1], 5);
  });

  it("with the replica killed, reads still succeed (from the primary)", async () => {
    const doomed = await startReplica(primary);
    await using cache = createCache({
      url: primary.url,
      replicas: [doomed.url],
      readFrom: "replica",
      keyPrefix: "dead",
      retry: { base: 10, max: 50 },
    });
    await cache.set("k", "v");
    await (cache.client as Pool).send(["WAIT", 2, 2_000]);
    assert.equal(await cache.get("k"), "v");
    doomed.kill("SIGKILL");
    await doomed.stop();
    for (let i = 0; i < 50; i++) assert.equal(await cache.get("k"), "v");
    assert.deepEqual(await cache.getMany(["k"]), new Map([["k", "v"]]));
  });
});

describe("strategy shard", () => {
  const five: RedisServer[] = [];
  before(async () => {
    five.push(...await Promise.all([1, 2, 3, 4, 5].map(() => startRedis())));
  });
  after(() => stopAll(five));

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
    const four = five.slice(0, 4);
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
      urls: five.map((s) => s.url),
      keyPrefix: "spread",
    });
    const router = grown.client as Router;
    const owners = five.map((s) => s.port);
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
    const four = five.slice(0, 4);
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
    const four = five.slice(0, 4);
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

describe("strategy herd", () => {
  before(async () => {
    primary = await startRedis();
  });
  after(() => primary.stop());

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
    const real = Number(await primary.cli("PTTL", "herd:1:k"));
    assert.ok(real > 29_000 && real <= 30_000, `real ttl ${real}`);
    const soft = await cache.ttl("k");
    assert.ok(soft !== null && soft > 9_000 && soft <= 10_000, `soft ttl ${soft}`);
    assert.equal(await cache.incr("k"), 2);
    assert.equal(await primary.cli("GET", "herd:1:k"), "2");
    await using lock = await cache.lock("job", { ttl: 5_000 });
    const lockTtl = Number(await primary.cli("PTTL", "herd:1:lock:job"));
    assert.ok(lockTtl > 4_000 && lockTtl <= 5_000, `lock ttl ${lockTtl}`);
    assert.ok(lock);
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

describe("strategy failover", () => {
  it("moves reads to the second server within 1 s of the first being killed, and fails back", async () => {
    const [first, second] = await Promise.all([startRedis(), startRedis()]);
    try {
      await using cache = createCache({
        strategy: "failover",
        urls: [first.url, second.url],
        failbackAfter: 300,
        keyPrefix: "fo",
        retry: { base: 10, max: 100 },
      });
      const router = cache.client as Router & { current: number };
      await cache.set("k", "one");
      let stop = false;
      const errors: Error[] = [];
      const okAfterKill: number[] = [];
      let killedAt = 0;
      const stream = (async () => {
        for (let i = 0; !stop; i++) {
          try {
            await cache.set(`w${i % 10}`, i);
            await cache.get("k");
            if (killedAt > 0) okAfterKill.push(Date.now() - killedAt);
          } catch (error) {
            errors.push(error as Error);
          }
        }
      })();
      await until(() => okAfterKill.length === 0 && errors.length === 0, 100);
      first.kill("SIGKILL");
      killedAt = Date.now();
      await until(() => okAfterKill.length >= 20, 5_000);
      stop = true;
      await stream;
      assert.ok(okAfterKill[0] < 1_000, `first success ${okAfterKill[0]} ms after the kill`);
      assert.equal(router.current, 1);
      assert.equal(await cache.get("k"), undefined, "the second server starts cold");
      await cache.set("k", "two");
      assert.equal(await cache.get("k"), "two");

      await first.restart();
      await until(async () => {
        await cache.get("probe");
        return router.current === 0;
      }, 5_000);
      await cache.set("k", "three");
      assert.equal(await first.cli("GET", "fo:1:k"), '"three"', "back on the first server");
    } finally {
      await stopAll([first, second]);
    }
  });
});
