import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { freePort, startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { EventLog } from "../support/events.ts";
import {
  type ClientEventMap,
  connect,
  ConnectionError,
  createPool,
  type ReconnectingDetail,
  RedisClient,
  ReplyError,
  type StreamPair,
} from "../../mod.ts";

/** Backoff of `attempt * 10` ms: the delays in the events are known. */
const retry = (attempt: number) => attempt * 10;

describe("client events", () => {
  const fixture = useRedis();

  it("connect and ready; after a SIGKILL: error, reconnecting 1, 2…, then connect and ready once it is back; end on close", async () => {
    const redis = new RedisClient({ url: fixture.url, retry });
    const log = new EventLog(redis);
    const address = `127.0.0.1:${fixture.server.port}`;
    await log.nextOf("ready");
    assert.equal(await redis.ping(), "PONG");

    fixture.server.kill("SIGKILL");
    // Attempt 2 is announced once attempt 1 failed: the server is really down meanwhile.
    await log.next((e) => e.type === "reconnecting" && e.detail.attempt === 2);
    assert.equal(redis.state, "reconnecting");
    await fixture.server.restart();
    await log.nextOf("ready");
    assert.equal(await redis.ping(), "PONG");
    await redis.close();
    await redis.close(); // a second close() is no second end

    const types = log.types.join(" ");
    assert.match(types, /^connect ready (error reconnecting )+connect ready end$/);
    const reconnects = log.events.filter((e) => e.type === "reconnecting");
    reconnects.forEach((e, i) => {
      const detail = e.detail as ReconnectingDetail;
      assert.equal(detail.attempt, i + 1, "attempts count up from 1");
      assert.equal(detail.delay, (i + 1) * 10, "the delay retry gave");
      assert.equal(detail.address, address);
      assert.ok(detail.error instanceof ConnectionError, `got ${detail.error}`);
    });
    // Each reconnecting carries the error event's error just before it.
    for (let i = 0; i < log.events.length; i++) {
      if (log.events[i].type !== "reconnecting") continue;
      assert.equal(log.events[i - 1].type, "error");
      assert.equal(log.events[i].detail.error, log.events[i - 1].detail.error);
    }
    for (const e of log.events) {
      if (e.type !== "end") assert.equal(e.detail.address, address);
    }
    assert.deepEqual(log.events.at(-1)!.detail, { address, error: undefined });
  });

  it("end carries the error when retry gives up; the client is closed then", async () => {
    const port = await freePort(); // nobody listens there
    const redis = new RedisClient({ url: `redis://127.0.0.1:${port}`, retry: { attempts: 1 } });
    const log = new EventLog(redis);
    const end = await log.nextOf("end");
    assert.deepEqual(log.types, ["error", "reconnecting", "error", "end"]);
    assert.equal(log.events[1].detail.attempt, 1);
    assert.ok(end.detail.error instanceof ConnectionError);
    assert.equal(end.detail.error, log.events[2].detail.error);
    assert.equal(redis.state, "closed");
    await redis.close();
    assert.equal(log.events.length, 4, "close() after giving up is no second end");
  });

  it("a listener may close the client: no reconnecting after its error, one end, no attempt left", async () => {
    const port = await freePort();
    const redis = new RedisClient({ url: `redis://127.0.0.1:${port}`, retry });
    const log = new EventLog(redis);
    redis.addEventListener("error", () => void redis.close(), { once: true });
    await log.nextOf("end");
    assert.deepEqual(log.types, ["error", "end"]);
    assert.equal(redis.state, "closed");
  });

  it("no connect after end: a socket that opens once the client is closed is not announced", async () => {
    let open!: (pair: StreamPair) => void;
    const redis = new RedisClient({
      url: fixture.url,
      transport: () => new Promise<StreamPair>((resolve) => (open = resolve)),
    });
    const log = new EventLog(redis);
    await redis.close();
    open({ readable: new ReadableStream(), writable: new WritableStream() });
    // Past the microtasks that carry the opened socket to the client (which closes it).
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(log.types, ["end"]);
  });

  it("error events name the server, never the password; a refused handshake is one", async () => {
    await using server = await startRedis({ requirePass: "right-secret" });
    const redis = new RedisClient({ url: server.url, password: "wrong-secret-4711" });
    const log = new EventLog(redis);
    const { detail } = await log.nextOf("error");
    assert.ok(detail.error instanceof ReplyError, `got ${detail.error}`);
    assert.equal(detail.error.code, "WRONGPASS");
    assert.equal(detail.address, `127.0.0.1:${server.port}`);
    const everything = JSON.stringify(log.events) + String(detail.error) + detail.error.stack;
    assert.doesNotMatch(everything, /wrong-secret-4711|right-secret/);
    await redis.close();
    assert.deepEqual(log.types, ["connect", "error", "reconnecting", "end"]);
  });

  it("a command's ReplyError is no error event", async () => {
    await using redis = await connect(fixture.url);
    const log = new EventLog(redis);
    await redis.set("events:str", "x");
    await assert.rejects(redis.send(["LPUSH", "events:str", "y"]), ReplyError);
    await redis.close();
    assert.deepEqual(log.types, ["end"]);
  });

  it("a listener that throws is reported on the console; the next listener runs and the client carries on", async () => {
    const reported: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void reported.push(args);
    try {
      const redis = new RedisClient(fixture.url);
      redis.addEventListener("ready", () => {
        throw new Error("listener bug");
      });
      const log = new EventLog(redis);
      await log.nextOf("ready");
      assert.equal(await redis.ping(), "PONG");
      assert.equal(redis.state, "ready");
      await redis.close();
      assert.deepEqual(log.types, ["connect", "ready", "end"]);
      assert.equal(reported.length, 1);
      assert.match(String(reported[0][0]), /"ready"/);
      assert.equal((reported[0][1] as Error).message, "listener bug");
    } finally {
      console.error = original;
    }
  });

  it("EventTarget semantics: once, removeEventListener, handleEvent objects, this, dispatchEvent", async () => {
    const redis = new RedisClient(fixture.url);
    const seen: string[] = [];
    const onReady = () => seen.push("removed");
    redis.addEventListener("ready", onReady);
    redis.removeEventListener("ready", onReady);
    redis.addEventListener("ready", () => seen.push("once"), { once: true });
    let self: unknown;
    redis.addEventListener("ready", function (this: unknown) {
      self = this;
    });
    const handler = {
      handleEvent(event: ClientEventMap["ready"]) {
        seen.push(`object ${event.detail.address === `127.0.0.1:${fixture.server.port}`}`);
      },
    };
    redis.addEventListener("ready", handler);
    redis.addEventListener("ready", handler); // the same listener twice counts once
    const log = new EventLog(redis);
    await log.nextOf("ready");
    assert.deepEqual(seen, ["once", "object true"]);
    assert.equal(self, redis, "a function listener's this is the client");

    // dispatchEvent reaches the listeners; a listener removed by signal hears nothing more.
    const controller = new AbortController();
    redis.addEventListener("ready", () => seen.push("signal"), { signal: controller.signal });
    const event = new CustomEvent("ready", { detail: { address: "test" }, cancelable: true });
    assert.equal(redis.dispatchEvent(event), true);
    controller.abort();
    redis.dispatchEvent(new CustomEvent("ready", { detail: { address: "test" } }));
    assert.deepEqual(seen, ["once", "object true", "object false", "signal", "object false"]);
    redis.addEventListener("error", (e) => e.preventDefault());
    assert.equal(redis.dispatchEvent(new Event("error", { cancelable: true })), false);
    await redis.close();
  });

  it("a client and a pool nobody listens to make no EventTarget", async () => {
    const Original = globalThis.EventTarget;
    let made = 0;
    globalThis.EventTarget = class extends Original {
      constructor() {
        super();
        made++;
      }
    };
    try {
      const redis = await connect(fixture.url);
      await redis.ping();
      await redis.close();
      const pool = createPool(fixture.url);
      await pool.ping();
      await pool.close();
      assert.equal(made, 0);
      redis.addEventListener("end", () => {});
      assert.equal(made, 1, "the first listener makes it");
    } finally {
      globalThis.EventTarget = Original;
    }
  });
});
