/**
 * Workloads for the RESP codec benchmarks, shared by `codec_bench.ts`
 * (`deno bench`) and `codec.ts` (the Deno + Bun timing harness).
 *
 * Every wire input and every command list is built once, when this module is
 * loaded, so a timed run does only decoding or encoding. Each case records how
 * many bytes one run processes and how many replies (decode) or commands
 * (encode) that is, so results can be reported as MB/s and ops/s.
 *
 * A case is instantiated with `setup()`, which makes its own decoder or
 * encoder, does one checked run (throwing if the reply count or byte count is
 * not what the case claims) and returns the function to time.
 *
 * @module
 */

import { type BulkMode, BYTES, ReplyDecoder, type ReplySink, TEXT } from "../src/resp/decode.ts";
import { CommandEncoder } from "../src/resp/encode.ts";
import type { Command, RedisReply } from "../src/resp/types.ts";

/** One benchmark workload. */
export interface CodecCase {
  /** Short, unique, stable name (used in tables, JSON and `--filter`). */
  name: string;
  /** `decode` or `encode`. */
  group: "decode" | "encode";
  /** Wire bytes one run consumes (decode) or produces (encode). */
  bytes: number;
  /** Top-level replies (decode) or commands (encode) one run handles. */
  ops: number;
  /** What `ops` counts. */
  unit: "reply" | "command";
  /**
   * True for a reference that does not use the codec (a floor or a naive
   * implementation of the same job), shown for comparison.
   */
  reference?: boolean;
  /** Builds the state for the case, checks one run, and returns one run. */
  setup(): () => number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

const utf8 = new TextEncoder();
const ascii = (s: string): Uint8Array => utf8.encode(s);

/** Deterministic printable ASCII, so every run of the benchmark sees the same bytes. */
function asciiText(length: number, seed = 1): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  let x = seed >>> 0;
  let s = "";
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    s += alphabet[x >>> 26];
  }
  return s;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `$<n>\r\n<payload>\r\n` */
function bulk(payload: Uint8Array): Uint8Array {
  return concat([ascii(`$${payload.length}\r\n`), payload, ascii("\r\n")]);
}

/** Views of `wire`, `size` bytes each (the last one shorter). */
function split(wire: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < wire.length; at += size) chunks.push(wire.subarray(at, at + size));
  return chunks;
}

// ---------------------------------------------------------------------------
// Wire inputs (decode)
// ---------------------------------------------------------------------------

/** `+OK\r\n` ×1000 in one chunk. */
export const okWire: Uint8Array = ascii("+OK\r\n".repeat(1000));
/** `:12345\r\n` ×1000 in one chunk. */
export const intWire: Uint8Array = ascii(":12345\r\n".repeat(1000));
/**
 * The same integers in 1500-byte chunks (about one TCP segment): 187.5 replies
 * a chunk, so most chunks end inside a reply and the decoder has to carry the
 * unfinished line over to the next feed.
 */
export const intChunks: Uint8Array[] = split(intWire, 1500);
/** 1000 bulk strings of 100 ASCII bytes each, in one chunk. */
export const bulk100Wire: Uint8Array = concat(
  Array.from({ length: 1000 }, (_, i) => bulk(ascii(asciiText(100, i + 1)))),
);
/** The payload of the 1 MiB bulk: ASCII, so string decoding takes the fast path. */
export const payload1M: Uint8Array = ascii(asciiText(MiB, 7));
/** One bulk string of 1 MiB. */
export const bulk1MWire: Uint8Array = bulk(payload1M);
/** The same 1 MiB bulk, as 64 KiB chunks (what a socket read loop would hand over). */
export const bulk1MChunks: Uint8Array[] = split(bulk1MWire, 64 * KiB);
/** 1 MiB of 1- to 4-byte UTF-8 characters, in 64 KiB chunks: sequences split at chunk ends. */
export const utf81MChunks: Uint8Array[] = split(
  bulk(new TextEncoder().encode("aé€😀日本ß".repeat(MiB / 20)).subarray(0, MiB)),
  64 * KiB,
);
/** `*1000` of bulk strings of 10 bytes. */
export const array1000Wire: Uint8Array = concat([
  ascii("*1000\r\n"),
  ...Array.from({ length: 1000 }, (_, i) => bulk(ascii(asciiText(10, i + 1)))),
]);
/** RESP3 `%100` map: `field:NNN` bulk keys to 16-byte bulk values (HGETALL under HELLO 3). */
export const map100Wire: Uint8Array = concat([
  ascii("%100\r\n"),
  ...Array.from({ length: 100 }, (_, i) =>
    concat([
      bulk(ascii(`field:${String(i).padStart(3, "0")}`)),
      bulk(ascii(asciiText(16, i + 1))),
    ])),
]);

