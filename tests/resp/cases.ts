/**
 * Wire samples shared by the decoder tests and the fake-server tests.
 *
 * @module
 */
import type { DecoderLimits, RedisReply } from "../../src/resp/types.ts";
import { ReplyError } from "../../src/errors.ts";

/** Makes a reply comparable with deepEqual: a ReplyError becomes { error, code }. */
export function plain(value: RedisReply): unknown {
  if (value instanceof ReplyError) return { error: value.message, code: value.code };
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [plain(k), plain(v)]));
  if (value instanceof Set) return new Set([...value].map(plain));
  return value;
}

/** Replies and pushes in the order the decoder produced them. */
export type Event = { reply: unknown } | { push: unknown };

const bigText = "x".repeat(300) + "é€😀";
const bigLen = new TextEncoder().encode(bigText).length;

/** Every RESP3 and RESP2 type, as the server sends it, and what it decodes to. */
export const replyCases: [string, string, Event[]][] = [
  ["simple string", "+OK\r\n", [{ reply: "OK" }]],
  ["simple string with spaces", "+hello world\r\n", [{ reply: "hello world" }]],
  ["simple error", "-ERR unknown thing\r\n", [{
    reply: { error: "ERR unknown thing", code: "ERR" },
  }]],
  ["integer", ":1234\r\n", [{ reply: 1234 }]],
  ["negative integer", ":-42\r\n", [{ reply: -42 }]],
  ["largest safe integer", ":9007199254740991\r\n", [{ reply: 9007199254740991 }]],
  ["integer beyond 2^53", ":9007199254740993\r\n", [{ reply: 9007199254740993n }]],
  ["64-bit minimum", ":-9223372036854775808\r\n", [{ reply: -9223372036854775808n }]],
  ["bulk string", "$5\r\nhello\r\n", [{ reply: "hello" }]],
  ["bulk string holding CRLF", "$6\r\na\r\nb\r\n\r\n", [{ reply: "a\r\nb\r\n" }]],
  ["empty bulk string", "$0\r\n\r\n", [{ reply: "" }]],
  ["multi-byte UTF-8 bulk", `$${bigLen}\r\n${bigText}\r\n`, [{ reply: bigText }]],
  ["bulk starting with a byte-order mark, kept", "$6\r\n\ufeffabc\r\n", [{ reply: "\ufeffabc" }]],
  ["short UTF-8 bulk", "$7\r\nh\u00e9\u20ac!\r\n", [{ reply: "h\u00e9\u20ac!" }]],
  ["RESP2 null bulk", "$-1\r\n", [{ reply: null }]],
  ["RESP2 null array", "*-1\r\n", [{ reply: null }]],
  ["RESP3 null", "_\r\n", [{ reply: null }]],
  ["empty array", "*0\r\n", [{ reply: [] }]],
  ["nested array", "*3\r\n:1\r\n*2\r\n$1\r\na\r\n_\r\n*0\r\n", [{ reply: [1, ["a", null], []] }]],
  ["array with an error element", "*2\r\n-ERR one failed\r\n:7\r\n", [{
    reply: [{ error: "ERR one failed", code: "ERR" }, 7],
  }]],
  ["double", ",3.14\r\n", [{ reply: 3.14 }]],
  ["double with exponent", ",1.5e10\r\n", [{ reply: 1.5e10 }]],
  ["double inf", ",inf\r\n", [{ reply: Infinity }]],
  ["double -inf", ",-inf\r\n", [{ reply: -Infinity }]],
  ["double nan", ",nan\r\n", [{ reply: NaN }]],
  ["boolean true", "#t\r\n", [{ reply: true }]],
  ["boolean false", "#f\r\n", [{ reply: false }]],
  ["blob error", "!21\r\nSYNTAX invalid syntax\r\n", [{
    reply: { error: "SYNTAX invalid syntax", code: "SYNTAX" },
  }]],
  ["verbatim string", "=15\r\ntxt:Some string\r\n", [{ reply: "Some string" }]],
  ["big number", "(3492890328409238509324850943850943825024385\r\n", [{
    reply: 3492890328409238509324850943850943825024385n,
  }]],
  ["negative big number", "(-12345678901234567890\r\n", [{ reply: -12345678901234567890n }]],
  ["map", "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", [{
    reply: new Map<unknown, unknown>([["first", 1], ["second", 2]]),
  }]],
  ["empty map", "%0\r\n", [{ reply: new Map() }]],
  ["set", "~3\r\n+a\r\n+b\r\n:1\r\n", [{ reply: new Set(["a", "b", 1]) }]],
  [
    "attribute before a reply is skipped",
    "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
    [{
      reply: [2039123, 9543892],
    }],
  ],
  ["attribute inside an array", "*2\r\n|1\r\n+ttl\r\n:3600\r\n:1\r\n:2\r\n", [{ reply: [1, 2] }]],
  ["push", ">3\r\n$7\r\nmessage\r\n$3\r\nfoo\r\n$3\r\nbar\r\n", [{
    push: ["message", "foo", "bar"],
  }]],
  ["push between replies", ":1\r\n>2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n:2\r\n", [
    { reply: 1 },
    { push: ["invalidate", ["k"]] },
    { reply: 2 },
  ]],
];

/**
 * Malformed replies: each must end in a ProtocolError, whole, split anywhere or
 * fed byte by byte, by the time its last byte is fed.
 */
export const malformed: [string, string, DecoderLimits?][] = [
  ["an unknown type byte", "?what\r\n"],
  ["an unknown type byte without CRLF", "x"],
  ["a word that is no RESP, without CRLF", "xyzzy"],
  ["binary garbage without CRLF", "\u0000\u0001\u0002\u0003\u007f\u0010"],
  ["a TLS alert (a TLS server read as plain text)", "\u0015\u0003\u0003\u0000\u0002\u0002\u0046"],
  ["an unknown type byte inside an array", "*2\r\n:1\r\nx"],
  ["a length that is not a number", "$abc\r\n"],
  ["a negative length other than -1", "$-2\r\n"],
  ["an empty length", "*\r\n"],
  ["a bulk without CRLF after its payload", "$3\r\nabcXY"],
  ["CR not followed by LF", "+OK\rX\n"],
  ["an integer with letters", ":12a\r\n"],
  ["an empty integer", ":\r\n"],
  ["a boolean other than t or f", "#x\r\n"],
  ["an invalid double", ",abc\r\n"],
  ["an invalid big number", "(12x\r\n"],
  ["a null with a payload", "_x\r\n"],
  ["a verbatim string without format", "=2\r\nab\r\n"],
  ["a bulk over the length limit", "$1001\r\n", { maxBulkLength: 1000 }],
  ["an array over the element limit", "*1001\r\n", { maxElements: 1000 }],
  ["a declared length of 2^40", "$1099511627776\r\n"],
  ["nesting deeper than the limit", "*1\r\n".repeat(9) + ":1\r\n", { maxDepth: 8 }],
  ["a line longer than the limit", "+" + "a".repeat(200), { maxLineLength: 100 }],
  ["a complete line longer than the limit", "+" + "a".repeat(200) + "\r\n", { maxLineLength: 100 }],
];
