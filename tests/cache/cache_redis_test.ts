import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { startRedis } from "../support/redis.ts";
import { redisFixture, useRedis } from "../support/use_redis.ts";
import { createCache } from "../../mod.ts";
import { CircuitOpenError, ReplyError } from "../../mod.ts";
import type { CacheErrorContext, Pool } from "../../mod.ts";
import { until } from "../support/wait.ts";
import { cacheContract } from "./contract.ts";

const contractServer = redisFixture();

cacheContract("Redis", {
  setup: () => contractServer.start(),
  teardown: () => contractServer.stop(),
  makeCache: (options) => createCache({ url: contractServer.url, ...options }),
});

describe("cache on Redis: what only a real server shows", () => {
  const fixture = useRedis();

  it("stores safe integers as plain decimal text, readable by any client", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "interop" });
    await cache.set("n", 42);
    await cache.set("obj", { a: 1 });
    assert.equal(await fixture.server.cli("GET", "interop:1:n"), "42");
    assert.equal(await fixture.server.cli("GET", "interop:1:obj"), '{"a":1}');
  });

  it("turns a stopped server into misses under ignoreErrors: once the breaker opens, 1,000 gets miss at once, reported once", async () => {
    const down = await startRedis();
    const errors: CacheErrorContext[] = [];
    await using cache = createCache({
      url: down.url,
      keyPrefix: "down",
      ignoreErrors: true,
      onError: (_error, context) => errors.push(context),
      // Long: a get that waited on the server would take 30 s, far beyond the bound below.
      commandTimeout: "30s",
      offlineQueue: { timeout: "30s" },
    });
    await cache.set("warm", 1);
    await down.stop();
    // Refused reconnection attempts open the cache's breaker (on by default).
    await until(() => (cache.client as Pool).stats().breaker === "open", 10_000);
    const started = Date.now();
    const values = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => cache.get(`k${i}`, "default")),
    );
    const took = Date.now() - started;
    assert.ok(took < 15_000, `took ${took} ms: the gets waited on the server`);
    assert.ok(values.every((v) => v === "default"));
    // One report for the opening, none per get.
    assert.deepEqual(errors, [{ op: "breaker" }]);
    assert.equal(await cache.set("k", 1), false);
    assert.equal(await cache.delete("k"), false);
    assert.deepEqual(await cache.getMany(["a", "b"]), new Map());
    await assert.rejects(
      cache.incr("views"),
      CircuitOpenError,
      "incr never turns into a miss: it fails fast with the open circuit",
    );
    assert.equal(cache.stats().errors, 2, "the opening and the incr");
  });

  it("never swallows errors from wrong use, even under ignoreErrors", async () => {
    await using cache = createCache({ url: fixture.url, keyPrefix: "wrong", ignoreErrors: true });
    await cache.client!.send(["LPUSH", "wrong:1:list", "x"]);
    await assert.rejects(
      cache.get("list"),
      (error) => error instanceof ReplyError && error.code === "WRONGTYPE",
    );
  });

  it("works with a least-privilege ACL user and never sends KEYS or FLUSHDB", async () => {
    const acl = await startRedis({
      aclUsers: [{
        name: "app",
        password: "app-pass",
        rules:
          "~app:* resetchannels -@all +get +set +mget +unlink +del +exists +incrby +pttl +pexpire " +
          "+pexpireat +persist +scan +evalsha +eval +hello +ping +select +client|setname",
      }],
    });
    try {
      await using cache = createCache({
        url: acl.url,
        username: "app",
        password: "app-pass",
        keyPrefix: "app",
      });
      await cache.set("a", 1);
      await cache.setMany({ b: 2, c: 3 });
      assert.equal(await cache.incr("a"), 2);
      assert.deepEqual((await cache.keys()).sort(), ["a", "b", "c"]);
      await using lock = await cache.lock("l");
      assert.equal(lock.held, true);
      assert.equal(await cache.deletePattern("b*"), 1);
      assert.equal(await cache.clear(), 3);
    } finally {
      await acl.stop();
    }
  });
});