// ---------------------------------------------------------------------------
// Commands (encode)
// ---------------------------------------------------------------------------

/** `GET key:123` ×1000. */
export const getCommands: Command[] = Array.from({ length: 1000 }, () => ["GET", "key:123"]);
/** `SET key:123 <100 ASCII bytes>` ×1000. */
export const set100Commands: Command[] = Array.from(
  { length: 1000 },
  () => ["SET", "key:123", asciiText(100, 3)],
);
/** The 1 MiB value, as bytes. */
export const value1M: Uint8Array = ascii(asciiText(MiB, 11));
/** `SET k <1 MiB Uint8Array>` once. */
export const set1MCommands: Command[] = [["SET", "k", value1M]];
/** Non-ASCII key and value (Latin-1 accents, CJK, an astral emoji): 100 UTF-16 units. */
export const nonAsciiValue: string = "Zoë Ångström — 東京 ✓ 🚀 ".repeat(5).slice(0, 100);
/** `SET clé:😀:123 <nonAsciiValue>` ×1000. */
export const setNonAsciiCommands: Command[] = Array.from(
  { length: 1000 },
  () => ["SET", "clé:😀:123", nonAsciiValue],
);

// ---------------------------------------------------------------------------
// Case builders
// ---------------------------------------------------------------------------

/** Counts replies; keeps the last one so nothing can be optimised away. */
class CountingSink implements ReplySink {
  count = 0;
  last: RedisReply = null;
  readonly bytes: boolean;
  constructor(bytes: boolean) {
    this.bytes = bytes;
  }
  wantsBytes(): BulkMode {
    return this.bytes ? BYTES : TEXT;
  }
  reply(value: RedisReply): void {
    this.count++;
    this.last = value;
  }
  push(value: RedisReply[]): void {
    this.count++;
    this.last = value;
  }
}

/** A size-independent token of a decoded value, returned by a run. */
function weight(value: RedisReply): number {
  // Reading a character flattens a string the decoder joined from pieces, as a caller's use would.
  if (typeof value === "string") return value.length + (value.charCodeAt(value.length >> 1) & 1);
  if (value instanceof Uint8Array) return value.length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  return 1;
}

function decodeCase(
  name: string,
  chunks: Uint8Array[],
  replies: number,
  options: { bytes?: boolean; check?: (last: RedisReply) => boolean } = {},
): CodecCase {
  let size = 0;
  for (const c of chunks) size += c.length;
  return {
    name,
    group: "decode",
    bytes: size,
    ops: replies,
    unit: "reply",
    setup() {
      const sink = new CountingSink(options.bytes === true);
      const decoder = new ReplyDecoder(sink);
      const run = (): number => {
        sink.count = 0;
        for (let i = 0; i < chunks.length; i++) decoder.feed(chunks[i]);
        return sink.count + weight(sink.last);
      };
      run();
      if (sink.count !== replies || decoder.busy) {
        throw new Error(`${name}: expected ${replies} replies, got ${sink.count}`);
      }
      if (options.check !== undefined && !options.check(sink.last)) {
        throw new Error(`${name}: unexpected last reply`);
      }
      return run;
    },
  };
}

