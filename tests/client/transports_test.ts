import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { openStreamPair } from "../support/stream_pair.ts";
import { useRedis } from "../support/use_redis.ts";
import { startProxy } from "../support/proxy.ts";
import { until } from "../support/wait.ts";
import {
  connect,
  ConnectionError,
  createCache,
  createPool,
  ReplyError,
  type StreamPair,
  TimeoutError,
} from "../../mod.ts";

const PASSWORD = "Tr0ub4dor-and-3";
const ACL_PASSWORD = "c0rrect-h0rse";

describe("authentication", () => {
  const fixture = useRedis({
    requirePass: PASSWORD,
    aclUsers: [{
      name: "app",
      password: ACL_PASSWORD,
      rules: "~app:* +@read +@write +@connection -@dangerous",
    }],
  });

  it("authenticates the default user with a password in the URL", async () => {
    await using redis = await connect(
      `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${fixture.server.port}`,
    );
    assert.equal(await redis.ping(), "PONG");
  });

  it("authenticates an ACL user, who is then held to its rules", async () => {
    await using redis = await connect({
      port: fixture.server.port,
      username: "app",
      password: ACL_PASSWORD,
    });
    assert.equal(await redis.set("app:x", "1"), "OK");
    assert.equal(await redis.get("app:x"), "1");
    await assert.rejects(redis.set("other:x", "1"), { name: "ReplyError", code: "NOPERM" });
  });

  it("rejects a wrong password with a ReplyError that holds no password", async () => {
    const wrong = "wr0ng-secret-value";
    const error = await connect(`redis://app:${wrong}@127.0.0.1:${fixture.server.port}`).catch((
      e,
    ) => e);
    assert.ok(error instanceof ReplyError, `got ${error}`);
    assert.equal(error.code, "WRONGPASS");
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? ""]) {
      assert.ok(!text.includes(wrong), "the error must not show the password");
    }
  });

  it("rejects a missing password with NOAUTH", async () => {
    await assert.rejects(connect({ port: fixture.server.port }), (error: ReplyError) => {
      assert.ok(error instanceof ReplyError);
      assert.match(error.code, /NOAUTH|WRONGPASS/);
      return true;
    });
  });

  it("keeps the password out of a pool's and a cache's string, JSON and inspect forms", async () => {
    await using pool = createPool({ port: fixture.server.port, password: PASSWORD });
    await using cache = createCache({
      port: fixture.server.port,
      password: PASSWORD,
      keyPrefix: "p",
    });
    await pool.ping();
    await cache.set("k", 1);
    const inspect = (globalThis as { Deno?: { inspect(v: unknown): string } }).Deno?.inspect ??
      (globalThis as { Bun?: { inspect(v: unknown): string } }).Bun?.inspect;
    for (const value of [pool, cache, pool.stats(), cache.stats()]) {
      for (const text of [String(value), JSON.stringify(value) ?? "", inspect?.(value) ?? ""]) {
        assert.ok(!text.includes(PASSWORD));
      }
    }
  });

  it("keeps the password out of a client's string and JSON forms", async () => {
    await using redis = await connect({ port: fixture.server.port, password: PASSWORD });
    const inspect = (globalThis as { Deno?: { inspect(v: unknown): string } }).Deno?.inspect ??
      (globalThis as { Bun?: { inspect(v: unknown): string } }).Bun?.inspect;
    for (const text of [String(redis), JSON.stringify(redis), inspect?.(redis) ?? ""]) {
      assert.ok(!text.includes(PASSWORD));
    }
  });
});

