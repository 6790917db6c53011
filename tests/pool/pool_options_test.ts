import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { answerHandshake, startFakeServer } from "../support/fake_server.ts";
import { createPool, Pool, TimeoutError } from "../../mod.ts";
import { resolvePoolOptions } from "../../src/pool/pool_options.ts";
import type { BreakerState } from "../../src/client/breaker.ts";

const answersOnlyTheHandshake = (command: string[], conn: Parameters<typeof answerHandshake>[1]) =>
  void answerHandshake(command, conn);

describe("pool options", () => {
  it("resolve to the defaults, with durations given as strings in milliseconds", () => {
    const settings = resolvePoolOptions({ url: "redis://10.0.0.9:6380", idleTimeout: "1m" }, {});
    assert.equal(settings.label, "10.0.0.9:6380");
    assert.equal(settings.max, 10);
    assert.equal(settings.min, 0);
    assert.equal(settings.acquireTimeout, 10_000);
    assert.equal(settings.idleTimeout, 60_000);
    assert.equal(settings.maxLifetime, 0);
    assert.equal(settings.healthCheckAfter, 5_000);
    assert.equal(settings.breaker, undefined);
    assert.equal(settings.connect.url, "redis://10.0.0.9:6380");
    assert.equal("max" in settings.connect, false, "pool settings are not connection options");
  });

  it("give the members no breaker of their own but the pool's, shared", () => {
    const settings = resolvePoolOptions({ breaker: { failures: 3 } }, {});
    assert.equal(settings.breaker?.state, "closed");
    assert.equal(settings.connect.breaker, undefined);
    assert.equal(settings.clientInternals.sharedBreaker, settings.breaker);
  });

  it("reject min above max, and counts that are not whole numbers", () => {
    assert.throws(() => resolvePoolOptions({ max: 2, min: 3 }, {}), RangeError);
    assert.throws(() => resolvePoolOptions({ max: 0 }, {}), /Invalid option "max"/);
    assert.throws(() => resolvePoolOptions({ min: 1.5 }, {}), /Invalid option "min"/);
  });

  it("createPool() rejects onBreakerChange, an internal option, as unknown", () => {
    assert.throws(
      () => createPool({ onBreakerChange: () => {} } as never),
      (error: unknown) =>
        error instanceof TypeError &&
        /Unknown option "onBreakerChange" for createPool\(\)/.test(error.message),
    );
  });

  it("onBreakerChange hears each change of the pool's breaker, with the failure that opened it", async () => {
    await using fake = await startFakeServer(answersOnlyTheHandshake);
    const changes: [BreakerState, Error | undefined][] = [];
    await using pool = new Pool(
      {
        url: fake.url,
        max: 1,
        commandTimeout: 100,
        breaker: { failures: 2, window: "1m", cooldown: "1m" },
        onBreakerChange: (state: BreakerState, cause: Error | undefined) =>
          changes.push([state, cause]),
      } as ConstructorParameters<typeof Pool>[0],
    );
    for (let i = 0; i < 2; i++) {
      const error = await pool.get(`k${i}`).catch((e) => e);
      assert.ok(error instanceof TimeoutError, `got ${error}`);
    }
    assert.equal(pool.stats().breaker, "open");
    assert.equal(changes.length, 1);
    assert.equal(changes[0][0], "open");
    assert.ok(changes[0][1] instanceof TimeoutError, `got ${changes[0][1]}`);
  });
});