function encodeCase(name: string, commands: Command[]): CodecCase {
  const probe = new CommandEncoder();
  for (const c of commands) probe.encode(c);
  const size = probe.length;
  return {
    name,
    group: "encode",
    bytes: size,
    ops: commands.length,
    unit: "command",
    setup() {
      const encoder = new CommandEncoder();
      const run = (): number => {
        for (let i = 0; i < commands.length; i++) encoder.encode(commands[i]);
        return encoder.take().length;
      };
      const got = run();
      if (got !== size) throw new Error(`${name}: expected ${size} bytes, got ${got}`);
      return run;
    },
  };
}

const isString = (length: number) => (v: RedisReply) =>
  typeof v === "string" && v.length === length;
const isBytes = (length: number) => (v: RedisReply) =>
  v instanceof Uint8Array && v.length === length;

/** Codec cases: decode. The first is the cheapest per reply (see `codec_bench.ts`). */
/**
 * On Bun, socket chunks are Node-style `Buffer`s, and the decoder takes a
 * faster string path for them (`utf8Slice`): the same inputs as Buffers.
 */
function bunBufferCases(): CodecCase[] {
  const NodeBuffer = (globalThis as {
    Buffer?: { from(data: ArrayBuffer, offset: number, length: number): Uint8Array };
  }).Buffer;
  if (typeof (globalThis as { Bun?: unknown }).Bun !== "object" || NodeBuffer === undefined) {
    return [];
  }
  const asBuffer = (u: Uint8Array) => NodeBuffer.from(u.slice().buffer as ArrayBuffer, 0, u.length);
  return [
    decodeCase("decode bulk100 x1000 (string), Buffer chunks", [asBuffer(bulk100Wire)], 1000, {
      check: isString(100),
    }),
    decodeCase(
      "decode bulk 1MiB in 64KiB chunks (string), Buffer chunks",
      bulk1MChunks.map(asBuffer),
      1,
      {
        check: isString(MiB),
      },
    ),
    decodeCase(
      "decode bulk 1MiB UTF-8 in 64KiB chunks (string), Buffer chunks",
      utf81MChunks.map(asBuffer),
      1,
      {
        check: (v) => typeof v === "string" && v.length > 0,
      },
    ),
    decodeCase("decode array of 1000 bulk10, Buffer chunks", [asBuffer(array1000Wire)], 1, {
      check: (v) => Array.isArray(v) && v.length === 1000 && isString(10)(v[999]),
    }),
  ];
}

export const decodeCases: CodecCase[] = [
  decodeCase("decode +OK x1000", [okWire], 1000, { check: (v) => v === "OK" }),
  decodeCase("decode :12345 x1000", [intWire], 1000, { check: (v) => v === 12345 }),
  decodeCase("decode :12345 x1000 in 1500B chunks", intChunks, 1000, {
    check: (v) => v === 12345,
  }),
  decodeCase("decode bulk100 x1000 (string)", [bulk100Wire], 1000, { check: isString(100) }),
  decodeCase("decode bulk100 x1000 (bytes)", [bulk100Wire], 1000, {
    bytes: true,
    check: isBytes(100),
  }),
  decodeCase("decode bulk 1MiB (string)", [bulk1MWire], 1, { check: isString(MiB) }),
  decodeCase("decode bulk 1MiB (bytes)", [bulk1MWire], 1, { bytes: true, check: isBytes(MiB) }),
  decodeCase("decode bulk 1MiB in 64KiB chunks (string)", bulk1MChunks, 1, {
    check: isString(MiB),
  }),
  decodeCase("decode bulk 1MiB UTF-8 in 64KiB chunks (string)", utf81MChunks, 1, {
    check: (v) => typeof v === "string" && v.length > 0,
  }),
  decodeCase("decode bulk 1MiB in 64KiB chunks (bytes)", bulk1MChunks, 1, {
    bytes: true,
    check: isBytes(MiB),
  }),
  decodeCase("decode array of 1000 bulk10", [array1000Wire], 1, {
    check: (v) => Array.isArray(v) && v.length === 1000 && isString(10)(v[999]),
  }),
  ...bunBufferCases(),
  decodeCase("decode RESP3 map of 100 pairs", [map100Wire], 1, {
    check: (v) => v instanceof Map && v.size === 100 && isString(16)(v.get("field:099") ?? null),
  }),
];

