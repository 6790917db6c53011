import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { connect, createPool, ReplyError } from "../../../mod.ts";
import { onBothProtocols, plain } from "./support.ts";

const HOUR = 3_600_000;
/** A fixed Unix time about a year away, in whole seconds (so EXAT/PXAT read back exactly). */
const future = () => Math.floor(Date.now() / 1000) + 365 * 86_400;

describe("server commands", () => {
  const fixture = useRedis();

  it("ping, echo, publish, dbsize and info answer the same on both protocols", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("a", "1");
      const info = await redis.info("server");
      return [
        await redis.ping(),
        await redis.ping("hi"),
        await redis.echo("x y"),
        await redis.publish("nobody-listens", "m"),
        await redis.dbsize(),
        info.includes("redis_version:"),
      ];
    });
    assert.deepEqual(result, ["PONG", "hi", "x y", 0, 1, true]);
  });

  it("time() gives the server clock as { seconds, microseconds } numbers", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const before = Math.floor(Date.now() / 1000);
      const time = await redis.time();
      const after = Math.ceil(Date.now() / 1000);
      return {
        keys: Object.keys(time),
        types: [typeof time.seconds, typeof time.microseconds],
        integers: Number.isInteger(time.seconds) && Number.isInteger(time.microseconds),
        secondsNow: time.seconds >= before - 1 && time.seconds <= after + 1,
        microsInRange: time.microseconds >= 0 && time.microseconds < 1_000_000,
      };
    });
    assert.deepEqual(result, {
      keys: ["seconds", "microseconds"],
      types: ["number", "number"],
      integers: true,
      secondsNow: true,
      microsInRange: true,
    });
  });

  it("flushdb() empties the database, with or without a mode", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const sizes: (number | string)[] = [];
      for (const mode of [undefined, "SYNC", "ASYNC"] as const) {
        await redis.mset({ a: "1", b: "2" });
        sizes.push(await redis.dbsize(), await redis.flushdb(mode), await redis.dbsize());
      }
      return sizes;
    });
    assert.deepEqual(result, [2, "OK", 0, 2, "OK", 0, 2, "OK", 0]);
  });
});

