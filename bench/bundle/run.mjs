// bench/bundle: how many bytes each way of importing redcache puts into a bundle. Every file in
// bench/bundle/entries/ is a small program; esbuild bundles it (minified ESM, platform
// "neutral") and this prints a markdown table: minified and gzipped size, and whether fflate or
// @msgpack/msgpack ended up inside and with how many minified bytes (from esbuild's metafile).
// Then the largest inputs of the raw-client bundle, so that we know what the client costs.
//
//   node bench/bundle/run.mjs                 table + largest inputs of entries/client.ts
//   node bench/bundle/run.mjs --top=25        more inputs
//   node bench/bundle/run.mjs --budget        also exit 1 when a client entry is over budget
//
// Platform "neutral": no runtime is assumed (no Node built-ins, no browser field swaps), which
// is the promise of src/. Neutral has no default main fields, so "module" and "main" are given
// (@msgpack/msgpack has no exports map); fflate/browser resolves through its exports map
// ("import" condition). Target "esnext": nothing is lowered, so the figures are the library's
// code as written (Deno, Bun and workerd run it as is). Gzip is zlib's default level (6) over the
// minified output.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const ENTRIES = join(HERE, "entries");
const TOP = Number(process.argv.find((a) => a.startsWith("--top="))?.slice(6) ?? 15);
const BUDGET = process.argv.includes("--budget");
/** Raw-client budget (issue 18): entries whose name starts with "client". */
const CLIENT_BUDGET = { minified: 40, gzipped: 12 };

const LIBRARIES = {
  fflate: "node_modules/fflate/",
  msgpack: "node_modules/@msgpack/msgpack/",
};

const kib = (bytes) => (bytes / 1024).toFixed(1);
/** A metafile path, from node_modules/ on when it is a package (the tree may be a symlink). */
const shortPath = (path) => {
  const at = path.lastIndexOf("node_modules/");
  return at === -1 ? path : path.slice(at);
};

/** Bundles one entry; returns its sizes and its inputs with the bytes each put in the output. */
async function measure(file) {
  const result = await esbuild.build({
    entryPoints: [join(ENTRIES, file)],
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "esnext",
    write: false,
    outdir: "out",
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const [output] = Object.values(result.metafile.outputs);
  const inputs = Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .filter((input) => input.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const library = Object.fromEntries(
    Object.entries(LIBRARIES).map(([name, dir]) => [
      name,
      inputs.filter((input) => input.path.includes(dir)).reduce((sum, i) => sum + i.bytes, 0),
    ]),
  );
  return { file, minified: code.length, gzipped: gzipSync(code).length, inputs, library };
}

const files = readdirSync(ENTRIES).filter((f) => f.endsWith(".ts")).sort();
const results = [];
for (const file of files) results.push(await measure(file));

console.log("| entry | minified KiB | gzipped KiB | fflate inside (KiB) | msgpack inside (KiB) |");
console.log("|---|---:|---:|---:|---:|");
for (const r of results) {
  const mark = (name) => (r.library[name] === 0 ? "no" : `yes (${kib(r.library[name])})`);
  console.log(
    `| ${r.file} | ${kib(r.minified)} | ${kib(r.gzipped)} | ${mark("fflate")} | ${
      mark("msgpack")
    } |`,
  );
}

const client = results.find((r) => r.file === "client.ts");
if (client !== undefined) {
  const src = client.inputs.filter((input) => input.path.startsWith("src/"));
  const srcBytes = src.reduce((sum, input) => sum + input.bytes, 0);
  console.log(
    `\nLargest inputs of client.ts (minified bytes in the output; ${src.length} src/ files, ` +
      `${kib(srcBytes)} KiB):\n`,
  );
  console.log("| input | bytes |");
  console.log("|---|---:|");
  for (const input of client.inputs.slice(0, TOP)) {
    console.log(`| ${shortPath(input.path)} | ${input.bytes} |`);
  }
  const byFolder = new Map();
  for (const input of src) {
    const folder = input.path.split("/").slice(0, 2).join("/");
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + input.bytes);
  }
  console.log(
    "\nBy folder: " +
      [...byFolder].sort((a, b) => b[1] - a[1]).map(([f, b]) => `${f} ${kib(b)}`).join(", "),
  );
}

if (BUDGET) {
  const over = results.filter((r) =>
    r.file.startsWith("client") &&
    (r.minified > CLIENT_BUDGET.minified * 1024 || r.gzipped > CLIENT_BUDGET.gzipped * 1024)
  );
  for (const r of over) {
    console.error(
      `${r.file} is over budget: ${kib(r.minified)} KiB minified (≤ ${CLIENT_BUDGET.minified}), ` +
        `${kib(r.gzipped)} KiB gzipped (≤ ${CLIENT_BUDGET.gzipped})`,
    );
  }
  if (over.length > 0) process.exit(1);
}
