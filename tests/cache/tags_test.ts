/**
 * Tags: `set(key, value, { tags })`, `getOrSet(…, { tags })`, `setMany(…, { tags })` and
 * `invalidateTags(tags)`, on memory://, one Redis, the near cache, shard and cluster. The rule:
 * once `invalidateTags` resolves, no read returns a value written with one of its tags before.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { useRedis, useRedisGroup } from "../support/use_redis.ts";
import { type Cluster, startCluster } from "../support/topology.ts";
import { type Cache, connect, createCache, type Pool } from "../../mod.ts";
import { MemoryStore } from "../../src/cache/stores/memory_store.ts";
import { TagVersions } from "../../src/cache/tags.ts";
import { cacheAccess } from "../../src/cache/cache_access.ts";

/** The behaviour every backend shares; `open` makes a cache, `other` a second one on the same data. */
function tagContract(open: (prefix: string) => Cache) {
  it("invalidateTags hides every value carrying the tag and nothing else", async () => {
    await using cache = open("hide");
    await cache.set("a", 1, { tags: ["product:1"] });
    await cache.set("b", { x: 2 }, { tags: ["product:1", "list"] });
    await cache.set("c", "three", { tags: ["list"] });
    await cache.set("d", "untagged");
    assert.deepEqual(await cache.get("b"), { x: 2 });
    await cache.invalidateTags(["product:1"]);
    assert.equal(await cache.get("a"), undefined);
    assert.equal(await cache.get("b", "gone"), "gone");
    assert.equal(await cache.get("c"), "three");
    assert.equal(await cache.get("d"), "untagged");
    // A value written after the invalidation reads again.
    await cache.set("a", 10, { tags: ["product:1"] });
    assert.equal(await cache.get("a"), 10);
  });

  it("getMany leaves out invalidated values; setMany tags every value", async () => {
    await using cache = open("many");
    await cache.setMany({ a: 1, b: 2 }, { tags: ["t"] });
    await cache.set("c", 3);
    assert.deepEqual(await cache.getMany(["a", "b", "c"]), new Map([["a", 1], ["b", 2], ["c", 3]]));
    await cache.invalidateTags(["t"]);
    assert.deepEqual(await cache.getMany(["a", "b", "c"]), new Map([["c", 3]]));
  });

  it("getOrSet recomputes a value whose tag was invalidated", async () => {
    await using cache = open("gos");
    let calls = 0;
    const load = () => ++calls;
    assert.equal(await cache.getOrSet("k", load, { tags: ["t"] }), 1);
    assert.equal(await cache.getOrSet("k", load, { tags: ["t"] }), 1);
    await cache.invalidateTags(["t", "unused"]);
    assert.equal(await cache.getOrSet("k", load, { tags: ["t"] }), 2);
    assert.equal(calls, 2);
  });

  it("tag version keys stay out of scan, keys and deletePattern", async () => {
    await using cache = open("scan");
    await cache.set("x", 1, { tags: ["t"] });
    assert.deepEqual(await cache.keys(), ["x"]);
    assert.equal(await cache.deletePattern("*"), 1);
  });

  it("refuses bad tags with a TypeError before writing", async () => {
    await using cache = open("bad");
    await assert.rejects(cache.set("k", 1, { tags: "t" as never }), TypeError);
    await assert.rejects(cache.set("k", 1, { tags: [""] }), TypeError);
    await assert.rejects(
      cache.set("k", 1, { tags: Array.from({ length: 65 }, (_, i) => `${i}`) }),
      {
        name: "TypeError",
        message: /more than 64 tags/,
      },
    );
    await assert.rejects(cache.invalidateTags([42 as never]), TypeError);
    await assert.rejects(cache.getOrSet("k", () => 1, { tagz: ["t"] } as never), /"tagz"/);
    assert.equal(await cache.has("k"), false);
  });

  it("bytes written through the internal access carry tags and compress", async () => {
    await using cache = open("bytes");
    const access = cacheAccess(cache);
    const body = new TextEncoder().encode("x".repeat(5000));
    assert.equal(await access.setBytes("page", body, { ttl: "1m", tags: ["page"] }), true);
    assert.deepEqual(await access.getBytes("page"), body);
    await cache.invalidateTags(["page"]);
    assert.equal(await access.getBytes("page"), undefined);
    const odd = new Uint8Array([0, 0xc3, 0x0e, 255, 42]);
    await access.setBytes("odd", odd);
    assert.deepEqual(await access.getBytes("odd"), odd);
  });
}

