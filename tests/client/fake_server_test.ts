import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { answerHandshake, type FakeServer, resp, startFakeServer } from "../support/fake_server.ts";
import { openStreamPair } from "../support/stream_pair.ts";
import { connect, ConnectionError, ProtocolError, ReplyError, TimeoutError } from "../../mod.ts";
import type { RedisReply } from "../../mod.ts";
import { malformed, plain, replyCases } from "../resp/cases.ts";
import { until } from "../support/wait.ts";

/** Sends a command and returns its reply, or the ReplyError it rejected with, made comparable. */
async function outcome(promise: Promise<RedisReply>): Promise<unknown> {
  try {
    return plain(await promise);
  } catch (error) {
    if (error instanceof ReplyError) return plain(error);
    throw error;
  }
}

const single = replyCases.filter(([, , events]) => events.length === 1 && "reply" in events[0]);

describe("decoding replies from a fake server", () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeServer(async (command, conn) => {
      if (answerHandshake(command, conn)) return;
      const [name, index, split] = command;
      const wire = new TextEncoder().encode(single[Number(index)][1]);
      if (name === "SLOW") return await conn.writeSlowly(wire, { chunkSize: 1 });
      if (name === "SPLIT") {
        conn.write(wire.subarray(0, Number(split)));
        await new Promise((resolve) => setTimeout(resolve, 1));
        conn.write(wire.subarray(Number(split)));
        return;
      }
      conn.write(resp.error("ERR unexpected"));
    });
  });
  after(() => fake.close());

  it("decodes every RESP3 and RESP2 type delivered one byte at a time", async () => {
    await using redis = await connect(fake.url);
    for (let i = 0; i < single.length; i++) {
      const [name, , [expected]] = single[i];
      assert.deepEqual(
        await outcome(redis.send(["SLOW", i])),
        (expected as { reply: unknown }).reply,
        name,
      );
    }
  });

  it("decodes every type with the reply split at every byte offset", async () => {
    await using redis = await connect(fake.url);
    for (let i = 0; i < single.length; i++) {
      const [name, wire, [expected]] = single[i];
      const length = new TextEncoder().encode(wire).length;
      for (let k = 1; k < length; k++) {
        const got = await outcome(redis.send(["SPLIT", i, k]));
        assert.deepEqual(got, (expected as { reply: unknown }).reply, `${name} split at ${k}`);
      }
    }
  });

  it("delivers a push between two replies to onPush, not to a command", async () => {
    await using push = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      conn.write(">2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n" + resp.bulk(command[1]));
    });
    await using redis = await connect(push.url);
    const pushes: unknown[] = [];
    redis.onPush((message) => pushes.push(message));
    assert.equal(await redis.send(["ECHO", "first"]), "first");
    assert.equal(await redis.send(["ECHO", "second"]), "second");
    assert.deepEqual(pushes, [["invalidate", ["k"]], ["invalidate", ["k"]]]);
  });
});

describe("malformed replies", () => {
  for (const [name, wire, limits] of malformed) {
    it(`${name}: ProtocolError for every waiting command, the connection closed`, async () => {
      await using fake = await startFakeServer((command, conn) => {
        if (answerHandshake(command, conn)) return;
        if (command[0] === "BAD") conn.write(wire);
      });
      // A hang would surface as a TimeoutError, not a pass; the timeout is long so that only
      // a hang, never a slow machine, reaches it.
      await using redis = await connect({ url: fake.url, commandTimeout: 30_000, limits });
      const results = await Promise.allSettled([
        redis.send(["BAD"]),
        redis.send(["GET", "a"]),
        redis.send(["GET", "b"]),
      ]);
      for (const result of results) {
        assert.equal(result.status, "rejected");
        assert.ok(
          (result as PromiseRejectedResult).reason instanceof ProtocolError,
          `got ${(result as PromiseRejectedResult).reason}`,
        );
      }
      assert.equal(redis.connected, false);
      // The broken connection is replaced, never reused: the next command gets a fresh one.
      assert.equal(await redis.ping(), "PONG");
      assert.equal(fake.connections, 2);
    });
  }

  it("bytes that are no RESP and never end a line: ProtocolError at once, not a timeout", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      conn.write(new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])); // no CR, ever
    });
    await using redis = await connect({ url: fake.url, commandTimeout: 30_000 });
    await assert.rejects(redis.send(["GET", "k"]), (error: Error) => {
      assert.ok(error instanceof ProtocolError, `got ${error}`);
      assert.match(error.message, /unknown reply type byte 0x15/);
      return true;
    });
  });

  it("connect() to a server that answers the handshake with non-RESP bytes: ProtocolError", async () => {
    await using fake = await startFakeServer((_command, conn) => conn.write("xyzzy"));
    await assert.rejects(connect({ url: fake.url, connectTimeout: 30_000 }), (error: Error) => {
      assert.ok(error instanceof ProtocolError, `got ${error}`);
      assert.match(error.message, /unknown reply type byte 'x'/);
      return true;
    });
  });

  it("a reply that no command waits for: ProtocolError, the connection closed", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      conn.write("+PONG\r\n+EXTRA\r\n");
    });
    await using redis = await connect(fake.url);
    assert.equal(await redis.send(["TWICE"]), "PONG");
    assert.equal(redis.connected, false);
    assert.equal(await redis.ping(), "PONG", "a fresh connection serves the next command");
    assert.equal(fake.connections, 2);
  });

  it("a server that closes mid-reply: ConnectionError whose outcome is unknown", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      conn.write("$10\r\nhal");
      conn.destroy();
    });
    await using redis = await connect(fake.url);
    await assert.rejects(redis.send(["GET", "k"]), (error: ConnectionError) => {
      assert.ok(error instanceof ConnectionError);
      assert.equal(error.outcomeUnknown, true);
      return true;
    });
  });
});