/** Codec cases: encode. The first is the cheapest per command (see `codec_bench.ts`). */
export const encodeCases: CodecCase[] = [
  encodeCase("encode GET key:123 x1000", getCommands),
  encodeCase("encode SET key:123 <100B string> x1000", set100Commands),
  encodeCase("encode SET k <1MiB Uint8Array>", set1MCommands),
  encodeCase("encode SET <non-ASCII key and 100-char value> x1000", setNonAsciiCommands),
];

// ---------------------------------------------------------------------------
// References: the same job without the codec, to read the codec numbers against
// ---------------------------------------------------------------------------

const sharedDecoder = new TextDecoder();

/** References, one per group at least. Not part of the codec; marked `reference`. */
export const referenceCases: CodecCase[] = [
  {
    // A naive RESP reader for simple strings: decode all to text and split
    // lines. What the +OK case would cost without a byte-level parser.
    name: "ref: TextDecoder+split +OK x1000",
    group: "decode",
    bytes: okWire.length,
    ops: 1000,
    unit: "reply",
    reference: true,
    setup() {
      const run = (): number => {
        const lines = sharedDecoder.decode(okWire).split("\r\n");
        let n = 0;
        for (let i = 0; i < lines.length; i++) if (lines[i].charCodeAt(0) === 43) n++;
        return n;
      };
      if (run() !== 1000) throw new Error("naive +OK reference miscounted");
      return run;
    },
  },
  {
    // The floor for "decode bulk 1MiB (string)": the decoder ends in this call.
    name: "ref: TextDecoder.decode 1MiB",
    group: "decode",
    bytes: payload1M.length,
    ops: 1,
    unit: "reply",
    reference: true,
    setup() {
      return () => sharedDecoder.decode(payload1M).length;
    },
  },
  {
    // The floor for the 1 MiB bytes cases (decode copies the payload out of the
    // chunk once) and for encoding a 1 MiB Uint8Array (copied into the buffer).
    name: "ref: copy 1MiB into a new Uint8Array",
    group: "decode",
    bytes: payload1M.length,
    ops: 1,
    unit: "reply",
    reference: true,
    setup() {
      return () => {
        const out = new Uint8Array(payload1M.length);
        out.set(payload1M);
        return out.length;
      };
    },
  },
  {
    // A naive encoder: build the RESP text with string concatenation and encode
    // it once. Exact for ASCII arguments only, which GET key:123 is.
    name: "ref: string concat+TextEncoder GET x1000",
    group: "encode",
    bytes: encodeCases[0].bytes,
    ops: getCommands.length,
    unit: "command",
    reference: true,
    setup() {
      const run = (): number => {
        let s = "";
        for (let i = 0; i < getCommands.length; i++) {
          const command = getCommands[i];
          s += `*${command.length}\r\n`;
          for (let j = 0; j < command.length; j++) {
            const arg = String(command[j]);
            s += `$${arg.length}\r\n${arg}\r\n`;
          }
        }
        return utf8.encode(s).length;
      };
      const got = run();
      if (got !== encodeCases[0].bytes) throw new Error("naive GET reference size mismatch");
      return run;
    },
  },
];

/** Every case, in display order: decode cases, decode references, encode, encode references. */
export const allCases: CodecCase[] = [
  ...decodeCases,
  ...referenceCases.filter((c) => c.group === "decode"),
  ...encodeCases,
  ...referenceCases.filter((c) => c.group === "encode"),
];
