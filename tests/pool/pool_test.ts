import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { answerHandshake, startFakeServer } from "../support/fake_server.ts";
import {
  connect,
  ConnectionError,
  createCache,
  createPool,
  PoolTimeoutError,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import type { Router } from "../../mod.ts";

/** Counts the server's clients named `name`. */
async function clientsNamed(
  admin: { send<T>(c: string[]): Promise<T> },
  name: string,
): Promise<number> {
  const list = await admin.send<string>(["CLIENT", "LIST"]);
  return list.split("\n").filter((line) => line.includes(` name=${name} `)).length;
}

describe("createPool()", () => {
  const fixture = useRedis();

  it("serves shared, pipelined commands and typed methods", async () => {
    await using pool = createPool({ url: fixture.url, max: 4 });
    assert.equal(await pool.set("pool:a", "1"), "OK");
    const values = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => pool.send(["ECHO", `v${i}`])),
    );
    values.forEach((v, i) => assert.equal(v, `v${i}`));
    assert.equal(await pool.get("pool:a"), "1");
    const stats = pool.stats();
    assert.ok(stats.size >= 1 && stats.size <= 4);
    assert.equal(stats.inUse, 0);
    assert.equal(stats.waiting, 0);
  });

  it("rejects an unknown option, naming it", () => {
    assert.throws(
      () => createPool({ url: fixture.url, maxx: 3 } as never),
      /Unknown option "maxx".*"max"/,
    );
    assert.throws(() => createPool({ max: 0 }), /"max"/);
    assert.throws(() => createPool({ min: 3, max: 2 }), /"min"/);
  });

  it("never opens more than max connections under 200 callers doing 20,000 use() calls, a tenth of them throwing", async () => {
    const name = "pool-load";
    await using admin = await connect(fixture.url);
    await using pool = createPool({ url: fixture.url, name, max: 5, acquireTimeout: 30_000 });
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await clientsNamed(admin, name));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    let thrown = 0;
    let calls = 0;
    const callers = Array.from({ length: 200 }, async (_, caller) => {
      for (let i = 0; i < 100; i++) {
        const n = calls++;
        await pool.use(async (conn) => {
          await conn.incr("pool:load");
          if (n % 10 === 7) throw new Error(`caller ${caller} fails on purpose`);
        }).catch((error) => {
          assert.match(error.message, /fails on purpose/);
          thrown++;
        });
      }
    });
    await Promise.all(callers);
    sampling = false;
    await sampler;
    assert.equal(calls, 20_000);
    assert.equal(thrown, 2_000);
    assert.equal(await pool.get("pool:load"), "20000");
    assert.ok(peak <= 5, `saw ${peak} connections, max is 5`);
    assert.ok(await clientsNamed(admin, name) <= 5);
    const stats = pool.stats();
    assert.equal(stats.inUse, 0);
    assert.equal(stats.waiting, 0);
  });

  it("never holds more than max sockets while a connection retired after a timeout drains", async () => {
    const name = "pool-retire";
    await using admin = await connect(fixture.url);
    await using pool = createPool({ url: fixture.url, name, max: 1 });
    await pool.send(["PING"]);
    let peak = 0;
    for (let i = 0; i < 5; i++) {
      // A command that never finishes on its own, then one that times out behind it.
      const blocked = pool.send(["BLPOP", `retire:queue:${i}`, "0"], { timeout: 0 }).catch((e) =>
        e
      );
      await assert.rejects(pool.send(["PING"], { timeout: 100 }), TimeoutError);
      for (let j = 0; j < 20; j++) {
        peak = Math.max(peak, await clientsNamed(admin, name));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.ok(
        (await blocked) instanceof ConnectionError,
        "the retired connection was closed after its grace",
      );
      assert.equal(await pool.ping(), "PONG");
    }
    assert.equal(peak, 1, `saw ${peak} sockets for max 1`);
  });

  it("rejects with PoolTimeoutError when every connection stays held past acquireTimeout", async () => {
    await using pool = createPool({ url: fixture.url, max: 2, acquireTimeout: 100 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holders = [pool.use(() => gate), pool.use(() => gate)];
    await until(() => pool.stats().inUse === 2);
    await assert.rejects(pool.use(() => "never"), (error: Error) => {
      assert.ok(error instanceof PoolTimeoutError);
      assert.match(error.message, /within 100 ms: 2 of 2 connections are in use/);
      return true;
    });
    release();
    await Promise.all(holders);
    assert.equal(
      await pool.use((conn) => conn.ping()),
      "PONG",
      "a released connection serves the next caller",
    );
  });

  it("closes a connection handed back inside MULTI or after SELECT, never lending it again", async () => {
    await using pool = createPool({ url: fixture.url, max: 1 });
    const first = await pool.use(async (conn) => {
      const id = await conn.send<number>(["CLIENT", "ID"]);
      await conn.send(["MULTI"]);
      return id;
    });
    const second = await pool.use(async (conn) => {
      const id = await conn.send<number>(["CLIENT", "ID"]);
      await conn.send(["SELECT", "4"]);
      return id;
    });
    const third = await pool.use((conn) => conn.send<number>(["CLIENT", "ID"]));
    assert.notEqual(first, second);
    assert.notEqual(second, third);
    assert.equal(
      await pool.use((conn) => conn.send<number>(["CLIENT", "ID"])),
      third,
      "a clean connection is reused",
    );
  });

  it("refuses a pooled connection used after use() returned", async () => {
    await using pool = createPool({ url: fixture.url });
    let leaked: { ping(): Promise<string> } | undefined;
    await pool.use((conn) => {
      leaked = conn;
    });
    await assert.rejects(leaked!.ping(), /after use\(\) returned/);
  });

  it("counts exactly with WATCH/MULTI/EXEC optimistic locking from 20 concurrent callers", async () => {
    await using pool = createPool({ url: fixture.url, max: 20 });
    await pool.del("pool:optimistic");
    let conflicts = 0;
    // In the first round every caller WATCHes and reads 0 before any of them runs EXEC, so the
    // first EXEC to arrive changes the key under the 19 others: WATCH must refuse those 19.
    let readFirst = 0;
    let allRead!: () => void;
    const everyoneRead = new Promise<void>((resolve) => (allRead = resolve));
    await Promise.all(Array.from({ length: 20 }, async () => {
      for (let done = 0, round = 0; done < 10; round++) {
        const result = await pool.use(async (conn) => {
          await conn.send(["WATCH", "pool:optimistic"]);
          const current = Number(await conn.get("pool:optimistic") ?? 0);
          if (round === 0) {
            if (++readFirst === 20) allRead();
            await everyoneRead;
          }
          return await conn.multi().send(["SET", "pool:optimistic", current + 1]).exec();
        });
        if (result === null) conflicts++;
        else done++;
      }
    }));
    assert.equal(await pool.get("pool:optimistic"), "200");
    assert.ok(conflicts >= 19, `${conflicts} conflicts: WATCH let a stale EXEC through`);
  });

  it("runs MULTI/EXEC on a shared connection, with run-time errors as elements", async () => {
    await using pool = createPool({ url: fixture.url });
    await pool.set("pool:text", "abc");
    const results = await pool.multi().send(["SET", "pool:m", "1"]).send(["INCR", "pool:text"])
      .send(["INCR", "pool:m"]).exec();
    assert.ok(results !== null);
    assert.equal(results[0], "OK");
    assert.ok(results[1] instanceof ReplyError);
    assert.equal(results[2], 2);
    await assert.rejects(pool.multi().send(["SET", "only-one-arg"]).exec(), (error: ReplyError) => {
      assert.equal(error.code, "EXECABORT");
      assert.ok(error.cause instanceof ReplyError);
      return true;
    });
  });

  it("keeps pipelines on one connection, in order", async () => {
    await using pool = createPool({ url: fixture.url, max: 4 });
    const results = await pool.pipeline().send(["SET", "pool:p", "1"]).send(["INCR", "pool:p"])
      .send(["GET", "pool:p"]).exec();
    assert.deepEqual(results, ["OK", 2, "2"]);
  });

  it("keeps min connections open and closes idle ones beyond it", async () => {
    await using admin = await connect(fixture.url);
    const name = "pool-idle";
    await using pool = createPool({ url: fixture.url, name, min: 1, max: 4, idleTimeout: 200 });
    await until(async () => (await clientsNamed(admin, name)) === 1);
    await Promise.all([pool.use(() => pool.use(() => pool.use((c) => c.ping())))]);
    assert.equal(pool.stats().size, 3);
    await until(() => pool.stats().size === 1);
    await until(async () => (await clientsNamed(admin, name)) === 1);
  });

  it("checks a long-idle connection before lending it, replacing one that died", async () => {
    await using admin = await connect(fixture.url);
    await using pool = createPool({ url: fixture.url, max: 1, healthCheckAfter: 0 });
    const id = await pool.use((conn) => conn.send<number>(["CLIENT", "ID"]));
    await admin.send(["CLIENT", "KILL", "ID", String(id)]);
    const next = await pool.use((conn) => conn.send<number>(["CLIENT", "ID"]));
    assert.notEqual(next, id);
  });

  it("settles every waiting promise when closed, and rejects later calls", async () => {
    const pool = createPool({ url: fixture.url, max: 1, acquireTimeout: 10_000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holder = pool.use(() => gate);
    await until(() => pool.stats().inUse === 1);
    const waiters = [pool.use(() => 1).catch((e) => e), pool.use(() => 2).catch((e) => e)];
    const closing = pool.close({ timeout: 1000 });
    for (const error of await Promise.all(waiters)) {
      assert.ok(error instanceof ConnectionError);
      assert.match(error.message, /pool is closed/);
    }
    release();
    await holder;
    await closing;
    await assert.rejects(pool.ping(), /pool is closed/);
    await assert.rejects(pool.use(() => 3), /pool is closed/);
  });
});

describe("the pool through server failures", () => {
  const fixture = useRedis();

  it("settles 10,000 in-flight commands with ConnectionError within 5 s of SIGKILL (before any 10 s timeout), then serves within 5 s of a restart", async () => {
    await using pool = createPool({ url: fixture.url, max: 4 });
    await pool.del("crash:q");
    await pool.ping();
    const inflight = Array.from(
      { length: 10_000 },
      (_, i) =>
        (i % 2 === 0 ? pool.send(["BLPOP", "crash:q", "10"], { timeout: 0 }) : pool.incr("crash:n"))
          .then(
            () => null,
            (error) => error,
          ),
    );
    // The pool fills its ready connection first (the PING made one ready), and a connection
    // writes all it holds at once: once the server runs the first BLPOP, every command was
    // written (its outcome unknown: a ConnectionError when the server dies). Wait for that, not
    // for a fixed time that a loaded machine can overrun.
    await until(async () => / cmd=blpop /.test(await fixture.server.cli("CLIENT", "LIST")), 10_000);
    const killedAt = Date.now();
    fixture.server.kill("SIGKILL");
    const outcomes = await Promise.all(inflight);
    const settledIn = Date.now() - killedAt;
    const errors = outcomes.filter((o) => o !== null);
    assert.ok(errors.length > 0);
    for (const error of errors) assert.ok(error instanceof ConnectionError, `got ${error}`);
    assert.ok(settledIn < 5_000, `settled in ${settledIn} ms`);
    await fixture.server.restart();
    const restartedAt = Date.now();
    await until(async () => (await pool.ping().catch(() => "")) === "PONG", 5_000);
    assert.ok(Date.now() - restartedAt < 5_000);
    assert.equal(await pool.set("crash:after", "ok"), "OK");
  });

  it("times out commands while the server is stopped, then gives each new command its own reply", async () => {
    await using pool = createPool({ url: fixture.url, max: 2 });
    await pool.set("stop:k", "mine");
    fixture.server.kill("SIGSTOP");
    try {
      const stuck = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) => pool.send(["ECHO", `x${i}`], { timeout: 200 })),
      );
      for (const result of stuck) {
        assert.equal(result.status, "rejected");
        assert.ok((result as PromiseRejectedResult).reason instanceof TimeoutError);
      }
    } finally {
      fixture.server.kill("SIGCONT");
    }
    const fresh = await Promise.all(
      Array.from({ length: 200 }, (_, i) => pool.send(["ECHO", `y${i}`])),
    );
    fresh.forEach((value, i) => assert.equal(value, `y${i}`));
    assert.equal(await pool.get("stop:k"), "mine");
  });
});

