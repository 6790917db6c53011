import assert from "node:assert/strict";
import type {
  Attributes,
  AttributeValue,
  Span,
  SpanContext,
  SpanOptions,
  SpanStatus,
  Tracer,
} from "@opentelemetry/api";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { until } from "../support/wait.ts";
import { startCluster } from "../support/topology.ts";
import { answerHandshake, startFakeServer } from "../support/fake_server.ts";
import {
  type CommandEnd,
  type CommandHooks,
  type CommandStart,
  connect,
  connectCluster,
  createCache,
  createPool,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import { encodeCommand } from "../../src/resp/encode.ts";
import { keySlot } from "../../src/cluster/key_slot.ts";
import { otelHooks } from "../../examples/otel/otel_hooks.ts";
import { CommandMetrics } from "../../examples/otel/histogram.ts";

/** Hooks that record every call, in order, with a copy of what each saw. */
function recorder() {
  const calls: { hook: "start" | "returned" | "end"; event: CommandEnd }[] = [];
  const hooks: CommandHooks = {
    start(command: CommandStart) {
      calls.push({ hook: "start", event: { ...command } as CommandEnd });
      return (end) => void calls.push({ hook: "returned", event: { ...end } });
    },
    end(command) {
      calls.push({ hook: "end", event: { ...command } });
    },
  };
  const ends = (name?: string) =>
    calls.filter((c) => c.hook === "end" && (name === undefined || c.event.name === name))
      .map((c) => c.event);
  return { calls, hooks, ends };
}

const bytesOf = (...command: string[]) => encodeCommand(command).length;
const utf8 = (text: string) => new TextEncoder().encode(text).length;

describe("command hooks", () => {
  const redis = useRedis();

  it("see a command start and end with its name, keys, address, bytes, duration and no error", async () => {
    const { calls, hooks } = recorder();
    await using client = await connect({ url: redis.url, hooks });
    calls.length = 0; // nothing from the handshake is traced, but be exact from here on
    assert.equal(await client.set("tr:greeting", "hello"), "OK");
    assert.equal(await client.get("tr:greeting"), "hello");
    const address = `127.0.0.1:${redis.server.port}`;
    assert.deepEqual(calls.map((c) => `${c.hook} ${c.event.name}`), [
      "start SET",
      "returned SET",
      "end SET",
      "start GET",
      "returned GET",
      "end GET",
    ]);
    const [startSet, , endSet, , , endGet] = calls.map((c) => c.event);
    assert.deepEqual(
      { ...startSet, startTime: 0 },
      {
        name: "SET",
        keys: 1,
        address,
        bytesOut: bytesOf("SET", "tr:greeting", "hello"),
        startTime: 0,
        bytesIn: 0,
        duration: 0,
        error: undefined,
      },
    );
    assert.ok(startSet.startTime > 0 && startSet.startTime <= performance.now());
    assert.deepEqual(
      { ...endSet, duration: 0 },
      { ...startSet, bytesIn: "+OK\r\n".length, duration: 0 },
    );
    assert.ok(endSet.duration >= 0);
    assert.equal(endGet.bytesOut, bytesOf("GET", "tr:greeting"));
    assert.equal(endGet.bytesIn, "$5\r\nhello\r\n".length);
    assert.equal(endGet.error, undefined);
  });

  it("count the keys from the command's shape", async () => {
    const { hooks, ends } = recorder();
    await using client = await connect({ url: redis.url, hooks });
    await client.send(["MSET", "tr:a", "1", "tr:b", "2"]);
    await client.send(["DEL", "tr:a", "tr:b", "tr:c"]);
    await client.send(["EVAL", "return 1", "2", "tr:a", "tr:b", "x"]);
    await client.send(["PING"]);
    await client.send(["XREAD", "COUNT", "1", "STREAMS", "tr:s1", "tr:s2", "0", "0"]);
    await client.send(["RENAME", "tr:nokey", "tr:other"]).catch(() => {});
    assert.deepEqual(ends().map((e) => `${e.name} ${e.keys}`), [
      "MSET 2",
      "DEL 3",
      "EVAL 2",
      "PING 0",
      "XREAD 2",
      "RENAME 2",
    ]);
  });

  it("see a ReplyError, with the size of the error reply", async () => {
    const { hooks, ends } = recorder();
    await using client = await connect({ url: redis.url, hooks });
    await client.set("tr:text", "hello");
    const error = await client.send(["INCR", "tr:text"]).catch((e) => e);
    assert.ok(error instanceof ReplyError);
    const [end] = ends("INCR");
    assert.equal(end.error, error);
    assert.equal(end.bytesIn, utf8(`-${error.message}\r\n`));
    assert.equal(end.bytesOut, bytesOf("INCR", "tr:text"));
  });

  it("see each command of a pipeline and of a transaction on its own", async () => {
    const { calls, hooks } = recorder();
    await using client = await connect({ url: redis.url, hooks });
    const results = await client.pipeline()
      .send(["SET", "tr:p", "1"])
      .send(["INCR", "tr:p"])
      .send(["HGET", "tr:p", "f"])
      .exec();
    assert.equal(results[1], 2);
    assert.ok(results[2] instanceof ReplyError);
    assert.deepEqual(
      calls.filter((c) => c.hook !== "returned").map((c) => `${c.hook} ${c.event.name}`),
      ["start SET", "start INCR", "start HGET", "end SET", "end INCR", "end HGET"],
      "one write: every command starts before the first reply",
    );
    const ends = calls.filter((c) => c.hook === "end").map((c) => c.event);
    assert.deepEqual(ends.map((e) => [e.bytesOut, e.bytesIn, e.error]), [
      [bytesOf("SET", "tr:p", "1"), 5, undefined],
      [bytesOf("INCR", "tr:p"), ":2\r\n".length, undefined],
      [bytesOf("HGET", "tr:p", "f"), utf8(`-${(results[2] as Error).message}\r\n`), results[2]],
    ]);
    calls.length = 0;
    await client.multi().send(["INCR", "tr:p"]).exec();
    assert.deepEqual(
      calls.filter((c) => c.hook === "end").map((c) => `${c.event.name} ${c.event.bytesIn}`),
      ["MULTI 5", "INCR 9", "EXEC 8"], // +OK, +QUEUED, *1 :3
    );
  });

  it("see a timeout: a TimeoutError, no bytes in, the time waited", async () => {
    await using fake = await startFakeServer((command, conn) =>
      void answerHandshake(command, conn)
    );
    const { calls, hooks, ends } = recorder();
    await using client = await connect({ url: fake.url, commandTimeout: 100, hooks });
    const error = await client.get("tr:slow").catch((e) => e);
    assert.ok(error instanceof TimeoutError);
    const [end] = ends("GET");
    assert.equal(end.error, error);
    assert.equal(end.bytesIn, 0);
    assert.equal(end.bytesOut, bytesOf("GET", "tr:slow"));
    assert.equal(end.address, `127.0.0.1:${fake.port}`);
    assert.ok(end.duration > 50, `waited ${end.duration} ms for a 100 ms timeout`);
    assert.deepEqual(calls.map((c) => c.hook), ["start", "returned", "end"]);
  });

  it("measure replies split into single bytes, with an attribute, and skip push messages", async () => {
    const reply = "|1\r\n+ttl\r\n:3\r\n$5\r\nhello\r\n";
    await using fake = await startFakeServer(async (command, conn) => {
      if (answerHandshake(command, conn)) return;
      conn.write(">2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n"); // a push before the reply
      await conn.writeSlowly(reply, { chunkSize: 1, delayMs: 0 });
    });
    const { hooks, ends } = recorder();
    await using client = await connect({ url: fake.url, hooks });
    assert.equal(await client.get("tr:k"), "hello");
    assert.equal(await client.get("tr:k"), "hello");
    assert.deepEqual(ends("GET").map((e) => e.bytesIn), [reply.length, reply.length]);
  });

  it("see a command whose arguments cannot be encoded: start, then end with the TypeError", async () => {
    const { calls, hooks } = recorder();
    await using client = await connect({ url: redis.url, hooks });
    const error = await client.send(["SET", "tr:k", {} as never]).catch((e) => e);
    assert.ok(error instanceof TypeError);
    assert.deepEqual(calls.map((c) => [c.hook, c.event.bytesOut, c.event.error]), [
      ["start", 0, undefined],
      ["returned", 0, error],
      ["end", 0, error],
    ]);
    assert.equal(await client.send(["PING"]), "PONG", "the connection still works");
  });

  it("never break a command when they throw", async () => {
    const hooks: CommandHooks = {
      start() {
        throw new Error("start hook failed");
      },
      end() {
        throw new Error("end hook failed");
      },
    };
    await using client = await connect({ url: redis.url, hooks });
    assert.equal(await client.send(["PING"]), "PONG");
    const returned: CommandHooks = {
      start: () => () => {
        throw new Error("returned hook failed");
      },
    };
    await using other = await connect({ url: redis.url, hooks: returned });
    assert.equal(await other.send(["PING"]), "PONG");
  });

  it("give the same sizes on RESP2, and leave out push messages on RESP3", async () => {
    for (const protocol of [2, 3] as const) {
      const { hooks, ends } = recorder();
      await using client = await connect({ url: redis.url, protocol, hooks });
      await client.send(["HSET", "tr:h", "f", "v"]);
      await client.send(["HGETALL", "tr:h"]);
      assert.equal(ends("HGETALL")[0].bytesIn, 4 + 7 + 7, `RESP${protocol}`); // *2 or %1, f, v
    }
    const { hooks, ends } = recorder();
    await using subscriber = await connect({ url: redis.url, hooks });
    const received: string[] = [];
    await subscriber.subscribe("tr:channel", (message) => void received.push(message));
    await using publisher = await connect(redis.url);
    await publisher.send(["PUBLISH", "tr:channel", "a message"]);
    await until(() => received.length === 1);
    await subscriber.set("tr:after", "hello");
    assert.equal(await subscriber.get("tr:after"), "hello");
    assert.equal(ends("GET")[0].bytesIn, "$5\r\nhello\r\n".length);
    assert.equal(ends("SUBSCRIBE").length, 1);
  });

  it("reject unknown keys and values that are not functions with a TypeError", async () => {
    await assert.rejects(
      connect({ url: redis.url, hooks: { stat() {} } as never }),
      /Unknown option "stat" for hooks; did you mean "start"\?/,
    );
    await assert.rejects(
      connect({ url: redis.url, hooks: { end: 1 } as never }),
      /Invalid option "hooks\.end": expected a function/,
    );
    await assert.rejects(connect({ url: redis.url, hooks: 1 as never }), /Invalid option "hooks"/);
    assert.throws(() => createPool({ url: redis.url, hooks: { ends() {} } as never }), /"ends"/);
    assert.throws(
      () => connectCluster({ urls: redis.url, hooks: { begin() {} } as never }),
      /Unknown option "begin" for hooks/,
    );
  });

  it("pass from createPool and createCache to every member connection", async () => {
    const { hooks, ends } = recorder();
    await using pool = createPool({ url: redis.url, hooks, max: 2 });
    await Promise.all([pool.set("tr:pool", "1"), pool.use((conn) => conn.send(["PING"]))]);
    assert.equal(ends("SET").length, 1);
    assert.equal(ends("PING").length, 1);
    assert.equal(ends("PING")[0].address, `127.0.0.1:${redis.server.port}`);
    const cache = createCache({ url: redis.url, hooks, keyPrefix: "tr" });
    await cache.set("k", 1, { ttl: 60_000 });
    await cache.close();
    assert.equal(ends("SET").length, 2);
  });
});

describe("command hooks on a cluster", () => {
  it("see each command at the node that served it", async () => {
    await using cluster = await startCluster({ replicasPerPrimary: 0 });
    const { hooks, ends } = recorder();
    await using client = connectCluster({ urls: cluster.seeds, hooks });
    await client.set("tr:{node}", "v");
    const node = await cluster.nodeForSlot(keySlot("tr:{node}"));
    const [set] = ends("SET");
    assert.equal(set.address, `127.0.0.1:${node.port}`);
    assert.equal(set.keys, 1);
    assert.equal(set.error, undefined);
  });
});

/** A span that keeps what it was told: enough of the API's `Span` for the bridge. */
class RecordedSpan implements Span {
  attributes: Attributes;
  status: SpanStatus = { code: 0 };
  exceptions: unknown[] = [];
  ended = false;
  constructor(readonly name: string, options: SpanOptions | undefined) {
    this.attributes = { ...options?.attributes };
  }
  spanContext(): SpanContext {
    return { traceId: "0".repeat(31) + "1", spanId: "0".repeat(15) + "1", traceFlags: 1 };
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.status = status;
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {
    this.ended = true;
  }
  isRecording(): boolean {
    return !this.ended;
  }
  recordException(exception: unknown): void {
    this.exceptions.push(exception);
  }
}

/** A tracer that records its spans (the API package has no SDK). */
class RecordingTracer implements Tracer {
  spans: RecordedSpan[] = [];
  startSpan(name: string, options?: SpanOptions): Span {
    const span = new RecordedSpan(name, options);
    this.spans.push(span);
    return span;
  }
  startActiveSpan(): never {
    throw new Error("not used by the bridge");
  }
}

describe("the OpenTelemetry example bridge", () => {
  const redis = useRedis();

  it("turns each command into a CLIENT span with the database attributes", async () => {
    const tracer = new RecordingTracer();
    await using client = await connect({ url: redis.url, hooks: otelHooks(tracer, 0) });
    await client.set("otel:k", "hello");
    const error = await client.send(["INCR", "otel:k"]).catch((e) => e);
    assert.ok(error instanceof ReplyError);
    const [set, incr] = tracer.spans;
    assert.equal(tracer.spans.length, 2);
    assert.equal(set.name, "SET");
    assert.deepEqual(set.attributes, {
      "db.system.name": "redis",
      "db.operation.name": "SET",
      "db.namespace": "0",
      "server.address": "127.0.0.1",
      "server.port": redis.server.port,
      "redcache.keys": 1,
      "redcache.bytes_out": bytesOf("SET", "otel:k", "hello"),
      "redcache.bytes_in": 5,
    });
    assert.equal(set.status.code, 0);
    assert.equal(set.ended, true);
    assert.equal(incr.name, "INCR");
    assert.equal(incr.attributes["db.response.status_code"], "ERR");
    assert.equal(incr.attributes["error.type"], "ERR");
    assert.equal(incr.status.code, 2); // SpanStatusCode.ERROR
    assert.deepEqual(incr.exceptions, [error]);
    assert.equal(incr.ended, true);
  });

  it("runs on the API's global no-op tracer when no SDK is registered", async () => {
    await using client = await connect({ url: redis.url, hooks: otelHooks() });
    assert.equal(await client.send(["PING"]), "PONG");
  });

  it("feeds the Prometheus-style histogram", async () => {
    const metrics = new CommandMetrics();
    await using client = await connect({ url: redis.url, hooks: metrics.hooks });
    await client.set("otel:m", "1");
    await client.send(["HGET", "otel:m", "f"]).catch(() => {});
    const text = metrics.render();
    const labels = `server="127.0.0.1:${redis.server.port}"`;
    assert.match(text, new RegExp(`_count\\{command="SET",outcome="ok",${labels}\\} 1\\n`));
    assert.match(text, new RegExp(`_count\\{command="HGET",outcome="wrongtype",${labels}\\} 1\\n`));
    assert.match(text, /le="\+Inf"\} 1\n/);
    assert.match(
      text,
      new RegExp(
        `redis_command_bytes_out_total ${
          bytesOf("SET", "otel:m", "1") + bytesOf("HGET", "otel:m", "f")
        }\\n`,
      ),
    );
  });
});
