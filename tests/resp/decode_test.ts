import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { describe, it } from "../support/test.ts";
import { AUTO, type BulkMode, BYTES, ReplyDecoder, TEXT } from "../../src/resp/decode.ts";
import type { DecoderLimits } from "../../src/resp/types.ts";
import { ProtocolError } from "../../src/errors.ts";
import { type Event, malformed, plain, replyCases as cases } from "./cases.ts";

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

function decoder(
  events: Event[],
  options: { bytes?: boolean; mode?: BulkMode; limits?: DecoderLimits } = {},
) {
  return new ReplyDecoder({
    wantsBytes: () => options.mode ?? (options.bytes ? BYTES : TEXT),
    reply: (value) => events.push({ reply: plain(value) }),
    push: (value) => events.push({ push: plain(value) }),
  }, options.limits);
}

/** Decodes `input` fed as the given chunks. */
function decodeChunks(
  chunks: Uint8Array[],
  options?: { bytes?: boolean; mode?: BulkMode },
): Event[] {
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

  it("in auto mode, returns bulks that start with NUL as bytes and the rest as text", () => {
    const wire = new Uint8Array([
      ...bytes("*3\r\n$3\r\nabc\r\n$3\r\n"),
      0,
      1,
      2,
      ...bytes("\r\n$0\r\n\r\n"),
    ]);
    for (let k = 1; k < wire.length; k++) {
      const [event] = decodeChunks([wire.subarray(0, k), wire.subarray(k)], { mode: AUTO }) as {
        reply: unknown[];
      }[];
      assert.deepEqual(event.reply, ["abc", new Uint8Array([0, 1, 2]), ""]);
    }
  });

  it("assembles a 100 MiB bulk fed in 64 KiB chunks", () => {
    const size = 100 * 1024 * 1024;
    const header = bytes(`$${size}\r\n`);
    const events: Event[] = [];
    const d = new ReplyDecoder({
      wantsBytes: () => BYTES,
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
  /** Feeds `chunks` in turn; a ProtocolError must come by the last one, and stay. */
  function rejects(chunks: Uint8Array[], limits: DecoderLimits | undefined, label: string) {
    const d = decoder([], { limits });
    let thrown: unknown;
    for (const chunk of chunks) {
      try {
        d.feed(chunk);
      } catch (error) {
        thrown = error;
        break;
      }
    }
    assert.ok(thrown instanceof ProtocolError, `${label}: ${thrown ?? "no error"}`);
    assert.throws(() => d.feed(bytes("+OK\r\n")), ProtocolError, `${label}: failed stays failed`);
  }

  for (const [name, wire, limits] of malformed) {
    it(`rejects ${name} with ProtocolError, whole, split anywhere and byte by byte`, () => {
      const input = bytes(wire);
      rejects([input], limits, "whole");
      for (let k = 1; k < input.length; k++) {
        rejects([input.subarray(0, k), input.subarray(k)], limits, `split at ${k}`);
      }
      rejects(Array.from(input, (_, i) => input.subarray(i, i + 1)), limits, "byte by byte");
    });
  }

  it("rejects a byte that starts no RESP type as soon as it arrives, without waiting for CRLF", () => {
    for (let byte = 0; byte < 256; byte++) {
      const type = String.fromCharCode(byte);
      const valid = "+-:$*_,#!=(%~|>".includes(type);
      const d = decoder([]);
      if (valid) {
        d.feed(new Uint8Array([byte])); // a valid type byte waits for its line
        assert.equal(d.busy, true, `type byte ${byte}`);
      } else {
        assert.throws(
          () => d.feed(new Uint8Array([byte])),
          (error: unknown) =>
            error instanceof ProtocolError && /unknown reply type byte/.test(error.message),
          `byte ${byte}`,
        );
      }
    }
    // Also when the byte follows complete replies in the same chunk.
    const events: Event[] = [];
    const d = decoder(events);
    assert.throws(() => d.feed(bytes("+OK\r\n:1\r\n\u0016")), ProtocolError);
    assert.deepEqual(events, [{ reply: "OK" }, { reply: 1 }]);
  });

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
