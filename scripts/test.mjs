// The project's test command (`npm test`): static checks, then the test suite on Deno and on Bun.
//
//   npm test                      everything
//   npm test -- tests/resp        only test files under (or whose path contains) tests/resp
//   TEST_RUNTIMES=deno npm test   one runtime only (deno or bun)
//   npm test -- --static          the static checks only (format, lint, docs, JSR dry run, layers)
//
// The last line printed is always `N passed, N failed`; the exit code is 0 only if N failed is 0.
// Counts come from each runtime's JUnit report (leaf tests only). A static check counts as one
// test; a runtime that crashed or wrote no report counts as one failure.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { BIN, ensureAll, ROOT, SetupError } from "./_setup.mjs";
import { checkLayers, MAX_LINES } from "./layers.mjs";
import { docCoverage, docLint, docTypeCheck, entryPoints } from "./doc_check.mjs";
import { brokenReadmeLinks } from "./readme_links.mjs";
import { checkCommands } from "./commands.mjs";

// Reports go to a directory of this run's own, so that runs in parallel do not mix them up.
const TMP = join(ROOT, ".tmp", `run-${process.pid}`);
const TEST_FILE = /[._]test\.(ts|tsx|mts|js|mjs|jsx)$/;
const SOURCE_FILE = /\.(ts|tsx|mts|js|mjs|jsx)$/;

/** @typedef {{ name: string, passed: number, failed: number, failures: string[], note?: string }} Result */

// ---------------------------------------------------------------------------------------------
// Files

/** Files under `dir` (relative to ROOT) matching `pattern`, skipping node_modules and dot dirs. */
function walk(dir, pattern) {
  const out = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path, pattern));
    else if (entry.isFile() && pattern.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Test files selected by the command-line filters (existing paths, or substrings of paths). */
function selectTestFiles(filters) {
  const all = existsSync(join(ROOT, "tests")) ? walk("tests", TEST_FILE) : [];
  if (filters.length === 0) return all;
  const selected = new Set();
  for (const filter of filters) {
    const path = relative(ROOT, join(ROOT, filter)) || ".";
    let matches;
    if (!existsSync(join(ROOT, path))) matches = all.filter((file) => file.includes(path));
    else if (statSync(join(ROOT, path)).isDirectory()) matches = walk(path, TEST_FILE);
    else matches = [path];
    matches.forEach((file) => selected.add(file));
  }
  return [...selected].sort();
}

// ---------------------------------------------------------------------------------------------
// Static checks

function deno(args, options = {}) {
  return spawnSync(BIN.deno, args, { cwd: ROOT, stdio: "inherit", ...options }).status;
}

/** Lines in src/ importing a node: or npm: specifier (the library must stay runtime-neutral). */
function runtimeImports() {
  if (!existsSync(join(ROOT, "src"))) return [];
  const specifier =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["'`](node:|npm:)[^"'`]*["'`]/;
  const offenders = [];
  for (const file of walk("src", SOURCE_FILE)) {
    readFileSync(join(ROOT, file), "utf8").split("\n").forEach((line, i) => {
      if (specifier.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return offenders;
}

/** Prints each problem; true when there is none. */
function none(problems) {
  problems.forEach((problem) => console.error(`  ${problem}`));
  return problems.length === 0;
}

/** @returns {Result} */
function staticChecks() {
  const entries = entryPoints();
  const checks = [
    ["deno fmt --check", () => deno(["fmt", "--check"]) === 0],
    ["deno lint", () => deno(["lint"]) === 0],
    [
      "deno check --doc: entry points, src/ and their JSDoc examples",
      () => none(docTypeCheck(entries)),
    ],
    [`deno doc --lint ${entries.join(" ")}`, () => {
      const { problems, dropped } = docLint(entries);
      if (dropped) console.log(`  (${dropped} private-type-ref on npm types ignored: deno#27364)`);
      return none(problems);
    }],
    ["every exported symbol has a description and an example", () => {
      const { problems, symbols, members } = docCoverage(entries);
      console.log(`  ${symbols} exported symbols, ${members} members`);
      return none(problems);
    }],
    [
      "deno publish --dry-run",
      () => deno(["publish", "--dry-run", "--allow-dirty", "--quiet"]) === 0,
    ],
    ["README links resolve on the package page (published files, existing headings)", () => {
      const broken = brokenReadmeLinks();
      broken.forEach((line) => console.error(`  README.md: ${line}`));
      return broken.length === 0;
    }],
    ["typed commands: each documented with an example, called by a test, in the README", () => {
      const { problems, methods } = checkCommands();
      console.log(`  ${methods} command methods`);
      problems.forEach((problem) => console.error(`  ${problem}`));
      return problems.length === 0;
    }],
    [`src/ layers: imports run down, no cycle, no file over ${MAX_LINES} lines`, () => {
      const problems = checkLayers();
      problems.forEach((problem) => console.error(`  ${problem}`));
      return problems.length === 0;
    }],
    ["no node:/npm: imports in src/", () => {
      const offenders = runtimeImports();
      offenders.forEach((line) => console.error(`  ${line}`));
      return offenders.length === 0;
    }],
  ];
  const result = { name: "static checks", passed: 0, failed: 0, failures: [] };
  const started = Date.now();
  for (const [name, check] of checks) {
    console.log(`\n=== ${name}`);
    const start = Date.now();
    const ok = check();
    const seconds = `${((Date.now() - start) / 1000).toFixed(1)}s`;
    if (ok) {
      result.passed++;
      console.log(`=== ${name}: ok (${seconds})`);
    } else {
      result.failed++;
      result.failures.push(`${name} (${seconds})`);
      console.log(`=== ${name}: FAILED (${seconds})`);
    }
  }
  result.note = `${((Date.now() - started) / 1000).toFixed(1)}s`;
  return result;
}

