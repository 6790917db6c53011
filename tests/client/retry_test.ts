import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { retryStrategy } from "../../src/client/retry.ts";

const error = new Error("refused");

describe("retryStrategy", () => {
  it("returns a function option as it is", () => {
    const own = (attempt: number) => attempt * 10;
    assert.equal(retryStrategy(own), own);
  });

  it("waits between 1 ms and min(max, base × 2^attempt), for ever by default", () => {
    const retry = retryStrategy({ base: 10, max: "50ms" });
    for (let attempt = 1; attempt <= 1_000; attempt++) {
      const delay = retry(attempt, error);
      assert.ok(typeof delay === "number" && Number.isInteger(delay), `attempt ${attempt}`);
      assert.ok(delay >= 1 && delay <= Math.min(50, 10 * 2 ** attempt), `${delay} ms`);
    }
    const defaults = retryStrategy(undefined);
    for (let attempt = 1; attempt <= 100; attempt++) {
      const delay = defaults(attempt, error) as number;
      assert.ok(delay >= 1 && delay <= 1_000, `default: ${delay} ms at attempt ${attempt}`);
    }
  });

  it("never waits 0 ms, even with base 0", () => {
    const retry = retryStrategy({ base: 0 });
    for (let attempt = 1; attempt <= 20; attempt++) assert.equal(retry(attempt, error), 1);
  });

  it("gives up after `attempts` attempts", () => {
    const retry = retryStrategy({ attempts: 3 });
    for (const attempt of [1, 2, 3]) assert.equal(typeof retry(attempt, error), "number");
    assert.equal(retry(4, error), false);
    assert.equal(retryStrategy({ attempts: 0 })(1, error), false);
  });

  it("gives up once `deadline` has passed since the first failed attempt, counted again from attempt 1", async () => {
    const retry = retryStrategy({ deadline: "5ms" });
    assert.equal(typeof retry(1, error), "number");
    const started = Date.now();
    await until(() => Date.now() - started > 10);
    assert.equal(retry(2, error), false);
    assert.equal(typeof retry(1, error), "number", "a new outage starts a new deadline");
  });

  it("refuses options of the wrong type, unknown names and bad values with a TypeError or RangeError", () => {
    for (const option of [null, 5, "fast", true]) {
      assert.throws(() => retryStrategy(option as never), {
        name: "TypeError",
        message: 'Invalid option "retry": expected { base, max, attempts, deadline } or a function',
      });
    }
    assert.throws(() => retryStrategy({ bse: 10 } as never), {
      name: "TypeError",
      message: 'Unknown option "bse" for retry; did you mean "base"?',
    });
    assert.throws(() => retryStrategy({ base: "soon" }), /Invalid option "retry\.base"/);
    assert.throws(() => retryStrategy({ max: -1 }), RangeError);
    assert.throws(() => retryStrategy({ attempts: -1 }), /Invalid option "retry\.attempts"/);
  });
});