describe("key commands", () => {
  const fixture = useRedis();

  it("copy() copies within the database and into another one", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("src", "v1");
      const first = await redis.copy("src", "dst");
      await redis.set("src", "v2");
      const blocked = await redis.copy("src", "dst");
      const kept = await redis.get("dst");
      const replaced = await redis.copy("src", "dst", { replace: true });
      const missing = await redis.copy("nothing", "dst2");
      const otherDb = await redis.copy("src", "copied", { db: 1, replace: true });
      await using db1 = await connect(`${fixture.url}/1`);
      const there = await db1.getdel("copied");
      return [first, blocked, kept, replaced, await redis.get("dst"), missing, otherDb, there];
    });
    assert.deepEqual(result, [true, false, "v1", true, "v2", false, true, "v2"]);
  });

  it("rename() and renamenx() move keys", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.mset({ a: "1", b: "2" });
      const renamed = await redis.rename("a", "c");
      const error = await redis.rename("a", "d").catch((e: unknown) => e);
      const taken = await redis.renamenx("c", "b");
      const free = await redis.renamenx("c", "e");
      return [
        renamed,
        error instanceof ReplyError ? error.code : error,
        taken,
        free,
        await redis.mget("a", "b", "c", "e"),
      ];
    });
    assert.deepEqual(result, ["OK", "ERR", false, true, [null, "2", null, "1"]]);
  });

  it("touch(), randomkey() and keys() look at the keyspace", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const empty = await redis.randomkey();
      await redis.set("only", "1");
      const only = await redis.randomkey();
      await redis.mset({ "k:1": "a", "k:2": "b", "other": "c" });
      return [
        empty,
        only,
        await redis.touch("only", "k:1", "missing"),
        (await redis.keys("k:*")).sort(),
        await redis.keys("none:*"),
      ];
    });
    assert.deepEqual(result, [null, "only", 2, ["k:1", "k:2"], []]);
  });

  it("object() reports encoding, refcount, idle time and LFU frequency", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("n", 12);
      await redis.set("s", "text");
      await redis.set("src", "v");
      const payload = await redis.dump("src");
      await redis.restore("idle", 0, payload!, { idletime: 1000 });
      const idle = await redis.object("IDLETIME", "idle");
      const out = [
        await redis.object("ENCODING", "n"),
        await redis.object("ENCODING", "s"),
        await redis.object("ENCODING", "missing"),
        await redis.object("REFCOUNT", "s"),
        await redis.object("REFCOUNT", "missing"),
        idle !== null && idle >= 1000 && idle < 1010,
        await redis.object("IDLETIME", "missing"),
      ];
      await redis.send(["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-decay-time", "0"]);
      try {
        await redis.restore("hot", 0, payload!, { freq: 5 });
        out.push(await redis.object("FREQ", "hot"), await redis.object("FREQ", "missing"));
      } finally {
        await redis.send([
          "CONFIG",
          "SET",
          "maxmemory-policy",
          "noeviction",
          "lfu-decay-time",
          "1",
        ]);
      }
      return out;
    });
    assert.deepEqual(result, ["int", "embstr", null, 1, null, true, null, 5, null]);
  });

  it("dump() gives bytes that restore() turns back into the key", async () => {
    const at = Date.now() + HOUR;
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.hset("h", { f: "v" });
      const payload = await redis.dump("h");
      assert.ok(payload instanceof Uint8Array);
      const restored = await redis.restore("copy", 0, payload);
      const busy = await redis.restore("copy", 0, payload).catch((e: ReplyError) => e.code);
      const replaced = await redis.restore("copy", 60_000, payload, { replace: true });
      const pttl = await redis.pttl("copy");
      await redis.restore("abs", at, payload, { absttl: true });
      return [
        await redis.dump("missing"),
        restored,
        busy,
        replaced,
        pttl > 0 && pttl <= 60_000,
        await redis.pexpiretime("abs"),
        await redis.hgetall("copy"),
        payload,
      ];
    });
    assert.deepEqual(plain(result.slice(0, 7)), [null, "OK", "BUSYKEY", "OK", true, at, {
      f: "v",
    }]);
  });

  it("restore() refuses contradictory or unknown options before sending", async () => {
    await using redis = await connect(fixture.url);
    const bytes = new Uint8Array([0]);
    assert.throws(() => redis.restore("k", 0, bytes, { idletime: 1, freq: 1 }), TypeError);
    assert.throws(() => redis.restore("k", 0, bytes, { ttl: 1 } as never), /Unknown option "ttl"/);
    assert.throws(() => redis.copy("a", "b", { replce: true } as never), /did you mean "replace"/);
    assert.throws(() => redis.sort("k", { order: "UP" } as never), /Invalid order "UP"/);
  });

  it("sort() sorts numerically, alphabetically, by and get other keys, and stores", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.send(["RPUSH", "ids", "3", "1", "2"]);
      await redis.send(["RPUSH", "names", "bob", "Al", "carol"]);
      await redis.mset({ w_1: "30", w_2: "10", w_3: "20", n_1: "one", n_3: "three" });
      return [
        await redis.sort("ids"),
        await redis.sort("ids", { order: "DESC", limit: { offset: 0, count: 2 } }),
        await redis.sort("names", { alpha: true }),
        await redis.sort("ids", { by: "w_*" }),
        await redis.sort("ids", { by: "nosort" }),
        await redis.sort("ids", { get: ["#", "n_*"] }),
        await redis.sort("ids", { get: "n_*", order: "DESC" }),
        await redis.sort("ids", { order: "DESC", store: "ids:sorted" }),
        await redis.send(["LRANGE", "ids:sorted", "0", "-1"]),
      ];
    });
    assert.deepEqual(result, [
      ["1", "2", "3"],
      ["3", "2"],
      ["Al", "bob", "carol"],
      ["2", "3", "1"],
      ["3", "1", "2"],
      ["1", "one", "2", null, "3", "three"],
      ["three", null, "one"],
      3,
      ["3", "2", "1"],
    ]);
  });

  it("del, unlink, exists, type and scan keep their shapes", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.mset({ a: "1", b: "2", c: "3" });
      await redis.hset("h", { f: "v" });
      const [cursor, page] = await redis.scan(0, { match: "h*", count: 100 });
      return [
        await redis.exists("a", "a", "missing"),
        await redis.type("h"),
        await redis.type("missing"),
        cursor,
        page,
        await redis.del("a", "missing"),
        await redis.unlink("b", "c"),
      ];
    });
    assert.deepEqual(result, [2, "hash", "none", "0", ["h"], 1, 2]);
  });
});