// ---------------------------------------------------------------------------------------------
// JUnit

const decode = (text) =>
  text.replace(
    /&(lt|gt|quot|apos|amp|#x[0-9a-f]+|#\d+);/gi,
    (_, e) =>
      ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e.toLowerCase()] ??
        String.fromCodePoint(
          e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1)),
        ),
  );

/**
 * The <testcase> elements of a JUnit document, with the names of their enclosing <testsuite>s.
 * A tiny tag scanner is enough: both runtimes escape `<` in text and attributes.
 */
function parseJUnit(xml) {
  xml = xml.replace(/<!--[^]*?-->|<!\[CDATA\[[^]*?\]\]>|<\?[^]*?\?>/g, "");
  const cases = [];
  const suites = [];
  let current;
  const tag = /<(\/?)([\w:.-]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (const [, closing, name, rawAttrs, selfClosing] of xml.matchAll(tag)) {
    const attrs = {};
    for (const [, key, value] of rawAttrs.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs[key] = decode(value ?? "");
    }
    if (name === "testsuite") {
      if (closing) suites.pop();
      else if (!selfClosing) suites.push(attrs.name ?? "");
    } else if (name === "testcase" && !closing) {
      current = { name: attrs.name ?? "", suites: [...suites], failed: false, skipped: false };
      cases.push(current);
      if (selfClosing) current = undefined;
    } else if (name === "testcase") {
      current = undefined;
    } else if (current && !closing && (name === "failure" || name === "error")) {
      current.failed = true;
    } else if (current && !closing && name === "skipped") {
      current.skipped = true;
    }
  }
  return cases;
}

/**
 * Deno reports each step as a testcase "parent > child" AND the parent itself as a testcase.
 * Leaves are the testcases that are nobody's parent. A parent's failure counts (once) only when
 * none of its descendants failed: a leak, a failed before/after hook, a crash of the suite.
 * (Names are compared across the whole report: steps are filed under tests/support/test.ts.)
 */
function countDeno(cases) {
  const counted = [];
  for (const testcase of cases) {
    const prefix = `${testcase.name} > `;
    const descendants = cases.filter((other) => other.name.startsWith(prefix));
    if (descendants.length === 0) counted.push(testcase);
    else if (testcase.failed && !descendants.some((d) => d.failed)) counted.push(testcase);
  }
  return counted;
}

/** Bun nests <testsuite>s for describes; every <testcase> is a leaf. */
function countBun(cases) {
  return cases.map((c) => ({
    ...c,
    name: `${c.suites[0]}: ${[...c.suites.slice(1), c.name].join(" > ")}`,
  }));
}

// ---------------------------------------------------------------------------------------------
// Runtimes

/**
 * Runs a command with visible output; resolves with its exit code and, if `capture`, the tail of
 * its stderr (which is then piped through, so colors are requested with FORCE_COLOR).
 */
function runVisible(command, args, capture) {
  return new Promise((resolve) => {
    const color = capture && process.stderr.isTTY ? { FORCE_COLOR: "1" } : {};
    const stdio = capture ? ["inherit", "inherit", "pipe"] : "inherit";
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...color }, stdio });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString("utf8")).slice(-65536);
    });
    child.on("error", (error) => {
      stderr += String(error);
      resolve({ code: 1, stderr });
    });
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
}

