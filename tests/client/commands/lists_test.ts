import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { connect, createPool, ReplyError } from "../../../mod.ts";
import { blockedClients, onBothProtocols, untilBlocked } from "./support.ts";

describe("list commands", () => {
  const fixture = useRedis();

  it("lpush, rpush, lpushx and rpushx return the new length; llen and lrange read it", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => [
      await redis.lpushx("l", "x"),
      await redis.rpushx("l", "x"),
      await redis.rpush("l", "b", "c"),
      await redis.lpush("l", "a", 0),
      await redis.lpushx("l", "<"),
      await redis.rpushx("l", ">", 9n),
      await redis.llen("l"),
      await redis.llen("missing"),
      await redis.lrange("l", 0, -1),
      await redis.lrange("l", 1, 2),
      await redis.lrange("l", -2, -1),
      await redis.lrange("missing", 0, -1),
    ]);
    assert.deepEqual(result, [
      0,
      0,
      2,
      4,
      5,
      7,
      7,
      0,
      ["<", "0", "a", "b", "c", ">", "9"],
      ["0", "a"],
      [">", "9"],
      [],
    ]);
  });

  it("lpop and rpop give an element without count and an array with it, null when missing", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.rpush("l", "a", "b", "c", "d", "e", "f");
      return [
        await redis.lpop("l"),
        await redis.rpop("l"),
        await redis.lpop("l", 2),
        await redis.rpop("l", 1),
        await redis.lpop("l", 0),
        await redis.rpop("l", 5),
        await redis.lpop("l"),
        await redis.rpop("l"),
        await redis.lpop("l", 3),
        await redis.rpop("l", 3),
      ];
    });
    assert.deepEqual(result, ["a", "f", ["b", "c"], ["e"], [], ["d"], null, null, null, null]);
  });

  it("lindex, lset, linsert, lrem and ltrim edit the list in place", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.rpush("l", "a", "x", "c", "x", "d", "x");
      const out: unknown[] = [
        await redis.lindex("l", 0),
        await redis.lindex("l", -1),
        await redis.lindex("l", 99),
        await redis.lset("l", 0, "A"),
        await redis.lset("l", -1, 7),
        await redis.linsert("l", "BEFORE", "c", "b"),
        await redis.linsert("l", "AFTER", "d", "e"),
        await redis.linsert("l", "AFTER", "nope", "e"),
        await redis.linsert("missing", "BEFORE", "a", "b"),
        await redis.lrange("l", 0, -1),
        await redis.lrem("l", 1, "x"),
        await redis.lrem("l", -1, "x"),
        await redis.lrem("l", 0, "x"),
        await redis.lrange("l", 0, -1),
        await redis.ltrim("l", 1, -2),
        await redis.lrange("l", 0, -1),
      ];
      const error = await redis.lset("missing", 0, "v").catch((e) => e);
      assert.ok(error instanceof ReplyError);
      out.push(error.message);
      return out;
    });
    assert.deepEqual(result, [
      "a",
      "x",
      null,
      "OK",
      "OK",
      7,
      8,
      -1,
      0,
      ["A", "x", "b", "c", "x", "d", "e", "7"],
      1,
      1,
      0,
      ["A", "b", "c", "d", "e", "7"],
      "OK",
      ["b", "c", "d", "e"],
      "ERR no such key",
    ]);
  });

  it("lpos gives an index or null, and an array of indexes with count", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.rpush("l", "a", "b", "c", "a", "b", "a");
      const none: number | null = await redis.lpos("l", "z");
      const all: number[] = await redis.lpos("l", "a", { count: 0 });
      return [
        await redis.lpos("l", "a"),
        await redis.lpos("l", "b"),
        none,
        await redis.lpos("l", "a", { rank: 2 }),
        await redis.lpos("l", "a", { rank: -1 }),
        await redis.lpos("l", "a", { rank: 4 }),
        all,
        await redis.lpos("l", "a", { count: 2 }),
        await redis.lpos("l", "a", { count: 0, rank: -1 }),
        await redis.lpos("l", "a", { count: 0, maxlen: 4 }),
        await redis.lpos("l", "z", { count: 3 }),
        await redis.lpos("missing", "a"),
        await redis.lpos("missing", "a", { count: 1 }),
      ];
    });
    assert.deepEqual(result, [
      0,
      1,
      null,
      3,
      5,
      null,
      [0, 3, 5],
      [0, 3],
      [5, 3, 0],
      [0, 3],
      [],
      null,
      [],
    ]);
  });

  it("lmove, lmpop and rpoplpush move elements between lists", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.rpush("src", "a", "b", "c", "d", "e");
      return [
        await redis.lmove("src", "dst", "LEFT", "RIGHT"),
        await redis.lmove("src", "dst", "RIGHT", "LEFT"),
        await redis.lmove("src", "src", "LEFT", "RIGHT"),
        await redis.lmove("missing", "dst", "LEFT", "LEFT"),
        await redis.rpoplpush("src", "dst"),
        await redis.rpoplpush("missing", "dst"),
        await redis.lrange("src", 0, -1),
        await redis.lrange("dst", 0, -1),
        await redis.lmpop(["missing", "dst"], "LEFT"),
        await redis.lmpop(["src", "dst"], "RIGHT", { count: 5 }),
        await redis.lmpop(["dst"], "LEFT", { count: 2 }),
        await redis.lmpop(["missing", "src"], "LEFT", { count: 2 }),
      ];
    });
    assert.deepEqual(result, [
      "a",
      "e",
      "b",
      null,
      "b",
      null,
      ["c", "d"],
      ["b", "e", "a"],
      { key: "dst", elements: ["b"] },
      { key: "src", elements: ["d", "c"] },
      { key: "dst", elements: ["e", "a"] },
      null,
    ]);
  });

  it("rejects unknown options with a TypeError naming them, before sending", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(
      () => redis.lpos("l", "a", { rnak: 1 } as never),
      /Unknown option "rnak".*"rank"/,
    );
    assert.throws(() => redis.lmpop(["l"], "LEFT", { cont: 1 } as never), /"cont".*lmpop\(\)/);
    assert.throws(() => redis.blmpop(1, ["l"], "LEFT", { max: 1 } as never), /"max".*blmpop\(\)/);
    assert.throws(() => redis.pipeline().lpos("l", "a", { len: 3 } as never), /"len"/);
    assert.equal(await redis.llen("l"), 0);
  });

  it("shape their replies in a pipeline and in a transaction, on both protocols", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => [
      await redis.pipeline()
        .rpush("pl", "a", "b", "c", "a")
        .lpop("pl")
        .rpop("pl", 2)
        .lpos("pl", "b", { count: 0 })
        .lmpop(["pl"], "LEFT")
        .rpush("pl", "z")
        .blpop("pl", 1)
        .blmpop(0.1, ["pl"], "LEFT")
        .exec(),
      // Inside MULTI a blocking command does not block: it answers at once.
      await redis.multi()
        .rpush("pl:2", "x", "y")
        .lmove("pl:2", "pl:2", "LEFT", "RIGHT")
        .lrange("pl:2", 0, -1)
        .lmpop(["pl:2"], "RIGHT", { count: 2 })
        .brpop("pl:2", 0)
        .rpush("pl:2", "w")
        .blpop("pl:2", 0)
        .exec(),
    ]);
    assert.deepEqual(result, [
      [
        4,
        "a",
        ["a", "c"],
        [0],
        { key: "pl", elements: ["b"] },
        1,
        { key: "pl", element: "z" },
        null,
      ],
      [2, "x", ["y", "x"], { key: "pl:2", elements: ["x", "y"] }, null, 1, {
        key: "pl:2",
        element: "w",
      }],
    ]);
  });

  it("work on a pool and a pooled connection", async () => {
    await using pool = createPool(fixture.url);
    await pool.send(["DEL", "pool:l"]);
    assert.equal(await pool.rpush("pool:l", "a", "b", "c"), 3);
    assert.deepEqual(await pool.lpop("pool:l", 2), ["a", "b"]);
    assert.deepEqual(await pool.lmpop(["pool:l"], "LEFT"), { key: "pool:l", elements: ["c"] });
    const lengths = await pool.use(async (conn) => [
      await conn.lpush("pool:l", "x"),
      await conn.linsert("pool:l", "AFTER", "x", "y"),
    ]);
    assert.deepEqual(lengths, [1, 2]);
    assert.deepEqual(await pool.lrange("pool:l", 0, -1), ["x", "y"]);
  });
});

