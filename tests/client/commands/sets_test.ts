import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { connect, createPool } from "../../../mod.ts";
import { onBothProtocols } from "./support.ts";

/** A sorted copy: set replies come in no particular order. */
const sorted = (members: string[]): string[] => [...members].sort();

describe("set commands", () => {
  const fixture = useRedis();

  it("sadd and srem count changes; smembers is an array, scard the size", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const members: string[] = await redis.smembers("s");
      return [
        members,
        await redis.sadd("s", "a", "b", "c", 1, 2n),
        await redis.sadd("s", "a", "d"),
        await redis.srem("s", "b", "zz"),
        await redis.srem("missing", "a"),
        Array.isArray(await redis.smembers("s")),
        sorted(await redis.smembers("s")),
        await redis.scard("s"),
        await redis.scard("missing"),
      ];
    });
    assert.deepEqual(result, [[], 5, 1, 1, 0, true, ["1", "2", "a", "c", "d"], 5, 0]);
  });

  it("sismember and smismember answer with booleans; smove with whether it moved", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.sadd("s", "a", "b");
      return [
        await redis.sismember("s", "a"),
        await redis.sismember("s", "z"),
        await redis.sismember("missing", "a"),
        await redis.smismember("s", "a", "z", "b"),
        await redis.smismember("missing", "a"),
        await redis.smove("s", "t", "a"),
        await redis.smove("s", "t", "a"),
        await redis.smove("missing", "t", "a"),
        await redis.smembers("s"),
        await redis.smembers("t"),
      ];
    });
    assert.deepEqual(result, [
      true,
      false,
      false,
      [true, false, true],
      [false],
      true,
      false,
      false,
      ["b"],
      ["a"],
    ]);
  });

  it("spop and srandmember give a member without count and an array with it", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.sadd("one", "only");
      await redis.sadd("many", "a", "b", "c");
      const popped: string[] = await redis.spop("many", 5);
      return [
        await redis.srandmember("one"),
        await redis.srandmember("one", 1),
        await redis.srandmember("one", -3),
        sorted(await redis.srandmember("one", 10)),
        await redis.srandmember("missing"),
        await redis.srandmember("missing", 2),
        await redis.spop("one"),
        await redis.spop("one"),
        sorted(popped),
        await redis.spop("many", 2),
        await redis.spop("missing", 0),
        await redis.exists("one", "many"),
      ];
    });
    assert.deepEqual(result, [
      "only",
      ["only"],
      ["only", "only", "only"],
      ["only"],
      null,
      [],
      "only",
      null,
      ["a", "b", "c"],
      [],
      [],
      0,
    ]);
  });

  it("sinter, sunion and sdiff give arrays; their store forms and sintercard give sizes", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.sadd("x", "a", "b", "c", "d");
      await redis.sadd("y", "c", "d", "e");
      await redis.sadd("z", "d", "e", "f");
      return [
        sorted(await redis.sinter("x", "y")),
        await redis.sinter("x", "y", "z"),
        await redis.sinter("x", "missing"),
        sorted(await redis.sunion("x", "y", "z")),
        sorted(await redis.sdiff("x", "y")),
        sorted(await redis.sdiff("x", "y", "z", "missing")),
        await redis.sinterstore("xy", "x", "y"),
        sorted(await redis.smembers("xy")),
        await redis.sunionstore("all", "x", "z"),
        await redis.sdiffstore("xy", "x", "z"),
        sorted(await redis.smembers("xy")),
        await redis.sinterstore("xy", "x", "missing"),
        await redis.exists("xy"),
        await redis.sintercard(["x", "y"]),
        await redis.sintercard(["x", "y", "z"]),
        await redis.sintercard(["x", "all"], { limit: 3 }),
        await redis.sintercard(["x", "all"], { limit: 0 }),
        await redis.sintercard(["x", "missing"]),
      ];
    });
    assert.deepEqual(result, [
      ["c", "d"],
      ["d"],
      [],
      ["a", "b", "c", "d", "e", "f"],
      ["a", "b"],
      ["a", "b"],
      2,
      ["c", "d"],
      6,
      3,
      ["a", "b", "c"],
      0,
      0,
      2,
      1,
      3,
      4,
      0,
    ]);
  });

  it("sscan gives a string cursor and an array of members", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.sadd("s", "a1", "a2", "b1");
      const [cursor, members] = await redis.sscan("s", 0);
      const matched = await redis.sscan("s", "0", { match: "a*", count: 100 });
      return [cursor, sorted(members), matched[0], sorted(matched[1]), await redis.sscan("no", 0)];
    });
    assert.deepEqual(result, ["0", ["a1", "a2", "b1"], "0", ["a1", "a2"], ["0", []]]);
  });

  it("sscan walks a large set page by page to the same members", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const all = Array.from({ length: 300 }, (_, i) => `m${i}`);
      await redis.sadd("big", ...all);
      const seen = new Set<string>();
      let cursor = "0";
      let pages = 0;
      do {
        const [next, members] = await redis.sscan("big", cursor, { count: 20 });
        for (const member of members) seen.add(member);
        cursor = next;
        pages++;
      } while (cursor !== "0");
      return [pages > 1, seen.size, sorted([...seen]).join() === sorted(all).join()];
    });
    assert.deepEqual(result, [true, 300, true]);
  });

  it("rejects unknown options with a TypeError naming them, before sending", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.sintercard(["s"], { limt: 1 } as never), /"limt".*"limit"/);
    assert.throws(() => redis.sscan("s", 0, { type: "set" }), /"type" for sscan\(\)/);
    assert.throws(() => redis.sscan("s", 0, { matc: "a" } as never), /"matc".*"match"/);
    assert.equal(await redis.scard("s"), 0);
  });

  it("shape their replies in a pipeline and in a transaction, on both protocols", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const piped = await redis.pipeline()
        .sadd("p", "a", "b")
        .smembers("p")
        .sismember("p", "a")
        .smismember("p", "a", "z")
        .sinter("p", "missing")
        .spop("p", 0)
        .sscan("p", 0, { match: "z*" })
        .exec();
      const multi = await redis.multi()
        .sadd("m", "x")
        .smembers("m")
        .smove("m", "n", "x")
        .sunion("m", "n")
        .srandmember("n", 2)
        .sintercard(["n"])
        .exec();
      return [piped[0], sorted(piped[1] as string[]), ...piped.slice(2), multi];
    });
    assert.deepEqual(result, [
      2,
      ["a", "b"],
      true,
      [true, false],
      [],
      [],
      ["0", []],
      [1, ["x"], true, ["x"], ["x"], 1],
    ]);
  });

  it("work on a pool and a pooled connection", async () => {
    await using pool = createPool(fixture.url);
    await pool.send(["DEL", "pool:s", "pool:t"]);
    assert.equal(await pool.sadd("pool:s", "a", "b"), 2);
    assert.deepEqual(sorted(await pool.smembers("pool:s")), ["a", "b"]);
    assert.equal(await pool.sismember("pool:s", "b"), true);
    const moved = await pool.use(async (conn) => [
      await conn.smove("pool:s", "pool:t", "b"),
      await conn.sdiffstore("pool:t", "pool:t", "pool:s"),
    ]);
    assert.deepEqual(moved, [true, 1]);
    assert.deepEqual(await pool.sunion("pool:t"), ["b"]);
  });
});
