/**
 * Lean imports: `new Cache()` knows by name only the built-ins that load no library, takes
 * MessagePack and the compressors as objects, and still reads values compressed by any
 * built-in; `createCache()` knows every name. Bundles (esbuild, as a worker would build them)
 * of `connect()` hold neither MessagePack nor fflate, and of `new Cache()` only fflate's
 * decompression.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "../support/test.ts";
import {
  Cache,
  type Compressor,
  createCache,
  createCompressor,
  jsonSerializer,
  msgpackSerializer,
  rawSerializer,
} from "../../mod.ts";

const ROOT = join(import.meta.dirname!, "..", "..");
const ESBUILD = join(ROOT, "node_modules", ".bin", "esbuild");
const long = "lean imports ".repeat(500);

describe("new Cache() without the libraries' names", () => {
  it("knows json and raw by name, and refuses msgpack and the compressors with a hint", async () => {
    await using json = new Cache({ url: "memory://lean", serializer: "json" });
    await json.set("k", { a: 1 });
    assert.deepEqual(await json.get("k"), { a: 1 });
    await using raw = new Cache({ url: "memory://lean", serializer: "raw", keyPrefix: "r" });
    await raw.set("k", "text");
    assert.equal(await raw.get("k"), "text");

    assert.throws(() => new Cache({ url: "memory://lean", serializer: "msgpack" }), {
      name: "TypeError",
      message: /^Serializer "msgpack" is not loaded: use createCache\(\).*msgpackSerializer/,
    });
    for (const compressor of ["gzip", "zlib", { name: "deflate", level: 9 }] as const) {
      assert.throws(() => new Cache({ url: "memory://lean", compressor }), {
        name: "TypeError",
        message:
          /^Compressor "(gzip|zlib|deflate)" is not loaded: use createCache\(\).*createCompressor/,
      });
    }
  });

  it("still checks the names and levels it cannot load", () => {
    assert.throws(() => new Cache({ compressor: "brotli" as "gzip" }), {
      name: "TypeError",
      message: /^Invalid compressor "brotli": expected "none", "gzip"/,
    });
    assert.throws(() => new Cache({ compressor: { name: "gzip", level: 12 } }), RangeError);
    assert.throws(() => new Cache({ serializer: "yaml" as "json" }), {
      name: "TypeError",
      message: /^Invalid serializer "yaml"/,
    });
  });

  it("takes msgpackSerializer and createCompressor() as objects", async () => {
    await using cache = new Cache({
      url: "memory://lean-objects",
      serializer: msgpackSerializer,
      compressor: createCompressor({ name: "zlib", level: 1 }),
      compressMinBytes: 0,
    });
    const value = { at: new Date(0), tags: new Set(["a"]), text: long };
    await cache.set("k", value);
    assert.deepEqual(await cache.get("k"), value);
  });

  it("reads values compressed by every built-in, with no compressor of its own", async () => {
    await using lean = new Cache({ url: "memory://lean-reads" });
    for (const name of ["gzip", "zlib", "deflate"] as const) {
      await using writer = createCache({ url: "memory://lean-reads", compressor: name });
      await writer.set(name, { text: long });
      assert.deepEqual(await lean.get(name), { text: long }, name);
    }
  });
});

describe("createCache() and the built-in objects", () => {
  it("knows every built-in by name, and the objects are the same built-ins", async () => {
    await using named = createCache({
      url: "memory://lean-named",
      serializer: "msgpack",
      compressor: { name: "gzip", level: 9 },
    });
    await named.set("k", { text: long, seen: new Set([1]) });
    await using objects = new Cache({ url: "memory://lean-named", serializer: msgpackSerializer });
    assert.deepEqual(await objects.get("k"), { text: long, seen: new Set([1]) });
    assert.equal(jsonSerializer.name, "json");
    assert.equal(rawSerializer.name, "raw");
  });

  it("createCompressor() makes the built-ins with their fixed ids and checks its option", () => {
    for (const [name, id] of [["gzip", 1], ["zlib", 2], ["deflate", 3]] as const) {
      const compressor = createCompressor(name);
      assert.equal(compressor.id, id);
      assert.equal(createCompressor({ name }), compressor, "the default level is shared");
      const bytes = new TextEncoder().encode(long);
      assert.deepEqual(
        createCompressor({ name, level: 0 }).decompress(compressor.compress(bytes)),
        bytes,
      );
    }
    assert.throws(() => createCompressor("none" as "gzip"), {
      name: "TypeError",
      message:
        /^Invalid compressor "none": expected "gzip", "zlib", "deflate" or \{ name, level \}$/,
    });
    assert.throws(() => createCompressor({ name: "zlib", level: 1.5 }), TypeError);
    assert.throws(() => createCompressor({ name: "zlib", level: -1 }), RangeError);
  });

  it("refuses a look-alike of a built-in: ids 1-3 belong to createCompressor()", () => {
    const gzip = createCompressor("gzip");
    const lookalike: Compressor = { ...gzip };
    for (
      const make of [
        (c: Compressor) => new Cache({ compressor: c }),
        (c: Compressor) => createCache({ compressor: c }),
      ]
    ) {
      assert.throws(() => make(lookalike), {
        name: "TypeError",
        message: /^Invalid compressor "gzip" id 1: expected an integer from 16 to 255/,
      });
    }
  });
});

/** Runs esbuild; resolves with its exit code and stderr. */
function esbuild(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ESBUILD, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("bundles", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "redcache-bundle-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Minified bytes of fflate and of MessagePack in a bundle of `code` (which imports mod.ts). */
  async function libraryBytes(name: string, code: string) {
    const entry = join(dir, `${name}.ts`);
    const meta = join(dir, `${name}.json`);
    await writeFile(entry, code.replaceAll("MOD", JSON.stringify(join(ROOT, "mod.ts"))));
    const result = await esbuild([
      entry,
      "--bundle",
      "--minify",
      "--format=esm",
      "--platform=neutral",
      "--main-fields=module,main",
      "--log-level=warning",
      `--metafile=${meta}`,
      `--outfile=${join(dir, `${name}.js`)}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { outputs } = JSON.parse(await readFile(meta, "utf8"));
    const inputs = Object.entries(Object.values<{ inputs: object }>(outputs)[0].inputs);
    const bytes = (dir: string) =>
      inputs.filter(([path]) => path.includes(`node_modules/${dir}/`))
        .reduce((sum, [, input]) => sum + (input as { bytesInOutput: number }).bytesInOutput, 0);
    return { fflate: bytes("fflate"), msgpack: bytes("@msgpack/msgpack") };
  }

  it("connect() holds neither MessagePack nor fflate", async () => {
    const bytes = await libraryBytes(
      "client",
      `import { connect } from MOD;\nconst redis = await connect("redis://127.0.0.1:1");\n` +
        `console.log(await redis.get("k"));`,
    );
    assert.deepEqual(bytes, { fflate: 0, msgpack: 0 });
  });

  it("new Cache() holds fflate's decompression only; createCache() holds both libraries", async () => {
    const lean = await libraryBytes(
      "lean",
      `import { Cache } from MOD;\nconst cache = new Cache({ url: "memory://" });\n` +
        `console.log(await cache.get("k"));`,
    );
    const full = await libraryBytes(
      "full",
      `import { createCache } from MOD;\nconst cache = createCache({ url: "memory://" });\n` +
        `console.log(await cache.get("k"));`,
    );
    assert.equal(lean.msgpack, 0);
    assert.ok(lean.fflate > 0, "decompression stays, to read any stored value");
    assert.ok(full.msgpack > 0);
    assert.ok(lean.fflate < full.fflate * 0.6, `fflate: ${lean.fflate} of ${full.fflate} bytes`);
  });
});
