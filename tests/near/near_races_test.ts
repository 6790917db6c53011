/**
 * The near cache's hard cases: an invalidation that arrives while a read is
 * in flight (on another connection, or before the read's reply: forced with
 * the fake server, which real timing cannot do reliably), RESP2-only
 * servers, and connections that end (CLIENT KILL, a replaced pool member, a
 * restarted server): nothing read before may be served from memory after.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import {
  answerHandshake,
  type FakeConnection,
  resp,
  startFakeServer,
} from "../support/fake_server.ts";
import { until } from "../support/wait.ts";
import { connect, createCache, type Pool, ReplyError } from "../../mod.ts";

/** A RESP3 invalidation push for `keys`. */
function invalidate(keys: string[]): string {
  return `>2\r\n${resp.bulk("invalidate")}${resp.array(keys.map((k) => resp.bulk(k)))}`;
}

/** GETs of the cache key `key` (prefix "t", version 1) a fake server received. */
function gets(received: string[][], key: string): number {
  return received.filter((c) => c[0] === "GET" && c[1] === `t:1:${key}`).length;
}

describe("near cache: invalidations racing reads (fake servers)", () => {
  it("drops a read's value when its key is invalidated on another connection while it is in flight", async () => {
    let gate: () => void = () => {};
    let gated = "";
    const pushFor = new Map<string, string>(); // GET of this key pushes an invalidation of that one
    const handler = async (command: string[], conn: FakeConnection) => {
      if (answerHandshake(command, conn)) return;
      if (command[0] === "PTTL") return conn.write(resp.int(-1));
      if (command[0] === "UNLINK") return conn.write(resp.int(1));
      if (command[0] !== "GET") return conn.write(resp.error("ERR unexpected"));
      const pushed = pushFor.get(command[1].slice("t:1:".length));
      if (pushed !== undefined) {
        conn.write(invalidate([`t:1:${pushed}`]));
        conn.write(resp.bulk(null));
        gate();
        return;
      }
      if (command[1] === `t:1:${gated}`) await new Promise<void>((resolve) => (gate = resolve));
      conn.write(resp.bulk('"old"'));
    };
    await using first = await startFakeServer(handler);
    await using second = await startFakeServer(handler);
    await using cache = createCache({
      strategy: "shard",
      urls: [first.url, second.url],
      keyPrefix: "t",
      nearCache: true,
      max: 1,
    });
    // Find a key served by the first server and one served by the second.
    const probes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cache.get(`p${i}`).then(() => `p${i}`)),
    );
    const onFirst = probes.filter((k) => gets(first.received, k) > 0);
    const onSecond = probes.filter((k) => gets(second.received, k) > 0);
    assert.ok(onFirst.length >= 2 && onSecond.length >= 2, "keys did not spread");
    const [k, control] = onFirst;
    const [other, quiet] = onSecond;

    // Control: without an invalidation, a key read once is served from memory.
    assert.equal(await cache.get(control), "old");
    assert.equal(await cache.get(control), "old");
    assert.equal(gets(first.received, control), 1); // the probe only

    // The race: k's read waits at the first server until the second one has
    // pushed an invalidation of k (as if another client wrote it meanwhile).
    await cache.deleteMany([k, other]);
    gated = k;
    pushFor.set(other, k);
    const reading = cache.get(k);
    await until(() => gets(first.received, k) === 2);
    assert.equal(await cache.get(other), undefined);
    assert.equal(await reading, "old"); // the caller gets what it read...
    gated = "";
    assert.equal(await cache.get(k), "old");
    assert.equal(gets(first.received, k), 3, "...but it was not kept: the next read went to Redis");
    assert.ok(cache.stats().near!.entries >= 1);
    void quiet;
  });

  it("drops a read's value when the invalidation arrives before its reply", async () => {
    let reads = 0;
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      if (command[0] === "PTTL") return conn.write(resp.int(-1));
      if (command[0] !== "GET") return conn.write(resp.error("ERR unexpected"));
      // The first read of k meets a write of k that happened just before it.
      if (command[1] === "t:1:k" && reads++ === 0) conn.write(invalidate(["t:1:k"]));
      conn.write(resp.bulk('"v"'));
    });
    await using cache = createCache({ url: fake.url, keyPrefix: "t", nearCache: true, max: 1 });
    assert.equal(await cache.get("k"), "v");
    assert.equal(await cache.get("k"), "v");
    assert.equal(await cache.get("k"), "v");
    assert.equal(gets(fake.received, "k"), 2, "the first value was kept");
    assert.equal(cache.stats().near!.hits, 1);
  });

  it("empties memory on a null invalidation (FLUSHDB, a full tracking table)", async () => {
    let flush = false;
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      if (command[0] === "PTTL") return conn.write(resp.int(-1));
      if (flush) conn.write(`>2\r\n${resp.bulk("invalidate")}_\r\n`);
      conn.write(resp.bulk('"v"'));
    });
    await using cache = createCache({ url: fake.url, nearCache: true, max: 1 });
    for (const key of ["a", "b", "c"]) await cache.get(key);
    assert.equal(cache.stats().near!.entries, 3);
    flush = true;
    await cache.get("d");
    assert.equal(cache.stats().near!.entries, 0);
  });

  it("refuses a server that only speaks RESP2, with an error that says why", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn, { proto: 2 })) return;
      conn.write(resp.bulk(null));
    });
    await using cache = createCache({
      url: fake.url,
      nearCache: true,
      max: 1,
      breaker: false,
    });
    const error = await cache.get("k").then(() => undefined, (e) => e);
    assert.ok(error instanceof ReplyError, String(error));
    assert.match(error.message, /near cache needs RESP3/);
    assert.ok(!fake.received.some((c) => c[0] === "GET"), "a GET went out untracked");
  });

  it("refuses nearCache with protocol: 2, and grace without nearCache, at once", () => {
    assert.throws(
      () => createCache({ url: "redis://127.0.0.1:1", nearCache: true, protocol: 2 }),
      /needs RESP3/,
    );
    assert.throws(() => createCache({ url: "redis://127.0.0.1:1", grace: 1000 }), /needs the near/);
    assert.throws(() => createCache({ url: "memory://", nearCache: true }), /for Redis/);
    assert.throws(
      () => createCache({ url: "redis://127.0.0.1:1", nearCache: { maxEntris: 1 } as never }),
      /did you mean "maxEntries"/,
    );
    assert.throws(
      () => createCache({ url: "redis://127.0.0.1:1", nearCache: { maxEntries: 0 } }),
      TypeError,
    );
    assert.throws(
      () => createCache({ url: "redis://127.0.0.1:1", nearCache: { ttl: "soon" } }),
      /nearCache.ttl/,
    );
  });
});

