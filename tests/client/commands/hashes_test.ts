import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { connect, createPool, ReplyError } from "../../../mod.ts";
import { onBothProtocols, plain } from "./support.ts";

const byField = (a: [string, string], b: [string, string]) => a[0] < b[0] ? -1 : 1;

describe("hash commands", () => {
  const fixture = useRedis();

  it("hset, hget, hgetall and hdel keep their shapes; hset takes pairs too", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      return [
        await redis.hset("h", { a: "1", b: 2 }),
        await redis.hset("h", [["b", "3"], ["c", "4"]]),
        await redis.hset("h", new Map([["d", "5"]])),
        await redis.hget("h", "b"),
        await redis.hget("h", "missing"),
        await redis.hgetall("h"),
        await redis.hgetall("missing"),
        await redis.hdel("h", "a", "d", "missing"),
        await redis.hgetall("h"),
      ];
    });
    assert.deepEqual(plain(result), [
      2,
      1,
      1,
      "3",
      null,
      { a: "1", b: "3", c: "4", d: "5" },
      {},
      2,
      { b: "3", c: "4" },
    ]);
  });

  it("hsetnx() and hexists() answer with booleans", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      return [
        await redis.hsetnx("h", "f", "first"),
        await redis.hsetnx("h", "f", "second"),
        await redis.hget("h", "f"),
        await redis.hexists("h", "f"),
        await redis.hexists("h", "g"),
        await redis.hexists("missing", "f"),
      ];
    });
    assert.deepEqual(result, [true, false, "first", true, false, false]);
  });

  it("hmget(), hkeys(), hvals(), hlen() and hstrlen() read the hash", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.hset("h", [["name", "Ada"], ["born", "1815"], ["bio", "héllo"]]);
      return [
        await redis.hmget("h", "name", "missing", "born"),
        await redis.hmget("missing", "a"),
        await redis.hkeys("h"),
        await redis.hvals("h"),
        await redis.hkeys("missing"),
        await redis.hvals("missing"),
        await redis.hlen("h"),
        await redis.hlen("missing"),
        await redis.hstrlen("h", "bio"),
        await redis.hstrlen("h", "missing"),
      ];
    });
    assert.deepEqual(result, [
      ["Ada", null, "1815"],
      [null],
      ["name", "born", "bio"],
      ["Ada", "1815", "héllo"],
      [],
      [],
      3,
      0,
      6,
      0,
    ]);
  });

  it("hincrby() and hincrbyfloat() give numbers on both protocols", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      return [
        await redis.hincrby("h", "n", 5),
        await redis.hincrby("h", "n", -7),
        await redis.hincrby("h", "big", 2n ** 40n),
        await redis.hincrbyfloat("h", "f", 10.5),
        await redis.hincrbyfloat("h", "f", 0.1),
        await redis.hincrbyfloat("h", "n", -0.5),
        await redis.hincrbyfloat("h", "g", 5e3),
        await redis.hgetall("h"),
      ];
    });
    assert.deepEqual(plain(result), [
      5,
      -2,
      2 ** 40,
      10.5,
      10.6,
      -2.5,
      5000,
      { n: "-2.5", big: String(2 ** 40), f: "10.6", g: "5000" },
    ]);
  });

  it("hincrby() on a non-integer field is a ReplyError", async () => {
    await using redis = await connect(fixture.url);
    await redis.hset("h", { text: "abc" });
    await assert.rejects(redis.hincrby("h", "text", 1), ReplyError);
    await assert.rejects(redis.hincrbyfloat("h", "text", 1), ReplyError);
  });

  it("hscan() pages through [field, value] pairs with match and count", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.hset("small", { a: "1", b: "2", other: "3" });
      // More fields than hash-max-listpack-entries (512), so the hash is a hashtable that HSCAN pages.
      const fields = Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`] as [string, string]);
      await redis.hset("big", fields);
      const seen: [string, string][] = [];
      let cursor = "0";
      let calls = 0;
      do {
        const [next, page] = await redis.hscan("big", cursor, { count: 50 });
        assert.equal(typeof next, "string");
        seen.push(...page);
        cursor = next;
        calls++;
      } while (cursor !== "0");
      const unique = new Map(seen);
      return [
        await redis.hscan("small", 0),
        await redis.hscan("small", "0", { match: "o*" }),
        await redis.hscan("missing", 0),
        calls > 1,
        unique.size,
        [...unique].every(([field, value]) => value === `v${field.slice(1)}`),
      ];
    });
    assert.deepEqual(result, [
      ["0", [["a", "1"], ["b", "2"], ["other", "3"]]],
      ["0", [["other", "3"]]],
      ["0", []],
      true,
      600,
      true,
    ]);
  });

  it("hscan() refuses the type option, which only scan() has", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.hscan("h", 0, { type: "hash" } as never), /only scan\(\)/);
    assert.throws(() => redis.hscan("h", 0, { mtach: "a" } as never), /did you mean "match"/);
  });

  it("hrandfield() gives a field, fields, or [field, value] pairs on both protocols", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.hset("one", { f: "v" });
      await redis.hset("two", { a: "1", b: "2" });
      return [
        await redis.hrandfield("one"),
        await redis.hrandfield("missing"),
        await redis.hrandfield("one", 1),
        await redis.hrandfield("one", -3),
        (await redis.hrandfield("two", 5)).sort(),
        await redis.hrandfield("missing", 2),
        await redis.hrandfield("one", 1, { withValues: true }),
        await redis.hrandfield("one", -2, { withValues: true }),
        (await redis.hrandfield("two", 2, { withValues: true })).sort(byField),
        await redis.hrandfield("missing", 2, { withValues: true }),
      ];
    });
    assert.deepEqual(result, [
      "f",
      null,
      ["f"],
      ["f", "f", "f"],
      ["a", "b"],
      [],
      [["f", "v"]],
      [["f", "v"], ["f", "v"]],
      [["a", "1"], ["b", "2"]],
      [],
    ]);
  });

  it("hrandfield() refuses unknown options", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(
      () => redis.hrandfield("h", 1, { withvalues: true } as never),
      /Unknown option "withvalues"/,
    );
  });
});

describe("hash commands on other surfaces", () => {
  const fixture = useRedis();

  it("shape their replies in a pipeline", async () => {
    await using redis = await connect(fixture.url);
    await redis.flushdb();
    const results = await redis.pipeline()
      .hset("h", { a: "1", b: "2" })
      .hsetnx("h", "a", "x")
      .hmget("h", "a", "z")
      .hincrbyfloat("h", "b", 0.25)
      .hexists("h", "b")
      .hscan("h", 0)
      .hset("one", { f: "v" })
      .hrandfield("one", -2, { withValues: true })
      .hrandfield("missing")
      .hgetall("h")
      .exec();
    assert.deepEqual(plain(results), [
      2,
      false,
      ["1", null],
      2.25,
      true,
      ["0", [["a", "1"], ["b", "2.25"]]],
      1,
      [["f", "v"], ["f", "v"]],
      null,
      { a: "1", b: "2.25" },
    ]);
  });

  it("shape their replies in a transaction", async () => {
    await using redis = await connect(fixture.url);
    await redis.flushdb();
    const results = await redis.multi()
      .hset("h", [["only", "v"]])
      .hincrby("h", "n", 3)
      .hkeys("h")
      .hvals("h")
      .hlen("h")
      .hstrlen("h", "only")
      .hrandfield("h", 5, { withValues: true })
      .hscan("h", 0, { match: "o*" })
      .exec();
    assert.ok(results !== null);
    (results[6] as [string, string][]).sort(byField);
    assert.deepEqual(results, [
      1,
      3,
      ["only", "n"],
      ["v", "3"],
      2,
      1,
      [["n", "3"], ["only", "v"]],
      ["0", [["only", "v"]]],
    ]);
  });

  it("work on a pool", async () => {
    await using pool = createPool(fixture.url);
    await pool.flushdb("SYNC");
    assert.equal(await pool.hset("h", { a: "1" }), 1);
    assert.equal(await pool.hsetnx("h", "b", "2"), true);
    assert.deepEqual(await pool.hmget("h", "a", "b"), ["1", "2"]);
    assert.equal(await pool.hincrby("h", "a", 9), 10);
    assert.equal(await pool.hincrbyfloat("h", "a", 0.5), 10.5);
    assert.equal(await pool.hexists("h", "c"), false);
    assert.equal(await pool.hlen("h"), 2);
    assert.deepEqual(await pool.hscan("h", 0, { match: "b" }), ["0", [["b", "2"]]]);
    await pool.hset("one", { f: "v" });
    assert.deepEqual(await pool.hrandfield("one", -2, { withValues: true }), [["f", "v"], [
      "f",
      "v",
    ]]);
    assert.deepEqual(await pool.hrandfield("one", 2, { withValues: false }), ["f"]);
  });
});
