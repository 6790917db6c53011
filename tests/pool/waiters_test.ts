import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { Waiters } from "../../src/pool/waiters.ts";

describe("Waiters", () => {
  it("hands values to the callers in the order they started waiting", async () => {
    const waiters = new Waiters<string>();
    const first = waiters.wait(0, () => new Error("timeout"));
    const second = waiters.wait(0, () => new Error("timeout"));
    assert.equal(waiters.size, 2);
    waiters.next()!.resolve("a");
    waiters.next()!.resolve("b");
    assert.equal(waiters.next(), undefined);
    assert.deepEqual(await Promise.all([first, second]), ["a", "b"]);
    assert.equal(waiters.size, 0);
  });

  it("rejects a caller with its timeout error, and skips it when its turn comes", async () => {
    const waiters = new Waiters<string>();
    const late = waiters.wait(10, () => new Error(`gave up with ${waiters.size} waiting`));
    const patient = waiters.wait(0, () => new Error("timeout"));
    await assert.rejects(late, /gave up with 2 waiting/);
    waiters.next()!.resolve("x");
    assert.equal(await patient, "x");
    assert.equal(waiters.next(), undefined);
  });

  it("rejectAll() rejects every caller still waiting and stops their timers", async () => {
    const waiters = new Waiters<string>();
    const a = waiters.wait(60_000, () => new Error("timeout"));
    const b = waiters.wait(60_000, () => new Error("timeout"));
    waiters.rejectAll(() => new Error("closed"));
    await assert.rejects(a, /closed/);
    await assert.rejects(b, /closed/);
    assert.equal(waiters.size, 0);
  });
});
