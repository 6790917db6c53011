import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { connect, ConnectionError, RedisClient, ReplyError, TimeoutError } from "../../mod.ts";
import { startFakeServer } from "../support/fake_server.ts";

describe("reconnection", () => {
  const fixture = useRedis();

  it("reconnects after a restart, re-running AUTH-less handshake, SELECT and SETNAME", async () => {
    await using redis = await connect(`${fixture.url}/3?name=survivor`);
    await redis.set("before", "1");
    await fixture.server.restart();
    await until(() => redis.state === "ready");
    assert.equal(await redis.set("after", "2"), "OK");
    const info = await redis.send<string>(["CLIENT", "INFO"]);
    assert.match(info, / name=survivor /);
    assert.match(info, / db=3 /);
    assert.equal(redis.state, "ready");
  });

  it("rejects commands in flight when the server dies, and says their outcome is unknown", async () => {
    await using redis = await connect({ url: fixture.url, commandTimeout: 10_000 });
    await redis.del("q");
    // An idle connection writes its first command at once: this PING goes first, alone.
    const ping = redis.ping().catch((e) => e);
    const inflight = Array.from(
      { length: 10_000 },
      (_, i) =>
        redis.send(["BLPOP", "q", "5"], { timeout: 0 }).catch((e) => e).then((e) =>
          [i, e] as const
        ),
    );
    // All 10,000 leave in one write: once the server runs the first, every one was written.
    await until(async () => / cmd=blpop /.test(await fixture.server.cli("CLIENT", "LIST")), 10_000);
    fixture.server.kill("SIGKILL");
    assert.equal(await ping, "PONG");
    const results = await Promise.all(inflight);
    for (const [, error] of results) {
      assert.ok(error instanceof ConnectionError, `got ${error}`);
      assert.equal(error.outcomeUnknown, true);
    }
    await fixture.server.restart();
    // Commands wait in the offline queue across failed attempts; one gets through once it is back.
    await until(async () => (await redis.ping().catch(() => "")) === "PONG", 2000);
  });

  it("fails at once while disconnected when the offline queue is off", async () => {
    await using redis = await connect({
      url: fixture.url,
      offlineQueue: false,
      retry: { base: 1000, max: 1000 },
    });
    await using admin = await connect(fixture.url);
    await admin.send(["CLIENT", "KILL", "ID", String(redis.server.id)]);
    await until(() => redis.state !== "ready");
    await assert.rejects(redis.ping(), (error: ConnectionError) => {
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, /offline queue is off/);
      return true;
    });
  });

  it("holds commands while an attempt is in flight, up to offlineQueue's count and time", async () => {
    // A server that accepts but never answers the handshake: the attempt stays in flight.
    await using silent = await startFakeServer(() => {});
    const redis = new RedisClient({
      url: silent.url,
      connectTimeout: 5000,
      offlineQueue: { max: 10, timeout: 100 },
    });
    await assert.rejects(redis.ping(), (error: TimeoutError) => {
      assert.ok(error instanceof TimeoutError, `got ${error}`);
      assert.match(error.message, /not connected to .* within 100 ms/);
      assert.equal(error.outcomeUnknown, false, "it waited in the offline queue: never sent");
      return true;
    });
    const many = Array.from({ length: 11 }, () => redis.ping().catch((e) => e));
    const errors = await Promise.all(many);
    assert.ok(errors[10] instanceof ConnectionError);
    assert.match(errors[10].message, /offline queue is full \(offlineQueue\.max: 10 commands\)/);
    await redis.close();
  });

  it("bounds the offline queue in bytes too", async () => {
    await using silent = await startFakeServer(() => {});
    const redis = new RedisClient({
      url: silent.url,
      connectTimeout: 5000,
      offlineQueue: { max: 1000, timeout: 1000, maxBytes: 4096 },
    });
    const first = redis.set("first", "y".repeat(5000)).catch((e) => e); // alone: always fits
    const big = await redis.set("k", "x".repeat(5000)).catch((e) => e);
    assert.ok(big instanceof ConnectionError);
    assert.match(big.message, /offline queue is full \(offlineQueue\.maxBytes: 4096 bytes\)/);
    await redis.close();
    assert.ok((await first) instanceof ConnectionError, "closed while waiting, not refused");
    assert.doesNotMatch((await first).message, /offline queue is full/);
  });

  it("does not storm a server that refuses the credentials, and fails commands with its WRONGPASS", async () => {
    const locked = await startRedis({ requirePass: "first-pass" });
    try {
      await using admin = await connect({ url: locked.url, password: "first-pass" });
      const redis = await connect({ url: locked.url, password: "first-pass", retry: () => 1000 });
      await admin.send(["CONFIG", "SET", "requirepass", "second-pass"]);
      const connections = async () => {
        const info = await admin.send<string>(["INFO", "stats"]);
        return Number(/total_connections_received:(\d+)/.exec(info)![1]);
      };
      await admin.send(["CLIENT", "KILL", "ID", String(redis.server.id)]);
      await until(() => redis.state === "reconnecting");
      const before = await connections();
      const errors: unknown[] = [];
      const until500 = Date.now() + 500;
      while (Date.now() < until500) {
        errors.push(await redis.ping().catch((e) => e));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const attempts = (await connections()) - before;
      assert.ok(attempts <= 2, `${attempts} connection attempts in 500 ms`);
      // Every command fails (none hangs), with the server's answer rather than as an outage.
      for (const error of errors) {
        assert.ok(error instanceof ReplyError, `got ${error}`);
        assert.equal(error.code, "WRONGPASS");
      }
      await redis.close();
    } finally {
      await locked.stop();
    }
  });

  it("gives up after retry.attempts and closes", async () => {
    const down = await startRedis();
    const redis = await connect({ url: down.url, retry: { base: 20, max: 20, attempts: 3 } });
    await down.stop();
    await until(() => redis.state === "reconnecting");
    const queued = redis.ping().catch((e) => e);
    await until(() => redis.state === "closed");
    const error = await queued;
    assert.ok(error instanceof ConnectionError);
    await assert.rejects(redis.ping(), /is closed/);
    await redis.close();
  });

  it("gives up once retry.deadline has passed since the first failed attempt", async () => {
    const down = await startRedis();
    const redis = await connect({ url: down.url, retry: { base: 20, max: 20, deadline: 150 } });
    await down.stop();
    await until(() => redis.state === "reconnecting");
    const started = Date.now();
    await until(() => redis.state === "closed", 5000);
    assert.ok(Date.now() - started >= 100, "kept trying until the deadline");
    await assert.rejects(redis.ping(), /is closed/);
    await redis.close();
  });

  it("settles everything when closed in the middle of reconnecting", async () => {
    const down = await startRedis();
    const redis = await connect({ url: down.url, retry: { base: 20, max: 20 } });
    await down.stop();
    await until(() => redis.state === "reconnecting");
    const waiting = redis.ping().catch((e) => e);
    await redis.close();
    assert.ok((await waiting) instanceof ConnectionError);
    assert.equal(redis.state, "closed");
  });

  it("a lazy client queues commands until its first connection is up", async () => {
    const redis = new RedisClient(fixture.url);
    assert.equal(redis.state, "connecting");
    assert.equal(await redis.echo("queued"), "queued");
    await redis.close();
  });

  it("times out commands while the server is paused, then serves each new command its own reply", async () => {
    await using redis = await connect(fixture.url);
    await redis.set("paused:k", "own");
    fixture.server.kill("SIGSTOP");
    try {
      const stuck = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) => redis.send(["ECHO", `late-${i}`], { timeout: 100 })),
      );
      for (const result of stuck) {
        assert.equal(result.status, "rejected");
        assert.ok((result as PromiseRejectedResult).reason instanceof TimeoutError);
      }
    } finally {
      fixture.server.kill("SIGCONT");
    }
    assert.equal(await redis.get("paused:k"), "own");
    const echoes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => redis.send(["ECHO", `new-${i}`])),
    );
    echoes.forEach((value, i) => assert.equal(value, `new-${i}`));
  });
});
