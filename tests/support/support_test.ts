// Tests of the test harness itself: real servers, TLS, unix sockets, ACL, restart, fake server.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import { after, afterEach, before, beforeEach, describe, it } from "./test.ts";
import { answerHandshake, resp, startFakeServer } from "./fake_server.ts";
import { freePort, type RedisServer, startRedis } from "./redis.ts";
import { redisFixture, useRedis, useRedisGroup } from "./use_redis.ts";

/** Sends raw RESP on `socket` and resolves with the first complete reply line(s) received. */
function exchange(socket: net.Socket, request: string, lines = 1): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    const onData = (chunk: Buffer) => {
      data += chunk.toString("utf8");
      if (data.split("\r\n").length > lines) {
        socket.off("data", onData);
        socket.off("error", reject);
        resolve(data);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(request);
  });
}

/** Close promises, attached as soon as a socket is created so no 'close' event is missed. */
const closed = new WeakMap<net.Socket, Promise<unknown>>();
function track<T extends net.Socket>(socket: T): T {
  closed.set(socket, new Promise((resolve) => socket.once("close", resolve)));
  return socket;
}
async function destroy(socket: net.Socket): Promise<void> {
  socket.destroy();
  await closed.get(socket);
}

/** Runs one exchange, then closes the socket and awaits the close. */
async function roundTrip(socket: net.Socket, request: string, lines = 1): Promise<string> {
  try {
    return await exchange(socket, request, lines);
  } finally {
    await destroy(socket);
  }
}

const cmd = (...args: string[]) =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
const tcp = (port: number) => track(net.connect({ host: "127.0.0.1", port }));

describe("startRedis (plain, unix socket, ACL)", () => {
  let redis: RedisServer;
  const events: string[] = [];
  before(async () => {
    redis = await startRedis({
      unixSocket: true,
      requirePass: "s3cret",
      aclUsers: [{ name: "app", password: "app-pass", rules: "~app:* +@read +@write +ping" }],
    });
  });
  after(() => redis.stop());
  beforeEach(() => void events.push("beforeEach"));
  afterEach(() => void events.push("afterEach"));

  it("exposes its addresses", () => {
    assert.equal(redis.host, "127.0.0.1");
    assert.equal(redis.url, `redis://127.0.0.1:${redis.port}`);
    assert.equal(redis.unixUrl, `unix://${redis.unixPath}`);
    assert.ok(redis.unixPath?.startsWith(redis.dir));
    assert.ok(redis.pid > 0);
    assert.equal(redis.tlsPort, undefined);
  });

  it("answers PING over TCP once authenticated", async () => {
    const reply = await roundTrip(
      tcp(redis.port),
      cmd("PING") + cmd("AUTH", "s3cret") + cmd("PING"),
      3,
    );
    assert.equal(reply, "-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n");
  });

  it("answers over the unix socket", async () => {
    const reply = await roundTrip(
      track(net.connect({ path: redis.unixPath! })),
      cmd("AUTH", "s3cret") + cmd("PING"),
      2,
    );
    assert.equal(reply, "+OK\r\n+PONG\r\n");
  });

  it("lets an ACL user AUTH, within its permissions", async () => {
    const reply = await roundTrip(
      tcp(redis.port),
      cmd("AUTH", "app", "app-pass") + cmd("SET", "app:k", "v") + cmd("SET", "other", "v"),
      3,
    );
    const [auth, allowed, denied] = reply.split("\r\n");
    assert.equal(auth, "+OK");
    assert.equal(allowed, "+OK");
    assert.match(denied, /^-NOPERM/);
  });

  it("cli() runs redis-cli with the password", async () => {
    assert.equal(await redis.cli("SET", "app:cli", "42"), "OK");
    assert.equal(await redis.cli("GET", "app:cli"), "42");
  });

  it("ran beforeEach/afterEach around each test", () => {
    assert.deepEqual(events.slice(0, 4), ["beforeEach", "afterEach", "beforeEach", "afterEach"]);
  });
});

describe("startRedis (TLS)", () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis({ tls: true });
  });
  after(() => redis.stop());

  const connectTls = (ca: string, extra: tls.ConnectionOptions = {}) => {
    const socket = track(tls.connect({ host: "127.0.0.1", port: redis.tlsPort!, ca, ...extra }));
    return new Promise<tls.TLSSocket>((resolve, reject) => {
      socket.once("secureConnect", () => {
        socket.off("error", reject);
        resolve(socket);
      });
      socket.once("error", (error) => destroy(socket).then(() => reject(error)));
    });
  };

  it("answers PING over TLS, trusting the test CA", async () => {
    assert.equal(redis.tlsUrl, `rediss://127.0.0.1:${redis.tlsPort}`);
    assert.notEqual(redis.tlsPort, redis.port);
    const socket = await connectTls(redis.tls!.ca);
    assert.equal(await roundTrip(socket, cmd("PING")), "+PONG\r\n");
  });

  it("accepts a client certificate (mTLS)", async () => {
    const { ca, cert, key } = redis.tls!;
    const socket = await connectTls(ca, { cert, key });
    assert.equal(await roundTrip(socket, cmd("PING")), "+PONG\r\n");
  });

  it("fails verification with the wrong CA", async () => {
    // A verification failure, not any failure (a refused connection, say).
    const unverified = [
      "SELF_SIGNED_CERT_IN_CHAIN",
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    ];
    await assert.rejects(
      connectTls(redis.tls!.wrongCa),
      (error: Error & { code?: string }) => unverified.includes(error.code ?? ""),
    );
  });

  it("keeps the plain port", async () => {
    assert.equal(await roundTrip(tcp(redis.port), cmd("PING")), "+PONG\r\n");
  });
});