describe("expiry commands", () => {
  const fixture = useRedis();

  it("expiretime() and pexpiretime() give the exact expiry, -1 or -2", async () => {
    const at = future();
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("s", "1", { exat: at });
      await redis.set("ms", "1", { pxat: at * 1000 + 123 });
      await redis.set("forever", "1");
      return [
        await redis.expiretime("s"),
        await redis.pexpiretime("s"),
        await redis.expiretime("ms"),
        await redis.pexpiretime("ms"),
        await redis.expiretime("forever"),
        await redis.pexpiretime("forever"),
        await redis.expiretime("missing"),
        await redis.pexpiretime("missing"),
      ];
    });
    assert.deepEqual(result, [at, at * 1000, at, at * 1000 + 123, -1, -1, -2, -2]);
  });

  it("expire, pexpire, expireat, pexpireat, ttl, pttl and persist keep their shapes", async () => {
    const at = future();
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("k", "v");
      const out: unknown[] = [
        await redis.expire("k", 100, "NX"),
        await redis.expire("k", 50, "GT"),
        await redis.pexpire("k", 200_000),
        await redis.expireat("k", new Date(at * 1000)),
        await redis.expiretime("k"),
        await redis.pexpireat("k", at * 1000 + 5),
        await redis.pexpiretime("k"),
        (await redis.ttl("k")) > 0,
        (await redis.pttl("k")) > 0,
        await redis.persist("k"),
        await redis.persist("k"),
        await redis.ttl("k"),
        await redis.pttl("missing"),
      ];
      return out;
    });
    assert.deepEqual(result, [
      true,
      false,
      true,
      true,
      at,
      true,
      at * 1000 + 5,
      true,
      true,
      true,
      false,
      -1,
      -2,
    ]);
  });
});