describe("tags on memory://", () => {
  let n = 0;
  tagContract((prefix) => createCache({ url: `memory://tags-${n++}`, keyPrefix: prefix }));

  it("a value framed with tokens read before an invalidation reads as a miss", async () => {
    const store = new MemoryStore();
    try {
      const tags = new TagVersions(store, (tag) => `tags:${tag}`);
      // The writer reads the tokens, an invalidation runs, then the write lands.
      const framed = await tags.frame(["t"], '"v"', null);
      await tags.invalidate(["t"]);
      await store.set("k", framed, null);
      assert.equal(await tags.read(await store.get("k", "text"), "k"), null);
      // Written with the new token, it reads.
      await store.set("k", await tags.frame(["t"], '"v"', null), null);
      assert.deepEqual(
        await tags.read(await store.get("k", "text"), "k"),
        new TextEncoder().encode('"v"'),
      );
    } finally {
      await store.close();
    }
  });
});

describe("MemoryStore.ensure", () => {
  it("creates with a TTL, never shortens it, and keeps forever once asked to", async () => {
    const store = new MemoryStore();
    try {
      assert.equal(await store.ensure("k", "a", 1_000), "a");
      assert.equal(await store.ensure("k", "b", 60_000), "a");
      const left = await store.pttl("k");
      assert.ok(left > 59_000 && left <= 60_000);
      await store.ensure("k", "c", 10);
      assert.ok((await store.pttl("k")) > 59_000);
      await store.ensure("k", "d", null);
      assert.equal(await store.pttl("k"), -1);
    } finally {
      await store.close();
    }
  });
});

describe("tags on Redis", () => {
  const redis = useRedis();
  tagContract((prefix) => createCache({ url: redis.url, keyPrefix: prefix }));

  it("an invalidation by another process hides the value there; an evicted version key too", async () => {
    await using a = createCache({ url: redis.url, keyPrefix: "procs" });
    await using b = createCache({ url: redis.url, keyPrefix: "procs" });
    await a.set("k", "v", { tags: ["t"] });
    assert.equal(await b.get("k"), "v");
    await b.invalidateTags(["t"]);
    assert.equal(await a.get("k"), undefined);
    await a.set("k", "v2", { tags: ["t"] });
    assert.equal(await b.get("k"), "v2");
    await using raw = await connect(redis.url);
    assert.equal(await raw.send(["DEL", "tags:procs:1:t"]), 1);
    assert.equal(await a.get("k"), undefined);
  });

  it("a version key lives as long as the longest value carrying its tag, and goes on invalidation", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "life" });
    await using raw = await connect(redis.url);
    const pttl = () => raw.send<number>(["PTTL", "tags:life:1:t"]);
    await cache.set("a", 1, { tags: ["t"], ttl: "1m" });
    assert.ok((await pttl()) > 59_000 && (await pttl()) <= 60_000);
    await cache.set("b", 1, { tags: ["t"], ttl: "10m" });
    assert.ok((await pttl()) > 599_000);
    await cache.set("c", 1, { tags: ["t"], ttl: "1s" }); // never shortened
    assert.ok((await pttl()) > 599_000);
    await cache.set("d", 1, { tags: ["t"], ttl: null });
    assert.equal(await pttl(), -1);
    await cache.invalidateTags(["t"]);
    assert.equal(await pttl(), -2, "the version key is deleted");
    assert.equal(await cache.get("d"), undefined);
  });

  it("the herd strategy reads and writes tagged values", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "herd", strategy: "herd" });
    assert.equal(await cache.getOrSet("k", () => "v", { tags: ["t"], ttl: "1m" }), "v");
    assert.equal(await cache.get("k"), "v");
    await cache.invalidateTags(["t"]);
    assert.equal(await cache.get("k"), undefined);
  });
});

describe("tags with the near cache", () => {
  const redis = useRedis();

  it("serves a tagged value from memory and drops it when another client invalidates", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "near", nearCache: true, max: 1 });
    await using other = createCache({ url: redis.url, keyPrefix: "near" });
    await cache.set("k", { v: 1 }, { tags: ["t"] });
    assert.deepEqual(await cache.get("k"), { v: 1 });
    const before = cache.stats().near!.misses;
    assert.deepEqual(await cache.get("k"), { v: 1 });
    assert.equal(cache.stats().near!.misses, before, "the second read went to Redis");
    await other.invalidateTags(["t"]);
    // Pushes and replies share the one connection: after a PING, the push has arrived.
    await (cache.client as Pool).send(["PING"]);
    assert.equal(await cache.get("k"), undefined);
  });

  it("its own invalidation hides the value at once", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "own", nearCache: true });
    await cache.set("k", 1, { tags: ["t"] });
    assert.equal(await cache.get("k"), 1);
    assert.equal(await cache.get("k"), 1);
    await cache.invalidateTags(["t"]);
    assert.equal(await cache.get("k"), undefined);
  });
});

describe("tags on shard (2 servers)", () => {
  const servers = useRedisGroup(2);
  tagContract((prefix) =>
    createCache({ strategy: "shard", urls: servers.urls, keyPrefix: prefix })
  );
});

describe("tags on a cluster", () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ replicasPerPrimary: 0 });
  });
  after(async () => {
    await cluster?.stop();
  });
  tagContract((prefix) =>
    createCache({ strategy: "cluster", urls: cluster.seeds, keyPrefix: prefix })
  );
});
