import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import {
  CircuitOpenError,
  ConnectionError,
  PoolTimeoutError,
  ReplyError,
  TimeoutError,
} from "../../src/errors.ts";
import { ErrorPolicy, isTransient } from "../../src/cache/error_policy.ts";
import type { CacheErrorContext, CacheStats } from "../../src/cache/cache_options.ts";

function stats(): CacheStats {
  return { hits: 0, misses: 0, sets: 0, deletes: 0, errors: 0 };
}

describe("isTransient", () => {
  it("is true for unreachable-server errors only", () => {
    assert.equal(isTransient(new ConnectionError("Connection lost")), true);
    assert.equal(isTransient(new TimeoutError("Timed out")), true);
    assert.equal(isTransient(new PoolTimeoutError("No connection")), true);
    assert.equal(isTransient(new ReplyError("ERR wrong")), false);
    assert.equal(isTransient(new TypeError("bad")), false);
  });
});

describe("ErrorPolicy", () => {
  it("rethrows what is not transient, without reporting it", () => {
    const counts = stats();
    const seen: CacheErrorContext[] = [];
    const policy = new ErrorPolicy(true, (_error, context) => seen.push(context), counts);
    const wrong = new ReplyError("ERR wrong");
    assert.throws(() => policy.failed(wrong, "get", "k", null), (error) => error === wrong);
    assert.deepEqual(seen, []);
    assert.equal(counts.errors, 0);
  });

  it("reports and rethrows a transient error without ignoreErrors", () => {
    const counts = stats();
    const seen: [Error, CacheErrorContext][] = [];
    const policy = new ErrorPolicy(false, (error, context) => seen.push([error, context]), counts);
    const lost = new ConnectionError("Connection lost");
    assert.throws(() => policy.failed(lost, "set", "k", false), (error) => error === lost);
    assert.deepEqual(seen, [[lost, { op: "set", key: "k" }]]);
    assert.equal(counts.errors, 1);
    assert.equal(counts.misses, 0);
  });

  it("turns a transient error into the fallback under ignoreErrors, a miss for reads", () => {
    const counts = stats();
    const seen: CacheErrorContext[] = [];
    const policy = new ErrorPolicy(true, (_error, context) => seen.push(context), counts);
    assert.equal(policy.failed(new TimeoutError("Timed out"), "get", "k", "fallback"), "fallback");
    assert.equal(policy.failed(new TimeoutError("Timed out"), "clear", undefined, 0), 0);
    assert.deepEqual(seen, [{ op: "get", key: "k" }, { op: "clear" }]);
    assert.equal(counts.errors, 2);
    assert.equal(counts.misses, 1);
  });

  it("does not report an open circuit again under ignoreErrors", () => {
    const counts = stats();
    const seen: CacheErrorContext[] = [];
    const policy = new ErrorPolicy(true, (_error, context) => seen.push(context), counts);
    const open = new CircuitOpenError("Circuit open");
    assert.ok(isTransient(open), "an open circuit is a transient error");
    assert.equal(policy.failed(open, "getMany", undefined, "none"), "none");
    assert.deepEqual(seen, []);
    assert.equal(counts.errors, 0);
    assert.equal(counts.misses, 1);
  });

  it("survives an onError that throws", () => {
    const counts = stats();
    const policy = new ErrorPolicy(true, () => {
      throw new Error("broken listener");
    }, counts);
    assert.equal(policy.failed(new ConnectionError("Connection lost"), "has", "k", false), false);
    policy.reportTransient(new ConnectionError("Connection lost"), "incr", "k");
    policy.reportTransient(new ReplyError("ERR not an integer"), "incr", "k");
    assert.equal(counts.errors, 2);
  });
});