describe("a pool given refused credentials", () => {
  it("does not storm the server: one connection, no retry for seconds, and commands fail with WRONGPASS instead of hanging", async () => {
    await using locked = await startRedis({
      aclUsers: [{ name: "app", password: "right-pass", rules: "~* &* +@all" }],
    });
    await using admin = await connect(locked.url);
    const stat = async (section: string, field: string) => {
      const info = await admin.send<string>(["INFO", section]);
      return Number(new RegExp(`${field}:(\\d+)`).exec(info)![1]);
    };
    const before = await stat("stats", "total_connections_received");
    await using pool = createPool({
      url: locked.url,
      username: "app",
      password: "wrong-pass",
      max: 4,
    });
    const isWrongPass = (error: unknown) => {
      assert.ok(error instanceof ReplyError, `got ${error}`);
      assert.equal(error.code, "WRONGPASS");
      assert.doesNotMatch(error.message, /wrong-pass/);
      return true;
    };
    // Used once...
    isWrongPass(await pool.get("k").catch((e) => e));
    // ...and by many callers at once, also through use(): each gets the server's answer.
    const many = await Promise.all([
      ...Array.from({ length: 50 }, () => pool.get("k").catch((e) => e)),
      pool.use((conn) => conn.get("k")).catch((e) => e),
    ]);
    many.forEach(isWrongPass);
    // ...then idle. Refused handshakes back off from 2 s (then 4 s, 8 s…): at most
    // 2 attempts in the first 5 s. Watch 1.5 s of it: no new attempt, one socket at most.
    let most = 0;
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      most = Math.max(most, (await stat("clients", "connected_clients")) - 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(most <= 1, `${most} connections open while failing`);
    const attempts = (await stat("stats", "total_connections_received")) - before;
    assert.ok(attempts <= 2, `${attempts} connection attempts`);
    assert.ok(pool.stats().size <= 1);
  });
});

describe("TimeoutError.outcomeUnknown through the layers", () => {
  it("is true for a written command and false for one that waited in the offline queue, through a pool and a router", async () => {
    // Answers the handshake, never a command.
    await using stalled = await startFakeServer((command, conn) =>
      void answerHandshake(command, conn)
    );
    // Never answers at all: commands wait in the offline queue.
    await using silent = await startFakeServer(() => {});
    await using pool = createPool({ url: stalled.url, commandTimeout: 100 });
    const written = await pool.incr("n").catch((e) => e);
    assert.ok(written instanceof TimeoutError, `got ${written}`);
    assert.equal(written.outcomeUnknown, true);
    await using queued = createPool({
      url: silent.url,
      connectTimeout: 5_000,
      offlineQueue: { timeout: 100 },
    });
    const waited = await queued.incr("n").catch((e) => e);
    assert.ok(waited instanceof TimeoutError, `got ${waited}`);
    assert.equal(waited.outcomeUnknown, false);
    // A failover router gives up on a written INCR (never re-sent) and keeps the flag.
    const cache = createCache({
      strategy: "failover",
      urls: [stalled.url, silent.url],
      commandTimeout: 100,
      breaker: false,
    });
    try {
      const error = await (cache.client as Router).route("n", false).send(["INCR", "n"]).catch((
        e,
      ) => e);
      assert.ok(error instanceof TimeoutError, `got ${error}`);
      assert.equal(error.outcomeUnknown, true);
      assert.equal(silent.received.filter((c) => c[0] === "INCR").length, 0, "not re-sent");
    } finally {
      await cache.close();
    }
  });
});

describe("durations", () => {
  it('every pool and connection duration takes milliseconds or a string such as "5s"', async () => {
    await using server = await startRedis();
    await using pool = createPool({
      url: server.url,
      connectTimeout: "5s",
      commandTimeout: "1m",
      acquireTimeout: "10s",
      idleTimeout: "30s",
      maxLifetime: "1h",
      healthCheckAfter: "5s",
      retry: { base: "50ms", max: "1s", deadline: "1m" },
      offlineQueue: { timeout: "2s" },
      breaker: { window: "10s", cooldown: "5s" },
    });
    assert.equal(await pool.ping(), "PONG");
    await using redis = await connect({ url: server.url, commandTimeout: "200ms" });
    server.kill("SIGSTOP");
    try {
      const error = await redis.get("k").catch((e) => e);
      assert.ok(error instanceof TimeoutError, `got ${error}`);
    } finally {
      server.kill("SIGCONT");
    }
    await using viaUrl = await connect(`${server.url}?connectTimeout=5s&commandTimeout=1m30s`);
    assert.equal(await viaUrl.ping(), "PONG");
    assert.throws(() => createPool(`${server.url}?commandTimeout=soon`), /commandTimeout "soon"/);
    assert.throws(() => createPool({ idleTimeout: "soon" }), /"idleTimeout".*"soon"/);
    assert.throws(() => createPool({ connectTimeout: 1.5 }), /"connectTimeout"/);
    assert.throws(() => createPool({ retry: { max: "1 lightyear" } }), /"retry\.max"/);
  });
});
