import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { hashTag, keySlot } from "../../src/cluster/key_slot.ts";

const utf8 = new TextEncoder();
const KEYS = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);

describe("hashTag", () => {
  it("returns the text between the first { and the first } after it", () => {
    assert.equal(hashTag("{user1}:a"), "user1");
    assert.equal(hashTag("x{y}z{w}"), "y");
    assert.equal(hashTag("a{b{c}d"), "b{c");
    assert.equal(hashTag("{ключ}:1"), "ключ");
  });

  it("returns the whole key when there is no tag or the first one is empty", () => {
    for (const key of ["a{}b{c}", "{}{x}", "plain", "", "{", "}", "}{", "{open", "close}"]) {
      assert.equal(hashTag(key), key);
    }
  });
});

describe("keySlot", () => {
  it("matches known CRC16 slots", () => {
    assert.equal(keySlot("foo"), 12182);
    assert.equal(keySlot("bar"), 5061);
    assert.equal(keySlot("hello"), 866);
    assert.equal(keySlot("123456789"), 0x31c3 % 16384); // the CRC16/XMODEM check value
    assert.equal(keySlot(""), 0);
  });

  it("matches CLUSTER KEYSLOT of a Redis server, ASCII and not", () => {
    // Each pair was checked against `CLUSTER KEYSLOT` of redis-server in cluster mode.
    const verified: Array<[string, number]> = [
      ["user:1000", 1649],
      ["{user1000}.following", 3443],
      ["a{}b{c}", 7353],
      ["{}{x}", 3257],
      ["x{y}z{w}", 12222],
      ["ключ", 10303],
      ["x{ключ}y", 10303],
      ["中文键", 3730],
      ["café", 5735],
      ["😀", 2959],
      ["{😀}x", 2959],
      ["\ud800", 13381], // a lone surrogate is sent as U+FFFD
      ["ключ".repeat(100), 10672],
      ["ключ".repeat(6000), 13608],
    ];
    for (const [key, slot] of verified) {
      assert.equal(keySlot(key), slot, key.slice(0, 20));
      assert.equal(keySlot(utf8.encode(key)), slot, key.slice(0, 20));
    }
  });

  it("hashes only the tag, so tagged keys share a slot", () => {
    assert.equal(keySlot("{user1000}.following"), keySlot("{user1000}.followers"));
    assert.equal(keySlot("x{y}z{w}"), keySlot("y"));
    assert.equal(keySlot("{ключ}:1"), keySlot("ключ"));
  });

  it("applies the tag rule to raw bytes, valid UTF-8 or not", () => {
    const verified: Array<[number[], number]> = [
      [[0xff, 0x7b, 0x80, 0x7d], 4488],
      [[0x80], 4488],
      [[0xc3, 0x28, 0x7b, 0x7d, 0xfe], 14282],
      [[0xc3, 0x28, 0xfe], 15929],
      [[0x7b, 0x7d, 0x7b, 0x01, 0x7d], 15992],
    ];
    for (const [bytes, slot] of verified) assert.equal(keySlot(new Uint8Array(bytes)), slot);
    const inside = new Uint8Array([0, 0x66, 0x6f, 0x6f, 0]).subarray(1, 4); // a view at an offset
    assert.equal(keySlot(inside), 12182);
  });

  it("stays in [0, 16383]", () => {
    for (const key of KEYS) {
      const slot = keySlot(key);
      assert.ok(Number.isInteger(slot) && slot >= 0 && slot < 16384);
    }
  });
});
