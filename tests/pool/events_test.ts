import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { EventLog } from "../support/events.ts";
import { createPool, ReplyError } from "../../mod.ts";

describe("pool events", () => {
  const fixture = useRedis();

  it("forwards its connections' connect, ready, error and reconnecting with their address; end once, on close", async () => {
    const pool = createPool({ url: fixture.url, min: 1, max: 1, retry: (n) => n * 10 });
    const log = new EventLog(pool);
    const address = `127.0.0.1:${fixture.server.port}`;
    await log.nextOf("ready");
    assert.equal(await pool.ping(), "PONG");

    fixture.server.kill("SIGKILL");
    await log.next((e) => e.type === "reconnecting" && e.detail.attempt === 2);
    await fixture.server.restart();
    await log.nextOf("ready");
    assert.equal(await pool.ping(), "PONG");
    await pool.close();
    await pool.close();

    // The member's own end (the pool closed it) is not the pool's: one end, the pool's.
    assert.match(log.types.join(" "), /^connect ready (error reconnecting )+connect ready end$/);
    const reconnects = log.events.filter((e) => e.type === "reconnecting");
    assert.deepEqual(reconnects.map((e) => e.detail.attempt), reconnects.map((_, i) => i + 1));
    for (const e of log.events) assert.equal(e.detail.address, address);
    assert.deepEqual(log.events.at(-1)!.detail, { address, error: undefined });
  });

  it("every connection's events, the pub/sub one's too", async () => {
    await using pool = createPool({ url: fixture.url, max: 2 });
    const log = new EventLog(pool);
    // Two exclusive loans at once: two connections, opening side by side.
    await Promise.all([0, 1].map(() => pool.use((conn) => conn.ping())));
    assert.deepEqual(log.types.toSorted(), ["connect", "connect", "ready", "ready"]);
    await pool.subscribe("events:channel", () => {});
    assert.deepEqual(log.types.slice(4), ["connect", "ready"]);
  });

  it("a connection's refused handshake is an error event without the password", async () => {
    await using server = await startRedis({ requirePass: "pool-secret" });
    const pool = createPool({ url: server.url, password: "not-the-pool-secret", min: 1 });
    const log = new EventLog(pool);
    const { detail } = await log.nextOf("error");
    assert.ok(detail.error instanceof ReplyError);
    assert.equal(detail.address, `127.0.0.1:${server.port}`);
    assert.doesNotMatch(JSON.stringify(log.events) + detail.error.message, /pool-secret/);
    await pool.close();
    assert.equal(log.types.at(-1), "end");
  });
});
