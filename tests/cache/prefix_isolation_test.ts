import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { createCache } from "../../mod.ts";

/** Prefixes that are prefixes of each other or carry glob characters. */
const PREFIXES = ["app", "app:", "ap", "app*", "ns\\*[", "app:x", "[app]", "a?p", "app::"];
/** Keys that look like a version, a separator or a glob. */
const KEYS = ["x", "1:x", ":x", "1", "user:1", "*", "a[b", "\\"];

describe("cache key prefixes on Redis: no prefix ever reads or deletes another's keys", () => {
  const fixture = useRedis();

  const cacheFor = (keyPrefix: string) => createCache({ url: fixture.url, keyPrefix, max: 2 });

  it("keys(), scan(), deletePattern() and clear() stay inside the prefix, for every pair", async () => {
    await using flusher = cacheFor("flush");
    for (const a of PREFIXES) {
      for (const b of PREFIXES) {
        if (a === b) continue;
        const pair = `${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
        await flusher.clear({ flushDb: true });
        await using mine = cacheFor(a);
        await using other = cacheFor(b);
        const values = Object.fromEntries(KEYS.map((k) => [k, k]));
        await mine.setMany(values);
        await mine.setMany(values, { version: 2 });
        await other.setMany(values);
        await other.setMany(values, { version: 2 });
        const sorted = [...KEYS].sort();
        assert.deepEqual((await mine.keys()).sort(), sorted, `keys() of ${pair}`);
        const scanned: string[] = [];
        for await (const key of mine.scan("*", { count: 3 })) scanned.push(key);
        assert.deepEqual(scanned.sort(), sorted, `scan() of ${pair}`);
        assert.deepEqual((await mine.keys("1*")).sort(), ["1", "1:x"], `keys("1*") of ${pair}`);
        assert.equal(await mine.deletePattern("*x"), 3, `deletePattern() of ${pair}`);
        assert.equal(
          await other.has("x"),
          true,
          `deletePattern() of ${pair} left the other's keys`,
        );
        assert.equal(await mine.clear(), KEYS.length * 2 - 3, `clear() of ${pair}`);
        assert.deepEqual((await other.keys()).sort(), sorted, `the other cache of ${pair}`);
        assert.deepEqual(
          (await other.getMany(KEYS, { version: 2 })).size,
          KEYS.length,
          `the other cache's version 2 of ${pair}`,
        );
      }
    }
  });

  it("clear() and deletePattern() delete nothing of another prefix while it inserts keys", async () => {
    for (const [a, b] of [["app", "app:"], ["app:", "app"], ["ap", "app"], ["app*", "app"]]) {
      await using mine = cacheFor(a);
      await using other = cacheFor(b);
      await mine.setMany(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])));
      let inserting = true;
      let inserted = 0;
      const inserter = (async () => {
        while (inserting) {
          await other.setMany(
            Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${inserted + i}`, i])),
          );
          await mine.set(`late${inserted}`, 1);
          inserted += 20;
        }
      })();
      try {
        await mine.deletePattern("k1*", { count: 50 });
        await mine.clear();
      } finally {
        inserting = false;
        await inserter;
      }
      const found = await other.getMany(Array.from({ length: inserted }, (_, i) => `k${i}`));
      assert.equal(found.size, inserted, `${JSON.stringify(b)} lost keys to ${JSON.stringify(a)}`);
      await other.clear();
      await mine.clear();
    }
  });
});

describe("cache key prefixes that cannot be told apart are refused", () => {
  it("refuses a prefix with a whole number after a colon, which reads as a version", () => {
    for (const prefix of ["app:1", "app:1:x", ":1", "a:-2", "app:007", "x:y:3"]) {
      assert.throws(
        () => createCache({ url: "memory://", keyPrefix: prefix }),
        (error: Error) => {
          assert.ok(error instanceof TypeError, `${prefix}: ${error}`);
          assert.match(error.message, /Invalid option "keyPrefix"/);
          assert.match(error.message, /whole number/);
          return true;
        },
      );
    }
  });

  it("accepts every other prefix, and any prefix with a custom keyFunction", async () => {
    for (const prefix of ["", "app", "app:", "1", "1app", "app:v1", "app:1x", "ns\\*[", "a::b"]) {
      await using cache = createCache({ url: "memory://", keyPrefix: prefix });
      await cache.set("k", 1);
      assert.equal(await cache.get("k"), 1);
    }
    await using custom = createCache({
      url: "memory://",
      keyPrefix: "app:1",
      keyFunction: (key, prefix, version) => `${prefix}/${version}/${key}`,
    });
    await custom.set("k", 1);
    assert.equal(await custom.get("k"), 1);
  });
});
