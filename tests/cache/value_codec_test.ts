import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { SerializationError } from "../../src/errors.ts";
import type { Compressor } from "../../src/cache/compressors/compressor.ts";
import { resolveCompressor } from "../../src/cache/compressors/resolve.ts";
import { jsonSerializer } from "../../src/cache/serializers/json.ts";
import { msgpackSerializer } from "../../src/cache/serializers/msgpack.ts";
import { rawSerializer } from "../../src/cache/serializers/raw.ts";
import type { Serializer } from "../../src/cache/serializers/serializer.ts";
import { decodeValue, encodeValue } from "../../src/cache/value_codec.ts";
import { mulberry32 } from "../support/random.ts";

const SECRET = "hunter2-secret";
const gzip = resolveCompressor("gzip")!;
const zlib = resolveCompressor("zlib")!;
const utf8 = new TextEncoder();

type Setup = { serializer: Serializer; compressor?: Compressor; compressMinBytes?: number };

function encode(value: unknown, setup: Setup, key = "k"): string | Uint8Array {
  return encodeValue(value, { compressMinBytes: 1_024, ...setup, key });
}

function decode(stored: string | Uint8Array, setup: Setup, key = "k"): unknown {
  return decodeValue(stored, { serializer: setup.serializer, compressor: setup.compressor, key });
}

function roundTrip(value: unknown, setup: Setup): unknown {
  return decode(encode(value, setup), setup);
}

