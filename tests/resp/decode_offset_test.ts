import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { ReplyDecoder, TEXT } from "../../src/resp/decode.ts";

/** Replies and pushes of every kind, each with the exact bytes it takes on the wire. */
const FRAMES = [
  "+OK\r\n",
  ":42\r\n",
  "$5\r\nhello\r\n",
  "$-1\r\n",
  "_\r\n",
  "*3\r\n$1\r\na\r\n:1\r\n*1\r\n#t\r\n",
  ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
  "%1\r\n$1\r\nf\r\n,1.5\r\n",
  "|1\r\n+key\r\n:7\r\n$3\r\nbar\r\n", // an attribute counts with the reply it precedes
  "-ERR wrong\r\n",
  `$300\r\n${"x".repeat(300)}\r\n`,
  ">0\r\n",
  "*0\r\n",
];

/** Feeds `chunks`; returns the decoder's offset at every reply and push. */
function offsets(chunks: Uint8Array[]): number[] {
  const seen: number[] = [];
  const decoder: ReplyDecoder = new ReplyDecoder({
    wantsBytes: () => TEXT,
    reply: () => void seen.push(decoder.offset),
    push: () => void seen.push(decoder.offset),
  });
  for (const chunk of chunks) decoder.feed(chunk);
  return seen;
}

describe("ReplyDecoder.offset", () => {
  const wire = new TextEncoder().encode(FRAMES.join(""));
  const expected: number[] = [];
  let end = 0;
  for (const frame of FRAMES) expected.push(end += frame.length);

  it("ends at each reply's last byte when the stream comes whole", () => {
    assert.deepEqual(offsets([wire]), expected);
  });

  it("ends at each reply's last byte when the stream comes one byte at a time", () => {
    const bytes = Array.from(wire, (_, i) => wire.subarray(i, i + 1));
    assert.deepEqual(offsets(bytes), expected);
  });

  it("ends at each reply's last byte for chunks of every size up to 40", () => {
    for (let size = 2; size <= 40; size++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.subarray(i, i + size));
      assert.deepEqual(offsets(chunks), expected, `chunks of ${size} bytes`);
    }
  });
});
