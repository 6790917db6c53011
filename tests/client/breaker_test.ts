import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { startRedis } from "../support/redis.ts";
import { answerHandshake, startFakeServer } from "../support/fake_server.ts";
import {
  CircuitOpenError,
  connect,
  createCache,
  createPool,
  type Pool,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";

/** Answers the handshake and PING, and never answers anything else. */
const answersOnlyTheHandshake = (command: string[], conn: Parameters<typeof answerHandshake>[1]) =>
  void answerHandshake(command, conn);

describe("the circuit breaker", () => {
  it("is off by default on the client and the pool, on by default on the cache", async () => {
    await using redis = await startRedis();
    await using client = await connect(redis.url);
    assert.equal(client.breaker, "off");
    await using pool = createPool(redis.url);
    assert.equal(pool.stats().breaker, "off");
    const cache = createCache({ url: redis.url });
    assert.equal((cache.client as Pool).stats().breaker, "closed");
    await cache.close();
    const without = createCache({ url: redis.url, breaker: false });
    assert.equal((without.client as Pool).stats().breaker, "off");
    await without.close();
  });

  it("rejects bad settings with a TypeError naming them, and takes durations as strings", () => {
    assert.throws(() => createPool({ breaker: { failure: 3 } as never }), /"failure" for breaker/);
    assert.throws(() => createPool({ breaker: { failures: 0 } }), /breaker\.failures/);
    assert.throws(() => createPool({ breaker: { cooldown: "soon" } }), /breaker\.cooldown.*"soon"/);
    const pool = createPool({ breaker: { window: "1m", cooldown: "2.5s" }, max: 1 });
    assert.equal(pool.stats().breaker, "closed");
    return pool.close();
  });

  it("opens after commands time out, then fails commands at once without sending them; a TimeoutError says whether it was written", async () => {
    await using fake = await startFakeServer(answersOnlyTheHandshake);
    await using redis = await connect({
      url: fake.url,
      commandTimeout: 100,
      breaker: { failures: 2, window: "1m", cooldown: "1m" },
    });
    for (let i = 0; i < 2; i++) {
      const error = await redis.get(`k${i}`).catch((e) => e);
      assert.ok(error instanceof TimeoutError, `got ${error}`);
      assert.equal(error.outcomeUnknown, true, "written, then no reply: it may have run");
    }
    assert.equal(redis.breaker, "open");
    const gets = () => fake.received.filter((c) => c[0] === "GET").length;
    assert.equal(gets(), 2);
    const error = await redis.get("k3").catch((e) => e);
    assert.ok(error instanceof CircuitOpenError, `got ${error}`);
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /circuit breaker for 127\.0\.0\.1:\d+ is open until \d{4}-/);
    assert.ok(error.until > Date.now() + 30_000);
    assert.equal(gets(), 2, "nothing sent while open");
  });

  it("never counts a ReplyError", async () => {
    await using redis = await startRedis();
    await using client = await connect({ url: redis.url, breaker: { failures: 1 } });
    for (let i = 0; i < 5; i++) {
      await assert.rejects(client.send(["NOSUCHCOMMAND"]), ReplyError);
    }
    assert.equal(client.breaker, "closed");
    assert.equal(await client.ping(), "PONG");
  });

  it("counts the commands one lost connection carried as one failure", async () => {
    await using redis = await startRedis();
    await using admin = await connect(redis.url);
    await using client = await connect({ url: redis.url, breaker: { failures: 2 } });
    const blocked = Array.from(
      { length: 100 },
      (_, i) => client.send(["BLPOP", `nothing:${i}`, "0"], { timeout: 0 }).catch((e) => e),
    );
    await until(async () =>
      (await admin.send<string>(["INFO", "clients"])).includes("blocked_clients:1")
    );
    await admin.send(["CLIENT", "KILL", "ID", String(client.server.id)]);
    for (const error of await Promise.all(blocked)) assert.equal(error.outcomeUnknown, true);
    assert.equal(client.breaker, "closed");
    assert.equal(await client.ping(), "PONG");
  });

  it("opens on refused connection attempts, and after the cooldown one probe closes it", async () => {
    const redis = await startRedis();
    try {
      await using client = await connect({
        url: redis.url,
        retry: { base: 10, max: 20 },
        breaker: { failures: 3, window: "1m", cooldown: "200ms" },
      });
      redis.kill("SIGKILL");
      await until(() => client.breaker === "open");
      const open = await client.ping().catch((e) => e);
      assert.ok(open instanceof CircuitOpenError, `got ${open}`);
      await redis.restart();
      await until(() => Date.now() >= open.until);
      // The probe goes through (it reconnects), and its answer closes the circuit.
      assert.equal(await client.ping(), "PONG");
      assert.equal(client.breaker, "closed");
      assert.equal(await client.echo("after"), "after");
    } finally {
      await redis.stop();
    }
  });

  it("cache with ignoreErrors against a server that never answers: misses at once while open, nothing sent, one onError per opening", async () => {
    await using silent = await startFakeServer(() => {});
    const reports: { op: string; error: Error }[] = [];
    const cache = createCache({
      url: silent.url,
      ignoreErrors: true,
      onError: (error, { op }) => reports.push({ op, error }),
      connectTimeout: 100,
      // Long: a get that returns before it could have fired did not wait on the server.
      commandTimeout: "30s",
      offlineQueue: { timeout: 300 },
      breaker: { failures: 2, window: "1m", cooldown: "1m" },
    });
    try {
      const pool = cache.client as Pool;
      // The first gets wait (the connection attempts time out) and miss.
      while (pool.stats().breaker !== "open") assert.equal(await cache.get("k"), undefined);
      const connectionsWhenOpen = silent.connections;
      const started = Date.now();
      for (let i = 0; i < 1000; i++) assert.equal(await cache.get(`k${i}`, "fallback"), "fallback");
      const took = Date.now() - started;
      assert.ok(took < 30_000, `1,000 gets took ${took} ms: they waited on the server`);
      // At most the attempt in flight when it opened; then nothing until the probe.
      assert.ok(silent.connections - connectionsWhenOpen <= 1);
      assert.equal(silent.received.filter((c) => c[0] === "GET").length, 0);
      const opened = reports.filter((r) => r.op === "breaker");
      assert.equal(opened.length, 1, "one report for the opening");
      assert.ok(opened[0].error instanceof CircuitOpenError);
      assert.ok(reports.length <= 10, `${reports.length} reports: not one per get`);
      assert.equal(cache.stats().misses >= 1000, true);
    } finally {
      await cache.close();
    }
  });

  it("cache with its defaults against a server that never answers: gets that time out in the offline queue open it, then 1,000 gets miss at once", async () => {
    await using silent = await startFakeServer(() => {});
    const reports: string[] = [];
    // Only ignoreErrors: every timeout and the breaker are the cache's defaults (connect 10 s,
    // offline queue 2 s, breaker 5 failures in 10 s). The connection attempt alone would fail
    // once per 10 s, too seldom to open the circuit; the gets that time out while waiting count.
    const cache = createCache({
      url: silent.url,
      ignoreErrors: true,
      onError: (_error, { op }) => reports.push(op),
    });
    try {
      const pool = cache.client as Pool;
      const first = await Promise.all(Array.from({ length: 5 }, (_, i) => cache.get(`w${i}`)));
      assert.deepEqual(first, [undefined, undefined, undefined, undefined, undefined]);
      assert.equal(pool.stats().breaker, "open");
      const started = Date.now();
      for (let i = 0; i < 1000; i++) assert.equal(await cache.get(`k${i}`, "fallback"), "fallback");
      const took = Date.now() - started;
      // One get that waited would take the offline queue's 2 s.
      assert.ok(took < 2_000, `1,000 gets took ${took} ms: they waited`);
      assert.equal(silent.received.filter((c) => c[0] === "GET").length, 0);
      assert.equal(reports.filter((op) => op === "breaker").length, 1);
    } finally {
      await cache.close();
    }
  });
});
