// Bundles the workerd example: `worker.ts` (and redcache's `mod.ts`, fflate, msgpack) into one
// ES module, `<outdir>/worker.js`, next to a copy of `config.capnp` that serves it.
//
//   node examples/workerd/build.mjs [--outdir DIR] [--minify]     (DIR: $TMPDIR/redcache-workerd)
//   REDIS_URL=redis://127.0.0.1:6379 npx workerd serve DIR/config.capnp -s http=127.0.0.1:8787
//
// Prints one line of JSON: { outfile, config, bytes }.
//
// Why esbuild and not `deno bundle`: `deno bundle` is esbuild underneath, but it downloads its own
// esbuild binary from npm on first use (a version that package-lock.json does not pin) and runs
// under Deno only, while the example's test bundles under Deno and Bun alike. The esbuild pinned
// in devDependencies, driven from Node through its JS API, gives both the same bundle, offline,
// with the one setting workerd needs: `cloudflare:*` stays external, for workerd to resolve.
// (redcache itself imports `cloudflare:sockets` through a variable, which esbuild leaves as is.)
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

function option(name) {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

// Outside the repository by default: a bundle in the tree would be linted, formatted and published.
const outdir = resolve(option("--outdir") ?? join(tmpdir(), "redcache-workerd"));
const outfile = join(outdir, "worker.js");
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: [join(here, "worker.ts")],
  outfile,
  bundle: true,
  format: "esm",
  // workerd offers the Web platform: no Node built-ins, no Deno or Bun globals.
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  target: "es2022",
  external: ["cloudflare:*"],
  minify: process.argv.includes("--minify"),
  logLevel: "warning",
});
copyFileSync(join(here, "config.capnp"), join(outdir, "config.capnp"));

console.log(JSON.stringify({
  outfile,
  config: join(outdir, "config.capnp"),
  bytes: statSync(outfile).size,
}));