/** @returns {Promise<Result>} */
async function runRuntime(runtime, files) {
  const report = join(TMP, `${runtime}.xml`);
  rmSync(report, { force: true });
  const args = runtime === "deno"
    ? ["test", "-A", "--sanitize-resources", "--sanitize-ops", `--junit-path=${report}`, ...files]
    : [
      "test",
      "--timeout",
      "60000",
      "--no-orphans",
      "--reporter=junit",
      `--reporter-outfile=${report}`,
      ...files.map((f) => `./${f}`),
    ];
  console.log(`\n=== ${runtime} ${args.join(" ")}`);
  const started = Date.now();
  const { code, stderr } = await runVisible(BIN[runtime], args, runtime === "bun");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const result = {
    name: runtime,
    passed: 0,
    failed: 0,
    failures: [],
    note: `exit ${code}, ${seconds}s`,
  };

  if (!existsSync(report)) {
    result.failed = 1;
    result.failures.push(`${runtime} crashed or wrote no JUnit report`);
    return result;
  }
  const cases = parseJUnit(readFileSync(report, "utf8"));
  for (const testcase of runtime === "deno" ? countDeno(cases) : countBun(cases)) {
    if (testcase.failed || testcase.skipped) {
      result.failed++;
      result.failures.push(
        testcase.skipped ? `${testcase.name} (skipped: not allowed)` : testcase.name,
      );
    } else {
      result.passed++;
    }
  }
  if (runtime === "bun") {
    // Errors outside tests (e.g. a failing after() hook) are only on stderr: " 2 errors".
    const plain = stderr.replace(new RegExp(String.raw`\u001b\[[0-9;]*m`, "g"), "");
    const errors = Number(plain.match(/^\s*(\d+) errors?\s*$/m)?.[1] ?? 0);
    if (errors > 0) {
      result.failed += errors;
      result.failures.push(`${errors} error(s) outside tests (see "Unhandled error" above)`);
    }
  }
  if (code !== 0 && result.failed === 0) {
    result.failed = 1;
    result.failures.push(`${runtime} exited with code ${code} although no test failed`);
  }
  if (result.passed + result.failed === 0) {
    result.failed = 1;
    result.failures.push(`${runtime} ran no tests`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  const staticOnly = args.includes("--static");
  const filters = args.filter((arg) => arg !== "--static");
  const requested = (process.env.TEST_RUNTIMES ?? "deno,bun").split(/[\s,]+/).filter(Boolean);
  const unknown = requested.filter((r) => r !== "deno" && r !== "bun");
  try {
    if (unknown.length > 0 || requested.length === 0) {
      throw new SetupError(
        `TEST_RUNTIMES must be "deno", "bun" or "deno,bun" (got ${process.env.TEST_RUNTIMES})`,
      );
    }
    ensureAll();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`\n${error.message}\n0 passed, 1 failed`);
    process.exit(1);
  }
  mkdirSync(TMP, { recursive: true });

  /** @type {Result[]} */
  const results = [staticChecks()];
  const files = staticOnly ? [] : selectTestFiles(filters);
  if (!staticOnly && files.length === 0) {
    console.error(`\nNo test files match ${filters.length ? filters.join(" ") : "tests/"}`);
    results.push({ name: "test files", passed: 0, failed: 1, failures: ["no test files"] });
  } else if (!staticOnly) {
    for (const runtime of requested) results.push(await runRuntime(runtime, files));
  }

  console.log("\n=== Summary");
  for (const { name, passed, failed, failures, note } of results) {
    console.log(`${name}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ""}`);
    for (const failure of failures.slice(0, 30)) console.log(`  ✗ ${failure}`);
    if (failures.length > 30) console.log(`  … and ${failures.length - 30} more`);
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  rmSync(TMP, { recursive: true, force: true });
  // For scripts/flaky.mjs: every failure of this run, by runtime.
  if (process.env.TEST_SUMMARY) {
    writeFileSync(process.env.TEST_SUMMARY, JSON.stringify({ passed, failed, results }, null, 2));
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