describe("blocking list commands", () => {
  const fixture = useRedis();

  it("return null when the server timeout passes with nothing to pop", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => [
      await redis.blpop("empty", 0.1),
      await redis.brpop(["empty", "empty:2"], 0.1),
      await redis.blmove("empty", "dst", "LEFT", "RIGHT", 0.1),
      await redis.blmpop(0.1, ["empty", "empty:2"], "LEFT", { count: 2 }),
      await redis.brpoplpush("empty", "dst", 0.1),
      await redis.exists("dst"),
    ]);
    assert.deepEqual(result, [null, null, null, null, null, 0]);
  });

  it("serve an element that is already there at once", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.rpush("q:2", "a", "b", "c", "d", "e", "f", "g");
      return [
        await redis.blpop(["q:1", "q:2"], 0),
        await redis.brpop("q:2", 1),
        await redis.blmove("q:2", "dst", "RIGHT", "LEFT", 1),
        await redis.blmpop(1, ["q:1", "q:2"], "LEFT", { count: 2 }),
        await redis.blmpop(0, ["q:2"], "RIGHT"),
        await redis.brpoplpush("q:2", "dst", 1),
        await redis.lrange("dst", 0, -1),
        await redis.exists("q:2"),
      ];
    });
    assert.deepEqual(result, [
      { key: "q:2", element: "a" },
      { key: "q:2", element: "g" },
      "f",
      { key: "q:2", elements: ["b", "c"] },
      { key: "q:2", elements: ["e"] },
      "d",
      ["d", "f"],
      0,
    ]);
  });

  it("wait for another client's push when the timeout is 0", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await using other = await connect(fixture.url);
      const popped = redis.blpop(["wait:1", "wait:2"], 0);
      await untilBlocked(other, 1);
      await other.rpush("wait:2", "hello");
      const moved = redis.blmove("wait:3", "done", "LEFT", "LEFT", 0);
      await untilBlocked(other, 1);
      await other.rpush("wait:3", "job");
      return [await popped, await moved, await other.lrange("done", 0, -1)];
    });
    assert.deepEqual(result, [{ key: "wait:2", element: "hello" }, "job", ["job"]]);
  });

  it("a blocked blpop on a pool does not hold up the pool's other commands", async () => {
    await using admin = await connect(fixture.url);
    await using pool = createPool(fixture.url);
    await pool.send(["DEL", "pool:q"]);
    const popped = pool.blpop("pool:q", 0);
    await untilBlocked(admin, 1);
    assert.equal(await pool.set("pool:k", "v"), "OK");
    assert.equal(await pool.get("pool:k"), "v");
    assert.equal(await blockedClients(admin), 1);
    assert.equal(await pool.rpush("pool:q", "released"), 1);
    assert.deepEqual(await popped, { key: "pool:q", element: "released" });
  });

  it("reject a negative or non-finite timeout with a TypeError, before sending", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.blpop("q", -1), /Invalid timeout -1 for blpop\(\)/);
    assert.throws(() => redis.brpop("q", Number.NaN), /brpop\(\)/);
    assert.throws(() => redis.blmove("q", "d", "LEFT", "LEFT", Infinity), /blmove\(\)/);
    assert.throws(() => redis.blmpop(-0.5, ["q"], "LEFT"), /blmpop\(\)/);
    assert.throws(() => redis.brpoplpush("q", "d", "1" as never), /brpoplpush\(\)/);
    assert.throws(() => redis.pipeline().blpop("q", -1), /blpop\(\)/);
    assert.equal(await blockedClients(redis), 0);
  });
});
