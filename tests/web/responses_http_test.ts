/**
 * cacheResponses(): conditional requests, large and streaming bodies, tag headers, handler
 * errors, damaged entries and option checks.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { createCache } from "../../mod.ts";
import { cacheAccess } from "../../src/cache/cache_access.ts";
import { cacheResponses } from "../../src/web/responses/cache_responses.ts";
import { get, responseSite } from "./support/response_fixture.ts";

const LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";

describe("cacheResponses(): conditional requests", () => {
  const redis = useRedis();

  it("answers If-None-Match with 304 from the cached ETag, on a hit and on the miss", async () => {
    await using site = responseSite(redis.url, () => new Response("body"));
    const path = `${site.url}/etag`;
    const first = await get(path, { headers: { "if-none-match": '"nope"' } });
    assert.equal(first.response.status, 200);
    const etag = first.response.headers.get("etag")!;
    const hit = await get(path, { headers: { "if-none-match": `"a", W/${etag}` } });
    assert.equal(hit.response.status, 304);
    assert.equal(hit.body, "");
    assert.equal(hit.response.headers.get("etag"), etag);
    assert.equal((await get(path, { headers: { "if-none-match": "*" } })).response.status, 304);
    assert.equal((await get(path, { headers: { "if-none-match": '"b"' } })).response.status, 200);
    assert.equal(site.calls, 1);
    // The miss path: the fresh response's (created) ETag matches.
    const other = await get(`${site.url}/etag2`, { headers: { "if-none-match": etag } });
    assert.equal(other.response.status, 304);
    assert.equal(site.calls, 2);
  });

  it("answers If-Modified-Since with 304 from the cached Last-Modified", async () => {
    await using site = responseSite(
      redis.url,
      () => new Response("body", { headers: { "last-modified": LAST_MODIFIED } }),
    );
    const path = `${site.url}/lm`;
    const since = (date: string) => get(path, { headers: { "if-modified-since": date } });
    assert.equal((await since("Tue, 20 Oct 2015 07:28:00 GMT")).response.status, 200);
    const later = await since("Thu, 22 Oct 2015 07:28:00 GMT");
    assert.equal(later.response.status, 304);
    assert.equal(later.response.headers.get("last-modified"), LAST_MODIFIED);
    assert.equal((await since(LAST_MODIFIED)).response.status, 304);
    assert.equal((await since("not a date")).response.status, 200);
    assert.equal(site.calls, 1);
  });

  it("never sends the conditional headers to the handler, so that it renders the full response", async () => {
    const seen: (string | null)[] = [];
    await using site = responseSite(redis.url, (request) => {
      seen.push(request.headers.get("if-none-match"));
      return new Response("full");
    });
    await get(`${site.url}/c`, { headers: { "if-none-match": '"x"' } });
    assert.deepEqual(seen, [null]);
  });
});

describe("cacheResponses(): bodies and tags", () => {
  const redis = useRedis();

  it("passes a body over maxBodyBytes through intact and does not cache it (known length)", async () => {
    const big = "x".repeat(5_000);
    await using site = responseSite(redis.url, () => new Response(big), { maxBodyBytes: 1_000 });
    assert.equal((await get(`${site.url}/big`)).body, big);
    assert.equal((await get(`${site.url}/big`)).body, big);
    assert.equal(site.calls, 2);
    assert.deepEqual(await site.cache.keys("response:*"), []);
  });

  it("passes a streamed body that runs over the limit through intact, the read part first", async () => {
    const chunks = Array.from({ length: 20 }, (_, i) => `chunk ${i};`.padEnd(100, "."));
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      });
    await using site = responseSite(redis.url, () => new Response(stream()), {
      maxBodyBytes: 450,
    });
    assert.equal((await get(`${site.url}/s`)).body, chunks.join(""));
    assert.equal((await get(`${site.url}/s`)).body, chunks.join(""));
    assert.equal(site.calls, 2);
    // Under the limit, a stream of unknown length is read and cached.
    await using small = responseSite(redis.url, () => new Response(stream()));
    await get(`${small.url}/s`);
    assert.equal((await get(`${small.url}/s`)).body, chunks.join(""));
    assert.equal(small.calls, 1);
  });

  it("never reads a text/event-stream body", async () => {
    let pulls = 0;
    let cancelled!: () => void;
    const gone = new Promise<void>((resolve) => (cancelled = resolve));
    await using site = responseSite(redis.url, () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulls++;
            controller.enqueue(new TextEncoder().encode(`data: ${pulls}\n\n`));
            return new Promise(() => {}); // never ends on its own: the client hangs up
          },
          cancel() {
            cancelled();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ));
    const response = await fetch(`${site.url}/events`);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    assert.equal(new TextDecoder().decode(value), "data: 1\n\n");
    await reader.cancel();
    await gone;
    assert.deepEqual(await site.cache.keys("response:*"), []);
  });

  it("strips Surrogate-Key from what clients see, on the miss and on hits", async () => {
    await using site = responseSite(
      redis.url,
      () => new Response("t", { headers: { "surrogate-key": "a b" } }),
    );
    const miss = await get(`${site.url}/tagged`);
    const hit = await get(`${site.url}/tagged`);
    assert.equal(miss.response.headers.get("surrogate-key"), null);
    assert.equal(hit.response.headers.get("surrogate-key"), null);
    assert.equal(site.calls, 1);
    const post = await get(`${site.url}/tagged`, { method: "POST" });
    assert.equal(post.response.headers.get("surrogate-key"), null, "also on what is not cached");
  });

  it("reads tags from the tagHeader option instead", async () => {
    await using site = responseSite(
      redis.url,
      () => new Response("t", { headers: { "x-tags": "t1", "surrogate-key": "kept" } }),
      { tagHeader: "X-Tags" },
    );
    const miss = await get(`${site.url}/x`);
    assert.equal(miss.response.headers.get("x-tags"), null);
    assert.equal(miss.response.headers.get("surrogate-key"), "kept");
    await site.pages.purgeTags(["t1"]);
    await get(`${site.url}/x`);
    assert.equal(site.calls, 2);
  });
});

describe("cacheResponses(): failures", () => {
  const redis = useRedis();

  it("does not cache a handler error, which reaches the caller as it is", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "throws" });
    const failure = new Error("render failed");
    let calls = 0;
    await using pages = cacheResponses(() => {
      if (++calls === 1) throw failure;
      return new Response(`ok ${calls}`);
    }, { cache });
    const request = () => new Request("http://example.test/boom");
    await assert.rejects(pages(request()), (error) => error === failure);
    assert.equal(await (await pages(request())).text(), "ok 2");
    assert.equal(await (await pages(request())).text(), "ok 2");
  });

  it("takes an entry that cannot be decoded as a miss and reports it", async () => {
    const errors: string[] = [];
    await using site = responseSite(redis.url, (_, n) => new Response(`fresh ${n}`), {
      onError: (error, { op }) => errors.push(`${op}: ${error.message}`),
    });
    const key = cacheAccess(site.cache).key(`response:${site.url}/bad`);
    await cacheAccess(site.cache).client!.send(["SET", key, "RC\u0001garbage"]);
    const first = await get(`${site.url}/bad`);
    assert.equal(first.response.status, 200);
    assert.equal(first.body, "fresh 1");
    assert.equal((await get(`${site.url}/bad`)).body, "fresh 1", "the good entry replaced it");
    assert.ok(errors.length >= 1);
    for (const error of errors) assert.match(error, /^decode: Cannot decode a cached response/);
    const reported = errors.length;
    await get(`${site.url}/bad`);
    assert.equal(errors.length, reported);
  });

  it("rejects unknown options and bad values with a TypeError naming them", async () => {
    await using cache = createCache({ url: redis.url });
    const handler = () => new Response("x");
    assert.throws(
      () => cacheResponses(handler, { cache, tll: "5m" } as never),
      {
        name: "TypeError",
        message: /Unknown option "tll" for cacheResponses\(\); did you mean "ttl"\?/,
      },
    );
    assert.throws(() => cacheResponses(handler, {} as never), /Missing option "cache"/);
    assert.throws(() => cacheResponses(handler, { cache: {} as never }), /Invalid option "cache"/);
    assert.throws(() => cacheResponses(handler, { cache, ttl: "soon" }), TypeError);
    assert.throws(() => cacheResponses(handler, { cache, vary: ["bad header"] }), TypeError);
    assert.throws(() => cacheResponses(handler, { cache, maxBodyBytes: -1 }), RangeError);
    assert.throws(
      () => cacheResponses(handler, { cache, lock: { wiat: 1 } as never }),
      /Unknown option "wiat"/,
    );
  });
});
