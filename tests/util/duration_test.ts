import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import {
  checkDurationRange,
  durationMs,
  durationOption,
  parseDuration,
  showValue,
} from "../../src/util/duration.ts";

describe("parseDuration", () => {
  it("reads durations in whole milliseconds", () => {
    assert.equal(parseDuration("250ms"), 250);
    assert.equal(parseDuration("2h15m"), 8_100_000);
    assert.equal(parseDuration("0s"), 0);
    assert.equal(parseDuration("1.0001ms"), 2);
  });

  it("rejects anything else with a TypeError naming the text", () => {
    for (const text of ["", "5", "5 minutes", "1y", "5.", "1h30"]) {
      assert.throws(() => parseDuration(text), {
        name: "TypeError",
        message: `Invalid duration ${
          JSON.stringify(text)
        }: expected a duration such as "90s", "5m", "1h", "1d"`,
      });
    }
    assert.throws(() => parseDuration(5 as unknown as string), {
      name: "TypeError",
      message: /^Invalid duration 5: /,
    });
  });
});

describe("durationMs", () => {
  it("adds up parts with spaces between them and rounds fractions of a millisecond up", () => {
    assert.equal(durationMs("1h30m"), 5_400_000);
    assert.equal(durationMs(" 1h 30m "), 5_400_000);
    assert.equal(durationMs("1.5d"), 129_600_000);
    assert.equal(durationMs("2w"), 1_209_600_000);
    assert.equal(durationMs("0.5ms"), 1);
    assert.equal(durationMs("1m1m"), 120_000, "repeated units add up");
  });

  it("answers NaN for anything that is not a duration, instead of throwing", () => {
    for (const text of ["", " ", "5", "ms", "-5s", "5 s x", "1e3ms", "5M", "0x10s"]) {
      assert.ok(Number.isNaN(durationMs(text)), JSON.stringify(text));
    }
  });
});

describe("durationOption", () => {
  it("takes whole milliseconds or a duration string within min..max", () => {
    assert.equal(durationOption(250, "timeout", 0, 1_000), 250);
    assert.equal(durationOption("1s", "timeout", 0, 1_000), 1_000);
    assert.equal(durationOption(0, "timeout", 0, 1_000), 0);
    assert.equal(durationOption(Infinity, "deadline", 0, Infinity), Infinity);
  });

  it("refuses other types, fractions and Infinity where max is finite with a TypeError naming the option", () => {
    for (const value of [1.5, NaN, Infinity, "soon", null, true, {}]) {
      assert.throws(() => durationOption(value, "retry.base", 0, 1_000), {
        name: "TypeError",
        message: new RegExp(
          `^Invalid option "retry\\.base": expected milliseconds or a duration such as "90s", "5m", "1h", "1d", got `,
        ),
      }, String(value));
    }
  });

  it("refuses values outside min..max with a RangeError giving the bounds", () => {
    assert.throws(() => durationOption(-1, "timeout", 0, 1_000), {
      name: "RangeError",
      message: 'Invalid option "timeout": -1 is not between 0 and 1000 ms',
    });
    assert.throws(() => durationOption("2s", "timeout", 0, 1_000), {
      name: "RangeError",
      message: 'Invalid option "timeout": "2s" is not between 0 and 1000 ms',
    });
  });
});

describe("showValue and checkDurationRange", () => {
  it("quote strings, cut long ones, and name the type of other values", () => {
    assert.equal(showValue("5m"), '"5m"');
    assert.equal(showValue("x".repeat(50)), `"${"x".repeat(40)}"…`);
    assert.equal(showValue(5), "5");
    assert.equal(showValue(false), "false");
    assert.equal(showValue(5n), "5n");
    assert.equal(showValue(null), "of type null");
    assert.equal(showValue({}), "of type object");
  });

  it("refuses a duration over the safe integer range, naming what was given", () => {
    assert.equal(checkDurationRange(Number.MAX_SAFE_INTEGER, "ttl", 1), Number.MAX_SAFE_INTEGER);
    assert.throws(() => checkDurationRange(2 ** 60, "ttl", "99999999999999w"), {
      name: "RangeError",
      message: `Invalid ttl "99999999999999w": it is over ${Number.MAX_SAFE_INTEGER} ms`,
    });
  });
});
