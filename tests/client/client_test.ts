import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { connect, ConnectionError, createPool, ReplyError, TimeoutError } from "../../mod.ts";

describe("connect() against a real server over TCP", () => {
  const fixture = useRedis();

  it("sets and gets strings, with a one-round-trip RESP3 handshake", async () => {
    await using redis = await connect(fixture.url);
    assert.equal(redis.server.protocol, 3);
    assert.match(redis.server.version, /^\d+\.\d+/);
    assert.equal(await redis.send(["SET", "greeting", "hello"]), "OK");
    assert.equal(await redis.send(["GET", "greeting"]), "hello");
    assert.equal(await redis.get("missing"), null);
  });

  it("maps RESP3 reply types to JavaScript values", async () => {
    await using redis = await connect(fixture.url);
    await redis.send(["DEL", "h", "s", "z"]);
    await redis.send(["HSET", "h", "a", "1", "b", "2"]);
    assert.deepEqual(await redis.send(["HGETALL", "h"]), new Map([["a", "1"], ["b", "2"]]));
    await redis.send(["SADD", "s", "x", "y"]);
    assert.deepEqual(await redis.send(["SMEMBERS", "s"]), new Set(["x", "y"]));
    await redis.send(["ZADD", "z", "1.5", "m"]);
    assert.equal(await redis.send(["ZSCORE", "z", "m"]), 1.5);
    assert.equal(await redis.send(["EXISTS", "h"]), 1);
    assert.equal(await redis.send(["EVAL", "redis.setresp(3); return {double=0.25}", "0"]), 0.25);
    assert.equal(await redis.send(["EVAL", "redis.setresp(3); return true", "0"]), true);
    assert.equal(
      await redis.send([
        "EVAL",
        "redis.setresp(3); return {big_number='123456789012345678901234567890'}",
        "0",
      ]),
      123456789012345678901234567890n,
    );
  });

  it("maps the RESP2 equivalents when asked for protocol 2", async () => {
    await using redis = await connect({ url: fixture.url, protocol: 2 });
    assert.equal(redis.server.protocol, 2);
    await redis.send(["HSET", "h2", "a", "1"]);
    assert.deepEqual(await redis.send(["HGETALL", "h2"]), ["a", "1"]);
    assert.deepEqual(await redis.hgetall("h2"), { __proto__: null, a: "1" });
    assert.equal(await redis.send(["GET", "nothing"]), null);
  });

  it("round-trips all 256 byte values with { bytes: true }", async () => {
    await using redis = await connect(fixture.url);
    const payload = Uint8Array.from({ length: 256 * 4 }, (_, i) => i & 255);
    await redis.set("binary", payload);
    assert.deepEqual(await redis.send(["GET", "binary"], { bytes: true }), payload);
    assert.deepEqual(await redis.getBytes("binary"), payload);
  });

  it("round-trips a 100 MiB value", async () => {
    await using redis = await connect({ url: fixture.url, commandTimeout: 60_000 });
    const size = 100 * 1024 * 1024;
    const value = new Uint8Array(size);
    for (let i = 0; i < size; i += 4096) value[i] = (i / 4096) & 255;
    value[size - 1] = 0xab;
    await redis.set("huge", value);
    const back = await redis.getBytes("huge");
    assert.ok(back !== null);
    assert.equal(back.length, size);
    assert.equal(back[size - 1], 0xab);
    for (let i = 0; i < size; i += 4096) assert.equal(back[i], (i / 4096) & 255);
    await redis.del("huge");
  });

  it("keeps 100,000 commands in flight on one connection, replies in order", async () => {
    await using redis = await connect({ url: fixture.url, commandTimeout: 60_000 });
    await redis.del("counter");
    const n = 100_000;
    const replies = await Promise.all(Array.from({ length: n }, () => redis.incr("counter")));
    for (let i = 0; i < n; i++) {
      if (replies[i] !== i + 1) assert.fail(`reply ${i} was ${replies[i]}, expected ${i + 1}`);
    }
    const tagged = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => redis.send(["ECHO", `tag:${i}`])),
    );
    tagged.forEach((value, i) => assert.equal(value, `tag:${i}`));
  });

  it("rejects an error reply with a ReplyError carrying its code and command", async () => {
    await using redis = await connect(fixture.url);
    await redis.set("text", "abc");
    await assert.rejects(redis.incr("text"), (error: ReplyError) => {
      assert.ok(error instanceof ReplyError);
      assert.equal(error.code, "ERR");
      assert.equal(error.command, "INCR");
      return true;
    });
    await redis.send(["LPUSH", "list", "x"]);
    await assert.rejects(redis.get("list"), { name: "ReplyError", code: "WRONGTYPE" });
    assert.equal(await redis.ping(), "PONG", "the connection stays usable after an error reply");
  });

  it("runs a pipeline, with an error reply as an element", async () => {
    await using redis = await connect(fixture.url);
    await redis.set("p:text", "abc");
    const results = await redis.pipeline()
      .send(["SET", "p:n", "1"])
      .send(["INCR", "p:text"])
      .send(["INCR", "p:n"])
      .send(["GET", "p:n"])
      .exec();
    assert.equal(results[0], "OK");
    assert.ok(results[1] instanceof ReplyError);
    assert.deepEqual(results.slice(2), [2, "2"]);
    assert.deepEqual(await redis.pipeline().exec(), []);
  });

  it("runs MULTI/EXEC with an error element inside EXEC's array", async () => {
    await using redis = await connect(fixture.url);
    await redis.set("m:text", "abc");
    const results = await redis.pipeline()
      .send(["MULTI"])
      .send(["SET", "m:n", "5"])
      .send(["INCR", "m:text"])
      .send(["INCR", "m:n"])
      .send(["EXEC"])
      .exec();
    const exec = results[4] as unknown[];
    assert.equal(exec[0], "OK");
    assert.ok(exec[1] instanceof ReplyError);
    assert.equal(exec[2], 6);
  });

  it("offers typed methods for the common commands", async () => {
    await using redis = await connect(fixture.url);
    assert.equal(await redis.set("t:a", "1", { px: 60_000 }), "OK");
    assert.equal(await redis.set("t:a", "2", { nx: true }), null);
    assert.equal(await redis.set("t:a", "3", { xx: true, keepTtl: true, get: true }), "1");
    assert.ok((await redis.pttl("t:a")) > 0);
    assert.equal(await redis.persist("t:a"), true);
    assert.equal(await redis.ttl("t:a"), -1);
    assert.equal(await redis.expire("t:a", 100), true);
    assert.equal(await redis.pexpire("t:a", 1000, "GT"), false);
    assert.equal(await redis.pexpireat("t:a", new Date(Date.now() + 3_600_000)), true);
    assert.equal(await redis.incrby("t:n", 5), 5);
    assert.equal(await redis.decrby("t:n", 2), 3);
    assert.equal(await redis.decr("t:n"), 2);
    assert.equal(await redis.incrbyfloat("t:n", 0.5), 2.5);
    assert.equal(await redis.mset({ "t:x": "1", "t:y": 2 }), "OK");
    assert.deepEqual(await redis.mget("t:x", "t:y", "t:none"), ["1", "2", null]);
    assert.equal(await redis.exists("t:x", "t:y", "t:none"), 2);
    assert.equal(await redis.type("t:x"), "string");
    assert.equal(await redis.getdel("t:x"), "1");
    assert.equal(await redis.unlink("t:y"), 1);
    assert.equal(await redis.del("t:a", "t:n"), 2);
    assert.equal(await redis.hset("t:h", { f: "v" }), 1);
    assert.equal(await redis.hget("t:h", "f"), "v");
    assert.deepEqual({ ...await redis.hgetall("t:h") }, { f: "v" });
    assert.equal(await redis.hdel("t:h", "f"), 1);
    const sha = await redis.script("LOAD", "return ARGV[1] .. KEYS[1]");
    assert.equal(await redis.evalsha(sha, ["k"], ["a"]), "ak");
    assert.equal(await redis.eval("return #KEYS + #ARGV", ["a", "b"], [1]), 3);
    assert.equal(await redis.echo("x"), "x");
    assert.throws(() => redis.set("k", "v", { ex: 1, px: 1 }), TypeError);
    assert.throws(() => redis.set("k", "v", { exp: 1 } as never), /Unknown option "exp"/);
  });

  it("scans every key with scanIterator", async () => {
    await using redis = await connect(fixture.url);
    await redis.mset(Array.from({ length: 250 }, (_, i) => [`scan:${i}`, i] as const));
    const seen = new Set<string>();
    for await (const key of redis.scanIterator({ match: "scan:*", count: 50 })) seen.add(key);
    assert.equal(seen.size, 250);
    const [cursor, page] = await redis.scan(0, { match: "scan:*", count: 10 });
    assert.equal(typeof cursor, "string");
    assert.ok(Array.isArray(page));
  });

  it("selects the database and sets the client name in the handshake", async () => {
    await using redis = await connect(`${fixture.url}/5?name=worker-1`);
    const info = await redis.send<string>(["CLIENT", "INFO"]);
    assert.match(info, / name=worker-1 /);
    assert.match(info, / db=5 /);
    await redis.set("in-db-5", "yes");
    await using other = await connect(fixture.url);
    assert.equal(await other.get("in-db-5"), null);
  });

  it("delivers RESP3 push messages to onPush listeners, never as replies", async () => {
    await using redis = await connect(fixture.url);
    await using writer = await connect(fixture.url);
    const pushes: unknown[] = [];
    let notify!: () => void;
    const arrived = new Promise<void>((resolve) => (notify = resolve));
    const stop = redis.onPush((message) => {
      pushes.push(message);
      notify();
    });
    assert.equal(await redis.send(["CLIENT", "TRACKING", "on"]), "OK");
    await redis.set("tracked", "1");
    assert.equal(await redis.get("tracked"), "1");
    await writer.set("tracked", "2");
    await arrived;
    assert.deepEqual(pushes[0], ["invalidate", ["tracked"]]);
    assert.equal(await redis.get("tracked"), "2", "the next reply is the command's own");
    stop();
  });

  it("times out a command whose reply is late; the late reply reaches nobody", async () => {
    await using redis = await connect(fixture.url);
    await using pusher = await connect(fixture.url);
    await redis.set("mine", "my-own-value");
    await redis.del("late-queue");
    await assert.rejects(redis.send(["BLPOP", "late-queue", "5"], { timeout: 50 }), TimeoutError);
    // Now the server answers the timed-out BLPOP: its reply must be dropped.
    await pusher.send(["RPUSH", "late-queue", "late-value"]);
    assert.equal(await redis.get("mine"), "my-own-value");
    assert.equal(await redis.send(["ECHO", "next"]), "next");
  });

  it("retires a connection after a timeout: in-flight commands keep their own replies, then a fresh connection takes over", async () => {
    await using redis = await connect(fixture.url);
    await using pusher = await connect(fixture.url);
    await redis.del("retire-queue");
    const before = await redis.send<number>(["CLIENT", "ID"]);
    const blocked = redis.send(["BLPOP", "retire-queue", "5"], { timeout: 50 });
    // Written behind the BLPOP on the same connection: answered only after it.
    const behind = redis.send(["ECHO", "still-mine"], { timeout: 0 });
    await assert.rejects(blocked, TimeoutError);
    // New commands wait for the replacement; they never go to the retired connection.
    const next = redis.send<number>(["CLIENT", "ID"]);
    await pusher.send(["RPUSH", "retire-queue", "late"]); // the BLPOP's late reply: dropped
    assert.equal(
      await behind,
      "still-mine",
      "a command already in flight still gets its own reply",
    );
    const after = await next;
    assert.notEqual(after, before);
    const list = await pusher.send<string>(["CLIENT", "LIST"]);
    assert.ok(
      !list.includes(`id=${before} `),
      "the drained connection closed before the new one opened",
    );
  });

  it("closes a retired connection after its grace period when a command there never finishes", async () => {
    await using redis = await connect(fixture.url);
    const blocked = redis.send(["BLPOP", "never-queue", "0"], { timeout: 0 }).catch((e) => e);
    await assert.rejects(redis.send(["PING"], { timeout: 50 }), TimeoutError);
    assert.equal(await redis.ping(), "PONG", "served by the replacement after the grace period");
    const error = await blocked;
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.outcomeUnknown, true);
  });

  it("rejects on abort, and the aborted command's reply reaches nobody", async () => {
    await using redis = await connect(fixture.url);
    await using pusher = await connect(fixture.url);
    await redis.del("abort-queue");
    const early = new AbortController();
    early.abort(new Error("never mind"));
    await assert.rejects(redis.send(["PING"], { signal: early.signal }), /never mind/);
    const controller = new AbortController();
    const blocked = redis.send(["BLPOP", "abort-queue", "5"], {
      signal: controller.signal,
      timeout: 0,
    });
    controller.abort(new Error("stop waiting"));
    await assert.rejects(blocked, /stop waiting/);
    await pusher.send(["RPUSH", "abort-queue", "late-value"]);
    assert.equal(await redis.send(["ECHO", "after-abort"]), "after-abort");
  });

  it("rejects every waiting command with ConnectionError on close()", async () => {
    const redis = await connect(fixture.url);
    await redis.del("close-queue");
    const blocked = redis.send(["BLPOP", "close-queue", "5"], { timeout: 0 });
    const settled = Promise.allSettled([blocked, redis.ping()]);
    // Microtasks (the flush) run before a timer callback: both commands are now written.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const unsent = redis.ping();
    const unsentResult = unsent.catch((error) => error);
    await redis.close();
    const results = await settled;
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof ConnectionError);
    }
    assert.equal(
      (results[0] as PromiseRejectedResult).reason.outcomeUnknown,
      true,
      "BLPOP was written",
    );
    const notSent = await unsentResult;
    assert.ok(notSent instanceof ConnectionError);
    assert.equal(notSent.outcomeUnknown, false, "a command closed before its write was never sent");
    assert.equal(redis.connected, false);
    await assert.rejects(redis.ping(), ConnectionError);
  });

  it("rejects waiting commands with ConnectionError when the server drops the connection", async () => {
    const redis = await connect(`${fixture.url}?name=victim`);
    await using admin = await connect(fixture.url);
    await redis.del("kill-queue");
    const waiting = redis.send(["BLPOP", "kill-queue", "5"], { timeout: 0 }).catch((error) =>
      error
    );
    await admin.send(["CLIENT", "KILL", "SKIPME", "yes", "ID", String(redis.server.id)]);
    const error = await waiting;
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.outcomeUnknown, true);
    assert.equal(redis.connected, false);
    await redis.close();
  });

  it("bounds the commands in flight on one connection with maxInFlight", async () => {
    await using redis = await connect({ url: fixture.url, maxInFlight: 10 });
    await using pusher = await connect(fixture.url);
    await redis.del("inflight-queue");
    const waiting = [
      redis.send(["BLPOP", "inflight-queue", "5"], { timeout: 0 }),
      ...Array.from({ length: 9 }, (_, i) => redis.send(["ECHO", `queued-${i}`])),
    ];
    const refused = await redis.send(["ECHO", "one-too-many"]).catch((e) => e);
    assert.ok(refused instanceof ConnectionError);
    assert.equal(refused.outcomeUnknown, false);
    assert.match(refused.message, /10 commands already wait for replies .*maxInFlight/);
    await pusher.send(["RPUSH", "inflight-queue", "go"]);
    const results = await Promise.all(waiting);
    assert.deepEqual(results.slice(1), Array.from({ length: 9 }, (_, i) => `queued-${i}`));
    assert.equal(await redis.echo("room-again"), "room-again");
  });

  it("refuses a bad argument before writing anything", async () => {
    await using redis = await connect(fixture.url);
    await assert.rejects(redis.send(["SET", "k", undefined as never]), TypeError);
    await assert.rejects(redis.send(["PING"], { byte: true } as never), /Unknown option "byte"/);
    assert.equal(await redis.ping(), "PONG");
  });

  it("rejects a db the server refuses with a ReplyError naming the db option and its value", async () => {
    // The server has 16 databases (0 to 15).
    await assert.rejects(connect({ url: fixture.url, db: 16 }), (error: Error) => {
      assert.ok(error instanceof ReplyError, `got ${error}`);
      assert.equal(error.code, "ERR");
      assert.equal(error.command, "SELECT");
      assert.match(error.message, /^ERR DB index is out of range/);
      assert.match(error.message, /"db" option 16/);
      return true;
    });
    await assert.rejects(connect(`${fixture.url}/99`), /out of range.*"db" option 99/);
  });

  it("does not storm the server with a pool whose db is refused; commands fail with its ReplyError", async () => {
    await using admin = await connect(fixture.url);
    const stat = async (section: string, field: string) => {
      const info = await admin.send<string>(["INFO", section]);
      return Number(new RegExp(`${field}:(\\d+)`).exec(info)![1]);
    };
    const before = await stat("stats", "total_connections_received");
    await using pool = createPool({ url: fixture.url, db: 16, max: 4 });
    const errors = await Promise.all(
      Array.from({ length: 20 }, () => pool.get("k").catch((e) => e)),
    );
    for (const error of errors) {
      assert.ok(error instanceof ReplyError, `got ${error}`);
      assert.match(error.message, /"db" option 16/);
    }
    // A refused db is a configuration error, like refused credentials: attempts back off for
    // seconds. Watch 1.5 s: no new attempt.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const attempts = (await stat("stats", "total_connections_received")) - before;
    assert.ok(attempts <= 2, `${attempts} connection attempts`);
  });

  it("rejects a refused connection with ConnectionError", async () => {
    // Port 1 is privileged and unused on these machines: the connection is refused at once.
    await assert.rejects(connect({ port: 1, connectTimeout: 2000 }), ConnectionError);
  });
});
