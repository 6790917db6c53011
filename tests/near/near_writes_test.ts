/**
 * Read-your-writes with a near cache: every write method of the cache drops
 * the local copy before its promise resolves, so the next `get` sees the
 * write without waiting for Redis's push. Plus copies: a hit never lets one
 * caller change what the next one gets.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { type Cache, createCache } from "../../mod.ts";

/** Caches its value, then checks `write` makes the next get return `expected`. */
async function afterWrite(
  cache: Cache,
  name: string,
  write: () => Promise<unknown>,
  expected: unknown,
  key = "k",
): Promise<void> {
  await cache.set(key, "old", { ttl: "1h" });
  assert.equal(await cache.get(key), "old");
  const hits = cache.stats().near!.hits;
  assert.equal(await cache.get(key), "old");
  assert.equal(cache.stats().near!.hits, hits + 1, `${name}: the value was not in memory`);
  await write();
  assert.deepEqual(await cache.get(key), expected, name);
}

describe("near cache: this cache's own writes", () => {
  const fixture = useRedis();
  // Two connections: a write and a later read may take different ones.
  const open = (prefix: string) =>
    createCache({ url: fixture.url, keyPrefix: prefix, nearCache: true, max: 2 });

  it("set, add over a missing key, setMany, delete, deleteMany: the next get sees them", async () => {
    await using cache = open("rw");
    await afterWrite(cache, "set", () => cache.set("k", "new"), "new");
    await afterWrite(cache, "set xx", () => cache.set("k", "xx", { xx: true }), "xx");
    await afterWrite(cache, "add (refused)", () => cache.add("k", "no"), "old");
    await afterWrite(cache, "setMany", () => cache.setMany({ k: "many", j: 1 }), "many");
    await afterWrite(cache, "delete", () => cache.delete("k"), undefined);
    await afterWrite(cache, "deleteMany", () => cache.deleteMany(["k", "j"]), undefined);
    await afterWrite(cache, "set ttl 0", () => cache.set("k", "gone", { ttl: 0 }), undefined);
  });

  it("incr and decr: the next get has the new count", async () => {
    await using cache = open("counter");
    await cache.set("n", 10, { ttl: "1h" });
    assert.equal(await cache.get("n"), 10);
    assert.equal(await cache.get("n"), 10);
    assert.equal(await cache.incr("n", 5), 15);
    assert.equal(await cache.get("n"), 15);
    assert.equal(await cache.decr("n"), 14);
    assert.equal(await cache.get("n"), 14);
  });

  it("expire, expireAt, touch, persist: the TTL in memory follows", async () => {
    await using cache = open("ttl");
    await afterWrite(cache, "expire 0", () => cache.expire("k", 0), undefined);
    await afterWrite(
      cache,
      "expireAt past",
      () => cache.expireAt("k", Date.now() - 1000),
      undefined,
    );
    await afterWrite(cache, "touch 30 ms", () => cache.touch("k", 30), "old");
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(await cache.get("k"), undefined, "touch: served past the new TTL");
    await afterWrite(cache, "persist", () => cache.persist("k"), "old");
    assert.equal(await cache.ttl("k"), Infinity);
  });

  it("clear, deletePattern and incrVersion drop what they move or delete", async () => {
    await using cache = open("bulk");
    await afterWrite(cache, "deletePattern", () => cache.deletePattern("k*"), undefined);
    await afterWrite(cache, "clear", () => cache.clear(), undefined);
    await afterWrite(cache, "incrVersion", () => cache.incrVersion("k"), undefined);
    assert.equal(await cache.get("k", undefined, { version: 2 }), "old");
    await cache.set("k", "v2", { version: 2 });
    assert.equal(await cache.get("k", undefined, { version: 2 }), "v2");
  });

  it("a lock's key is dropped from memory when it is taken and released", async () => {
    await using cache = open("lock");
    const lockKey = "lock:job";
    await afterWrite(
      cache,
      "lock",
      async () => {
        await cache.delete(lockKey);
        const lock = await cache.lock("job", { ttl: 5_000 });
        await lock.release();
      },
      undefined,
      lockKey,
    );
  });

  it("a read racing a write on another connection never leaves the old value behind", async () => {
    await using cache = open("race");
    for (let round = 0; round < 200; round++) {
      await cache.set("k", round - 1, { ttl: "1h" });
      await cache.get("k"); // in memory
      // The read and the write go out in the same tick, possibly on different connections.
      const [, written] = await Promise.all([
        cache.get("k"),
        cache.set("k", round),
        cache.get("k"),
      ]);
      assert.equal(written, true);
      assert.equal(await cache.get("k"), round, `round ${round}`);
    }
  });

  it("hands each caller a copy by default, and with clone: false one frozen object", async () => {
    await using cache = open("copy");
    await cache.set("obj", { list: [1, 2], nested: { a: "x" } });
    const first = await cache.get<{ list: number[]; nested: { a: string } }>("obj");
    first!.list.push(3);
    first!.nested.a = "changed";
    assert.deepEqual(await cache.get("obj"), { list: [1, 2], nested: { a: "x" } });
    assert.notEqual(await cache.get("obj"), await cache.get("obj"));

    await using shared = createCache({
      url: fixture.url,
      keyPrefix: "copy",
      nearCache: { clone: false },
      max: 1,
    });
    await shared.get("obj"); // from Redis: the caller's own object
    const a = await shared.get<{ list: number[] }>("obj");
    const b = await shared.get<{ list: number[] }>("obj");
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a!.list));
    assert.throws(() => a!.list.push(3), TypeError);
  });

  it("copies byte values for every caller, with clone: false too", async () => {
    for (const clone of [true, false]) {
      await using cache = createCache({
        url: fixture.url,
        keyPrefix: `bytes${clone}`,
        serializer: "raw",
        nearCache: { clone },
        max: 1,
      });
      // Not UTF-8, so raw reads it back as bytes.
      await cache.set("b", new Uint8Array([0xff, 0xfe, 3]));
      await cache.get("b"); // from Redis
      const first = await cache.get<Uint8Array>("b");
      first![0] = 99;
      assert.deepEqual(await cache.get("b"), new Uint8Array([0xff, 0xfe, 3]), `clone: ${clone}`);
      assert.equal(cache.stats().near!.hits, 2);
    }
  });

  it("copies msgpack's Date and byte values faithfully", async () => {
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "proto",
      serializer: "msgpack",
      nearCache: true,
      max: 1,
    });
    await cache.set("m", { when: new Date(0), tags: new Uint8Array([7]) });
    await cache.get("m");
    const hit = await cache.get<{ when: Date; tags: Uint8Array }>("m");
    assert.ok(hit!.when instanceof Date && hit!.when.getTime() === 0);
    assert.deepEqual(hit!.tags, new Uint8Array([7]));
    assert.equal(cache.stats().near!.hits, 1);
  });
});
