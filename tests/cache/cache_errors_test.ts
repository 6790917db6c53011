import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { type RedisServer, startRedis } from "../support/redis.ts";
import {
  type CacheErrorContext,
  type CacheOptions,
  ConnectionError,
  createCache,
  TimeoutError,
} from "../../mod.ts";

/**
 * A cache whose onError calls are collected in `heard`. Its breaker is off: these tests are about
 * the report of each operation, and refused reconnection attempts in the background would open
 * the default breaker (and add its own report, tested in tests/client/breaker_test.ts) whenever
 * five of them fit before an operation ends.
 */
function listening(url: string, options: CacheOptions = {}) {
  const heard: CacheErrorContext[] = [];
  const cache = createCache({
    url,
    keyPrefix: "errors",
    offlineQueue: false,
    breaker: false,
    onError: (error, context) => {
      assert.ok(
        error instanceof ConnectionError || error instanceof TimeoutError,
        `onError got ${error}`,
      );
      heard.push(context);
    },
    ...options,
  });
  return { cache, heard };
}

describe("cache onError: every failure is heard, with the operation that failed", () => {
  let down: RedisServer;
  let downUrl: string;
  before(async () => {
    down = await startRedis();
    downUrl = down.url;
    await down.stop();
  });
  after(() => down.stop());

  it("deletePattern, clear and scan report under ignoreErrors and return what they have", async () => {
    {
      const { cache, heard } = listening(downUrl, { ignoreErrors: true });
      await using _ = cache;
      assert.equal(await cache.deletePattern("user:*"), 0);
      assert.deepEqual(heard, [{ op: "deletePattern" }]);
    }
    {
      const { cache, heard } = listening(downUrl, { ignoreErrors: true });
      await using _ = cache;
      assert.equal(await cache.clear(), 0);
      assert.deepEqual(heard, [{ op: "clear" }]);
    }
    {
      const { cache, heard } = listening(downUrl, { ignoreErrors: true });
      await using _ = cache;
      assert.equal(await cache.clear({ flushDb: true }), 0);
      assert.deepEqual(heard, [{ op: "clear" }]);
    }
    {
      const { cache, heard } = listening(downUrl, { ignoreErrors: true });
      await using _ = cache;
      assert.deepEqual(await cache.keys("a*"), []);
      assert.deepEqual(heard, [{ op: "scan" }]);
    }
  });

  it("deletePattern and clear report, then throw, without ignoreErrors", async () => {
    const { cache, heard } = listening(downUrl);
    await using _ = cache;
    await assert.rejects(cache.deletePattern("user:*"), ConnectionError);
    await assert.rejects(cache.clear(), ConnectionError);
    assert.deepEqual(heard, [{ op: "deletePattern" }, { op: "clear" }]);
  });

  it("getOrSet says so: its read and its write report op getOrSet", async () => {
    const { cache, heard } = listening(downUrl, { ignoreErrors: true });
    await using _ = cache;
    assert.equal(await cache.getOrSet("home", () => "rendered"), "rendered");
    assert.deepEqual(heard, [{ op: "getOrSet", key: "home" }, { op: "getOrSet", key: "home" }]);
  });

  it("taking a lock and incrVersion report and throw, even under ignoreErrors", async () => {
    const { cache, heard } = listening(downUrl, { ignoreErrors: true });
    await using _ = cache;
    await assert.rejects(cache.lock("job"), ConnectionError);
    await assert.rejects(cache.incrVersion("page"), ConnectionError);
    assert.deepEqual(heard, [{ op: "lock", key: "job" }, { op: "incrVersion", key: "page" }]);
  });

  it("releasing and extending a lock report lock.release and lock.extend", async () => {
    const live = await startRedis();
    try {
      // Commands wait briefly while reconnecting: a failure is a ConnectionError or a TimeoutError.
      const { cache, heard } = listening(live.url, {
        ignoreErrors: true,
        offlineQueue: { max: 100, timeout: 300 },
      });
      await using _ = cache;
      const lock = await cache.lock("job", { ttl: "1m" });
      await live.stop();
      const unreachable = (error: unknown) =>
        error instanceof ConnectionError || error instanceof TimeoutError;
      await assert.rejects(lock.extend(60_000), unreachable);
      await assert.rejects(lock.release(), unreachable);
      assert.deepEqual(heard, [
        { op: "lock.extend", key: "job" },
        { op: "lock.release", key: "job" },
      ]);
    } finally {
      await live.stop();
    }
  });
});