/** Asserts a SerializationError whose message matches and never shows SECRET. */
function throwsClean(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SerializationError, `got ${error}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(SECRET), `the value leaked: ${error.message}`);
    return true;
  });
}

const header = (stored: string | Uint8Array): number[] =>
  typeof stored === "string" ? [] : [...stored.subarray(0, 3)];

describe("encodeValue / decodeValue: integers", () => {
  it("stores safe integers as plain decimal text for json and msgpack", () => {
    for (const serializer of [jsonSerializer, msgpackSerializer]) {
      const setup = { serializer, compressor: gzip, compressMinBytes: 0 };
      assert.equal(encode(42, setup), "42");
      assert.equal(encode(-7, setup), "-7");
      assert.equal(encode(Number.MAX_SAFE_INTEGER, setup), "9007199254740991");
      assert.equal(encode(Number.MIN_SAFE_INTEGER, setup), "-9007199254740991");
      assert.equal(encode(-0, setup), "0");
      assert.equal(decode("42", setup), 42);
      assert.equal(decode("-9007199254740991", setup), Number.MIN_SAFE_INTEGER);
      assert.equal(decode(utf8.encode("123"), setup), 123, "bytes too");
      assert.ok(Object.is(decode("-0", setup), 0), "-0 reads as 0");
    }
  });

  it("reads integers written by other clients", () => {
    assert.equal(decode("007", { serializer: msgpackSerializer }), 7);
    assert.equal(decode("1234567890123456", { serializer: jsonSerializer }), 1234567890123456);
  });

  it("does not treat non-integers or unsafe integers as integer text", () => {
    const setup = { serializer: jsonSerializer };
    assert.equal(encode(1.5, setup), "1.5");
    assert.equal(decode("1.5", setup), 1.5);
    assert.equal(encode(2 ** 53, setup), "9007199254740992");
    assert.equal(decode("-", { serializer: rawSerializer }), "-");
    throwsClean(() => decode("-", setup), /Cannot deserialize the value of "k": invalid JSON/);
    throwsClean(() => decode("12a", setup), /invalid JSON/);
  });

  it("leaves numbers to the raw serializer, which refuses them", () => {
    throwsClean(
      () => encode(42, { serializer: rawSerializer }),
      /^Cannot serialize the value of "k": raw stores only strings and Uint8Array, not a number$/,
    );
    assert.equal(decode("42", { serializer: rawSerializer }), "42");
    assert.equal(decode(utf8.encode("42"), { serializer: rawSerializer }), "42");
  });

  it("escapes a custom payload that looks like an integer, so it reads back exactly", () => {
    const asText: Serializer = {
      name: "text",
      text: true,
      serialize: (value) => String(value),
      deserialize: (data) => data,
    };
    const stored = encode("42", { serializer: asText });
    assert.deepEqual(header(stored), [0x00, 0xc3, 0x00]);
    assert.equal(decode(stored, { serializer: asText }), "42");
    assert.equal(encode("x42", { serializer: asText }), "x42");
  });
});

describe("encodeValue / decodeValue: round trips", () => {
  it("round-trips json values as text", () => {
    const setup = { serializer: jsonSerializer };
    const value = { name: "Ada", tags: ["a", "b"], n: 1.25, none: null };
    const stored = encode(value, setup);
    assert.equal(stored, JSON.stringify(value));
    assert.deepEqual(decode(stored, setup), value);
    for (const scalar of ["", "text", "42", true, null, [], 1e300]) {
      assert.deepEqual(roundTrip(scalar, setup), scalar);
    }
  });

  it("round-trips msgpack values as bytes", () => {
    const setup = { serializer: msgpackSerializer };
    const value = { at: new Date(5), ids: new Set([1n, 2n]), index: new Map([["a", [1]]]) };
    const stored = encode(value, setup);
    assert.ok(stored instanceof Uint8Array);
    assert.deepStrictEqual(decode(stored, setup), value);
    assert.equal(roundTrip(1.5, setup), 1.5);
    assert.equal(roundTrip("", setup), "");
  });

  it("round-trips raw strings and bytes", () => {
    const setup = { serializer: rawSerializer };
    assert.equal(encode("hello", setup), "hello");
    assert.equal(roundTrip("hello", setup), "hello");
    const binary = new Uint8Array([0xff, 0x00, 0x10]);
    assert.equal(encode(binary, setup), binary);
    assert.deepEqual(roundTrip(binary, setup), binary);
  });

  it("gives a text serializer strings and a bytes serializer bytes", () => {
    const seen: string[] = [];
    const spy = (text: boolean): Serializer => ({
      name: "spy",
      text,
      serialize: () => "x",
      deserialize: (data) => seen.push(typeof data === "string" ? "string" : "bytes"),
    });
    decode("x", { serializer: spy(true) });
    decode(utf8.encode("x"), { serializer: spy(true) });
    decode("x", { serializer: spy(false) });
    decode(utf8.encode("x"), { serializer: spy(false) });
    assert.deepEqual(seen, ["string", "string", "bytes", "bytes"]);
  });
});

describe("encodeValue / decodeValue: NUL escape", () => {
  it("escapes raw bytes that start with 0x00", () => {
    const setup = { serializer: rawSerializer };
    const value = new Uint8Array([0x00, 0xc3, 0x01, 0xff]);
    const stored = encode(value, setup) as Uint8Array;
    assert.deepEqual([...stored], [0x00, 0xc3, 0x00, 0x00, 0xc3, 0x01, 0xff]);
    assert.deepEqual(decode(stored, setup), value);
  });

  it("escapes strings that start with NUL, as bytes", () => {
    const setup = { serializer: rawSerializer };
    const stored = encode("\0hello", setup);
    assert.ok(stored instanceof Uint8Array);
    assert.deepEqual(header(stored), [0x00, 0xc3, 0x00]);
    assert.equal(decode(stored, setup), "\0hello");
    const json = { serializer: { ...jsonSerializer, serialize: () => "\0" } as Serializer };
    assert.ok(encode(1.5, json) instanceof Uint8Array);
  });

  it("leaves bytes that start with 0x00 but no header to the serializer", () => {
    assert.deepEqual(decode(new Uint8Array([0x00, 0x01]), { serializer: rawSerializer }), "\0\x01");
  });

  it("rejects a truncated header", () => {
    throwsClean(
      () => decode(new Uint8Array([0x00, 0xc3]), { serializer: rawSerializer }, "short"),
      /^Cannot decode the value of "short": its header is truncated$/,
    );
  });
});

describe("encodeValue / decodeValue: compression", () => {
  const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, label: "item" })) };
  const bigText = JSON.stringify(big);

  it("compresses only at or above compressMinBytes", () => {
    const length = utf8.encode(bigText).length;
    const at = encode(big, {
      serializer: jsonSerializer,
      compressor: gzip,
      compressMinBytes: length,
    });
    assert.deepEqual(header(at), [0x00, 0xc3, 1]);
    const below = encode(big, {
      serializer: jsonSerializer,
      compressor: gzip,
      compressMinBytes: length + 1,
    });
    assert.equal(below, bigText);
  });

  it("measures the threshold in UTF-8 bytes, not characters", () => {
    const text = "é".repeat(600); // 600 characters, 1200 bytes
    const stored = encode(text, {
      serializer: rawSerializer,
      compressor: zlib,
      compressMinBytes: 1_000,
    });
    assert.deepEqual(header(stored), [0x00, 0xc3, 2]);
    assert.equal(decode(stored, { serializer: rawSerializer }), text);
  });

  it("keeps the compressed form only when it is smaller", () => {
    // Seeded, so the bytes never start with 0x00 by chance (1 run in 256 did: such a payload is
    // framed with a header, rightly, and then is no longer the same array).
    const next = mulberry32(7);
    const random = Uint8Array.from({ length: 4_096 }, () => Math.floor(next() * 256));
    assert.notEqual(random[0], 0x00);
    const setup = { serializer: rawSerializer, compressor: gzip, compressMinBytes: 0 };
    assert.equal(encode(random, setup), random);
    assert.equal(encode("ab", setup), "ab");
  });

  it("reads gzip values with no compressor, and with zlib configured", () => {
    const stored = encode(big, { serializer: jsonSerializer, compressor: gzip });
    assert.deepEqual(header(stored), [0x00, 0xc3, 1]);
    assert.deepEqual(decode(stored, { serializer: jsonSerializer }), big);
    assert.deepEqual(decode(stored, { serializer: jsonSerializer, compressor: zlib }), big);
  });

  it("uses each built-in's id", () => {
    for (const [name, id] of [["gzip", 1], ["zlib", 2], ["deflate", 3]] as const) {
      const compressor = resolveCompressor({ name, level: 9 });
      const stored = encode(big, { serializer: msgpackSerializer, compressor });
      assert.deepEqual(header(stored), [0x00, 0xc3, id]);
      assert.deepEqual(decode(stored, { serializer: msgpackSerializer }), big);
    }
  });

  it("reads a custom compressor's values only while it is configured", () => {
    const xor: Compressor = {
      name: "half",
      id: 200,
      compress: (data) => data.subarray(0, Math.ceil(data.length / 2)).map((b) => b ^ 1),
      decompress: (data) => {
        const out = new Uint8Array(data.length * 2);
        out.set(data.map((b) => b ^ 1));
        out.set(data.map((b) => b ^ 1), data.length);
        return out;
      },
    };
    const value = "abcd".repeat(400);
    const stored = encode(value, {
      serializer: rawSerializer,
      compressor: xor,
      compressMinBytes: 0,
    });
    assert.deepEqual(header(stored), [0x00, 0xc3, 200]);
    assert.equal(decode(stored, { serializer: rawSerializer, compressor: xor }), value);
    throwsClean(
      () => decode(stored, { serializer: rawSerializer }, "user:1"),
      /^Cannot decode the value of "user:1": it was compressed with compressor id 200, but no compressor is configured$/,
    );
    throwsClean(
      () => decode(stored, { serializer: rawSerializer, compressor: { ...xor, id: 201 } }),
      /compressor id 200, but the configured compressor "half" has id 201$/,
    );
    throwsClean(
      () =>
        decode(new Uint8Array([0, 0xc3, 7, 1]), { serializer: rawSerializer, compressor: gzip }),
      /compressor id 7, but the configured compressor "gzip" has id 1$/,
    );
  });

  it("turns a corrupt compressed value into a SerializationError naming the key", () => {
    throwsClean(
      () => decode(new Uint8Array([0, 0xc3, 1, 9, 9, 9]), { serializer: jsonSerializer }, "page"),
      /^Cannot decompress the value of "page" with "gzip": /,
    );
  });

  it("turns compressor failures into SerializationErrors naming the key", () => {
    const broken: Compressor = {
      name: "broken",
      id: 16,
      compress: () => {
        throw new Error(SECRET);
      },
      decompress: () => "nope" as unknown as Uint8Array,
    };
    const setup = { serializer: rawSerializer, compressor: broken, compressMinBytes: 0 };
    throwsClean(
      () => encode(SECRET, setup, "c"),
      /^Cannot compress the value of "c" with "broken": the compressor threw an Error$/,
    );
    throwsClean(
      () => decode(new Uint8Array([0, 0xc3, 16, 1]), setup, "c"),
      /^Cannot decompress the value of "c": the "broken" compressor returned a string/,
    );
  });

  it("moves 50 MiB of bytes through gzip and back", () => {
    const size = 50 * 1024 * 1024;
    const value = new Uint8Array(size);
    for (let i = 0; i < size; i += 4_096) value[i] = (i >> 12) & 0xff;
    value[0] = 0x01;
    value[1] = 0xff; // not UTF-8, so raw reads it back as bytes
    const setup = { serializer: rawSerializer, compressor: gzip };
    const stored = encode(value, setup) as Uint8Array;
    assert.deepEqual(header(stored), [0x00, 0xc3, 1]);
    assert.ok(stored.length < size / 100);
    const back = decode(stored, setup) as Uint8Array;
    assert.ok(back instanceof Uint8Array);
    assert.equal(back.length, size);
    for (let i = 0; i < size; i += 4_096) assert.equal(back[i], value[i]);
    assert.ok(back.every((byte, i) => byte === value[i]));
  });
});

describe("encodeValue / decodeValue: errors", () => {
  it("names the key, never the value, when serialization fails", () => {
    const cycle: Record<string, unknown> = { secret: SECRET };
    cycle.self = cycle;
    throwsClean(
      () => encode(cycle, { serializer: jsonSerializer }, "user:1"),
      /^Cannot serialize the value of "user:1": JSON cannot represent a circular structure$/,
    );
    throwsClean(
      () => encode(() => SECRET, { serializer: jsonSerializer }, "user:1"),
      /^Cannot serialize the value of "user:1": JSON cannot represent a function$/,
    );
    throwsClean(
      () => encode({ f: Symbol(SECRET) }, { serializer: msgpackSerializer }, "m"),
      /^Cannot serialize the value of "m": MessagePack cannot represent a symbol$/,
    );
  });

  it("keeps the cause", () => {
    const broken = {
      toJSON() {
        throw new TypeError("broken");
      },
    };
    assert.throws(() => encode(broken, { serializer: jsonSerializer }), (error: Error) => {
      assert.ok(error.cause instanceof SerializationError);
      assert.ok((error.cause as Error).cause instanceof TypeError);
      return true;
    });
  });

  it("names the key, never the value, when deserialization fails", () => {
    throwsClean(
      () => decode(`{"a":"${SECRET}"`, { serializer: jsonSerializer }, "user:2"),
      /^Cannot deserialize the value of "user:2": invalid JSON$/,
    );
    throwsClean(
      () => decode(new Uint8Array([0xc1]), { serializer: msgpackSerializer }, "m"),
      /^Cannot deserialize the value of "m": invalid MessagePack data$/,
    );
    throwsClean(
      () => decode(new Uint8Array([0x22, 0xff, 0x22]), { serializer: jsonSerializer }, "bad-utf8"),
      /^Cannot deserialize the value of "bad-utf8": /,
    );
  });

  it("hides the messages of foreign errors from custom serializers", () => {
    const leaky: Serializer = {
      name: "leaky",
      text: true,
      serialize: (value) => {
        throw new RangeError(`cannot handle ${value}`);
      },
      deserialize: (data) => {
        throw new Error(`cannot handle ${data}`);
      },
    };
    throwsClean(
      () => encode(SECRET, { serializer: leaky }),
      /^Cannot serialize the value of "k": the "leaky" serializer threw a RangeError$/,
    );
    throwsClean(
      () => decode(SECRET, { serializer: leaky }),
      /^Cannot deserialize the value of "k": the "leaky" serializer threw an Error$/,
    );
  });

  it("rejects a custom serializer that returns neither a string nor bytes", () => {
    const wrong = { ...jsonSerializer, name: "wrong", serialize: () => 5 } as unknown as Serializer;
    throwsClean(
      () => encode({}, { serializer: wrong }),
      /the "wrong" serializer returned a number, not a string or Uint8Array$/,
    );
  });

  it("shows at most 40 characters of a long key", () => {
    const key = "k".repeat(100);
    assert.throws(() => decode("{", { serializer: jsonSerializer }, key), (error: Error) => {
      assert.ok(error.message.includes(`"${"k".repeat(40)}"…`));
      assert.ok(!error.message.includes("k".repeat(41)));
      return true;
    });
  });
});
