import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { resolveCacheOptions } from "../../src/cache/cache_options.ts";
import { defaultKeyFunction } from "../../src/cache/keys.ts";

describe("resolveCacheOptions", () => {
  it("fills in the defaults", () => {
    const settings = resolveCacheOptions({});
    assert.equal(settings.keyFunction, defaultKeyFunction);
    assert.equal(settings.prefix, "");
    assert.equal(settings.version, 1);
    assert.equal(settings.defaultTtl, 300_000);
    assert.equal(settings.serializer.name, "json");
    assert.equal(settings.compressor, undefined);
    assert.equal(settings.compressMinBytes, 1024);
    assert.equal(settings.ignoreErrors, false);
    assert.equal(settings.memory, undefined);
  });

  it("separates the strategy's options from the pool's", () => {
    const settings = resolveCacheOptions({
      url: "redis://127.0.0.1:6379/2",
      strategy: "herd",
      herdTtl: "30s",
      max: 3,
      keyPrefix: "app",
    });
    assert.equal(settings.strategy.strategy, "herd");
    assert.equal(settings.strategy.herdTtl, "30s");
    assert.deepEqual(settings.pool, { url: "redis://127.0.0.1:6379/2", max: 3 });
    assert.equal(settings.prefix, "app");
  });

  it("reads a memory:// URL with its name and bounds, and takes pool options there", () => {
    const settings = resolveCacheOptions({ url: "memory://shared", maxEntries: 10, max: 4 });
    assert.deepEqual(settings.memory, { name: "shared", maxEntries: 10, maxBytes: undefined });
    assert.deepEqual(resolveCacheOptions("memory://").memory, {
      name: "",
      maxEntries: undefined,
      maxBytes: undefined,
    });
  });

  it("rejects strategy options and memory bounds where they do not apply", () => {
    assert.throws(
      () => resolveCacheOptions({ url: "memory://", strategy: "shard" }),
      (error: Error) => error instanceof TypeError && /"strategy"/.test(error.message),
    );
    assert.throws(
      () => resolveCacheOptions({ maxEntries: 5 }),
      (error: Error) => error instanceof TypeError && /"maxEntries"/.test(error.message),
    );
  });

  it("rejects bad values with the option's name", () => {
    assert.throws(() => resolveCacheOptions({ url: "memory://a/b" }), {
      name: "TypeError",
      message: 'Invalid URL for the memory store: expected "memory://" or "memory://name"',
    });
    assert.throws(() => resolveCacheOptions({ version: 1.5 }), {
      name: "TypeError",
      message: 'Invalid option "version": expected a whole number',
    });
    assert.throws(() => resolveCacheOptions({ compressMinBytes: -1 }), {
      name: "TypeError",
      message: 'Invalid option "compressMinBytes": expected a whole number, 0 or more',
    });
    assert.throws(() => resolveCacheOptions({ onError: "log" as never }), {
      name: "TypeError",
      message: 'Invalid option "onError": expected a function',
    });
  });
});
