import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { describe, it } from "../support/test.ts";
import { ReplyDecoder } from "../../src/resp/decode.ts";
import type { DecoderLimits, RedisReply } from "../../src/resp/types.ts";
import { ProtocolError, ReplyError } from "../../src/client/errors.ts";

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

/** Replies and pushes in the order the decoder produced them. */
type Event = { reply: unknown } | { push: unknown };

/** Makes errors comparable: a ReplyError becomes { error, code }. */
function plain(value: RedisReply): unknown {
  if (value instanceof ReplyError) return { error: value.message, code: value.code };
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [plain(k), plain(v)]));
  if (value instanceof Set) return new Set([...value].map(plain));
  return value;
}

function decoder(events: Event[], options: { bytes?: boolean; limits?: DecoderLimits } = {}) {
  return new ReplyDecoder({
    wantsBytes: () => options.bytes === true,
    reply: (value) => events.push({ reply: plain(value) }),
    push: (value) => events.push({ push: plain(value) }),
  }, options.limits);
}

/** Decodes `input` fed as the given chunks. */
function decodeChunks(chunks: Uint8Array[], options?: { bytes?: boolean }): Event[] {
  const events: Event[] = [];
  const d = decoder(events, options);
  for (const chunk of chunks) {
    // A Buffer, as Bun hands over, overwritten after each feed as the Deno transport's read
    // buffer is: the decoder must copy what it keeps, into plain Uint8Arrays.
    const scratch = Buffer.alloc(chunk.length);
    scratch.set(chunk);
    d.feed(scratch);
    scratch.fill(0xee);
  }
  assert.equal(d.busy, false, "decoder still holds a partial reply");
  return events;
}

const bigText = "x".repeat(300) + "é€😀";
const bigLen = enc.encode(bigText).length;

/** Every RESP3 and RESP2 type, as the server sends it, and what it decodes to. */
const cases: [string, string, Event[]][] = [
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

const all = cases.flatMap(([, wire]) => [wire]).join("");
const allEvents = cases.flatMap(([, , events]) => events);

describe("ReplyDecoder", () => {
  for (const [name, wire, expected] of cases) {
    it(`decodes ${name}, whole and split at every byte offset`, () => {
      const input = bytes(wire);
      assert.deepEqual(decodeChunks([input]), expected);
      for (let k = 1; k < input.length; k++) {
        assert.deepEqual(
          decodeChunks([input.subarray(0, k), input.subarray(k)]),
          expected,
          `split at ${k}`,
        );
      }
    });
  }

  it("decodes every type delivered one byte at a time", () => {
    const input = bytes(all);
    const chunks = Array.from(input, (_, i) => input.subarray(i, i + 1));
    assert.deepEqual(decodeChunks(chunks), allEvents);
  });

  it("decodes every type split into three at every pair of offsets in a stream", () => {
    const input = bytes(all);
    for (let a = 1; a < input.length; a += 7) {
      for (let b = a + 1; b < input.length; b += 13) {
        const chunks = [input.subarray(0, a), input.subarray(a, b), input.subarray(b)];
        assert.deepEqual(decodeChunks(chunks), allEvents, `split at ${a} and ${b}`);
      }
    }
  });

  it("returns bulk strings as bytes when asked, binary safe", () => {
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    const wire = new Uint8Array([...bytes("$256\r\n"), ...payload, 13, 10]);
    for (let k = 0; k < wire.length; k += 17) {
      const chunks = k === 0 ? [wire] : [wire.subarray(0, k), wire.subarray(k)];
      const [event] = decodeChunks(chunks, { bytes: true }) as { reply: Uint8Array }[];
      assert.deepEqual(event.reply, payload);
    }
  });

  it("assembles a 100 MiB bulk fed in 64 KiB chunks", () => {
    const size = 100 * 1024 * 1024;
    const header = bytes(`$${size}\r\n`);
    const events: Event[] = [];
    const d = new ReplyDecoder({
      wantsBytes: () => true,
      reply: (v) => events.push({ reply: v }),
      push: () => assert.fail("no push expected"),
    });
    d.feed(header);
    const chunk = new Uint8Array(64 * 1024);
    for (let sent = 0; sent < size; sent += chunk.length) {
      chunk.fill((sent / chunk.length) & 255);
      d.feed(chunk);
    }
    d.feed(bytes("\r\n:1\r\n"));
    assert.equal(events.length, 2);
    const value = (events[0] as { reply: Uint8Array }).reply;
    assert.equal(value.length, size);
    assert.equal(value[0], 0);
    assert.equal(value[size - 1], (size / chunk.length - 1) & 255);
    assert.deepEqual(events[1], { reply: 1 });
  });

  it("resumes a 100,000-element array split across many chunks", () => {
    const n = 100_000;
    const wire = bytes(
      `*${n}\r\n` +
        Array.from({ length: n }, (_, i) => `$${String(i).length}\r\n${i}\r\n`).join(""),
    );
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < wire.length; i += 1000) chunks.push(wire.subarray(i, i + 1000));
    const [event] = decodeChunks(chunks) as { reply: string[] }[];
    assert.equal(event.reply.length, n);
    assert.equal(event.reply[n - 1], String(n - 1));
  });
});

describe("ReplyDecoder on malformed input", () => {
  const bad: [string, string, DecoderLimits?][] = [
    ["an unknown type byte", "?what\r\n"],
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
  ];
  for (const [name, wire, limits] of bad) {
    it(`rejects ${name} with ProtocolError`, () => {
      const d = decoder([], { limits });
      assert.throws(() => d.feed(bytes(wire)), ProtocolError);
      assert.throws(
        () => d.feed(bytes("+OK\r\n")),
        ProtocolError,
        "a failed decoder must stay failed",
      );
    });
  }

  it("accepts nesting up to the limit", () => {
    const events: Event[] = [];
    decoder(events, { limits: { maxDepth: 8 } }).feed(bytes("*1\r\n".repeat(8) + ":1\r\n"));
    assert.deepEqual(events, [{ reply: [[[[[[[[1]]]]]]]] }]);
  });

  it("decodes again after reset()", () => {
    const events: Event[] = [];
    const d = decoder(events);
    assert.throws(() => d.feed(bytes("?\r\n")), ProtocolError);
    d.reset();
    d.feed(bytes("+OK\r\n"));
    assert.deepEqual(events, [{ reply: "OK" }]);
  });
});
