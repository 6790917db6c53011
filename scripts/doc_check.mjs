// Documentation checks for JSR, over every entry point in deno.json "exports" (so an entry point is
// covered the day it is added) and src/. `npm test` runs each as a static check.
//
//   node scripts/doc_check.mjs          all three; exit 1 if any fails
//
// 1. docTypeCheck(): `deno check --doc` over the entry points and src/: the code and every JSDoc
//    example in it. An example fenced as `ts ignore` (or any `ignore`) fails the check, since it
//    would not be checked at all.
// 2. docLint(): `deno doc --lint` over all entry points at once (JSR documents the package as a
//    whole, so a type exported by one entry point is public for all of them). One known false
//    positive is dropped: `private-type-ref` naming a type the file imports from an npm package
//    (hono's MiddlewareHandler), which is public in its own package (denoland/deno#27364, fixed
//    upstream after Deno 2.9.6). Every other diagnostic fails the check.
// 3. docCoverage(): every exported symbol has a description and an @example with a TypeScript
//    code block; every public member of an exported class or interface (constructor, method,
//    property, accessor) has a description. Members need no example of their own: the symbol's
//    example shows them in use, and many are one-line properties whose example would only repeat
//    the type. `@internal` symbols and members are not public and are skipped.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { BIN, ROOT } from "./_setup.mjs";

const DENO = existsSync(BIN.deno) ? BIN.deno : "deno";

/** The entry point files of deno.json "exports" (a string or an object of them), deduplicated. */
export function entryPoints() {
  const { exports } = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  const files = typeof exports === "string" ? [exports] : Object.values(exports ?? {});
  if (files.length === 0) throw new Error('deno.json has no "exports"');
  return [...new Set(files)];
}

