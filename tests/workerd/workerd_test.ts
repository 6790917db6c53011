/**
 * redcache inside workerd: the example worker of `examples/workerd/`, bundled with esbuild and
 * served by the pinned `workerd`, against a real Redis (plain and TLS), spoken to over HTTP.
 *
 * None of the worker's routes passes a `transport` except `/transport`: the client finds
 * `cloudflare:sockets` by itself. What is checked here is what cannot be checked on Deno or Bun:
 * the socket adapter, workerd's per-request I/O, its timers, TLS through its network service,
 * and that nothing in `src/` needs a Deno or Bun global.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { useRedis } from "../support/use_redis.ts";
import { startWorkerd, type WorkerdServer } from "./support/workerd_server.ts";

/** What the worker answers for an error: see `describe()` in the worker. */
interface ErrorBody {
  name: string;
  message: string;
  redisError: boolean;
  cause?: string;
}

describe("examples/workerd: redcache in workerd", () => {
  const redis = useRedis({ tls: true });
  let worker: WorkerdServer | undefined;
  const server = () => worker ?? assert.fail("workerd did not start");
  let clientsBefore = 0;
  const clients = async () => (await redis.server.cli("CLIENT", "LIST")).split("\n").length;

  before(async () => {
    clientsBefore = await clients();
    worker = await startWorkerd({
      redisUrl: redis.url,
      tls: { url: redis.server.tlsUrl!, ca: redis.server.tls!.ca },
    });
  });
  after(() => worker?.stop());

  it("runs as workerd, whose user agent redcache detects", async () => {
    const { body } = await server().json<{ userAgent: string }>("/health");
    assert.equal(body.userAgent, "Cloudflare-Workers");
  });

  it("sets then gets through the cache, with no transport option", async () => {
    const set = await server().json("/set?key=greeting&value=hello");
    assert.deepEqual(set, { status: 200, body: { stored: true } });
    const get = await server().json("/get?key=greeting");
    assert.deepEqual(get, { status: 200, body: { value: "hello" } });
    assert.equal(await redis.server.cli("GET", "edge:1:greeting"), '"hello"');
    const missing = await server().json("/get?key=nothing");
    assert.deepEqual(missing.body, { value: null });
  });

  it("getOrSet runs the loader in the first request only", async () => {
    const first = await server().json<{ value: unknown; loaded: boolean }>("/get-or-set?key=home");
    const second = await server().json<{ value: unknown; loaded: boolean }>("/get-or-set?key=home");
    assert.equal(first.body.loaded, true);
    assert.equal(second.body.loaded, false);
    assert.deepEqual(second.body.value, first.body.value);
  });

  it("sends a pipeline on a raw client and gets the replies in order", async () => {
    const { status, body } = await server().json("/pipeline?key=counter");
    assert.equal(status, 200);
    assert.deepEqual(body, { results: ["OK", 42, "42", 1] });
  });

  it("runs a pool with no transport option: shared sends, and a MULTI on its own connection", async () => {
    const { status, body } = await server().json<
      { counts: number[]; exec: unknown[]; size: number }
    >("/pool?key=pooled");
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.counts, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(body.exec, [100, "100", 1]);
    assert.ok(body.size >= 1 && body.size <= 4);
  });

  it("serves the second request for a page from the response cache", async () => {
    const first = await server().text("/page?id=7");
    const second = await server().text("/page?id=7");
    const other = await server().text("/page?id=8");
    assert.equal(first.status, 200);
    assert.match(first.body, /<h1>Page 7<\/h1><p>render [0-9a-f-]{36}<\/p>/);
    assert.equal(second.body, first.body, "the render nonce is the stored one");
    assert.notEqual(second.headers.get("age"), null);
    assert.notEqual(second.headers.get("etag"), null);
    assert.match(other.body, /Page 8/);
  });

  it("stores msgpack values gzipped and reads them back, dates included", async () => {
    const { status, body } = await server().json("/packed?key=report");
    assert.equal(status, 200);
    assert.equal(body.equal, true);
    assert.equal(body.dateKept, true);
    assert.equal(body.gzip, true, "stored as 00 C3 01 + a gzip stream");
    assert.ok((body.storedBytes as number) < (body.jsonBytes as number) / 4);
  });

  it("refuses a held lock to a second owner, and gives it again after release", async () => {
    const { status, body } = await server().json<{ refused: ErrorBody; reacquired: boolean }>(
      "/lock?name=nightly",
    );
    assert.equal(status, 200);
    assert.equal(body.refused.name, "TimeoutError");
    assert.match(body.refused.message, /Cannot acquire lock "nightly" within 100 ms/);
    assert.equal(body.reacquired, true);
  });

  it("ends a blocked BLPOP at commandTimeout with a TimeoutError, and goes on", async () => {
    const { status, body } = await server().json<ErrorBody & Record<string, unknown>>("/timeout");
    assert.equal(status, 200);
    assert.equal(body.timeoutError, true);
    assert.equal(body.name, "TimeoutError");
    assert.match(body.message, /BLPOP .* got no reply in time/);
    assert.ok((body.elapsed as number) >= 200, `elapsed ${body.elapsed} ms`);
    assert.equal(body.after, "PONG");
  });

  it("still takes cloudflare:sockets' connect() as the transport option", async () => {
    assert.deepEqual(await server().json("/transport"), { status: 200, body: { pong: "PONG" } });
  });

  it("fails a client kept from another request with a ConnectionError that says why", async () => {
    const first = await server().json<{ first: boolean; pong: string }>("/reuse");
    assert.deepEqual(first.body, { first: true, pong: "PONG" });
    const second = await server().json<ErrorBody & { first: boolean }>("/reuse");
    assert.equal(second.status, 500);
    assert.equal(second.body.first, false);
    assert.equal(second.body.name, "ConnectionError");
    assert.equal(second.body.redisError, true);
    assert.match(second.body.message, /Cannot use a socket opened by another request/);
    assert.match(second.body.message, /inside the request handler/);
  });

  it("speaks TLS, verified by workerd against the server name", async () => {
    assert.deepEqual(await server().json("/tls"), { status: 200, body: { pong: "PONG" } });
    const named = await server().json("/tls?serverName=localhost");
    assert.deepEqual(named, { status: 200, body: { pong: "PONG" } });
    const wrong = await server().json<ErrorBody>("/tls?serverName=wrong.example");
    assert.equal(wrong.body.name, "ConnectionError");
    assert.match(wrong.body.message, /TLS: the certificate must be trusted .* "wrong\.example"/);
  });

  it("refuses tls.caCerts with a TypeError naming the option", async () => {
    const { status, body } = await server().json<ErrorBody>("/tls?caCerts=1");
    assert.equal(status, 500);
    assert.equal(body.name, "TypeError");
    assert.match(body.message, /^Cannot use tls\.caCerts in workerd: .*trustedCertificates/);
  });

  it("leaves no connection open once the requests are done", async () => {
    await until(async () => (await clients()) === clientsBefore);
  });
});