describe("near cache: connections that end", () => {
  const fixture = useRedis();

  it("forgets what a killed connection read: a value changed meanwhile is read again", async () => {
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "kill",
      nearCache: true,
      max: 1,
      name: "near-kill",
    });
    await using other = await connect(fixture.url);
    await cache.set("k", "before", { ttl: null });
    assert.equal(await cache.get("k"), "before");
    assert.equal(await cache.get("k"), "before");
    await other.send(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
    await until(() => cache.stats().near!.flushes === 1);
    // Redis forgot this cache's tracking with its connection: this write sends it nothing.
    await other.send(["SET", "kill:1:k", '"after"']);
    assert.equal(await cache.get("k"), "after");
  });

  it("forgets what a replaced pool member read (pool.reconnect)", async () => {
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "replace",
      nearCache: true,
      max: 1,
    });
    await cache.set("k", 1);
    await cache.get("k");
    await cache.get("k");
    const misses = cache.stats().near!.misses;
    (cache.client as Pool).reconnect();
    assert.equal(cache.stats().near!.flushes, 1);
    assert.equal(await cache.get("k"), 1);
    assert.equal(cache.stats().near!.misses, misses + 1);
  });

  it("forgets everything across a server restart: values that changed while it was down are read again", async () => {
    const server = fixture.server;
    await using cache = createCache({
      url: fixture.url,
      keyPrefix: "restart",
      nearCache: true,
      max: 1,
    });
    await cache.set("k", "before", { ttl: null });
    assert.equal(await cache.get("k"), "before");
    await server.restart(); // no persistence: the key is gone
    await until(() => cache.stats().near!.flushes === 1);
    await using other = await connect(fixture.url);
    await other.send(["SET", "restart:1:k", '"after"']);
    assert.equal(await cache.get("k"), "after");
  });
});
