import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import type { Compressor, CompressorOption } from "../../src/cache/compressors/compressor.ts";
import { builtinDecompressor } from "../../src/cache/compressors/builtins.ts";
import { resolveCompressor } from "../../src/cache/compressors/resolve.ts";

const text = new TextEncoder().encode("redcache ".repeat(2_000));

const custom: Compressor = {
  name: "reverse",
  id: 16,
  compress: (data) => data.slice().reverse(),
  decompress: (data) => data.slice().reverse(),
};

describe("resolveCompressor", () => {
  it("returns undefined for none", () => {
    assert.equal(resolveCompressor(undefined), undefined);
    assert.equal(resolveCompressor("none"), undefined);
  });

  it("returns the built-ins with their fixed ids", () => {
    for (const [name, id] of [["gzip", 1], ["zlib", 2], ["deflate", 3]] as const) {
      const compressor = resolveCompressor(name)!;
      assert.equal(compressor.name, name);
      assert.equal(compressor.id, id);
      assert.equal(
        resolveCompressor({ name }),
        compressor,
        "the default level shares one instance",
      );
      assert.equal(builtinDecompressor(id)?.name, name);
    }
    assert.equal(builtinDecompressor(0), undefined);
    assert.equal(builtinDecompressor(4), undefined);
    assert.equal(builtinDecompressor(16), undefined);
  });

  it("round-trips every built-in at every level", () => {
    for (const name of ["gzip", "zlib", "deflate"] as const) {
      for (let level = 0; level <= 9; level++) {
        const compressor = resolveCompressor({ name, level })!;
        const compressed = compressor.compress(text);
        if (level > 0) assert.ok(compressed.length < text.length / 10, `${name} ${level}`);
        assert.deepEqual(compressor.decompress(compressed), text);
        // Any level is read by the built-in decompressor of its id.
        assert.deepEqual(builtinDecompressor(compressor.id)!.decompress(compressed), text);
      }
    }
  });

  it("writes the real formats", () => {
    const gzip = resolveCompressor("gzip")!.compress(text);
    assert.deepEqual([...gzip.subarray(0, 2)], [0x1f, 0x8b]);
    const zlib = resolveCompressor("zlib")!.compress(text);
    assert.equal(zlib[0] & 0x0f, 8); // CM = deflate
    assert.equal(((zlib[0] << 8) | zlib[1]) % 31, 0);
  });

  it("throws on corrupt input", () => {
    for (const name of ["gzip", "zlib", "deflate"] as const) {
      assert.throws(
        () => resolveCompressor(name)!.decompress(new Uint8Array([0xff, 0xff, 0xff])),
        /invalid/,
        name,
      );
    }
  });

  it("accepts a custom compressor with an id from 16 to 255", () => {
    assert.equal(resolveCompressor(custom), custom);
    assert.equal(resolveCompressor({ ...custom, id: 255 })?.id, 255);
  });

  it("rejects custom ids outside 16-255 or not integers", () => {
    for (const id of [0, 1, 3, 15, 256, 16.5, NaN, "16", undefined]) {
      const bad = { ...custom, id } as unknown as Compressor;
      assert.throws(() => resolveCompressor(bad), {
        name: "TypeError",
        message: /^Invalid compressor "reverse" id .*: expected an integer from 16 to 255/,
      });
    }
  });

  it("rejects custom compressors without both functions or a name", () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...custom, compress: undefined }, /compress must be a function/],
      [{ ...custom, decompress: 1 }, /decompress must be a function/],
      [{ ...custom, name: "" }, /name must be a non-empty string/],
    ];
    for (const [bad, pattern] of cases) {
      assert.throws(() => resolveCompressor(bad as unknown as Compressor), {
        name: "TypeError",
        message: pattern,
      });
    }
  });

  it("rejects unknown names, option keys and bad levels", () => {
    const typeErrors: Array<[unknown, RegExp]> = [
      ["brotli", /^Invalid compressor "brotli": expected "none", "gzip"/],
      [{ name: "brotli" }, /^Invalid compressor name "brotli"/],
      [{ name: "gzip", levle: 3 }, /^Invalid compressor option "levle"/],
      [{ name: "gzip", level: 1.5 }, /^Invalid compression level 1.5/],
      [{ name: "gzip", level: "9" }, /^Invalid compression level 9/],
      [null, /of type null/],
      [7, /of type number/],
    ];
    for (const [option, pattern] of typeErrors) {
      assert.throws(() => resolveCompressor(option as CompressorOption), {
        name: "TypeError",
        message: pattern,
      });
    }
    for (const level of [-1, 10]) {
      assert.throws(() => resolveCompressor({ name: "zlib", level }), {
        name: "RangeError",
        message: new RegExp(`^Invalid compression level ${level}: expected an integer from 0 to 9`),
      });
    }
  });
});
