/**
 * The response cache's pure parts: the stored frame (round trip, and damaged bytes are a miss,
 * never a throw), Cache-Control and freshness rules, and conditional request matching.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { decodeFrame, encodeFrame, type StoredResponse } from "../../src/web/responses/frame.ts";
import { parseCacheControl, storableFreshness } from "../../src/web/responses/policy.ts";
import { isNotModified } from "../../src/web/responses/conditional.ts";
import { prefixPattern, urlTag, varyNames } from "../../src/web/responses/keys.ts";

const STORED: StoredResponse = {
  kind: "response",
  storedAt: 1_700_000_000_123,
  freshFor: Infinity,
  staleFor: 60_000,
  status: 404,
  headers: ["content-type", "text/html; charset=utf-8", "x-ünïcode", "é", "vary", "accept"],
  body: new TextEncoder().encode("not found"),
};

describe("response frames", () => {
  it("round-trips a response and a Vary pointer", () => {
    assert.deepEqual(decodeFrame(encodeFrame(STORED)), STORED);
    const empty = { ...STORED, headers: [], body: new Uint8Array(0) };
    assert.deepEqual(decodeFrame(encodeFrame(empty)), empty);
    const pointer = { kind: "vary", names: ["accept-language", "x-tenant"] } as const;
    assert.deepEqual(decodeFrame(encodeFrame(pointer)), pointer);
  });

  it("decodes damaged or foreign bytes as undefined, never throwing", () => {
    const bytes = encodeFrame(STORED);
    const bodyAt = bytes.length - STORED.body.length;
    for (let cut = 0; cut < bodyAt; cut++) {
      assert.equal(decodeFrame(bytes.subarray(0, cut)), undefined, `cut at ${cut}`);
    }
    for (let i = 0; i < bodyAt; i++) {
      const flipped = bytes.slice();
      flipped[i] ^= 0xff;
      decodeFrame(flipped); // any answer but a throw
    }
    assert.equal(decodeFrame(new TextEncoder().encode('{"json":true}')), undefined);
    const wrongKind = bytes.slice();
    wrongKind[3] = 9;
    assert.equal(decodeFrame(wrongKind), undefined);
  });
});

describe("response cache rules", () => {
  const defaults = { ttl: 300_000, staleWhileRevalidate: 0 };
  const now = 1_000_000;
  const freshness = (headers: HeadersInit, status = 200) =>
    storableFreshness(new Response(null, { status, headers }), defaults, now);

  it("reads Cache-Control directives, quoted or not, in any case", () => {
    assert.deepEqual(parseCacheControl('Max-Age="60", S-MAXAGE=10, stale-while-revalidate=5'), {
      refuses: false,
      mustRevalidate: false,
      maxAge: 60_000,
      sMaxAge: 10_000,
      staleWhileRevalidate: 5_000,
    });
    assert.equal(parseCacheControl('private="set-cookie"').refuses, true);
    assert.equal(parseCacheControl("max-age=soon").maxAge, 0);
  });

  it("computes freshness: s-maxage, max-age, ttl; the origin's Age; must-revalidate", () => {
    assert.deepEqual(freshness({}), { storedAt: now, freshFor: 300_000, staleFor: 0 });
    assert.deepEqual(freshness({ "cache-control": "max-age=10", age: "4" }), {
      storedAt: now - 4_000,
      freshFor: 10_000,
      staleFor: 0,
    });
    assert.equal(freshness({ "cache-control": "max-age=10", age: "10" }), undefined);
    const swr = storableFreshness(
      new Response(null, { headers: { "cache-control": "must-revalidate" } }),
      {
        ttl: 1_000,
        staleWhileRevalidate: 5_000,
      },
      now,
    );
    assert.equal(swr?.staleFor, 0);
    assert.equal(freshness({ "content-type": "text/event-stream" }), undefined);
    assert.equal(freshness({}, 500), undefined);
  });

  it("matches If-None-Match weakly, lists included, and only for 200", () => {
    const headers = new Headers({ etag: '"a,b"' });
    const request = (value: string) =>
      new Request("http://x.test/", { headers: { "if-none-match": value } });
    assert.equal(isNotModified(request('"x", W/"a,b"'), 200, headers), true);
    assert.equal(isNotModified(request('"a"'), 200, headers), false);
    assert.equal(isNotModified(request("*"), 404, headers), false);
  });

  it("names Vary headers, URL tags and prefix patterns", () => {
    assert.deepEqual(varyNames("Accept-Language, accept-encoding ,X-Tenant", ["x-tenant"]), [
      "accept-encoding",
      "accept-language",
    ]);
    assert.equal(urlTag("response", "http://a.test/"), "response:url:http://a.test/");
    const long = `http://a.test/${"x".repeat(2_000)}`;
    assert.match(urlTag("response", long), /^response:url#[0-9a-f]+$/);
    assert.equal(
      prefixPattern("response", "http://a.test/[x]*?"),
      "response:http://a.test/\\[x\\]\\*\\?*",
    );
  });
});