describe("TLS", () => {
  const fixture = useRedis({ tls: true });

  it("connects with the server's CA, verifying the certificate", async () => {
    await using redis = await connect({
      url: fixture.server.tlsUrl,
      tls: { caCerts: [fixture.server.tls!.ca] },
    });
    assert.equal(await redis.ping(), "PONG");
    const payload = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) & 255);
    await redis.set("tls:bytes", payload);
    assert.deepEqual(await redis.getBytes("tls:bytes"), payload);
  });

  it("verifies against a server name that differs from the host", async () => {
    await using redis = await connect({
      host: "127.0.0.1",
      port: fixture.server.tlsPort,
      tls: { caCerts: [fixture.server.tls!.ca], serverName: "localhost" },
    });
    assert.equal(await redis.ping(), "PONG");
  });

  it("refuses a server whose certificate the CA did not sign, with a clear error", async () => {
    const error = await connect({
      url: fixture.server.tlsUrl,
      tls: { caCerts: [fixture.server.tls!.wrongCa] },
      connectTimeout: 5000,
    }).catch((e) => e);
    assert.ok(error instanceof ConnectionError, `got ${error}`);
    assert.match(
      error.message,
      /Cannot connect to 127\.0\.0\.1:\d+: .*(certificate|issuer|verif|UnknownIssuer)/i,
    );
  });

  it("refuses a certificate that does not name the host", async () => {
    const error = await connect({
      url: fixture.server.tlsUrl,
      tls: { caCerts: [fixture.server.tls!.ca], serverName: "not-the-server.example" },
      connectTimeout: 5000,
    }).catch((e) => e);
    assert.ok(error instanceof ConnectionError, `got ${error}`);
  });

  it("presents a client certificate for mutual TLS", async () => {
    await using redis = await connect({
      url: fixture.server.tlsUrl,
      tls: {
        caCerts: [fixture.server.tls!.ca],
        cert: fixture.server.tls!.cert,
        key: fixture.server.tls!.key,
      },
    });
    assert.equal(await redis.ping(), "PONG");
  });
});

describe("Unix sockets", () => {
  const fixture = useRedis({ unixSocket: true });

  it("connects through a unix:// URL with a database in the query", async () => {
    await using redis = await connect(`${fixture.server.unixUrl}?db=2`);
    await redis.set("sock", "yes");
    assert.match(await redis.send<string>(["CLIENT", "INFO"]), / db=2 /);
    assert.equal(await redis.get("sock"), "yes");
  });

  it("connects with the path option", async () => {
    await using redis = await connect({ path: fixture.server.unixPath });
    assert.equal(await redis.ping(), "PONG");
  });
});

describe("the { readable, writable } transport", () => {
  const fixture = useRedis();

  it("lets go of the socket after a timeout although a write is stuck behind a peer that stopped reading (and cancelling the readable alone does not close it)", async () => {
    await using proxy = await startProxy({ host: fixture.server.host, port: fixture.server.port });
    await using redis = await connect({
      url: proxy.url,
      transport: async (target) =>
        readCancelKeepsSocket(await openStreamPair(target.host, target.port)),
      retry: { base: 10, max: 50 },
      connectTimeout: 1000,
    });
    assert.equal(await redis.ping(), "PONG");
    const size = 32 * 1024 * 1024;
    proxy.stall(true);
    const before = proxy.bytesUp;
    await assert.rejects(
      redis.send(["SET", "streams:big", new Uint8Array(size)], { timeout: 300 }),
      TimeoutError,
    );
    // The proxy reads (and drops) again: a socket still open would go on writing the value.
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.blackhole(true);
    proxy.stall(false);
    await until(() => proxy.clientClosedAt[0] !== undefined, 5000);
    const sent = proxy.bytesUp - before;
    assert.ok(sent < size, `the client wrote all ${sent} bytes: it kept the socket`);
    proxy.blackhole(false);
    await until(async () => (await redis.ping().catch(() => "")) === "PONG", 10_000);
  });
});

/**
 * The same pair, except that cancelling its readable only stops reading, as with streams that
 * are not tied to the socket: only `close()` (or aborting the writable) lets go of it.
 */
function readCancelKeepsSocket(pair: StreamPair): StreamPair {
  const reader = pair.readable.getReader();
  const readable = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) controller.close();
      else controller.enqueue(value!);
    },
    cancel() {},
  });
  return { readable, writable: pair.writable, close: pair.close?.bind(pair) };
}
