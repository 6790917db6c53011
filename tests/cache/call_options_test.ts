import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import {
  checkDelta,
  expireAtMs,
  resolveLockOptions,
  resolveSetOptions,
  versionOption,
} from "../../src/cache/call_options.ts";

describe("resolveSetOptions", () => {
  it("fills in the cache's TTL and version", () => {
    assert.deepEqual(resolveSetOptions({}, 60_000, 3), {
      ttl: 60_000,
      condition: undefined,
      version: 3,
    });
  });

  it("reads durations, conditions and a version of the call's own", () => {
    assert.deepEqual(resolveSetOptions({ ttl: "5m", nx: true, version: 7 }, null, 1), {
      ttl: 300_000,
      condition: "nx",
      version: 7,
    });
    assert.equal(resolveSetOptions({ xx: true }, null, 1).condition, "xx");
    assert.equal(resolveSetOptions({ ttl: null }, 60_000, 1).ttl, null);
    assert.equal(resolveSetOptions({ ttl: -5 }, 60_000, 1).ttl, 0);
  });

  it("rejects unknown names, nx with xx, and a fractional version", () => {
    assert.throws(
      () => resolveSetOptions({ ttlMs: 5 } as never, null, 1),
      (error: Error) => error instanceof TypeError && /"ttlMs"/.test(error.message),
    );
    assert.throws(() => resolveSetOptions({ nx: true, xx: true }, null, 1), {
      name: "TypeError",
      message: "Cannot combine nx and xx in set()",
    });
    assert.throws(() => resolveSetOptions({ version: 1.5 }, null, 1), {
      name: "TypeError",
      message: 'Invalid option "version" for set(): expected a whole number',
    });
  });
});

describe("versionOption", () => {
  it("takes the call's version, or the cache's when none is given", () => {
    assert.equal(versionOption({ version: 4 }, 1, "get()", false), 4);
    assert.equal(versionOption({}, 2, "get()", false), 2);
  });

  it("names the method in its errors", () => {
    assert.throws(() => versionOption({ version: "2" as never }, 1, "delete()", false), {
      name: "TypeError",
      message: 'Invalid option "version" for delete(): expected a whole number',
    });
    assert.throws(
      () => versionOption({ ttl: 1 } as never, 1, "has()", false),
      (error: Error) => error instanceof TypeError && /"ttl"/.test(error.message),
    );
  });

  it("skips the name check when the caller already made it", () => {
    assert.equal(versionOption({ ttl: 1, version: 5 } as never, 1, "getOrSet()", true), 5);
  });
});

describe("resolveLockOptions", () => {
  it("defaults to a 10 s lock, no wait, 50 ms between tries", () => {
    assert.deepEqual(resolveLockOptions({}), { ttl: 10_000, wait: 0, retryDelay: 50 });
  });

  it("reads durations", () => {
    assert.deepEqual(resolveLockOptions({ ttl: "30s", wait: "2s", retryDelay: 5 }), {
      ttl: 30_000,
      wait: 2_000,
      retryDelay: 5,
    });
  });

  it("rejects a lock that would not hold, a retry delay of 0, and unknown names", () => {
    assert.throws(() => resolveLockOptions({ ttl: 0 }), {
      name: "TypeError",
      message: 'Invalid option "ttl" for lock(): expected a positive duration',
    });
    assert.throws(() => resolveLockOptions({ retryDelay: 0 }), {
      name: "TypeError",
      message: 'Invalid option "retryDelay" for lock(): expected milliseconds above 0',
    });
    assert.throws(
      () => resolveLockOptions({ timeout: 1 } as never),
      (error: Error) => error instanceof TypeError && /"timeout"/.test(error.message),
    );
  });
});

describe("checkDelta and expireAtMs", () => {
  it("accept whole deltas and finite times", () => {
    checkDelta(-3);
    assert.equal(expireAtMs(new Date(86_400_000)), 86_400_000);
    assert.equal(expireAtMs(1_234), 1_234);
  });

  it("reject fractional deltas and invalid times", () => {
    assert.throws(() => checkDelta(0.5), {
      name: "TypeError",
      message: "Invalid delta 0.5: expected a whole number",
    });
    assert.throws(() => expireAtMs(new Date(NaN)), {
      name: "TypeError",
      message: "Invalid time for expireAt(): expected a Date or Unix milliseconds",
    });
  });
});
