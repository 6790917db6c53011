import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import {
  checkKey,
  defaultKeyFunction,
  escapeGlob,
  type KeyFunction,
  MAX_KEY_BYTES,
  quoteKey,
} from "../../src/cache/keys.ts";

describe("escapeGlob", () => {
  it("escapes every glob special character with a backslash", () => {
    assert.equal(escapeGlob("\\"), "\\\\");
    assert.equal(escapeGlob("*"), "\\*");
    assert.equal(escapeGlob("?"), "\\?");
    assert.equal(escapeGlob("["), "\\[");
    assert.equal(escapeGlob("]"), "\\]");
    assert.equal(escapeGlob("a*b?c[d]e\\f"), "a\\*b\\?c\\[d\\]e\\\\f");
    assert.equal(escapeGlob("**"), "\\*\\*");
  });

  it("leaves other characters alone", () => {
    const plain = "app:1:user-^!{}()|.+$é😀 ";
    assert.equal(escapeGlob(plain), plain);
    assert.equal(escapeGlob(""), "");
  });
});

describe("defaultKeyFunction", () => {
  it("uses Django's prefix:version:key format", () => {
    assert.equal(defaultKeyFunction("user:1", "app", 1), "app:1:user:1");
    assert.equal(defaultKeyFunction("k", "", 3), ":3:k");
  });

  it("is a KeyFunction", () => {
    const keyFunction: KeyFunction = defaultKeyFunction;
    assert.equal(keyFunction("a", "b", 2), "b:2:a");
  });
});

describe("checkKey", () => {
  it("returns valid keys", () => {
    assert.equal(checkKey("user:1"), "user:1");
    assert.equal(checkKey(" "), " ");
    const longest = "a".repeat(MAX_KEY_BYTES);
    assert.equal(checkKey(longest), longest);
    const multibyte = "é".repeat(MAX_KEY_BYTES / 2); // 2 bytes each
    assert.equal(checkKey(multibyte), multibyte);
    const emoji = "😀".repeat(MAX_KEY_BYTES / 4); // 4 bytes each
    assert.equal(checkKey(emoji), emoji);
  });

  it("rejects non-strings", () => {
    for (
      const [key, kind] of [[1, "number"], [null, "null"], [undefined, "undefined"], [{}, "object"]]
    ) {
      assert.throws(() => checkKey(key), {
        name: "TypeError",
        message: `Invalid cache key of type ${kind}: a key must be a string`,
      });
    }
  });

  it("rejects the empty key", () => {
    assert.throws(() => checkKey(""), {
      name: "TypeError",
      message: `Invalid cache key "": a key must not be empty`,
    });
  });

  it("rejects keys over 16 KiB in UTF-8, quoting 40 characters", () => {
    const tooLong = [
      "a".repeat(MAX_KEY_BYTES + 1),
      "é".repeat(MAX_KEY_BYTES / 2 + 1),
      "€".repeat(Math.floor(MAX_KEY_BYTES / 3) + 1), // 3 bytes each, length 5462
      "😀".repeat(MAX_KEY_BYTES / 4) + "a",
    ];
    for (const key of tooLong) {
      assert.throws(() => checkKey(key), (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.equal(
          error.message,
          `Invalid cache key ${quoteKey(key)}: a key must be at most 16384 bytes in UTF-8`,
        );
        assert.ok(error.message.length < 150, "the message shows only the start of the key");
        return true;
      });
    }
  });

  it("counts a lone surrogate as 3 bytes, as TextEncoder does", () => {
    const key = "\ud800".repeat(Math.floor(MAX_KEY_BYTES / 3));
    assert.equal(checkKey(key), key);
    assert.throws(() => checkKey(key + "\ud800"), TypeError);
  });
});

describe("quoteKey", () => {
  it("quotes short keys whole and cuts long ones at 40 characters", () => {
    assert.equal(quoteKey("user:1"), `"user:1"`);
    assert.equal(quoteKey("x".repeat(40)), `"${"x".repeat(40)}"`);
    assert.equal(quoteKey("x".repeat(41)), `"${"x".repeat(40)}"…`);
    assert.equal(quoteKey('a"b'), `"a\\"b"`);
  });

  it("does not split a surrogate pair", () => {
    const key = "x".repeat(39) + "😀" + "tail";
    assert.equal(quoteKey(key), `"${"x".repeat(39)}"…`);
  });
});
