import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { CommandEncoder, encodeCommand } from "../../src/resp/encode.ts";
import { BYTES, ReplyDecoder } from "../../src/resp/decode.ts";
import type { Command, RedisReply } from "../../src/resp/types.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Decodes encoded commands back into arrays of byte strings. */
function decodeCommands(wire: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  new ReplyDecoder({
    wantsBytes: () => BYTES,
    reply: (v: RedisReply) => out.push(v as Uint8Array[]),
    push: () => {},
  }).feed(wire);
  return out;
}

describe("CommandEncoder", () => {
  it("encodes a command as an array of bulk strings", () => {
    assert.equal(
      text(encodeCommand(["SET", "key", "value"])),
      "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
    );
  });

  it("encodes numbers, bigints, infinities and the empty string", () => {
    assert.equal(
      text(encodeCommand(["X", 42, -1.5, 12345678901234567890n, Infinity, -Infinity, ""])),
      "*7\r\n$1\r\nX\r\n$2\r\n42\r\n$4\r\n-1.5\r\n$20\r\n12345678901234567890\r\n$4\r\n+inf\r\n$4\r\n-inf\r\n$0\r\n\r\n",
    );
  });

  it("encodes UTF-8 with byte lengths, short and long", () => {
    const samples = [
      "é",
      "h\u00e9\u20ac\ud83d\ude00",
      "é".repeat(40),
      "€".repeat(400),
      "a".repeat(255) + "é",
      "x".repeat(5000),
    ];
    for (const s of samples) {
      const [args] = decodeCommands(encodeCommand(["ECHO", s]));
      assert.equal(text(args[1]), s);
      assert.equal(args[1].length, new TextEncoder().encode(s).length);
    }
  });

  it("sends a key full of CRLFs as one opaque argument", () => {
    const key = "a\r\n*1\r\n$4\r\nPING\r\n";
    const [args] = decodeCommands(encodeCommand(["GET", key]));
    assert.equal(args.length, 2);
    assert.equal(text(args[1]), key);
  });

  it("encodes bytes unchanged, all 256 values", () => {
    const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
    const [args] = decodeCommands(encodeCommand(["SET", "k", payload]));
    assert.deepEqual(args[2], payload);
  });

  it("rejects a bad argument with a TypeError naming it, and appends nothing", () => {
    const encoder = new CommandEncoder();
    encoder.encode(["PING"]);
    const before = encoder.length;
    for (const bad of [undefined, null, {}, true, NaN]) {
      assert.throws(() => encoder.encode(["SET", "k", bad as unknown as string]), (e: Error) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, /argument 2 of SET/);
        return true;
      });
      assert.equal(encoder.length, before);
    }
    assert.equal(text(encoder.take()), "*1\r\n$4\r\nPING\r\n");
  });

  it("grows for large commands and keeps earlier ones intact", () => {
    const encoder = new CommandEncoder();
    const commands: Command[] = [];
    for (let i = 0; i < 2000; i++) commands.push(["SET", `key:${i}`, "v".repeat(i)]);
    for (const c of commands) encoder.encode(c);
    const decoded = decodeCommands(encoder.take());
    assert.equal(decoded.length, 2000);
    assert.equal(text(decoded[1999][2]), "v".repeat(1999));
  });

  it("alternates buffers so a taken chunk survives the next batch of encodes", () => {
    const encoder = new CommandEncoder();
    encoder.encode(["GET", "first"]);
    const first = encoder.take();
    const copy = first.slice();
    encoder.encode(["GET", "second-command-overwrites-nothing"]);
    assert.deepEqual(first, copy);
    const second = encoder.take();
    assert.equal(text(second), "*2\r\n$3\r\nGET\r\n$33\r\nsecond-command-overwrites-nothing\r\n");
  });
});