describe("string commands", () => {
  const fixture = useRedis();

  it("getex() reads and sets, changes or removes the time to live", async () => {
    const at = future();
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("k", "v");
      const out: unknown[] = [await redis.getex("k"), await redis.ttl("k")];
      out.push(await redis.getex("k", { exat: at }), await redis.expiretime("k"));
      out.push(await redis.getex("k", { pxat: at * 1000 + 7 }), await redis.pexpiretime("k"));
      out.push(await redis.getex("k", { persist: true }), await redis.ttl("k"));
      out.push(await redis.getex("k", { ex: 100 }));
      const ttl = await redis.ttl("k");
      out.push(ttl > 0 && ttl <= 100);
      out.push(await redis.getex("k", { px: 100_000 }));
      const pttl = await redis.pttl("k");
      out.push(pttl > 0 && pttl <= 100_000);
      out.push(await redis.getex("missing", { ex: 5 }));
      return out;
    });
    assert.deepEqual(result, [
      "v",
      -1,
      "v",
      at,
      "v",
      at * 1000 + 7,
      "v",
      -1,
      "v",
      true,
      "v",
      true,
      null,
    ]);
  });

  it("getex() refuses more than one expiry option, and unknown ones", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.getex("k", { ex: 1, persist: true }), /Cannot combine/);
    assert.throws(() => redis.getex("k", { ex: 1, pxat: 1 }), TypeError);
    assert.throws(() => redis.getex("k", { keepTtl: true } as never), /Unknown option "keepTtl"/);
  });

  it("getset(), setnx(), setex(), psetex() and msetnx() write conditionally or with a TTL", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const out: unknown[] = [await redis.getset("g", "1")];
      await redis.expire("g", 100);
      out.push(await redis.getset("g", 2), await redis.ttl("g"), await redis.get("g"));
      out.push(await redis.setnx("n", "a"), await redis.setnx("n", "b"), await redis.get("n"));
      out.push(await redis.setex("e", 100, "x"));
      const ttl = await redis.ttl("e");
      out.push(ttl > 0 && ttl <= 100, await redis.get("e"));
      out.push(await redis.psetex("p", 100_000, "y"));
      const pttl = await redis.pttl("p");
      out.push(pttl > 0 && pttl <= 100_000, await redis.get("p"));
      out.push(await redis.msetnx({ m1: "1", m2: 2 }));
      out.push(await redis.msetnx([["m3", "3"], ["m1", "again"]]));
      out.push(await redis.msetnx(new Map([["m4", "4"], ["m5", "5"]])));
      out.push(await redis.mget("m1", "m2", "m3", "m4", "m5"));
      return out;
    });
    assert.deepEqual(result, [
      null,
      "1",
      -1,
      "2",
      true,
      false,
      "a",
      "OK",
      true,
      "x",
      "OK",
      true,
      "y",
      true,
      false,
      true,
      ["1", "2", null, "4", "5"],
    ]);
  });

  it("append(), strlen(), getrange() and setrange() work on bytes", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      return [
        await redis.append("s", "Hello"),
        await redis.append("s", ", world"),
        await redis.strlen("s"),
        await redis.strlen("missing"),
        await redis.getrange("s", 0, 4),
        await redis.getrange("s", -5, -1),
        await redis.getrange("missing", 0, 10),
        await redis.setrange("s", 7, "Redis"),
        await redis.get("s"),
        await redis.setrange("pad", 3, "x"),
        await redis.get("pad"),
        await redis.append("u", "é"),
      ];
    });
    assert.deepEqual(result, [
      5,
      12,
      12,
      0,
      "Hello",
      "world",
      "",
      12,
      "Hello, Redis",
      4,
      "\0\0\0x",
      2,
    ]);
  });

  it("lcs() gives the subsequence, its length, or the matching ranges", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.mset({ a: "ohmytext", b: "mynewtext" });
      return [
        await redis.lcs("a", "b"),
        await redis.lcs("a", "missing"),
        await redis.lcs("a", "b", { len: true }),
        await redis.lcs("a", "b", { idx: true }),
        await redis.lcs("a", "b", { idx: true, withMatchLen: true }),
        await redis.lcs("a", "b", { idx: true, minMatchLen: 4, withMatchLen: true }),
      ];
    });
    assert.deepEqual(result, [
      "mytext",
      "",
      6,
      { matches: [{ key1: [4, 7], key2: [5, 8] }, { key1: [2, 3], key2: [0, 1] }], len: 6 },
      {
        matches: [
          { key1: [4, 7], key2: [5, 8], length: 4 },
          { key1: [2, 3], key2: [0, 1], length: 2 },
        ],
        len: 6,
      },
      { matches: [{ key1: [4, 7], key2: [5, 8], length: 4 }], len: 6 },
    ]);
  });

  it("lcs() refuses len with idx, and idx-only options without idx", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.lcs("a", "b", { len: true, idx: true } as never), /len and idx/);
    assert.throws(() => redis.lcs("a", "b", { minMatchLen: 2 } as never), /without idx/);
    assert.throws(() => redis.lcs("a", "b", { index: true } as never), /Unknown option "index"/);
  });

  it("get, getBytes, set, getdel, mget and mset keep their shapes", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      return [
        await redis.set("k", "v", { ex: 100, nx: true }),
        await redis.set("k", "w", { nx: true }),
        await redis.set("k", "w", { xx: true, keepTtl: true, get: true }),
        await redis.get("k"),
        await redis.getBytes("k"),
        await redis.getBytes("missing"),
        await redis.mset([["a", "1"], ["b", 2]]),
        await redis.mget("a", "b", "missing"),
        await redis.getdel("a"),
        await redis.getdel("a"),
      ];
    });
    assert.deepEqual(result, [
      "OK",
      null,
      "v",
      "w",
      new TextEncoder().encode("w"),
      null,
      "OK",
      ["1", "2", null],
      "1",
      null,
    ]);
  });
});

