import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { describe, it } from "../support/test.ts";
import { mulberry32 } from "../support/random.ts";
import { AUTO, type BulkMode, BYTES, ReplyDecoder, TEXT } from "../../src/resp/decode.ts";
import { LEND_MAX, PartialBulk, STREAM } from "../../src/resp/_decode_bulk.ts";
import { ProtocolError } from "../../src/errors.ts";
import type { RedisReply } from "../../src/resp/types.ts";

const enc = new TextEncoder();
const whole = new TextDecoder("utf-8", { ignoreBOM: true });

/** A RESP bulk reply framing `payload`, followed by `:7\r\n`. */
function wire(payload: Uint8Array, type = "$"): Uint8Array {
  const head = enc.encode(`${type}${payload.length}\r\n`);
  const tail = enc.encode("\r\n:7\r\n");
  const out = new Uint8Array(head.length + payload.length + tail.length);
  out.set(head);
  out.set(payload, head.length);
  out.set(tail, head.length + payload.length);
  return out;
}

/**
 * Feeds `input` in chunks of the sizes `sizes` gives in turn, each copied into
 * a scratch buffer that is overwritten after the feed (a Node-style `Buffer`,
 * as Bun hands over, or a plain `Uint8Array`, as Deno's transport does).
 */
function feed(
  input: Uint8Array,
  sizes: () => number,
  mode: BulkMode = TEXT,
  asBuffer = false,
): RedisReply[] {
  const replies: RedisReply[] = [];
  const d = new ReplyDecoder({
    wantsBytes: () => mode,
    reply: (value) => replies.push(value),
    push: () => assert.fail("no push expected"),
  });
  for (let at = 0; at < input.length;) {
    const size = Math.min(input.length - at, Math.max(1, sizes()));
    const scratch = asBuffer ? Buffer.alloc(size) : new Uint8Array(size);
    scratch.set(input.subarray(at, at + size));
    d.feed(scratch);
    scratch.fill(0xee);
    at += size;
  }
  assert.equal(d.busy, false, "decoder still holds a partial reply");
  return replies;
}

/**
 * Assembles `input` (a bulk's payload, CRLF, then `:7\r\n`) in STREAM mode,
 * as the decoder does for strings over `LEND_MAX`, in chunks of `sizes()`.
 */
function stream(payload: Uint8Array, sizes: () => number, asBuffer: boolean): string {
  const input = wire(payload);
  const start = input.indexOf(10) + 1;
  let bulk: PartialBulk | undefined;
  for (let at = start; at < input.length;) {
    const size = Math.min(input.length - at, Math.max(1, sizes()));
    const scratch = asBuffer ? Buffer.alloc(size) : new Uint8Array(size);
    scratch.set(input.subarray(at, at + size));
    let pos: number;
    if (bulk === undefined) {
      bulk = new PartialBulk(36, payload.length, STREAM, scratch, 0);
      pos = -1;
      if (size === input.length - at) pos = input.length - at - 4; // all of it in the first chunk
    } else pos = bulk.take(scratch, 0);
    scratch.fill(0xee);
    at += size;
    if (pos >= 0) {
      assert.equal(input.length - at + (size - pos), 4, "the next reply starts after the CRLF");
      return bulk.text;
    }
  }
  throw new Error("the bulk never completed");
}

/** Payloads of some 20 KiB, each with its own trap. */
function payloads(): [string, Uint8Array][] {
  const n = 20 * 1024 + 3001;
  const rng = mulberry32(20261204);
  const random = new Uint8Array(n);
  for (let i = 0; i < n; i++) random[i] = Math.floor(rng() * 256);
  // Lead bytes, continuation bytes and ASCII in runs, so every kind of split occurs.
  const pieces = [0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac, 0xc3, 0xa9, 0x41, 0xed, 0xa0, 0x80];
  const mixed = new Uint8Array(n);
  for (let i = 0; i < n; i++) mixed[i] = pieces[Math.floor(rng() * pieces.length)];
  const multiByte = enc.encode("aé€😀日本\u{10348}ß".repeat(Math.ceil(n / 20)));
  const ascii = enc.encode("0123456789abcdef".repeat(Math.ceil(n / 16)));
  const bom = enc.encode("\ufeff" + "x".repeat(n));
  const truncated = multiByte.subarray(0, multiByte.length - 1); // ends inside a character
  return [
    ["ASCII", ascii],
    ["2-, 3- and 4-byte characters", multiByte],
    ["a BOM first", bom],
    ["a character cut off at the end", truncated],
    ["random bytes (invalid UTF-8)", random],
    ["lead and continuation bytes in random runs", mixed],
  ];
}

