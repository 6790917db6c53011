import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { connect, createPool, type PubSubMessage } from "../../mod.ts";

/** Collects messages and resolves once `count` arrived. */
function collector(count: number) {
  const seen: PubSubMessage[] = [];
  let done!: () => void;
  const complete = new Promise<void>((resolve) => (done = resolve));
  return {
    seen,
    complete,
    listener: (message: string, channel: string, pattern?: string) => {
      seen.push(pattern === undefined ? { channel, message } : { channel, message, pattern });
      if (seen.length === count) done();
    },
  };
}

describe("pub/sub", () => {
  const fixture = useRedis();

  for (const protocol of [3, 2] as const) {
    it(`delivers messages to a listener over RESP${protocol}, and stops after unsubscribe`, async () => {
      await using subscriber = await connect({ url: fixture.url, protocol });
      await using publisher = await connect(fixture.url);
      const got = collector(2);
      const sub = await subscriber.subscribe(["news", "sports"], got.listener);
      assert.equal(await publisher.publish("news", "hello"), 1);
      assert.equal(await publisher.publish("sports", "goal"), 1);
      await got.complete;
      assert.deepEqual(got.seen, [{ channel: "news", message: "hello" }, {
        channel: "sports",
        message: "goal",
      }]);
      await sub.unsubscribe();
      assert.equal(await publisher.publish("news", "unheard"), 0);
      if (protocol === 3) {
        assert.equal(await subscriber.ping(), "PONG", "RESP3 keeps the connection usable");
      }
    });
  }

  it("matches patterns with psubscribe", async () => {
    await using subscriber = await connect(fixture.url);
    await using publisher = await connect(fixture.url);
    const got = collector(1);
    await using _sub = await subscriber.psubscribe("orders.*", got.listener);
    await publisher.publish("orders.eu", "o-1");
    await got.complete;
    assert.deepEqual(got.seen, [{ pattern: "orders.*", channel: "orders.eu", message: "o-1" }]);
  });

  it("iterates messages with for await, and unsubscribes when the loop ends", async () => {
    await using subscriber = await connect(fixture.url);
    await using publisher = await connect(fixture.url);
    const sub = await subscriber.subscribe("jobs");
    const received: string[] = [];
    const reading = (async () => {
      for await (const { message } of sub) {
        received.push(message);
        if (message === "last") break;
      }
    })();
    for (const m of ["a", "b", "last"]) await publisher.publish("jobs", m);
    await reading;
    assert.deepEqual(received, ["a", "b", "last"]);
    assert.equal(sub.active, false);
    assert.equal(await publisher.publish("jobs", "after"), 0);
  });

  it("keeps a channel subscribed while another subscription still needs it", async () => {
    await using subscriber = await connect(fixture.url);
    await using publisher = await connect(fixture.url);
    const first = collector(1);
    const second = collector(2);
    const a = await subscriber.subscribe("shared", first.listener);
    await subscriber.subscribe("shared", second.listener);
    await publisher.publish("shared", "1");
    await first.complete;
    await a.unsubscribe();
    assert.equal(await publisher.publish("shared", "2"), 1);
    await second.complete;
    assert.deepEqual(second.seen.map((m) => m.message), ["1", "2"]);
    assert.deepEqual(first.seen.map((m) => m.message), ["1"]);
  });

  it("keeps receiving on its channels after the server restarts", async () => {
    const own = await startRedis();
    try {
      await using subscriber = await connect(own.url);
      const got = collector(2);
      await subscriber.subscribe("survives", got.listener);
      await subscriber.psubscribe("also.*", got.listener);
      await own.restart();
      await using publisher = await connect(own.url);
      // Wait until the subscriber is back and has resubscribed (NUMSUB counts it).
      const deadline = Date.now() + 5000;
      while (true) {
        const [, n] = await publisher.send<[string, number]>(["PUBSUB", "NUMSUB", "survives"]);
        const patterns = await publisher.send<number>(["PUBSUB", "NUMPAT"]);
        if (n === 1 && patterns === 1) break;
        if (Date.now() > deadline) assert.fail("the subscriber did not come back");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await publisher.publish("survives", "after-restart");
      await publisher.publish("also.this", "pattern-too");
      await got.complete;
      assert.deepEqual(got.seen.map((m) => m.message), ["after-restart", "pattern-too"]);
    } finally {
      await own.stop();
    }
  });

  it("a pool subscribes on a dedicated connection", async () => {
    await using pool = createPool({ url: fixture.url, max: 2 });
    const got = collector(1);
    await pool.subscribe("pool-news", got.listener);
    await pool.publish("pool-news", "via-pool");
    await got.complete;
    assert.equal(got.seen[0].message, "via-pool");
    assert.equal(await pool.ping(), "PONG");
  });

  it("rejects a subscription to nothing", async () => {
    await using subscriber = await connect(fixture.url);
    await assert.rejects(subscriber.subscribe([]), TypeError);
  });

  it("resolves a raw SUBSCRIBE sent with send() once the server confirms it", async () => {
    await using subscriber = await connect(fixture.url);
    assert.equal(await subscriber.send(["SUBSCRIBE", "raw-a", "raw-b"]), 2);
    assert.equal(await subscriber.send(["UNSUBSCRIBE"]), 0);
    assert.equal(await subscriber.ping(), "PONG");
  });
});
