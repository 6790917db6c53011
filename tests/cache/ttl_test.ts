import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { parseTtl, type TtlOption } from "../../src/cache/ttl.ts";

const DEFAULT = 300_000;

describe("parseTtl", () => {
  it("reads numbers as milliseconds, rounding fractions up", () => {
    const table: Array<[number, number]> = [
      [1, 1],
      [60_000, 60_000],
      [1.2, 2],
      [0.001, 1],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ];
    for (const [ttl, expected] of table) assert.equal(parseTtl(ttl, DEFAULT), expected, `${ttl}`);
  });

  it("reads duration strings", () => {
    const table: Array<[string, number]> = [
      ["500ms", 500],
      ["90s", 90_000],
      ["5m", 300_000],
      ["1h", 3_600_000],
      ["1d", 86_400_000],
      ["2w", 1_209_600_000],
      ["1h30m", 5_400_000],
      ["1h 30m", 5_400_000],
      [" 1d 2h 3m 4s 5ms ", 93_784_005],
      ["1m30s250ms", 90_250],
      ["1.5h", 5_400_000],
      ["0.1s", 100],
      ["0.5ms", 1],
      ["10 s", 10_000],
    ];
    for (const [ttl, expected] of table) assert.equal(parseTtl(ttl, DEFAULT), expected, ttl);
  });

  it("keeps null as forever and uses the default for undefined", () => {
    assert.equal(parseTtl(null, DEFAULT), null);
    assert.equal(parseTtl(undefined, DEFAULT), DEFAULT);
    assert.equal(parseTtl(undefined, null), null);
    assert.equal(parseTtl(undefined, 0), 0);
  });

  it("turns zero or less into 0 (delete)", () => {
    for (const ttl of [0, -0, -1, -0.5, -1e12, "0s", "0ms", "0m0s"]) {
      assert.ok(Object.is(parseTtl(ttl, DEFAULT), 0), `${String(ttl)}`);
    }
  });

  it("rejects bad strings, NaN, Infinity and other types, naming the value", () => {
    const table: Array<[unknown, string]> = [
      [
        "5 minutes",
        `Invalid TTL "5 minutes": expected milliseconds or a duration such as "90s", "5m", "1h", "1d"`,
      ],
      ["", `Invalid TTL "": `],
      ["  ", `Invalid TTL "  ": `],
      ["5000", `Invalid TTL "5000": `],
      ["5M", `Invalid TTL "5M": `],
      ["-5m", `Invalid TTL "-5m": `],
      ["1h-30m", `Invalid TTL "1h-30m": `],
      ["m", `Invalid TTL "m": `],
      ["1.h", `Invalid TTL "1.h": `],
      [NaN, "Invalid TTL NaN: "],
      [Infinity, "Invalid TTL Infinity: "],
      [-Infinity, "Invalid TTL -Infinity: "],
      [true, "Invalid TTL true: "],
      [10n, "Invalid TTL 10n: "],
      [{}, "Invalid TTL of type object: "],
      [[5], "Invalid TTL of type object: "],
    ];
    for (const [ttl, prefix] of table) {
      assert.throws(() => parseTtl(ttl as TtlOption, DEFAULT), (error: Error) => {
        assert.ok(error instanceof TypeError, `${String(ttl)}: ${error}`);
        assert.ok(error.message.startsWith(prefix), error.message);
        return true;
      });
    }
  });

  it("checks the default as well when it is used", () => {
    assert.throws(() => parseTtl(undefined, NaN), {
      name: "TypeError",
      message: /^Invalid TTL NaN/,
    });
  });

  it("cuts a long bad string in the message", () => {
    assert.throws(() => parseTtl("x".repeat(100), DEFAULT), (error: Error) => {
      assert.ok(error.message.startsWith(`Invalid TTL "${"x".repeat(40)}"…: `));
      return true;
    });
  });

  it("rejects durations beyond the safe integer range", () => {
    assert.throws(() => parseTtl(2 ** 60, DEFAULT), RangeError);
    assert.throws(() => parseTtl("99999999999999w", DEFAULT), RangeError);
  });
});
