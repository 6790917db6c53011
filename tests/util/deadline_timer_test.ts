import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { DeadlineTimer } from "../../src/util/deadline_timer.ts";

/** Resolves with `promise`, or rejects with `message` if it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("DeadlineTimer", () => {
  it("fires once for the earliest deadline and re-arms for the next one it is given", async () => {
    const fired: number[] = [];
    const next = [Date.now() + 20, Infinity];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const timer = new DeadlineTimer(() => {
      fired.push(Date.now());
      const due = next.shift()!;
      if (due === Infinity) done();
      return due;
    }, false);
    timer.schedule(Date.now() + 50);
    timer.schedule(Date.now() + 5); // earlier: re-armed
    timer.schedule(Date.now() + 500); // later: ignored
    try {
      await within(finished, 5_000, "the timer did not fire for both deadlines");
      assert.equal(fired.length, 2);
    } finally {
      timer.clear();
    }
  });

  it("stays cleared when its own callback clears it", async () => {
    let fired = 0;
    const timer: DeadlineTimer = new DeadlineTimer((now) => {
      fired++;
      timer.clear();
      return now + 10;
    }, false);
    try {
      timer.schedule(Date.now());
      await until(() => fired > 0, 5_000);
      // Had the callback's clear() been undone, it would fire again 10 ms later.
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.equal(fired, 1);
    } finally {
      timer.clear();
    }
  });
});
