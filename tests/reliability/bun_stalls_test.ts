// Timeouts and stalls, on Deno and Bun alike: a connection given up after a timeout is closed at
// once (the peer sees its FIN or reset), over TCP and TLS, also when the peer is silent, stopped
// or no longer reads; and a pool serves again right after a stopped server is continued.
//
// How the close is observed: the fault proxy records when it saw the client's side of each
// connection end (FIN) or close (reset). Bounds are upper bounds far above the measured figures
// (a few ms) and below what the defects took (the 1 s grace of a retired connection, or never).
import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { type RedisServer, startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { type Proxy, startProxy } from "../support/proxy.ts";
import { until } from "../support/wait.ts";
import { connect, type ConnectOptions, createPool, TimeoutError } from "../../mod.ts";

/** Upper bound between a connection's last timeout and its close, as seen by the proxy. */
const CLOSE_BOUND_MS = 500;
/** Upper bound between SIGCONT and the first command a pool serves. */
const RESUME_BOUND_MS = 750;
const FAST_RETRY = { base: 10, max: 50 };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the proxy saw client connection `index` close; returns when (epoch ms). */
async function closedAt(proxy: Proxy, index: number, ms = 5000): Promise<number> {
  await until(() => proxy.clientClosedAt[index] !== undefined, ms);
  return proxy.clientClosedAt[index]!;
}

/** Rejects unless `promise` rejects with a `TimeoutError`; returns when it did (epoch ms). */
async function timedOut(promise: Promise<unknown>, what: string): Promise<number> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TimeoutError, `${what}: expected TimeoutError, got ${error}`);
    return true;
  });
  return Date.now();
}

describe("a connection given up after a timeout is closed at once", () => {
  const fixture = useRedis({ tls: true, args: ["--enable-debug-command", "yes"] });

  for (const transport of ["tcp", "tls"] as const) {
    /** A proxy in front of the server's plain or TLS port, and the options to reach it. */
    const through = async (): Promise<[Proxy, ConnectOptions]> => {
      const port = transport === "tls" ? fixture.server.tlsPort! : fixture.server.port;
      const proxy = await startProxy({ host: fixture.server.host, port });
      const url = `${transport === "tls" ? "rediss" : "redis"}://${proxy.host}:${proxy.port}`;
      const tls = transport === "tls" ? { caCerts: [fixture.server.tls!.ca] } : undefined;
      return [proxy, { url, tls, retry: FAST_RETRY, connectTimeout: 1000 }];
    };

    describe(transport, () => {
      it("a pipeline whose 51st reply is held back 2 s: once its last command timed out, the connection closes within the bound", async () => {
        const [proxy, options] = await through();
        await using _proxy = proxy;
        await using redis = await connect(options);
        assert.equal(proxy.connections, 1);
        const pipeline = redis.pipeline();
        for (let i = 0; i < 50; i++) pipeline.send(["GET", `stall:${i}`], { timeout: 300 });
        pipeline.send(["DEBUG", "SLEEP", "2"], { timeout: 300 });
        // Deadlines a few ms apart: the first expiry retires the connection, the last drains it.
        for (let i = 0; i < 49; i++) pipeline.send(["GET", `stall:${i}`], { timeout: 300 + i });
        const last = await timedOut(pipeline.exec(), "exec()");
        const closed = await closedAt(proxy, 0);
        assert.ok(
          closed - last <= CLOSE_BOUND_MS,
          `closed ${closed - last} ms after the last timeout`,
        );
        // New commands are served again on a new connection, once the server woke up.
        await until(async () => (await redis.send(["PING"]).catch(() => "")) === "PONG", 10_000);
        assert.ok(proxy.connections >= 2);
      });

      it("a silent partition (blackhole: no reply, no FIN): the timed-out command's connection closes within the bound", async () => {
        const [proxy, options] = await through();
        await using _proxy = proxy;
        await using redis = await connect(options);
        assert.equal(await redis.send(["PING"]), "PONG");
        proxy.blackhole(true);
        const timeout = await timedOut(redis.send(["GET", "stall:x"], { timeout: 200 }), "GET");
        const closed = await closedAt(proxy, 0);
        assert.ok(closed - timeout <= CLOSE_BOUND_MS, `closed ${closed - timeout} ms after`);
        proxy.blackhole(false);
        await until(async () => (await redis.send(["PING"]).catch(() => "")) === "PONG", 10_000);
      });

      it("a peer that stopped reading (writes pile up): the client lets go of the socket and stops writing", async () => {
        const [proxy, options] = await through();
        await using _proxy = proxy;
        await using redis = await connect(options);
        assert.equal(await redis.send(["PING"]), "PONG");
        const size = 32 * 1024 * 1024;
        proxy.stall(true);
        const before = proxy.bytesUp;
        await timedOut(
          redis.send(["SET", "stall:big", new Uint8Array(size)], { timeout: 300 }),
          "SET",
        );
        // The proxy cannot see a FIN it does not read: give the client time to close, then read
        // (and drop) what the kernel holds. A socket still open would go on writing the value.
        await sleep(200);
        proxy.blackhole(true);
        proxy.stall(false);
        await closedAt(proxy, 0);
        const sent = proxy.bytesUp - before;
        assert.ok(sent < size, `the client wrote all ${sent} bytes: it kept the socket`);
        proxy.blackhole(false);
        await until(async () => (await redis.send(["PING"]).catch(() => "")) === "PONG", 10_000);
      });
    });
  }
});

describe("a pool after the server was stopped (SIGSTOP) for 2 s", () => {
  let server: RedisServer;
  before(async () => {
    server = await startRedis({ tls: true });
  });
  after(async () => {
    server?.kill("SIGCONT");
    await server?.stop();
  });

  for (const transport of ["tcp", "tls"] as const) {
    it(`${transport}: serves a command within the bound of SIGCONT, also after commands timed out meanwhile`, async () => {
      await using pool = createPool(
        transport === "tls"
          ? { url: server.tlsUrl!, tls: { caCerts: [server.tls!.ca] }, max: 4 }
          : { url: server.url, max: 4 },
      );
      assert.equal(await pool.send(["PING"]), "PONG");
      let running = true;
      const timedOutMeanwhile: number[] = [];
      const load = Array.from({ length: 10 }, async (_, i) => {
        while (running) {
          // Short timeouts (they fail while stopped) and the default one (it waits).
          await pool.send(["PING"], i % 2 === 0 ? { timeout: 300 } : undefined).catch(
            (error) => {
              if (error instanceof TimeoutError) timedOutMeanwhile.push(Date.now());
              return sleep(10);
            },
          );
        }
      });
      await sleep(100);
      server.kill("SIGSTOP");
      await sleep(2000);
      server.kill("SIGCONT");
      const continued = Date.now();
      assert.equal(await pool.send(["PING"], { timeout: 5000 }), "PONG");
      const served = Date.now() - continued;
      running = false;
      await Promise.all(load);
      assert.ok(timedOutMeanwhile.length > 0, "no command timed out while the server was stopped");
      assert.ok(served <= RESUME_BOUND_MS, `served ${served} ms after SIGCONT`);
    });
  }
});
