import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { ReplySizes } from "../../src/client/reply_sizes.ts";
import { ReplyDecoder, TEXT } from "../../src/resp/decode.ts";

/** Replies and pushes of every kind, each with the exact bytes it takes on the wire. */
const FRAMES = [
  "+OK\r\n",
  ":-42\r\n",
  "$5\r\nhello\r\n",
  "$-1\r\n",
  "*-1\r\n",
  "_\r\n",
  "-ERR a-b wrong 12\r\n",
  "*3\r\n$1\r\na\r\n:1\r\n*1\r\n#t\r\n",
  ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
  "%1\r\n$1\r\nf\r\n,-1.5\r\n",
  "|1\r\n+key\r\n:7\r\n$3\r\nbar\r\n", // an attribute counts with the reply it precedes
  "*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n", // and one inside an aggregate is no element of it
  "|0\r\n~2\r\n+x\r\n(123\r\n",
  "=15\r\ntxt:Some string\r\n",
  "!10\r\nSYNTAX bad\r\n",
  `$300\r\n${"x\r\n".repeat(100)}\r\n`,
  ">0\r\n",
  "*0\r\n",
  "%0\r\n",
];

const wire = new TextEncoder().encode(FRAMES.join(""));
const sizes = FRAMES.map((frame) => new TextEncoder().encode(frame).length);

/** Scans `chunks`; returns the sizes taken each time the decoder completes a reply or push. */
function sizesAtEachReply(chunks: Uint8Array[]): number[] {
  const scanner = new ReplySizes();
  const seen: number[] = [];
  const decoder = new ReplyDecoder({
    wantsBytes: () => TEXT,
    reply: () => void seen.push(scanner.take()),
    push: () => void seen.push(scanner.take()),
  });
  for (const chunk of chunks) {
    scanner.scan(chunk); // as the connection does: framing first, then the decoder
    decoder.feed(chunk);
  }
  return seen;
}

describe("ReplySizes", () => {
  it("gives each reply's size when the stream comes whole", () => {
    assert.deepEqual(sizesAtEachReply([wire]), sizes);
  });

  it("gives each reply's size when the stream comes one byte at a time", () => {
    assert.deepEqual(sizesAtEachReply(Array.from(wire, (_, i) => wire.subarray(i, i + 1))), sizes);
  });

  it("gives each reply's size for chunks of every size up to 64", () => {
    for (let size = 2; size <= 64; size++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.subarray(i, i + size));
      assert.deepEqual(sizesAtEachReply(chunks), sizes, `chunks of ${size} bytes`);
    }
  });

  it("gives 0 when asked for more than it has seen", () => {
    assert.equal(new ReplySizes().take(), 0);
  });
});