function runDeno(args) {
  const result = spawnSync(DENO, args, {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (result.error) throw result.error;
  return result;
}

// ---------------------------------------------------------------------------------------------
// deno check --doc

/** The entry points plus every .ts file under src/ (paths relative to ROOT). */
function documentedFiles(entries) {
  const walk = (dir) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith(".ts") ? [path] : [];
    });
  const files = entries.map((entry) => entry.replace(/^\.\//, ""));
  return [...new Set([...files, ...(existsSync(join(ROOT, "src")) ? walk("src") : [])])];
}

/** `file:line` of each code fence in a JSDoc comment whose info string says `ignore`. */
export function ignoredExamples(entries = entryPoints()) {
  const found = [];
  for (const file of documentedFiles(entries)) {
    readFileSync(join(ROOT, file), "utf8").split("\n").forEach((line, i) => {
      if (/^\s*\*\s*```\S*\s.*\bignore\b/.test(line)) {
        found.push(`${file}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  return found;
}

/**
 * Type-checks the entry points, src/ and their JSDoc examples (`deno check --doc`, its errors
 * shown as they come); returns the problems: a failed check, and each example marked `ignore`.
 */
export function docTypeCheck(entries = entryPoints()) {
  const files = entries.filter((entry) => !/^(\.\/)?src\//.test(entry));
  const args = [
    "check",
    "--quiet",
    "--doc",
    ...files,
    ...(existsSync(join(ROOT, "src")) ? ["src/"] : []),
  ];
  const { status, error } = spawnSync(DENO, args, { cwd: ROOT, stdio: "inherit" });
  if (error) throw error;
  const problems = ignoredExamples(entries).map((line) => `not type-checked: ${line}`);
  if (status !== 0) problems.unshift(`deno ${args.join(" ")} failed (exit ${status})`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// deno doc --lint

/** Names imported (as types or values) from a bare or npm: specifier in `file`. */
function npmImports(file) {
  const names = new Set();
  const source = readFileSync(file, "utf8");
  const statement = /\bimport\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g;
  for (const [, list, specifier] of source.matchAll(statement)) {
    if (/^(\.|\/|file:|jsr:|https?:)/.test(specifier)) continue;
    for (const item of list.split(",")) {
      const name = item.replace(/^\s*type\s+/, "").split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * Runs `deno doc --lint` over `entries`; returns the diagnostics that count (as text blocks) and
 * how many known false positives were dropped.
 */
export function docLint(entries = entryPoints()) {
  const { status, stdout, stderr } = runDeno(["doc", "--lint", ...entries]);
  const output = `${stdout}\n${stderr}`;
  const blocks = output.split(/\n(?=error\[)/).filter((block) => block.startsWith("error["));
  const kept = [];
  let dropped = 0;
  for (const block of blocks) {
    const ref = block.match(/^error\[private-type-ref\]: .* references private type '([^']+)'/);
    const file = block.match(/^\s*--> (.+?):\d+:\d+$/m)?.[1];
    if (ref && file && existsSync(file) && npmImports(file).has(ref[1])) dropped++;
    else kept.push(block.trimEnd());
  }
  if (status !== 0 && blocks.length === 0) kept.push(output.trim() || `deno doc exited ${status}`);
  return { problems: kept, dropped };
}

// ---------------------------------------------------------------------------------------------
// Descriptions and examples

const hasDoc = (jsDoc) => typeof jsDoc?.doc === "string" && jsDoc.doc.trim() !== "";
const isInternal = (jsDoc) => (jsDoc?.tags ?? []).some((tag) => tag.kind === "internal");
/** The info strings of the opening code fences in `text` ("ts", "ts ignore", ""...). */
const fenceInfos = (text) =>
  [...text.matchAll(/^\s*```(.*)$/gm)].filter((_, i) => i % 2 === 0).map(([, info]) => info.trim());
/** An @example with a code block that `deno check --doc` checks (TypeScript, not `ignore`). */
const hasExample = (jsDoc) =>
  (jsDoc?.tags ?? []).some((tag) =>
    tag.kind === "example" &&
    fenceInfos(tag.doc ?? "").some((info) => /^(ts|typescript|tsx)?$/.test(info))
  );

/** Public members of a class or interface definition: [label, jsDoc][] (overloads kept apart). */
function members(kind, def) {
  const out = [];
  const add = (label, jsDoc) => {
    if (!isInternal(jsDoc)) out.push([label, jsDoc]);
  };
  if (kind === "class") {
    for (const c of def.constructors ?? []) {
      if (c.accessibility !== "private") add("constructor", c.jsDoc);
    }
    for (const p of def.properties ?? []) {
      if (p.accessibility !== "private" && !p.name.startsWith("#")) add(p.name, p.jsDoc);
    }
    for (const m of def.methods ?? []) {
      if (m.accessibility !== "private" && !m.name.startsWith("#")) {
        add(m.kind === "setter" ? `set ${m.name}` : m.name, m.jsDoc);
      }
    }
  } else if (kind === "interface") {
    for (const p of def.properties ?? []) add(p.name, p.jsDoc);
    for (const m of def.methods ?? []) add(m.name, m.jsDoc);
    (def.callSignatures ?? []).forEach((s, i) => add(`call signature ${i + 1}`, s.jsDoc));
  }
  return out;
}

/**
 * Symbols of `entries` without a description or an example, and members without a description.
 * A symbol declared more than once (function overloads, a merged interface) counts as documented
 * when one declaration is; so does a member name with several entries (overloads, get/set).
 */
export function docCoverage(entries = entryPoints()) {
  const problems = [];
  let symbols = 0;
  let memberCount = 0;
  const seen = new Set();
  for (const entry of entries) {
    const { status, stdout, stderr } = runDeno(["doc", "--json", entry]);
    if (status !== 0) {
      problems.push(`${entry}: deno doc --json failed\n${stderr.trim()}`);
      continue;
    }
    const { nodes } = JSON.parse(stdout);
    for (const node of Object.values(nodes)) {
      const module = node.module_doc;
      if (!hasDoc(module) || !hasExample(module)) {
        problems.push(
          `${entry}: module doc needs ${hasDoc(module) ? "" : "a description and "}an @example`,
        );
      }
      for (const symbol of node.symbols ?? []) {
        const declarations = (symbol.declarations ?? []).filter((d) =>
          d.kind !== "import" && !isInternal(d.jsDoc)
        );
        if (declarations.length === 0) continue;
        const at = declarations[0].location;
        const where = `${at.filename.replace(`file://${ROOT}/`, "")}:${at.line}`;
        const id = `${symbol.name}@${where}`;
        if (seen.has(id)) continue; // re-exported by another entry point
        seen.add(id);
        symbols++;
        const missing = [];
        if (!declarations.some((d) => hasDoc(d.jsDoc))) missing.push("a description");
        if (!declarations.some((d) => hasExample(d.jsDoc))) missing.push("an @example");
        if (missing.length) {
          problems.push(`${symbol.name} (${where}): needs ${missing.join(" and ")}`);
        }
        const byName = new Map();
        for (const d of declarations) {
          for (const [label, jsDoc] of members(d.kind, d.def ?? {})) {
            const name = label.replace(/^set /, "");
            byName.set(name, (byName.get(name) ?? false) || hasDoc(jsDoc));
          }
        }
        for (const [name, documented] of byName) {
          memberCount++;
          if (!documented) problems.push(`${symbol.name}.${name} (${where}): needs a description`);
        }
      }
    }
  }
  return { problems, symbols, members: memberCount };
}

// ---------------------------------------------------------------------------------------------

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entries = entryPoints();
  console.log(`Entry points: ${entries.join(", ")}`);
  let failed = 0;
  const timed = (name, run) => {
    const started = performance.now();
    const problems = run();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    problems.forEach((problem) => console.log(`  ${problem}`));
    console.log(
      `${name}: ${problems.length ? `${problems.length} problem(s)` : "ok"} (${seconds}s)`,
    );
    if (problems.length) failed++;
  };
  timed("deno check --doc", () => docTypeCheck(entries));
  timed("deno doc --lint", () => {
    const { problems, dropped } = docLint(entries);
    if (dropped) console.log(`  (${dropped} private-type-ref on npm types ignored: deno#27364)`);
    return problems;
  });
  timed("descriptions and examples", () => {
    const { problems, symbols, members } = docCoverage(entries);
    console.log(`  ${symbols} exported symbols, ${members} members`);
    return problems;
  });
  process.exitCode = failed === 0 ? 0 : 1;
}
