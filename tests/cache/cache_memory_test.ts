import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { createCache } from "../../mod.ts";
import { cacheContract } from "./contract.ts";

cacheContract("memory://", {
  makeCache: (options) => createCache({ url: "memory://contract", ...options }),
});

describe("memory:// specifics", () => {
  it("shares one store per name, emptied when the last cache closes", async () => {
    const a = createCache({ url: "memory://shared-test", keyPrefix: "p" });
    const b = createCache({ url: "memory://shared-test", keyPrefix: "p" });
    await a.set("k", 1);
    assert.equal(await b.get("k"), 1);
    await a.close();
    assert.equal(await b.get("k"), 1, "still open for b");
    await b.close();
    await using c = createCache({ url: "memory://shared-test", keyPrefix: "p" });
    assert.equal(await c.get("k"), undefined);
  });

  it("bounds the store by maxEntries, dropping the least recently used", async () => {
    await using cache = createCache({ url: "memory://bounded", maxEntries: 3, keyPrefix: "b" });
    await cache.setMany({ a: 1, b: 2, c: 3 });
    await cache.get("a");
    await cache.set("d", 4);
    assert.deepEqual((await cache.keys()).sort(), ["a", "c", "d"]);
  });

  it("accepts and ignores the pool and connection options, so only the URL changes", async () => {
    const options = {
      max: 3,
      min: 1,
      acquireTimeout: 1_000,
      idleTimeout: 5_000,
      connectTimeout: 1_000,
      commandTimeout: 500,
      password: "secret",
      db: 2,
      offlineQueue: false as const,
      retry: { attempts: 2 },
      keyPrefix: "switch",
    };
    await using cache = createCache({ ...options, url: "memory://switch" });
    await cache.set("k", 1);
    assert.equal(await cache.get("k"), 1);
    assert.equal(cache.client, undefined, "no pool is made");
  });

  it("still refuses unknown options, strategy options and bad URLs", () => {
    assert.throws(
      () => createCache({ url: "memory://", maxx: 3 } as never),
      /Unknown option "maxx"/,
    );
    assert.throws(
      () => createCache({ url: "memory://", strategy: "shard" }),
      /Unknown option "strategy"/,
    );
    assert.throws(() => createCache({ url: "memory://a/b" }), /memory:\/\/name/);
    assert.throws(
      () => createCache({ url: "redis://127.0.0.1", maxEntries: 3 }),
      /Unknown option "maxEntries"/,
    );
  });
});
