/**
 * The web example (`examples/web/`) as users run it: each server is a child process started with
 * `deno run -A examples/web/deno.ts`, `bun examples/web/bun.ts` or `examples/web/hono.ts` on the
 * runtime running the tests, against a real Redis, spoken to through `fetch` with a cookie jar.
 * The rules themselves are tested one by one in `responses_*_test.ts` and `sessions_*_test.ts`;
 * this file checks that they hold end to end, across processes.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "../support/test.ts";
import { startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { CookieJar } from "./support/cookie_jar.ts";
import { examplesHere, startExample } from "./support/example_server.ts";

async function renders(base: string): Promise<number> {
  const response = await fetch(`${base}/stats`);
  return (await response.json() as { renders: number }).renders;
}

async function text(response: Response): Promise<string> {
  return await response.text();
}

/**
 * An HTTP/1.1 request with `Host: shop.example`, over a plain socket: Deno's fetch does not let a
 * caller set `Host`.
 */
function request(
  base: string,
  method: string,
  path: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => (data += chunk));
    socket.once("error", reject);
    socket.once("end", () => {
      const [head, ...rest] = data.split("\r\n\r\n");
      const status = Number(head.split(" ")[1]);
      const chunked = /transfer-encoding: chunked/i.test(head);
      const raw = rest.join("\r\n\r\n");
      resolve({ status, body: chunked ? unchunk(raw) : raw });
    });
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 0\r\n` +
        `Connection: close\r\n\r\n`,
    );
  });
}

/** A chunked HTTP body decoded (sizes in hex, each chunk followed by CRLF). */
function unchunk(raw: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const end = raw.indexOf("\r\n", at);
    const size = parseInt(raw.slice(at, end), 16);
    if (!(size > 0)) return out;
    out += raw.slice(end + 2, end + 2 + size);
    at = end + 2 + size + 2;
  }
}

/** Logs in as `user`; resolves with the status (the body is dropped). */
async function login(jar: CookieJar, base: string, user: string): Promise<number> {
  const response = await jar.fetch(`${base}/login`, {
    method: "POST",
    body: new URLSearchParams({ user }),
    redirect: "manual",
  });
  await response.body?.cancel();
  return response.status;
}

describe("examples/web: the demo servers", () => {
  const redis = useRedis();

  for (const kind of examplesHere()) {
    it(`${kind}: renders the report once, then serves it from Redis with Age and a 304`, async () => {
      await using server = await startExample(kind, redis.url);
      const url = `${server.url}/report?id=${kind}-cache`;
      const first = await fetch(url);
      assert.equal(first.status, 200);
      const body = await text(first);
      assert.match(body, new RegExp(`Report ${kind}-cache`));
      assert.equal(first.headers.get("surrogate-key"), null, "Surrogate-Key is stripped");
      const second = await fetch(url);
      assert.equal(await text(second), body);
      assert.notEqual(second.headers.get("age"), null);
      const etag = second.headers.get("etag");
      assert.ok(etag, "an ETag is created");
      const revalidated = await fetch(url, { headers: { "if-none-match": etag } });
      assert.equal(revalidated.status, 304);
      await revalidated.body?.cancel();
      assert.equal(await renders(server.url), 1);
    });

    it(`${kind}: 100 concurrent requests for a cold page render it once`, async () => {
      await using server = await startExample(kind, redis.url);
      const url = `${server.url}/report?id=${kind}-flight`;
      const bodies = await Promise.all(
        Array.from({ length: 100 }, () => fetch(url).then(text)),
      );
      assert.equal(new Set(bodies).size, 1);
      assert.equal(await renders(server.url), 1);
    });

    it(`${kind}: a purge by URL or by tag in one process is seen by another`, async () => {
      await using a = await startExample(kind, redis.url);
      await using b = await startExample(kind, redis.url);
      // Behind one public name, as behind a load balancer: both see the same request URL.
      const get = (base: string, path: string) => request(base, "GET", path);
      const purge = (base: string, query: string) => request(base, "POST", `/purge?${query}`);
      const path = `/report?id=${kind}-purge`;
      const fromA = (await get(a.url, path)).body;
      assert.equal((await get(b.url, path)).body, fromA, "b is served a's page");
      assert.equal(await renders(b.url), 0);

      const byUrl = await purge(a.url, `url=${encodeURIComponent(path)}`);
      assert.equal(byUrl.status, 204);
      const afterUrl = (await get(b.url, path)).body;
      assert.notEqual(afterUrl, fromA, "b renders again after a's purge by URL");
      assert.equal(await renders(b.url), 1);

      const byTag = await purge(a.url, `tag=report:${kind}-purge`);
      assert.equal(byTag.status, 204);
      await get(b.url, path);
      assert.equal(await renders(b.url), 2, "b renders again after a's purge by tag");
    });

    it(`${kind}: login gives a new session id, the session is kept, logout ends it`, async () => {
      await using server = await startExample(kind, redis.url);
      const jar = new CookieJar();
      assert.match(await text(await jar.fetch(`${server.url}/`)), /Not logged in/);
      assert.equal(jar.get("sid"), undefined, "no cookie for an untouched session");

      // A session that exists before login (fixation) gets a new id at login.
      assert.equal(await login(jar, server.url, "ada"), 303);
      const before = jar.get("sid");
      assert.ok(before);
      assert.match(await text(await jar.fetch(`${server.url}/`)), /Hello ada/);
      await login(jar, server.url, "grace");
      const after = jar.get("sid");
      assert.ok(after);
      assert.notEqual(after, before, "login regenerates the id");
      const stolen = new CookieJar();
      stolen.set("sid", before);
      assert.match(await text(await stolen.fetch(`${server.url}/`)), /Not logged in/);
      assert.match(await text(await jar.fetch(`${server.url}/`)), /Hello grace/);

      const out = await jar.fetch(`${server.url}/logout`, { method: "POST", redirect: "manual" });
      assert.equal(out.status, 303);
      await out.body?.cancel();
      assert.match(await text(await jar.fetch(`${server.url}/`)), /Not logged in/);
      const replay = new CookieJar();
      replay.set("sid", after);
      assert.match(await text(await replay.fetch(`${server.url}/`)), /Not logged in/);
    });

    it(`${kind}: with Redis down, pages are still rendered and a login answers 503`, async () => {
      const own = await startRedis();
      try {
        await using server = await startExample(kind, own.url);
        const page = await fetch(`${server.url}/report?id=down`);
        assert.equal(page.status, 200);
        await page.body?.cancel();
        await own.stop();
        const again = await fetch(`${server.url}/report?id=down`);
        assert.equal(again.status, 200, "the handler serves the page while Redis is down");
        assert.match(await text(again), /Report down/);
        const jar = new CookieJar();
        assert.equal(await login(jar, server.url, "ada"), 503);
      } finally {
        await own.stop();
      }
    });
  }
});