describe("RedisServer lifecycle", () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis({ unixSocket: true });
  });
  after(() => redis.stop());

  it("restart() keeps the port and unix socket, with a new process", async () => {
    const { port, pid, unixPath } = redis;
    await redis.cli("SET", "k", "v");
    await redis.restart();
    assert.equal(redis.port, port);
    assert.equal(redis.unixPath, unixPath);
    assert.notEqual(redis.pid, pid);
    assert.equal(await redis.cli("EXISTS", "k"), "0"); // no persistence
  });

  it("restart() after SIGKILL", async () => {
    redis.kill("SIGKILL");
    await redis.restart();
    assert.equal(await redis.cli("PING"), "PONG");
  });

  it("SIGSTOP makes it unresponsive until SIGCONT", async () => {
    redis.kill("SIGSTOP");
    const socket = tcp(redis.port);
    const reply = exchange(socket, cmd("PING"));
    const raced = await Promise.race([reply, new Promise((r) => setTimeout(r, 200, "timeout"))]);
    assert.equal(raced, "timeout");
    redis.kill("SIGCONT");
    assert.equal(await reply, "+PONG\r\n");
    await destroy(socket);
  });

  it("stop() is idempotent and removes the directory", async () => {
    const other = await startRedis();
    const { dir, port } = other;
    await Promise.all([other.stop(), other.stop()]);
    await other.stop();
    assert.equal(other.running, false);
    assert.equal(existsSync(dir), false);
    await assert.rejects(roundTrip(tcp(port), cmd("PING")), { code: "ECONNREFUSED" });
  });

  it("starts on a requested port", async () => {
    const port = await freePort();
    await using other = await startRedis({ port });
    assert.equal(other.port, port);
    assert.equal(await other.cli("PING"), "PONG");
  });

  it("reports a failed start with the server's output", async () => {
    await assert.rejects(startRedis({ args: ["--no-such-directive", "1"] }), (error: Error) => {
      assert.match(error.message, /redis-server failed to start[^]*no-such-directive/);
      return true;
    });
  });
});

describe("fake server", () => {
  it("parses commands (also split across writes) and replies", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      conn.write(resp.bulk(command.slice(1).join("|")));
    });
    const socket = tcp(fake.port);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(cmd("HELLO", "3").slice(0, 5));
    const hello = await exchange(socket, cmd("HELLO", "3").slice(5), 15);
    assert.match(hello, /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/);
    const echoed = await roundTrip(socket, cmd("ECHO", "a", "ü"), 2);
    assert.equal(echoed, "$4\r\na|ü\r\n");
    assert.deepEqual(fake.received, [["HELLO", "3"], ["ECHO", "a", "ü"]]);
    assert.equal(fake.connections, 1);
    assert.deepEqual(fake.errors, []);
  });

  it("writeSlowly() delivers byte by byte, then end() closes", async () => {
    await using fake = await startFakeServer(async (_command, conn) => {
      await conn.writeSlowly("+PONG\r\n", { chunkSize: 2 });
      conn.end();
    });
    const socket = tcp(fake.port);
    const chunks: string[] = [];
    socket.on("data", (chunk) => chunks.push(chunk.toString()));
    socket.write(cmd("PING"));
    await closed.get(socket);
    assert.equal(chunks.join(""), "+PONG\r\n");
    assert.ok(chunks.length > 1, `expected several chunks, got ${JSON.stringify(chunks)}`);
  });
});

describe("useRedis and useRedisGroup", () => {
  const redis = useRedis({ requirePass: "fixture-pass" });
  const group = useRedisGroup(2);

  it("start the describe's servers before its tests, with the options given", async () => {
    assert.equal(redis.url, redis.server.url);
    assert.equal(redis.server.options.requirePass, "fixture-pass");
    assert.deepEqual(group.urls, group.servers.map((server) => server.url));
    assert.notEqual(group.servers[0].port, group.servers[1].port);
    for (const server of [redis.server, ...group.servers]) assert.equal(server.running, true);
    assert.deepEqual(await Promise.all(group.servers.map((s) => s.cli("PING"))), ["PONG", "PONG"]);
  });

  it("refuse to hand out a server before start() or after stop(), and stop only once", async () => {
    const idle = redisFixture();
    assert.throws(() => idle.server, /not started/);
    await idle.start();
    const server = idle.server;
    assert.equal(await server.cli("PING"), "PONG");
    await Promise.all([idle.stop(), idle.stop()]);
    assert.equal(server.running, false);
    assert.equal(existsSync(server.dir), false);
    assert.throws(() => idle.url, /not started/);
  });
});
