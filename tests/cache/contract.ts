/**
 * The cache contract: one suite that every backend (Redis, memory://, and
 * later each strategy) must pass. `makeCache(options)` returns a cache on the
 * backend under test; caches made by one `makeCache` share their storage.
 *
 * @module
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import {
  type Cache,
  type CacheOptions,
  escapeGlob,
  ReplyError,
  SerializationError,
  TimeoutError,
} from "../../mod.ts";

let counter = 0;
/** A fresh prefix per test, so tests sharing a backend never see each other's keys. */
function prefix(): string {
  return `t${Date.now().toString(36)}${(counter++).toString(36)}`;
}

/** How to run the contract on one backend. */
export interface ContractBackend {
  /** Makes a cache on the backend; caches made by one backend share their storage. */
  makeCache(options: CacheOptions): Cache;
  /** Starts the backend (a server, say) before the suite. */
  setup?(): Promise<void>;
  /** Stops it after the suite. */
  teardown?(): Promise<void>;
}

/** Registers the contract suite for one backend. */
export function cacheContract(name: string, backend: ContractBackend): void {
  const makeCache = (options: CacheOptions) => backend.makeCache(options);
  /** A cache with a fresh prefix (plus `options`), closed by `using`. */
  const fresh = (options: CacheOptions = {}) => makeCache({ keyPrefix: prefix(), ...options });

  describe(`cache contract: ${name}`, () => {
    if (backend.setup) before(() => backend.setup!());
    if (backend.teardown) after(() => backend.teardown!());
    it("gets what it set, and the default for a missing key", async () => {
      await using cache = fresh();
      assert.equal(await cache.set("user:1", { name: "Ada", tags: ["x"], n: 1.5 }), true);
      assert.deepEqual(await cache.get("user:1"), { name: "Ada", tags: ["x"], n: 1.5 });
      assert.equal(await cache.get("missing"), undefined);
      assert.equal(await cache.get("missing", "fallback"), "fallback");
      await cache.set("null", null);
      assert.equal(await cache.get("null", "fallback"), null, "a stored null is a hit");
      await cache.set("text", "hello");
      assert.equal(await cache.get("text"), "hello");
    });

    it("applies TTL rules: defaultTtl, ms, durations, null forever, 0 deletes, bad strings refused", async () => {
      await using cache = fresh({ defaultTtl: "2m" });
      await cache.set("default", 1);
      const d = await cache.ttl("default");
      assert.ok(d !== null && d > 110_000 && d <= 120_000, `ttl ${d}`);
      await cache.set("five", 1, { ttl: "5m" });
      const five = await cache.ttl("five");
      assert.ok(five !== null && five > 290_000 && five <= 300_000);
      await cache.set("ms", 1, { ttl: 60_000 });
      const ms = await cache.ttl("ms");
      assert.ok(ms !== null && ms > 50_000 && ms <= 60_000);
      await cache.set("forever", 1, { ttl: null });
      assert.equal(await cache.ttl("forever"), Infinity);
      await cache.set("gone", 1);
      assert.equal(await cache.set("gone", 2, { ttl: 0 }), false);
      assert.equal(await cache.has("gone"), false);
      assert.equal(await cache.set("gone", 2, { ttl: -5 }), false);
      assert.equal(await cache.ttl("never-set"), null);
      await assert.rejects(cache.set("bad", 1, { ttl: "5 minutes" }), TypeError);
      await assert.rejects(cache.set("bad", 1, { ttl: "soon" }), /Invalid TTL "soon"/);
      await assert.rejects(cache.set("bad", 1, { tll: 5 } as never), /Unknown option "tll"/);
    });

    it("add() and nx/xx only write when the condition holds", async () => {
      await using cache = fresh();
      assert.equal(await cache.add("k", "first"), true);
      assert.equal(await cache.add("k", "second"), false);
      assert.equal(await cache.get("k"), "first");
      assert.equal(await cache.set("absent", 1, { xx: true }), false);
      assert.equal(await cache.set("k", "third", { xx: true }), true);
      assert.equal(await cache.get("k"), "third");
    });

    it("getMany, setMany, delete, deleteMany and has", async () => {
      await using cache = fresh();
      assert.equal(await cache.setMany({ a: 1, b: { x: 2 }, c: "three" }, { ttl: "1m" }), true);
      await cache.setMany(new Map([["d", [4]]]));
      const found = await cache.getMany(["a", "b", "c", "d", "nope"]);
      assert.deepEqual(
        found,
        new Map<string, unknown>([["a", 1], ["b", { x: 2 }], ["c", "three"], ["d", [4]]]),
      );
      const ttl = await cache.ttl("c");
      assert.ok(ttl !== null && ttl <= 60_000 && ttl > 50_000, "each key gets the TTL");
      assert.equal(await cache.has("a"), true);
      assert.equal(await cache.delete("a"), true);
      assert.equal(await cache.delete("a"), false);
      assert.equal(await cache.has("a"), false);
      assert.equal(await cache.deleteMany(["b", "c", "nope"]), 2);
      assert.deepEqual(await cache.getMany([]), new Map());
    });

    it("incr/decr are atomic, start from 0, keep the TTL, and keep integers written by set", async () => {
      await using cache = fresh();
      assert.equal(await cache.incr("n"), 1);
      assert.equal(await cache.incr("n", 5), 6);
      assert.equal(await cache.decr("n", 2), 4);
      await cache.set("counter", 10, { ttl: "1m" });
      assert.equal(await cache.incr("counter"), 11);
      const ttl = await cache.ttl("counter");
      assert.ok(ttl !== null && ttl > 50_000 && ttl <= 60_000, "incr keeps the TTL");
      assert.equal(await cache.get("counter"), 11);
      await Promise.all(Array.from({ length: 100 }, () => cache.incr("race")));
      assert.equal(await cache.get("race"), 100);
    });

    it("incr on a value that is not an integer is a clear error and leaves it intact", async () => {
      await using cache = fresh();
      await cache.set("word", "hello");
      await assert.rejects(cache.incr("word"), (error: ReplyError) => {
        assert.ok(error instanceof ReplyError);
        assert.match(error.message, /Cannot increment "word": its value is not an integer/);
        return true;
      });
      assert.equal(await cache.get("word"), "hello");
      await cache.set("float", 1.5);
      await assert.rejects(cache.incr("float"), ReplyError);
      assert.equal(await cache.get("float"), 1.5);
      await assert.rejects(cache.incr("n", 1.5), TypeError);
    });

    it("ttl, expire, expireAt, persist and touch", async () => {
      await using cache = fresh({ defaultTtl: null });
      await cache.set("k", 1);
      assert.equal(await cache.ttl("k"), Infinity);
      assert.equal(await cache.expire("k", "10s"), true);
      const t = await cache.ttl("k");
      assert.ok(t !== null && t > 9_000 && t <= 10_000);
      assert.equal(await cache.persist("k"), true);
      assert.equal(await cache.persist("k"), false);
      assert.equal(await cache.expireAt("k", new Date(Date.now() + 30_000)), true);
      const at = await cache.ttl("k");
      assert.ok(at !== null && at > 25_000 && at <= 30_000);
      assert.equal(await cache.touch("k", "1h"), true);
      const touched = await cache.ttl("k");
      assert.ok(touched !== null && touched > 3_590_000);
      assert.equal(await cache.touch("missing", "1h"), false);
      assert.equal(await cache.expire("k", 0), true);
      assert.equal(await cache.has("k"), false);
    });

    it("scan, keys and deletePattern stay inside this cache's prefix", async () => {
      const shared = prefix();
      await using mine = makeCache({ keyPrefix: shared });
      await using other = makeCache({ keyPrefix: `${shared}x` });
      await mine.setMany({ a1: 1, a2: 2, b1: 3 });
      await other.setMany({ a1: 1, a2: 2 });
      assert.deepEqual((await mine.keys("a*")).sort(), ["a1", "a2"]);
      assert.deepEqual((await mine.keys()).sort(), ["a1", "a2", "b1"]);
      const seen: string[] = [];
      for await (const key of mine.scan("*1", { count: 1 })) seen.push(key);
      assert.deepEqual(seen.sort(), ["a1", "b1"]);
      assert.equal(await mine.deletePattern("a*"), 2);
      assert.deepEqual(await mine.keys(), ["b1"]);
      assert.deepEqual((await other.keys()).sort(), ["a1", "a2"], "another prefix is untouched");
    });

    it("escapeGlob makes a user-supplied * literal", async () => {
      await using cache = fresh();
      await cache.setMany({ "user:a*b": 1, "user:axxb": 2 });
      assert.deepEqual(await cache.keys(`user:${escapeGlob("a*b")}`), ["user:a*b"]);
      assert.equal(await cache.deletePattern(`user:${escapeGlob("a*b")}`), 1);
      assert.equal(await cache.has("user:axxb"), true);
      assert.equal(escapeGlob("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    });

    it("clear() removes this prefix only, and needs flushDb without a prefix", async () => {
      const shared = prefix();
      await using mine = makeCache({ keyPrefix: shared });
      await using other = makeCache({ keyPrefix: `${shared}-other` });
      await mine.setMany({ a: 1, b: 2 });
      await other.set("a", 1);
      assert.equal(await mine.clear(), 2);
      assert.equal(await mine.has("a"), false);
      assert.equal(await other.has("a"), true);
      await using bare = makeCache({});
      await assert.rejects(bare.clear(), /without keyPrefix: pass \{ flushDb: true \}/);
    });

    it("getOrSet runs the factory once for 200 concurrent misses", async () => {
      await using cache = fresh();
      let calls = 0;
      const values = await Promise.all(
        Array.from({ length: 200 }, () =>
          cache.getOrSet("report", async () => {
            calls++;
            await new Promise((resolve) => setTimeout(resolve, 10));
            return { built: true };
          })),
      );
      assert.equal(calls, 1);
      for (const value of values) assert.deepEqual(value, { built: true });
      assert.deepEqual(await cache.getOrSet("report", () => ({ built: false })), { built: true });
    });

    it("getOrSet caches nothing when the factory throws, and every waiter gets the error", async () => {
      await using cache = fresh();
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          cache.getOrSet("boom", () => {
            throw new Error("factory failed");
          })),
      );
      for (const result of results) {
        assert.equal(result.status, "rejected");
        assert.match((result as PromiseRejectedResult).reason.message, /factory failed/);
      }
      assert.equal(await cache.has("boom"), false);
      assert.equal(await cache.getOrSet("boom", () => 7), 7);
    });

    it("locks: one holder among racers, refused release by others, extend", async () => {
      const shared = prefix();
      await using a = makeCache({ keyPrefix: shared });
      await using b = makeCache({ keyPrefix: shared });
      const results = await Promise.allSettled([
        a.lock("job", { ttl: "10s" }),
        b.lock("job", { ttl: "10s" }),
      ]);
      const held = results.filter((r) => r.status === "fulfilled");
      assert.equal(held.length, 1, "exactly one cache holds the lock");
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.ok(refused.reason instanceof TimeoutError);
      assert.match(refused.reason.message, /Cannot acquire lock "job" within 0 ms/);
      const lock = (held[0] as PromiseFulfilledResult<Awaited<ReturnType<Cache["lock"]>>>).value;
      assert.equal(await lock.extend(20_000), true);
      await assert.rejects(b.lock("job", { wait: 100, retryDelay: 10 }), TimeoutError);
      assert.equal(await lock.release(), true);
      assert.equal(await lock.release(), false);
      await using again = await b.lock("job", { wait: 1000 });
      assert.equal(again.held, true);
    });

    it("locks: a lock that expired and was taken by someone else is never released by its former owner", async () => {
      const shared = prefix();
      await using a = makeCache({ keyPrefix: shared });
      await using b = makeCache({ keyPrefix: shared });
      const first = await a.lock("short", { ttl: 50 });
      const second = await b.lock("short", { ttl: "10s", wait: 2000, retryDelay: 10 });
      assert.equal(await first.release(), false, "the expired lock is not ours any more");
      assert.equal(await first.extend(10_000), false);
      await assert.rejects(a.lock("short"), TimeoutError, "b still holds it");
      assert.equal(await second.release(), true);
    });

    it("waits for a lock while it is held, and gets it once released", async () => {
      await using cache = fresh();
      const first = await cache.lock("queue");
      const waiting = cache.lock("queue", { wait: "5s", retryDelay: 5 });
      setTimeout(() => first.release(), 20);
      await using second = await waiting;
      assert.equal(second.held, true);
    });

    it("versions: keys carry the version; incrVersion and decrVersion move the value", async () => {
      const shared = prefix();
      await using v1 = makeCache({ keyPrefix: shared, version: 1 });
      await using v2 = makeCache({ keyPrefix: shared, version: 2 });
      await v1.set("page", "v1 content", { ttl: "1m" });
      assert.equal(await v2.get("page"), undefined);
      assert.equal(await v1.incrVersion("page"), 2);
      assert.equal(await v1.get("page"), undefined);
      assert.equal(await v2.get("page"), "v1 content");
      const ttl = await v2.ttl("page");
      assert.ok(ttl !== null && ttl > 50_000, "the TTL moves too");
      assert.equal(await v2.decrVersion("page"), 1);
      assert.equal(await v1.get("page"), "v1 content");
      await assert.rejects(v1.incrVersion("absent"), /does not exist/);
      await using custom = makeCache({
        keyPrefix: shared,
        keyFunction: (key, p, v) => `${p}|v${v}|${key}`,
      });
      await custom.set("k", 1);
      assert.equal(await custom.get("k"), 1);
      assert.deepEqual(await custom.keys("k"), [`${shared}|v1|k`]);
    });

    it("per-call version: reads and writes reach another version, also after incrVersion", async () => {
      await using cache = fresh();
      await cache.set("page", "v1 content");
      assert.equal(await cache.incrVersion("page"), 2);
      assert.equal(await cache.get("page"), undefined, "moved away from the cache's version");
      assert.equal(await cache.get("page", undefined, { version: 2 }), "v1 content");
      assert.equal(await cache.has("page", { version: 2 }), true);
      const left = await cache.ttl("page", { version: 2 });
      assert.ok(left !== null && left > 0, `ttl at version 2: ${left}`);
      assert.equal(await cache.set("page", "v3", { version: 3, ttl: "1m" }), true);
      assert.equal(await cache.get("page", undefined, { version: 3 }), "v3");
      assert.equal(await cache.add("page", "again", { version: 3 }), false);
      await cache.setMany({ a: 1, b: 2 }, { version: 5 });
      assert.deepEqual(
        await cache.getMany(["a", "b"], { version: 5 }),
        new Map([["a", 1], ["b", 2]]),
      );
      assert.deepEqual(await cache.getMany(["a", "b"]), new Map());
      assert.equal(await cache.incr("a", 1, { version: 5 }), 2);
      assert.equal(await cache.getOrSet("a", () => 99, { version: 5 }), 2);
      assert.equal(await cache.deleteMany(["a", "b"], { version: 5 }), 2);
      assert.equal(await cache.delete("page", { version: 2 }), true);
      assert.equal(await cache.has("page", { version: 2 }), false);
      await assert.rejects(cache.get("k", undefined, { version: 1.5 }), /"version" for get\(\)/);
      await assert.rejects(cache.set("k", 1, { version: "2" as never }), TypeError);
      await assert.rejects(
        cache.get("k", undefined, { versoin: 2 } as never),
        /Unknown option "versoin"/,
      );
    });

    it("json refuses what it cannot round-trip, suggesting msgpack, and writes nothing", async () => {
      await using cache = fresh();
      await cache.set("k", "kept");
      class Point {
        constructor(public x: number) {}
      }
      const bad: [string, unknown][] = [
        ["NaN", NaN],
        ["nested Infinity", { a: [1, { b: -Infinity }] }],
        ["bigint", { n: 1n }],
        ["nested function", { f: () => 1 }],
        ["nested symbol", [Symbol("s")]],
        ["undefined in an array", [1, undefined]],
        ["Map", new Map([["a", 1]])],
        ["Set", { s: new Set([1]) }],
        ["typed array", new Float64Array(2)],
        ["ArrayBuffer", new ArrayBuffer(4)],
        ["class instance", new Point(1)],
        ["Response", new Response("body")],
        ["invalid Date", new Date(NaN)],
      ];
      for (const [what, value] of bad) {
        await assert.rejects(cache.set("k", value), (error: Error) => {
          assert.ok(error instanceof SerializationError, `${what}: ${error}`);
          assert.match(error.message, /"k"/, what);
          if (
            !["nested function", "nested symbol", "undefined in an array", "invalid Date"].includes(
              what,
            )
          ) {
            assert.match(error.message, /msgpack/, what);
          }
          return true;
        });
        await assert.rejects(cache.setMany({ fresh: 1, k: value }), SerializationError, what);
      }
      assert.equal(await cache.get("k"), "kept", "nothing was written");
      assert.equal(await cache.has("fresh"), false, "setMany wrote nothing");
      // What JSON keeps: a Date is its ISO string; undefined properties are left out.
      await cache.set("date", { when: new Date("2026-01-02T03:04:05.006Z"), gone: undefined });
      assert.deepEqual(await cache.get("date"), { when: "2026-01-02T03:04:05.006Z" });
      const deep: unknown[] = [];
      let level = deep;
      for (let i = 0; i < 200; i++) level.push(level = []);
      await cache.set("deep", deep);
      assert.deepEqual(await cache.get("deep"), deep);
      const cycle: unknown[] = [];
      level.push(cycle);
      cycle.push(cycle);
      await assert.rejects(cache.set("deep", deep), /circular/);
    });

    it("takes a custom serializer or compressor given as its functions alone", async () => {
      await using text = fresh({
        serializer: {
          serialize: (v) => JSON.stringify(v),
          deserialize: (s) => JSON.parse(s as string),
        },
      });
      await text.set("k", { a: 1.5 });
      assert.deepEqual(await text.get("k"), { a: 1.5 });
      const utf8 = new TextEncoder();
      await using bytes = fresh({
        serializer: {
          serialize: (v) => utf8.encode(JSON.stringify(v)),
          deserialize: (b) => {
            assert.ok(b instanceof Uint8Array, "bytes in, since serialize returns bytes");
            return JSON.parse(new TextDecoder().decode(b));
          },
        },
      });
      await bytes.set("k", { b: "\u00e9" });
      assert.deepEqual(await bytes.get("k"), { b: "\u00e9" });
      assert.throws(
        () => fresh({ serializer: { serialize: () => 1 as never, deserialize: (x) => x } }),
        /serialize\(null\) returned a number.*set text/,
      );
      // A stand-in compressor that "compresses" to one byte and remembers the input.
      const kept: Uint8Array[] = [];
      let decompressed = 0;
      await using custom = fresh({
        compressMinBytes: 10,
        compressor: {
          id: 42,
          compress: (d) => (kept.push(d.slice()), Uint8Array.of(kept.length - 1)),
          decompress: (d) => (decompressed++, kept[d[0]]),
        },
      });
      await custom.set("big", "x".repeat(100));
      assert.equal(await custom.get("big"), "x".repeat(100));
      assert.equal(kept.length, 1);
      assert.equal(decompressed, 1, "read back through the custom compressor");
      assert.throws(
        () =>
          fresh({
            compressor: {
              compress: (d: Uint8Array) => d,
              decompress: (d: Uint8Array) => d,
            } as never,
          }),
        /id undefined: expected an integer from 16 to 255/,
      );
    });

    it("refuses empty and oversized keys with a TypeError", async () => {
      await using cache = fresh();
      await assert.rejects(cache.get(""), TypeError);
      await assert.rejects(cache.set("x".repeat(16 * 1024 + 1), 1), /16 KiB|16384/);
      await assert.rejects(cache.get(42 as unknown as string), TypeError);
    });

    it("refuses a value the serializer cannot represent before writing anything", async () => {
      await using cache = fresh();
      await cache.set("k", "kept");
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      for (const bad of [() => 1, Symbol("s"), undefined, cycle, 10n]) {
        await assert.rejects(cache.set("k", bad), (error: Error) => {
          assert.ok(error instanceof SerializationError, `got ${error}`);
          assert.match(error.message, /"k"/);
          return true;
        });
      }
      assert.equal(await cache.get("k"), "kept");
      await assert.rejects(cache.setMany({ a: 1, b: () => 2 }), SerializationError);
      assert.equal(await cache.has("a"), false, "setMany writes nothing when one value fails");
    });

    it("msgpack round-trips Date, Map, Set, bigint and Uint8Array", async () => {
      await using cache = fresh({ serializer: "msgpack" });
      const value = {
        when: new Date("2026-11-23T10:00:00.123Z"),
        map: new Map<string, unknown>([["a", 1], ["nested", new Set([1, 2])]]),
        set: new Set(["x", "y"]),
        big: 12345678901234567890n,
        bytes: new Uint8Array([0, 1, 255]),
        list: [1.5, "two", null],
      };
      await cache.set("v", value);
      assert.deepEqual(await cache.get("v"), value);
      await cache.set("n", 42);
      assert.equal(await cache.incr("n"), 43, "integers stay plain text for incr");
      assert.equal(await cache.get("n"), 43);
    });

    it("raw stores strings and bytes as they are", async () => {
      await using cache = fresh({ serializer: "raw" });
      await cache.set("s", "plain text");
      assert.equal(await cache.get("s"), "plain text");
      const bytes = new Uint8Array([0, 200, 1, 255]);
      await cache.set("b", bytes);
      assert.deepEqual(await cache.get("b"), bytes);
      await assert.rejects(cache.set("o", { no: true }), SerializationError);
    });

    it("reads values written under another compressor setting", async () => {
      const shared = prefix();
      const big = { text: "lorem ipsum ".repeat(500), n: [1, 2, 3] };
      await using gzip = makeCache({ keyPrefix: shared, compressor: "gzip" });
      await using none = makeCache({ keyPrefix: shared, compressor: "none" });
      await using zlib = makeCache({ keyPrefix: shared, compressor: { name: "zlib", level: 9 } });
      await gzip.set("big", big);
      await gzip.set("small", { tiny: true });
      assert.deepEqual(await none.get("big"), big);
      assert.deepEqual(await zlib.get("big"), big);
      assert.deepEqual(await none.get("small"), { tiny: true });
      await none.set("plain", big);
      assert.deepEqual(await gzip.get("plain"), big);
    });

    it("round-trips a 50 MiB value", async () => {
      await using cache = fresh({ serializer: "raw" });
      const size = 50 * 1024 * 1024;
      const value = new Uint8Array(size);
      for (let i = 0; i < size; i += 997) value[i] = i & 255;
      value[0] = 7;
      await cache.set("huge", value);
      const back = await cache.get<Uint8Array>("huge");
      assert.ok(back instanceof Uint8Array);
      assert.equal(back.length, size);
      for (let i = 0; i < size; i += 997) {
        if (back[i] !== (i === 0 ? 7 : i & 255)) assert.fail(`byte ${i}`);
      }
      await cache.delete("huge");
    });

    it("counts hits, misses, sets and deletes", async () => {
      await using cache = fresh();
      await cache.set("a", 1);
      await cache.get("a");
      await cache.get("b");
      await cache.getMany(["a", "b", "c"]);
      await cache.delete("a");
      assert.deepEqual(cache.stats(), { hits: 2, misses: 3, sets: 1, deletes: 1, errors: 0 });
    });
  });
}