describe("counter commands", () => {
  const fixture = useRedis();

  it("incr, incrby, incrbyfloat, decr and decrby give numbers on both protocols", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      return [
        await redis.incr("n"),
        await redis.incrby("n", 9),
        await redis.incrby("n", 2n ** 40n),
        await redis.decrby("n", 2n ** 40n),
        await redis.decr("n"),
        await redis.decrby("n", 20),
        await redis.incrbyfloat("f", 10.5),
        await redis.incrbyfloat("f", 0.1),
        await redis.incrbyfloat("f", -20),
        await redis.incrbyfloat("n", 1.5),
        await redis.get("n"),
      ];
    });
    assert.deepEqual(result, [1, 10, 2 ** 40 + 10, 10, 9, -11, 10.5, 10.6, -9.4, -9.5, "-9.5"]);
  });

  it("a counter over a non-number is a ReplyError", async () => {
    await using redis = await connect(fixture.url);
    await redis.set("text", "abc");
    await assert.rejects(redis.incr("text"), ReplyError);
    await assert.rejects(redis.incrbyfloat("text", 1), ReplyError);
  });
});

describe("string and key commands on other surfaces", () => {
  const fixture = useRedis();

  it("shape their replies in a pipeline", async () => {
    await using redis = await connect(fixture.url);
    await redis.flushdb();
    const at = future();
    const results = await redis.pipeline()
      .set("a", "ohmytext")
      .set("b", "mynewtext")
      .getex("a", { exat: at })
      .expiretime("a")
      .copy("a", "c")
      .renamenx("c", "b")
      .lcs("a", "b", { idx: true, minMatchLen: 4 })
      .dump("a")
      .setnx("a", "x")
      .time()
      .incrbyfloat("f", 1.25)
      .exec();
    assert.deepEqual(results.slice(0, 7), [
      "OK",
      "OK",
      "ohmytext",
      at,
      true,
      false,
      { matches: [{ key1: [4, 7], key2: [5, 8] }], len: 6 },
    ]);
    assert.ok(results[7] instanceof Uint8Array);
    assert.equal(results[8], false);
    assert.deepEqual(Object.keys(results[9] as object), ["seconds", "microseconds"]);
    assert.equal(results[10], 1.25);
  });

  it("shape their replies in a transaction", async () => {
    await using redis = await connect(fixture.url);
    await redis.flushdb();
    const results = await redis.multi()
      .msetnx({ a: "1", b: "2" })
      .rename("a", "c")
      .touch("b", "c", "missing")
      .keys("*")
      .getset("b", "3")
      .append("b", "4")
      .getrange("b", 0, 0)
      .pexpiretime("b")
      .incrbyfloat("b", 0.5)
      .exec();
    assert.ok(results !== null);
    (results[3] as string[]).sort();
    assert.deepEqual(results, [true, "OK", 2, ["b", "c"], "2", 2, "3", -1, 34.5]);
  });

  it("work on a pool", async () => {
    await using pool = createPool(fixture.url);
    await pool.flushdb("SYNC");
    assert.equal(await pool.setex("k", 100, "v"), "OK");
    assert.equal(await pool.getex("k", { persist: true }), "v");
    assert.equal(await pool.expiretime("k"), -1);
    assert.equal(await pool.copy("k", "k2"), true);
    assert.deepEqual((await pool.keys("k*")).sort(), ["k", "k2"]);
    assert.equal(await pool.strlen("k2"), 1);
    assert.equal(await pool.lcs("k", "k2"), "v");
    assert.equal(await pool.object("ENCODING", "k"), "embstr");
    const payload = await pool.dump("k");
    assert.equal(await pool.restore("k3", 0, payload!), "OK");
    assert.equal(await pool.get("k3"), "v");
    assert.equal(typeof (await pool.time()).seconds, "number");
  });
});