describe("ReplyDecoder: strings that span chunks", () => {
  for (const [name, payload] of payloads()) {
    const expected = whole.decode(payload);
    const input = wire(payload);
    for (const size of [1, 3, 4096]) {
      it(`decodes ${name} fed ${size} B at a time as a whole decode would`, () => {
        for (const asBuffer of [false, true]) {
          const replies = feed(input, () => size, TEXT, asBuffer);
          assert.equal(replies.length, 2);
          assert.equal(replies[0] === expected, true, `differs (Buffer chunks: ${asBuffer})`);
          assert.equal(replies[1], 7);
        }
      });
    }
    it(`decodes ${name} fed in random chunk sizes, in TEXT and AUTO mode`, () => {
      const rng = mulberry32(payload.length);
      for (const mode of [TEXT, AUTO] as BulkMode[]) {
        for (let round = 0; round < 10; round++) {
          const replies = feed(input, () => 1 + Math.floor(rng() * 9000), mode, round % 2 === 0);
          assert.equal(replies[0] === expected, true, `round ${round}`);
        }
      }
    });
    it(`streams ${name} (over LEND_MAX) piece by piece as a whole decode would`, () => {
      for (const size of [1, 2, 3, 5, 4096, 65536]) {
        for (const asBuffer of [false, true]) {
          const got = stream(payload, () => size, asBuffer);
          assert.equal(got === expected, true, `${size} B chunks (Buffer: ${asBuffer})`);
        }
      }
      const rng = mulberry32(payload.length + 1);
      for (let round = 0; round < 20; round++) {
        const got = stream(payload, () => 1 + Math.floor(rng() * 9000), round % 2 === 0);
        assert.equal(got === expected, true, `random chunk sizes, round ${round}`);
      }
    });
  }

  it("streams a string over LEND_MAX through the decoder, in 64 KiB chunks", () => {
    const text = "aé€😀日本\u{10348}ß".repeat(Math.ceil(LEND_MAX / 20));
    const payload = enc.encode(text);
    assert.ok(payload.length > LEND_MAX);
    const replies = feed(wire(payload), () => 65536, TEXT, true);
    assert.equal(replies[0] === text, true);
    assert.equal(replies[1], 7);
  });

  it("lends its buffer to one string at a time: interleaved and later strings stay intact", () => {
    const a = enc.encode("A".repeat(50_000));
    const b = enc.encode("b€".repeat(20_000));
    const wa = wire(a);
    const wb = wire(b);
    const got: RedisReply[] = [];
    const sink = {
      wantsBytes: (): BulkMode => TEXT,
      reply: (value: RedisReply) => got.push(value),
      push: () => assert.fail("no push expected"),
    };
    const da = new ReplyDecoder(sink);
    const db = new ReplyDecoder(sink);
    // Both bulks are half-way at once; then each finishes.
    da.feed(wa.subarray(0, 1000));
    db.feed(wb.subarray(0, 1000));
    da.feed(wa.subarray(1000));
    db.feed(wb.subarray(1000));
    // The next one reuses the buffer that held the first.
    const c = enc.encode("c".repeat(60_000));
    da.feed(wire(c).subarray(0, 10));
    da.feed(wire(c).subarray(10));
    assert.deepEqual(got, ["A".repeat(50_000), 7, "b€".repeat(20_000), 7, "c".repeat(60_000), 7]);
  });

  it("keeps a large value that starts with NUL as bytes in AUTO mode, and any in BYTES mode", () => {
    const payload = new Uint8Array(40_000).fill(0x61);
    payload[0] = 0;
    const [auto] = feed(wire(payload), () => 5000, AUTO);
    assert.deepEqual(auto, payload);
    payload[0] = 0x61;
    const [bytes] = feed(wire(payload), () => 5000, BYTES);
    assert.deepEqual(bytes, payload);
  });

  it("decodes a large string whose header ends a chunk (AUTO cannot tell yet)", () => {
    const payload = enc.encode("é".repeat(20_000));
    const input = wire(payload);
    const header = input.indexOf(10) + 1;
    for (const mode of [TEXT, AUTO] as BulkMode[]) {
      let first = true;
      const replies = feed(input, () => (first ? ((first = false), header) : 7777), mode);
      assert.equal(replies[0], "é".repeat(20_000));
    }
  });

  it("decodes a large string inside an array, between small replies", () => {
    const big = "€".repeat(20_000);
    const input = enc.encode(`*3\r\n$1\r\na\r\n$${enc.encode(big).length}\r\n${big}\r\n:5\r\n`);
    for (const size of [1, 1000, 30000]) {
      assert.deepEqual(feed(input, () => size), [["a", big, 5]]);
    }
  });

  it("fails with ProtocolError when a large string lacks its CRLF, wherever the chunk ends", () => {
    const payload = enc.encode("z".repeat(20_000));
    for (const bad of ["\rX", "XX", "\n\r"]) {
      const input = wire(payload);
      const at = input.length - 6; // the CRLF after the payload
      input[at] = bad.charCodeAt(0);
      input[at + 1] = bad.charCodeAt(1);
      for (const size of [1, 2, 3, 4096, at + 1]) {
        assert.throws(() => feed(input, () => size), ProtocolError, `${bad}, ${size} B chunks`);
      }
    }
  });
});