describe("the handshake against a fake server", () => {
  it("falls back to RESP2 with AUTH, CLIENT SETNAME and SELECT when HELLO is unknown", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn, { proto: 2 })) return;
      conn.write(resp.bulk(`got ${command[0]}`));
    });
    await using redis = await connect({ url: fake.url, password: "pw", name: "legacy", db: 3 });
    assert.equal(redis.server.protocol, 2);
    assert.equal(await redis.get("k"), "got GET");
    const names = fake.received.map((c) => c.join(" "));
    assert.deepEqual(names.slice(0, 2), ["HELLO 3 AUTH default pw SETNAME legacy", "SELECT 3"]);
    assert.deepEqual(names.slice(2, 5), ["AUTH pw", "CLIENT SETNAME legacy", "SELECT 3"]);
  });

  it("sends HELLO, AUTH, SETNAME and SELECT in one round trip", async () => {
    await using fake = await startFakeServer((command, conn) => {
      answerHandshake(command, conn);
    });
    await using redis = await connect({
      url: fake.url,
      username: "app",
      password: "pw",
      name: "n",
      db: 1,
    });
    assert.deepEqual(fake.received, [
      ["HELLO", "3", "AUTH", "app", "pw", "SETNAME", "n"],
      ["SELECT", "1"],
    ]);
    assert.equal(redis.server.protocol, 3);
  });

  it("a db refused on reconnect: commands fail at once with a ReplyError naming it, attempts back off", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (conn.id > 1 && command[0] === "SELECT") {
        return conn.write(resp.error("ERR DB index is out of range"));
      }
      if (answerHandshake(command, conn)) return;
      if (command[0] === "DROP") return conn.destroy();
      conn.write(resp.simple("OK"));
    });
    // A retry policy that would try again every 10 ms: a refusal must override it.
    await using redis = await connect({ url: fake.url, db: 3, retry: () => 10 });
    await redis.send(["DROP"]).catch(() => {});
    await until(() => fake.connections >= 2);
    const isRefusedDb = (error: unknown) => {
      assert.ok(error instanceof ReplyError, `got ${error}`);
      assert.equal(error.code, "ERR");
      assert.match(error.message, /^ERR DB index is out of range \(.*"db" option 3\)$/);
      return true;
    };
    await until(async () => (await redis.ping().catch((e) => e)) instanceof ReplyError);
    const started = fake.connections;
    for (let i = 0; i < 20; i++) {
      isRefusedDb(await redis.ping().catch((e) => e));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // 500 ms at 10 ms per retry would be ~50 attempts; refused ones wait seconds.
    assert.ok(fake.connections - started <= 1, `${fake.connections - started} more attempts`);
  });

  it("rejects with TimeoutError when the server never answers the handshake", async () => {
    await using fake = await startFakeServer(() => {});
    await assert.rejects(connect({ url: fake.url, connectTimeout: 200 }), (error: Error) => {
      assert.ok(error instanceof TimeoutError);
      assert.match(error.message, /within 200 ms/);
      return true;
    });
  });
});

describe("the generic { readable, writable } transport", () => {
  it("carries commands over a stream pair that the caller opens", async () => {
    await using fake = await startFakeServer((command, conn) => {
      if (answerHandshake(command, conn)) return;
      conn.write(resp.bulk(command.join("|")));
    });
    let opened = 0;
    await using redis = await connect({
      url: fake.url,
      transport: async (target) => {
        opened++;
        return await openStreamPair(target.host, target.port);
      },
    });
    assert.equal(opened, 1);
    const replies = await Promise.all([redis.send(["ECHO", "a"]), redis.send(["ECHO", "b"])]);
    assert.deepEqual(replies, ["ECHO|a", "ECHO|b"]);
  });
});
