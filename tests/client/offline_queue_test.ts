import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import type { RedisServer } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import {
  CircuitOpenError,
  connect,
  ConnectionError,
  createCache,
  createPool,
  TimeoutError,
} from "../../mod.ts";

/** Issued while the server is down: how each command settled, and when. */
interface Outcome {
  value?: unknown;
  error?: unknown;
  /** Settled before the server came back. */
  early: boolean;
}

/**
 * Sends `count` commands with `send(i)` (synchronously, one after the
 * other), and records how each one ends.
 */
function issue(count: number, send: (i: number) => Promise<unknown>) {
  let restarted = false;
  const outcomes: Outcome[] = new Array(count);
  const settled = Array.from({ length: count }, (_, i) =>
    send(i).then(
      (value) => (outcomes[i] = { value, early: !restarted }),
      (error) => (outcomes[i] = { error, early: !restarted }),
    ));
  return {
    outcomes,
    markRestarted: () => (restarted = true),
    done: () => Promise.all(settled),
  };
}

/** Kills the server and waits until it is gone (SIGKILL: no goodbye to the clients). */
async function killAndWait(server: RedisServer): Promise<void> {
  server.kill("SIGKILL");
  await until(() => !server.running);
}

/** Lets timers run: every command the offline queue refused has settled by then. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
/** The server stays down this long: several failed attempts with the default backoff. */
const downFor = () => new Promise((resolve) => setTimeout(resolve, 1000));

/**
 * The defaults, except that the wait is long enough for a slow machine to
 * restart Redis: the test is about count, order and exactly-once, not about
 * the 2 s default.
 */
const patient = { offlineQueue: { timeout: 60_000 }, commandTimeout: 60_000 };

describe("the offline queue across a restart", () => {
  const fixture = useRedis();

  it("client: of 20,000 commands issued while Redis restarts, 10,000 wait across failed attempts and are applied once, in order", async () => {
    await using redis = await connect({ url: fixture.url, ...patient });
    await redis.del("oq:client");
    await killAndWait(fixture.server);
    await until(() => redis.state === "reconnecting");
    const run = issue(20_000, (i) => redis.send(["RPUSH", "oq:client", i]));
    await tick();
    const refused = run.outcomes.filter((o) => o?.error !== undefined);
    assert.equal(refused.length, 10_000, "past offlineQueue.max, rejected at once");
    for (const { error } of refused) {
      assert.ok(error instanceof ConnectionError, `got ${error}`);
      assert.equal(error.outcomeUnknown, false);
      assert.match(error.message, /offlineQueue\.max: 10000 commands/);
    }
    await downFor(); // several refused attempts: the queue must outlive them
    assert.equal(
      run.outcomes.filter((o) => o !== undefined).length,
      10_000,
      "none failed meanwhile",
    );
    await fixture.server.restart();
    run.markRestarted();
    await run.done();
    // RPUSH answers the new length: the n-th accepted command must be the n-th applied.
    run.outcomes.slice(0, 10_000).forEach((o, i) => assert.equal(o.value, i + 1));
    run.outcomes.slice(10_000).forEach((o) => assert.ok(o.early && o.error !== undefined));
    const list = await redis.send<string[]>(["LRANGE", "oq:client", "0", "-1"]);
    assert.deepEqual(list, Array.from({ length: 10_000 }, (_, i) => String(i)));
  });

  it("client: with offlineQueue false, every command fails at once while Redis is down", async () => {
    await using redis = await connect({ url: fixture.url, offlineQueue: false });
    await redis.del("oq:off");
    await killAndWait(fixture.server);
    await until(() => redis.state !== "ready");
    const run = issue(20_000, (i) => redis.send(["RPUSH", "oq:off", i]));
    await tick();
    assert.equal(run.outcomes.filter((o) => o !== undefined).length, 20_000);
    for (const { error } of run.outcomes) {
      assert.ok(error instanceof ConnectionError, `got ${error}`);
      assert.match(error.message, /offline queue is off/);
    }
    await fixture.server.restart();
    await until(async () => (await redis.ping().catch(() => "")) === "PONG");
    assert.equal(await redis.send(["LLEN", "oq:off"]), 0);
  });

  it("pool: the same, through createPool()", async () => {
    await using pool = createPool({ url: fixture.url, ...patient });
    await pool.del("oq:pool");
    await killAndWait(fixture.server);
    // Once a short PING fails, the pool's connection knows it is down.
    await until(async () =>
      (await pool.send(["PING"], { timeout: 50 }).catch(() => "")) !== "PONG"
    );
    const run = issue(20_000, (i) => pool.send(["RPUSH", "oq:pool", i]));
    await tick();
    assert.equal(run.outcomes.filter((o) => o?.error !== undefined).length, 10_000);
    await downFor();
    await fixture.server.restart();
    run.markRestarted();
    await run.done();
    run.outcomes.slice(0, 10_000).forEach((o, i) => assert.equal(o.value, i + 1));
    const list = await pool.send<string[]>(["LRANGE", "oq:pool", "0", "-1"]);
    assert.deepEqual(list, Array.from({ length: 10_000 }, (_, i) => String(i)));
  });

  it("cache: the same, through createCache() with its default breaker", async () => {
    const cache = createCache({ url: fixture.url, keyPrefix: "oq", ...patient });
    try {
      await cache.delete("n");
      await killAndWait(fixture.server);
      const pool = cache.client as ReturnType<typeof createPool>;
      await until(async () =>
        (await pool.send(["PING"], { timeout: 50 }).catch(() => "")) !== "PONG"
      );
      // The breaker cannot change while the commands are issued (synchronously).
      const breaker = pool.stats().breaker;
      const run = issue(20_000, () => cache.incr("n"));
      await tick();
      const refused = run.outcomes.filter((o) => o?.error !== undefined);
      if (breaker === "closed") {
        assert.equal(refused.length, 10_000, "past offlineQueue.max, rejected at once");
      } else {
        // Already open (five refused attempts before the commands): all fail at once.
        assert.equal(refused.length, 20_000);
        for (const { error } of refused) assert.ok(error instanceof CircuitOpenError);
      }
      await downFor();
      await fixture.server.restart();
      run.markRestarted();
      await run.done();
      const accepted = run.outcomes.filter((o) => o.error === undefined);
      assert.equal(accepted.length, 20_000 - refused.length);
      // INCR answers the new count: accepted ones applied once each, in submission order.
      accepted.forEach((o, i) => assert.equal(o.value, i + 1));
      assert.equal(await cache.get("n"), accepted.length);
    } finally {
      await cache.close();
    }
  });

  it("a queued command times out with TimeoutError (not sent) when Redis stays down past offlineQueue.timeout", async () => {
    await using redis = await connect({ url: fixture.url, offlineQueue: { timeout: "300ms" } });
    await killAndWait(fixture.server);
    await until(() => redis.state === "reconnecting");
    const error = await redis.get("k").catch((e) => e);
    assert.ok(error instanceof TimeoutError, `got ${error}`);
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /within 300 ms/);
    await fixture.server.restart();
    await until(async () => (await redis.ping().catch(() => "")) === "PONG");
  });
});
