/**
 * The parts of the workerd adapter that run anywhere: which targets it refuses (with a TypeError
 * naming the option), and what a client does with a transport error marked `reconnect: false`
 * (workerd's "socket of another request"). The adapter itself runs in workerd, in
 * `tests/workerd/workerd_test.ts`.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { openStreamPair } from "../support/stream_pair.ts";
import { checkWorkerdTarget, isWorkerd } from "../../src/net/workerd.ts";
import { runtimeConnector } from "../../src/net/resolve.ts";
import { cannotReconnect, type StreamPair, type TlsOptions } from "../../src/net/transport.ts";
import { connect, ConnectionError } from "../../mod.ts";

const host = "cache.internal";
const port = 6380;

describe("net/workerd: targets workerd cannot serve", () => {
  it("refuses a Unix socket, naming the path", () => {
    assert.throws(
      () => checkWorkerdTarget({ host, port, path: "/run/redis.sock" }),
      { name: "TypeError", message: /Unix socket "\/run\/redis\.sock" in workerd/ },
    );
  });

  const refused: Array<[string, TlsOptions]> = [
    ["caCerts", { caCerts: ["-----BEGIN CERTIFICATE-----"] }],
    ["cert", { cert: "pem" }],
    ["key", { key: "pem" }],
    ["insecure", { insecure: true }],
  ];
  for (const [option, tls] of refused) {
    it(`refuses tls.${option} with a TypeError naming it`, () => {
      assert.throws(
        () => checkWorkerdTarget({ host, port, tls }),
        { name: "TypeError", message: new RegExp(`^Cannot use tls\\.${option} in workerd: `) },
      );
    });
  }

  it("takes plain TCP, TLS, and TLS with a server name", () => {
    checkWorkerdTarget({ host, port });
    checkWorkerdTarget({ host, port, tls: {} });
    checkWorkerdTarget({ host, port, tls: { serverName: "redis.example", caCerts: [] } });
  });

  it("is not detected on Deno or Bun, whose own adapters stay in use", () => {
    assert.equal(isWorkerd(), false);
    // The workerd checks apply in workerd only: here a CA is fine.
    runtimeConnector({ host, port, tls: { caCerts: ["pem"] } });
  });
});

describe("a transport error marked reconnect: false", () => {
  const redis = useRedis();

  it("is found through the causes of an error", () => {
    const misuse = Object.assign(new Error("socket of another request"), { reconnect: false });
    assert.equal(cannotReconnect(new ConnectionError("lost", { cause: misuse })), true);
    assert.equal(
      cannotReconnect(new ConnectionError("lost", { cause: new Error("reset") })),
      false,
    );
    assert.equal(cannotReconnect(undefined), false);
  });

  it("closes the client, which then fails every command at once saying why", async () => {
    let opened = 0;
    let poisoned = false;
    const pairs: StreamPair[] = [];
    const transport = async (): Promise<StreamPair> => {
      opened++;
      const pair = await openStreamPair(redis.server.host, redis.server.port);
      pairs.push(pair);
      const writer = pair.writable.getWriter();
      const writable = new WritableStream<Uint8Array>({
        write(chunk) {
          if (poisoned) {
            throw Object.assign(new Error("Cannot use a socket of another request"), {
              reconnect: false,
            });
          }
          return writer.write(chunk);
        },
        close: () => writer.close(),
        abort: (reason) => writer.abort(reason),
      });
      return { readable: pair.readable, writable, close: () => pair.close?.() };
    };
    await using client = await connect({ url: redis.url, transport });
    assert.equal(await client.send(["PING"]), "PONG");
    poisoned = true;
    const first = await client.send(["PING"]).then(() => undefined, (error) => error);
    assert.ok(first instanceof ConnectionError);
    assert.match(first.message, /Cannot use a socket of another request/);
    assert.equal(client.state, "closed");
    await assert.rejects(client.send(["PING"]), {
      name: "ConnectionError",
      message: /is closed \(Connection to .* was lost: Cannot use a socket of another request\)/,
    });
    assert.equal(opened, 1, "no reconnect attempt");
  });
});
