/**
 * Redis glob patterns (the `MATCH` of `SCAN`, and `KEYS`) compiled to
 * regular expressions, following Redis's own matcher quirk for quirk:
 *
 * - `*` any run of characters, `?` exactly one;
 * - `[abc]`, `[a-z]` (a reversed range `[z-a]` means `[a-z]`), `[^…]` negation;
 *   inside a class `\x` is a literal `x`, and a `]` right after `[` or `[^`
 *   closes the class (`[]` matches nothing, `[^]` any one character);
 *   an unclosed class takes the rest of the pattern (`[ab` is `[ab]`);
 * - `\x` is a literal `x`; a trailing `\` is a literal backslash;
 * - the empty key matches only the pattern `*` and the empty pattern
 *   (Redis special-cases `*`, so `**` does not match it).
 *
 * @module
 */

const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const ANY = "[\\s\\S]";
const NON_ASCII = /[\u0080-\uffff]/;
const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * Compiles a Redis glob to an anchored regular expression over characters
 * (Unicode code points).
 *
 * Redis compares bytes of the UTF-8 encoding, so the two agree on ASCII, and
 * on any key when the pattern has only literals, escapes and `*`; they differ
 * when `?` or a class meets a non-ASCII character. Use {@linkcode globMatcher}
 * to match keys exactly as Redis does.
 *
 * @param pattern A Redis glob such as `user:*`, `h?llo`, `[^_]*` or `\*literal`.
 * @returns A regular expression that tests whole strings.
 *
 * @example
 * ```ts
 * import { globToRegExp } from "./glob.ts";
 *
 * const re = globToRegExp("user:[0-9]*");
 * console.log(re.test("user:42"), re.test("user:x")); // true false
 * ```
 */
export function globToRegExp(pattern: string): RegExp {
  const units = Array.from(pattern, (char) => char.codePointAt(0)!);
  return new RegExp(compile(units, pattern === "*", true), "u");
}

/**
 * Compiles a Redis glob to a predicate that matches keys byte for byte as
 * Redis does: both the pattern and the key are compared as UTF-8, so `?`
 * matches one byte (`caf??` matches `café`, `caf?` does not). Like Redis on
 * x86-64, a range compares bytes as signed chars, so a range with a non-ASCII
 * end behaves oddly (`[a-é]` is the range from byte 0xC3, as -61, to `a`);
 * Redis on ARM compares them unsigned. Ranges of ASCII characters are the
 * same everywhere.
 *
 * @param pattern A Redis glob such as `session:*`.
 * @returns A function that tells whether a key matches.
 *
 * @example
 * ```ts
 * import { globMatcher } from "./glob.ts";
 *
 * const matches = globMatcher("caf??");
 * console.log(matches("café"), matches("cafe")); // true false
 * ```
 */
export function globMatcher(pattern: string): (key: string) => boolean {
  const binary = toBinary(pattern);
  const units = Array.from(binary, (char) => char.charCodeAt(0));
  const regexp = new RegExp(compile(units, pattern === "*", false));
  return (key) => regexp.test(NON_ASCII.test(key) ? toBinary(key) : key);
}

/** The UTF-8 bytes of `text` as a string of one char (0-255) per byte. */
function toBinary(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  let out = "";
  for (const byte of utf8.encode(text)) out += String.fromCharCode(byte);
  return out;
}

/**
 * Regular expression source for a pattern given as units (code points or
 * bytes). The pattern splits at its stars into fixed-width segments; each
 * middle segment is matched at its first occurrence and never revisited (an
 * atomic lookahead), which is enough for globs and keeps matching linear in
 * the key for each segment: a pattern like `*a*a*a*a*b` cannot backtrack
 * exponentially.
 */
function compile(units: number[], matchesEmpty: boolean, unicode: boolean): string {
  const lit = (unit: number): string => literal(unit, unicode);
  const n = units.length;
  const segments = [""];
  let i = 0;
  while (i < n) {
    const unit = units[i];
    if (unit === STAR) {
      while (units[i + 1] === STAR) i++;
      segments.push("");
      i++;
      continue;
    }
    let atom: string;
    if (unit === QUESTION) {
      atom = ANY;
      i++;
    } else if (unit === BACKSLASH) {
      atom = lit(n - i >= 2 ? units[++i] : unit);
      i++;
    } else if (unit === OPEN) {
      [atom, i] = compileClass(units, i + 1, unicode);
    } else {
      atom = lit(unit);
      i++;
    }
    segments[segments.length - 1] += atom;
  }
  // Redis never matches the empty key except with "" and the special-cased "*".
  let source = n === 0 || matchesEmpty ? "^" : `^(?=${ANY})`;
  source += segments[0];
  if (segments.length === 1) return source + "$";
  for (let s = 1; s < segments.length - 1; s++) {
    source += `(?=(${ANY}*?${segments[s]}))\\${s}`;
  }
  return `${source}${ANY}*${segments[segments.length - 1]}$`;
}

/**
 * Compiles a class whose body starts at `start` (just after `[`), walking it
 * as Redis does. Returns the source and the index after the class.
 */
function compileClass(
  units: number[],
  start: number,
  unicode: boolean,
): [source: string, next: number] {
  const lit = (unit: number): string => literal(unit, unicode);
  const n = units.length;
  let i = start;
  const negated = units[i] === CARET;
  if (negated) i++;
  let body = "";
  while (i < n && units[i] !== CLOSE) {
    if (units[i] === BACKSLASH && n - i >= 2) {
      body += lit(units[++i]);
    } else if (n - i >= 3 && units[i + 1] === DASH) {
      body += range(units[i], units[i + 2], unicode);
      i += 2;
    } else {
      body += lit(units[i]);
    }
    i++;
  }
  const next = Math.min(i + 1, n);
  if (body === "") return [negated ? ANY : "(?!)", next];
  return [`[${negated ? "^" : ""}${body}]`, next];
}

/**
 * Class source for a range between two units, in either order. Bytes compare
 * as C `char`s on x86-64: signed, so 0x80-0xFF sort below 0x00.
 */
function range(from: number, to: number, unicode: boolean): string {
  const lit = (unit: number): string => literal(unit, unicode);
  if (unicode) return `${lit(Math.min(from, to))}-${lit(Math.max(from, to))}`;
  const signed = (byte: number): number => byte < 0x80 ? byte : byte - 0x100;
  const low = Math.min(signed(from), signed(to));
  const high = Math.max(signed(from), signed(to));
  if (low >= 0 || high < 0) return `${lit(low & 0xff)}-${lit(high & 0xff)}`;
  return `${lit(low & 0xff)}-${lit(0xff)}${lit(0)}-${lit(high)}`;
}

/** A regular expression atom matching exactly `unit`. */
function literal(unit: number, unicode: boolean): string {
  if (
    (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a) ||
    (unit >= 0x61 && unit <= 0x7a)
  ) {
    return String.fromCharCode(unit);
  }
  const hex = unit.toString(16);
  if (unicode) return `\\u{${hex}}`;
  return unit <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u${hex.padStart(4, "0")}`;
}
