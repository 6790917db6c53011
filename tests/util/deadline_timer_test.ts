import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { DeadlineTimer } from "../../src/util/deadline_timer.ts";

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
    await finished;
    assert.equal(fired.length, 2);
    timer.clear();
  });

  it("stays cleared when its own callback clears it", async () => {
    let fired = 0;
    const timer: DeadlineTimer = new DeadlineTimer((now) => {
      fired++;
      timer.clear();
      return now + 10;
    }, false);
    timer.schedule(Date.now());
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(fired, 1);
  });
});
