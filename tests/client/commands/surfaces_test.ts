import assert from "node:assert/strict";
import { after, before, describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { type Cluster, startCluster } from "../../support/topology.ts";
import { connect, connectCluster, createPool, ReplyError } from "../../../mod.ts";
import { onBothProtocols, plain } from "./support.ts";

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

describe("typed commands on every surface", () => {
  const fixture = useRedis();

  it("walks every page of SCAN, HSCAN, SSCAN and ZSCAN with the iterators", async () => {
    const walked = await onBothProtocols(fixture.url, async (redis) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i < 150; i++) fields[`f${i}`] = `v${i}`;
      await redis.hset("h", fields);
      const members = Array.from({ length: 150 }, (_, i) => `m${i}`);
      await redis.send(["SADD", "s", ...members]);
      await redis.send(["ZADD", "z", ...members.flatMap((m, i) => [i + 0.5, m])]);
      await redis.mset(members.map((m) => [`key:${m}`, m] as const));
      const keys = await collect(redis.scanIterator({ match: "key:*", count: 10 }));
      const typed = await collect(redis.scanIterator({ type: "hash" }));
      const hash = await collect(redis.hscanIterator("h", { count: 10 }));
      const set = await collect(redis.sscanIterator("s", { match: "m1*", count: 10 }));
      const zset = await collect(redis.zscanIterator("z", { count: 10 }));
      return {
        keys: new Set(keys).size,
        typed,
        hash: Object.fromEntries(hash),
        set: [...new Set(set)].sort(),
        zset: zset.sort((a, b) => a.score - b.score).slice(0, 2),
        zsetSize: new Set(zset.map((e) => e.member)).size,
      };
    });
    assert.equal(walked.keys, 150);
    assert.deepEqual(walked.typed, ["h"]);
    assert.equal(Object.keys(walked.hash).length, 150);
    assert.equal(walked.hash.f42, "v42");
    assert.deepEqual(walked.set.length, 61); // m1, m10..m19, m100..m149
    assert.deepEqual(walked.zset, [{ member: "m0", score: 0.5 }, { member: "m1", score: 1.5 }]);
    assert.equal(walked.zsetSize, 150);
  });

  it("refuses a scan option that does not apply, before sending", async () => {
    await using redis = await connect(fixture.url);
    await assert.rejects(collect(redis.hscanIterator("h", { type: "hash" })), {
      name: "TypeError",
      message: /Unknown option "type" for hscanIterator\(\)/,
    });
    assert.throws(() => redis.scan(0, { mach: "x" } as never), {
      name: "TypeError",
      message: /mach/,
    });
  });

  it("shapes the replies of typed methods in a pipeline, with errors in place", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.hset("user:1", { name: "Ada" });
      await redis.set("text", "x");
      return await redis.pipeline()
        .hgetall("user:1")
        .incr("n")
        .incrbyfloat("f", 1.5)
        .expire("user:1", 100)
        .hgetall("text") // WRONGTYPE: an error element, the others unharmed
        .send(["GET", "text"])
        .sendMapped(["STRLEN", "text"], (reply) => `${reply} byte`)
        .exec();
    });
    assert.deepEqual({ ...results[0] as object }, { name: "Ada" });
    assert.deepEqual(results.slice(1, 4), [1, 1.5, true]);
    assert.ok(results[4] instanceof ReplyError);
    assert.equal((results[4] as ReplyError).code, "WRONGTYPE");
    assert.deepEqual(results.slice(5), ["x", "1 byte"]);
  });

  it("shapes the replies of typed methods in MULTI/EXEC, and gives null after a failed WATCH", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.hset("user:1", { name: "Ada" });
      return await redis.multi().hgetall("user:1").incr("n").persist("user:1").exec();
    });
    assert.deepEqual({ ...results![0] as object }, { name: "Ada" });
    assert.deepEqual(results!.slice(1), [1, false]);

    const binary = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("b", new Uint8Array([0, 255, 1]));
      await redis.hset("user:1", { name: "Ada" });
      return await redis.multi().getBytes("b").get("user:x").hgetall("user:1").dump("b")
        .sendMapped(["GET", "b"], (r) => r, { bytes: "auto" }).exec();
    });
    assert.deepEqual(binary![0], new Uint8Array([0, 255, 1]));
    assert.equal(binary![1], null);
    assert.deepEqual({ ...binary![2] as object }, { name: "Ada" }); // text, though EXEC read bytes
    assert.ok(binary![3] instanceof Uint8Array);
    assert.deepEqual(binary![4], new Uint8Array([0, 255, 1]));

    await using pool = createPool(fixture.url);
    const outcome = await pool.use(async (conn) => {
      await conn.send(["WATCH", "w"]);
      await pool.set("w", "changed"); // another connection writes the watched key
      return await conn.multi().incr("w2").exec();
    });
    assert.equal(outcome, null);
  });

  it("gives a pool, a pooled connection and sendMapped the same typed methods", async () => {
    await using pool = createPool(fixture.url);
    await pool.hset("p", { a: "1" });
    assert.deepEqual({ ...await pool.hgetall("p") }, { a: "1" });
    assert.equal(await pool.use((conn) => conn.incrby("c", 5)), 5);
    assert.equal(await pool.sendMapped(["HLEN", "p"], (n) => Number(n) * 10), 10);
    const [page] = await pool.pipeline().hgetall("p").exec();
    assert.deepEqual({ ...page as object }, { a: "1" });
  });
});

describe("typed commands on a cluster", () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ replicasPerPrimary: 0 });
  });
  after(() => cluster?.stop());

  it("routes typed methods by key, in a pipeline and in a one-slot transaction", async () => {
    await using redis = connectCluster({ urls: cluster.seeds });
    for (let i = 0; i < 20; i++) await redis.hset(`user:${i}`, { id: String(i) });
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => redis.hgetall(`user:${i}`)));
    assert.deepEqual(all.map((r) => r.id), Array.from({ length: 20 }, (_, i) => String(i)));
    const piped = await redis.pipeline().hgetall("user:3").incr("hits").exec();
    assert.deepEqual({ ...piped[0] as object }, { id: "3" });
    assert.equal(piped[1], 1);
    const tx = await redis.multi().incr("{cart}:n").hgetall("{cart}:items").exec();
    assert.deepEqual([tx![0], { ...tx![1] as object }], [1, {}]);
    await redis.zadd("{z}a", [{ member: "x", score: 1 }]);
    await redis.zadd("{z}b", [{ member: "x", score: 2 }, { member: "y", score: 5 }]);
    assert.deepEqual(await redis.zunion(["{z}a", "{z}b"], { withScores: true }), [
      { member: "x", score: 3 },
      { member: "y", score: 5 },
    ]);
    await redis.rpush("{q}jobs", "j1");
    assert.deepEqual(await redis.lmpop(["{q}other", "{q}jobs"], "LEFT"), {
      key: "{q}jobs",
      elements: ["j1"],
    });
    const id = await redis.xadd("{s}events", "*", { type: "signup" });
    const read = await redis.xread({ "{s}events": "0" }, { count: 5 });
    assert.deepEqual(plain(read), [{
      key: "{s}events",
      entries: [{ id, fields: { type: "signup" } }],
    }]);
    const keys = await collect(redis.scanIterator({ match: "user:*", count: 5 }));
    assert.equal(new Set(keys).size, 20); // every primary, not the one a keyless SCAN reaches
  });
});
