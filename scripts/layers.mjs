// Checks the shape of src/: imports run one way down the layers, no files import each other in a
// loop, and no file is over the size limit. `npm test` runs it as a static check.
//
//   node scripts/layers.mjs            check, print violations, exit 1 if any
//   node scripts/layers.mjs --graph    also print every file with its layer and imports
//
// Layers, from the ground up (a file may import its own layer and those below, never above):
//   util, errors, net  <-  resp  <-  client  <-  pool  <-  cluster  <-  strategies  <-  near  <-  cache
//   <-  web
// Only src/web/hono/ may import hono (framework adapters stay at the edge).
// mod.ts stands above them all. Type-only imports count: a type from a layer above is as much a
// knot as a value.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import process from "node:process";
import { ROOT } from "./_setup.mjs";

/** The layer of each top-level entry of src/ (a folder, or a file such as errors.ts). */
export const LAYERS = {
  "util": 0,
  "errors.ts": 0,
  "net": 0,
  "resp": 1,
  "client": 2,
  "pool": 3,
  "cluster": 4,
  "strategies": 5,
  "near": 6,
  "cache": 7,
  "web": 8,
};
export const MAX_LINES = 400;
/** Entry points that mod.ts re-exports whole (each exports only from src/). */
const SUBSET_ENTRIES = new Set(["client.ts"]);
const NAMES = ["ground", "resp", "client", "pool", "cluster", "strategies", "near", "cache", "web"];

/** Every .ts file under `dir` (relative to ROOT). */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

/** Relative specifiers a file imports or re-exports (static and dynamic). */
function importsOf(text) {
  // Drop comments first, so that examples in JSDoc draw no arrow.
  const code = text.replace(/\/\*[^]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const specifiers = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
  for (const [, specifier] of code.matchAll(pattern)) {
    if (specifier.startsWith(".")) specifiers.push(specifier);
  }
  return specifiers;
}

/** Framework packages that only their adapter folder may import. */
const FRAMEWORKS = new Set(["hono"]);

/** Bare specifiers (packages) a file imports, type-only imports included. */
function bareImportsOf(text) {
  const code = text.replace(/\/\*[^]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"'.][^"']*)["']/gm;
  return [...code.matchAll(pattern)].map(([, specifier]) => specifier);
}

/** The layer of a path relative to ROOT, or undefined outside src/ layers. */
function layerOf(path) {
  if (path === "mod.ts") return Infinity;
  const parts = path.split("/");
  if (parts[0] !== "src") return undefined;
  return LAYERS[parts[1]];
}

/** Strongly connected components with more than one file (or a file importing itself). */
function cycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
        found.push(component.sort());
      }
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

/** Checks src/ and mod.ts; returns the list of violations (empty when the shape holds). */
export function checkLayers({ graph: print = false } = {}) {
  const files = ["mod.ts", ...sourceFiles("src")];
  const problems = [];
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), "utf8");
    const layer = layerOf(file);
    if (layer === undefined) {
      problems.push(
        `${file}: not in a known layer (add its folder to LAYERS in scripts/layers.mjs)`,
      );
    }
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (file !== "mod.ts" && lines > MAX_LINES) {
      problems.push(`${file}: ${lines} lines, over ${MAX_LINES} (split it by job)`);
    }
    const targets = importsOf(text).map((specifier) =>
      relative(ROOT, normalize(join(ROOT, dirname(file), specifier)))
    );
    graph.set(file, targets);
    // Frameworks stay at the edge: only the Hono adapter may name hono (and mod.ts never).
    for (const specifier of bareImportsOf(text)) {
      const allowed = specifier.split("/")[0] === "hono" && file.startsWith("src/web/hono/");
      if (!allowed && FRAMEWORKS.has(specifier.split("/")[0])) {
        problems.push(`${file} imports ${specifier}: only src/web/hono/ may refer to hono`);
      }
    }
    for (const target of targets) {
      const targetLayer = layerOf(target);
      // mod.ts, the everything-entry, may re-export the narrower entry points (client.ts).
      if (file === "mod.ts" && SUBSET_ENTRIES.has(target)) continue;
      if (targetLayer === undefined) {
        problems.push(`${file} imports ${target}, outside src/`);
      } else if (layer !== undefined && targetLayer > layer) {
        problems.push(
          `${file} (${NAMES[layer] ?? "top"}) imports ${target} (${
            NAMES[targetLayer]
          }), a layer above`,
        );
      }
    }
    if (print) {
      const name = layer === Infinity ? "top" : NAMES[layer] ?? "?";
      console.log(`${file} [${name}, ${lines} lines] -> ${targets.join(", ") || "(nothing)"}`);
    }
  }
  for (const component of cycles(graph)) {
    problems.push(`import cycle: ${component.join(" -> ")}`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkLayers({ graph: process.argv.includes("--graph") });
  for (const problem of problems) console.error(`  ${problem}`);
  const files = sourceFiles("src").length;
  console.log(
    problems.length === 0
      ? `layers: ${files} files in src/, every import runs down, no cycle, none over ${MAX_LINES} lines`
      : `layers: ${problems.length} problem(s) in ${files} files`,
  );
  process.exitCode = problems.length === 0 ? 0 : 1;
}
