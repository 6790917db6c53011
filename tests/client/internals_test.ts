import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { useRedis } from "../support/use_redis.ts";
import { RedisClient } from "../../mod.ts";
import type { ConnectTarget } from "../../src/net/transport.ts";

describe("what a pool or a strategy gives a client besides its options", () => {
  const fixture = useRedis();

  it("resolveTarget decides the address of every connection attempt, reconnects included", async () => {
    const asked: ConnectTarget[] = [];
    await using redis = new RedisClient({ host: "192.0.2.1", port: 1 }, {
      resolveTarget: (target) => {
        asked.push(target);
        return Promise.resolve({ ...target, host: fixture.server.host, port: fixture.server.port });
      },
    });
    assert.equal(await redis.send(["PING"]), "PONG");
    redis.reconnect();
    await until(() => asked.length === 2 && redis.state === "ready");
    assert.equal(await redis.send(["PING"]), "PONG");
    assert.deepEqual(asked.map((target) => `${target.host}:${target.port}`), [
      "192.0.2.1:1",
      "192.0.2.1:1",
    ]);
  });

  it("setupCommands run on every new connection, before any command", async () => {
    await using redis = new RedisClient(fixture.url, {
      setupCommands: [["CLIENT", "SETNAME", "set-up"]],
    });
    assert.equal(await redis.send(["CLIENT", "GETNAME"]), "set-up");
    await redis.send(["CLIENT", "SETNAME", "changed"]);
    redis.reconnect();
    await until(() => redis.state === "ready");
    assert.equal(await redis.send(["CLIENT", "GETNAME"]), "set-up");
  });
});
