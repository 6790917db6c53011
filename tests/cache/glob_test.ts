import assert from "node:assert/strict";
import { before, describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { globMatcher, globToRegExp } from "../../src/cache/glob.ts";

/** Keys with glob metacharacters, brackets, spaces, punctuation and non-ASCII text (no newlines). */
const KEYS = [
  "",
  "a",
  "b",
  "ab",
  "abc",
  "abcb",
  "aXbYc",
  "a]",
  "a-b",
  "a b",
  "hello",
  "hallo",
  "hxllo",
  "hllo",
  "heeello",
  "h*llo",
  "h?llo",
  "h[a]llo",
  "h\\llo",
  "-",
  "]",
  "^",
  "_",
  "`",
  "[",
  "\\",
  "*",
  "?",
  "Z",
  "user:1",
  "user:22",
  "user:abc",
  "user:",
  "x.y",
  "x+y",
  "(x)",
  "{x}",
  "$",
  "café",
  "cafe",
  "é",
  "日本",
];

/** Patterns covering `*`, `?`, classes, ranges, negation, escapes and Redis's edge cases. */
const PATTERNS = [
  "*",
  "**",
  "",
  "h?llo",
  "h*llo",
  "h[ae]llo",
  "h[^e]llo",
  "h[a-b]llo",
  "h[b-a]llo",
  "h\\*llo",
  "h\\?llo",
  "h\\[a\\]llo",
  "h\\\\llo",
  "h[\\\\]llo",
  "\\",
  "a\\",
  "*\\",
  "[\\]]",
  "[]",
  "[^]",
  "[]a]",
  "[^]]",
  "[a-]",
  "[a-",
  "[-a]",
  "[ab",
  "a[",
  "[^",
  "[\\",
  "[a-\\]]",
  "[a-c-e]",
  "[[]",
  "[*]",
  "[?]",
  "?",
  "??",
  "???",
  "?*",
  "*?",
  "[^a-z]*",
  "*b",
  "a*b*c",
  "*a*",
  "a*",
  "user:*",
  "user:?",
  "user:??*",
  "*:*",
  "x?y",
  "x[.+]y",
  "(x)",
  "{x}",
  "$",
  "a b",
  "caf?",
  "caf??",
  "caf*",
  "[é]",
  "*é",
  "é",
  "??????",
  "日?",
];

const isAscii = (text: string): boolean => !/[\u0080-\uffff]/.test(text);

describe("glob matching agrees with a real Redis (KEYS)", () => {
  const fixture = useRedis();
  before(async () => {
    await fixture.server.cli("MSET", ...KEYS.flatMap((key) => [key, "1"]));
  });

  /** The keys Redis returns for `pattern`, sorted. */
  async function redisKeys(pattern: string): Promise<string[]> {
    const out = await fixture.server.cli("KEYS", pattern);
    if (out === "") {
      // Raw output prints no line for no keys and an empty line for the empty key: count them.
      const count = await fixture.server.cli(
        "EVAL",
        "return #redis.call('KEYS', ARGV[1])",
        "0",
        pattern,
      );
      return count === "1" ? [""] : [];
    }
    return out.split("\n").sort();
  }

  it("sets every key of the table", async () => {
    assert.equal(await fixture.server.cli("DBSIZE"), String(KEYS.length));
  });

  for (const pattern of PATTERNS) {
    it(`pattern ${JSON.stringify(pattern)}`, async () => {
      const expected = await redisKeys(pattern);
      const matches = globMatcher(pattern);
      assert.deepEqual(KEYS.filter(matches).sort(), expected, "globMatcher");
      if (isAscii(pattern)) {
        // Over characters, globToRegExp agrees with Redis wherever bytes and characters coincide.
        const regexp = globToRegExp(pattern);
        const ascii = KEYS.filter(isAscii);
        assert.deepEqual(ascii.filter((key) => regexp.test(key)).sort(), expected.filter(isAscii));
      }
    });
  }
});

describe("globToRegExp", () => {
  it("is anchored at both ends", () => {
    const regexp = globToRegExp("b");
    assert.equal(regexp.test("b"), true);
    assert.equal(regexp.test("ab"), false);
    assert.equal(regexp.test("bc"), false);
  });

  it("matches characters, not bytes: ? is one code point", () => {
    assert.equal(globToRegExp("caf?").test("café"), true);
    assert.equal(globToRegExp("caf??").test("café"), false);
    assert.equal(globToRegExp("?").test("😀"), true);
    assert.equal(globToRegExp("[é]").test("é"), true);
    assert.equal(globToRegExp("[à-ÿ]x").test("éx"), true);
  });

  it("treats regular expression syntax in patterns as literal text", () => {
    const regexp = globToRegExp("a.b+(c)|{2}$^/");
    assert.equal(regexp.test("a.b+(c)|{2}$^/"), true);
    assert.equal(regexp.test("axbb(c)|{2}$^/"), false);
  });

  it("handles the empty key as Redis does", () => {
    assert.equal(globToRegExp("*").test(""), true);
    assert.equal(globToRegExp("").test(""), true);
    assert.equal(globToRegExp("**").test(""), false);
    assert.equal(globToRegExp("[^]").test(""), false);
  });

  it("globMatcher compares range ends as signed bytes, like Redis on x86-64", () => {
    // é is C3 A9: the (unclosed) class holds the range from 0xC3, as -61, up to "?" (63), and A9.
    // A real Redis on x86-64 gives the same answer for this pattern.
    const matches = globMatcher("[?-é");
    assert.deepEqual(["*", "-", "a", "[", "\u00ff"].filter(matches), ["*", "-"]);
    assert.equal(globMatcher("[a-z]")("m"), true);
  });

  it("copes with long runs of stars without blowing up", () => {
    const pattern = "*a".repeat(30) + "*b";
    const key = "a".repeat(200);
    const started = performance.now();
    assert.equal(globToRegExp(pattern).test(key), false);
    assert.equal(globMatcher(pattern)(key), false);
    assert.ok(performance.now() - started < 5_000);
  });
});
