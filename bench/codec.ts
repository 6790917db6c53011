/**
 * A self-contained timing harness for the RESP codec that runs on both
 * runtimes, so their numbers come from the same loop:
 *
 *     deno run -A bench/codec.ts [--json] [--filter=TEXT] [--time=MS]
 *     bun bench/codec.ts [--json] [--filter=TEXT] [--time=MS]
 *
 * For each case in `codec_cases.ts`: one checked run (in `setup()`) and a
 * warm-up of about a fifth of the time budget that also sizes its batches
 * (about 50 ms each by default). Then batches of identical runs are timed with
 * `performance.now()`, in 3 rounds over all the cases, each round giving every
 * case a third of its budget (600 ms in all by default, and at least 2 batches
 * a round). Interleaving spreads a slow spell of a shared machine over all the
 * cases instead of ruining one, and every case runs on code the JIT has seen
 * handle all the others, as it would in a client. The reported time is the
 * median batch's time per run; "iqr" is the interquartile range of the batches
 * over that median, a rough noise gauge (a GC pause or another tenant lands
 * in single batches).
 *
 * Between cases a full GC is forced where the runtime allows it: always on
 * Bun (`Bun.gc(true)`), on Deno only when run with `--v8-flags=--expose-gc`.
 *
 * ops/s counts replies (decode) or commands (encode). MB/s is 10^6 bytes of
 * wire data (consumed or produced) per second.
 *
 * @module
 */

import { allCases, type CodecCase } from "./codec_cases.ts";

interface BunGlobal {
  version: string;
  revision?: string;
  argv: string[];
  gc?(force: boolean): void;
}

interface Runtime {
  name: "deno" | "bun";
  version: string;
  detail: string;
  args: string[];
  gc(): void;
}

function detectRuntime(): Runtime {
  const g = globalThis as { Bun?: BunGlobal; gc?: () => void };
  const bun = g.Bun;
  if (bun !== undefined) {
    return {
      name: "bun",
      version: bun.version,
      detail: `Bun ${bun.version}${bun.revision ? ` (${bun.revision.slice(0, 9)})` : ""}`,
      args: bun.argv.slice(2),
      gc: () => bun.gc?.(true),
    };
  }
  if (typeof Deno !== "undefined") {
    return {
      name: "deno",
      version: Deno.version.deno,
      detail:
        `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript})`,
      args: Deno.args,
      gc: () => g.gc?.(),
    };
  }
  throw new Error("Run this with Deno or Bun");
}

interface Options {
  json: boolean;
  filter: string;
  timeMs: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { json: false, filter: "", timeMs: 600 };
  for (const arg of args) {
    if (arg === "--json") options.json = true;
    else if (arg.startsWith("--filter=")) options.filter = arg.slice("--filter=".length);
    else if (arg.startsWith("--time=")) {
      const ms = Number(arg.slice("--time=".length));
      if (!(ms > 0)) throw new Error(`Bad --time: ${arg}`);
      options.timeMs = ms;
    } else {
      throw new Error(`Unknown argument ${arg} (expected --json, --filter=TEXT, --time=MS)`);
    }
  }
  return options;
}

/** One case's result. Times are per run of the case (all its replies or commands). */
interface Result {
  name: string;
  group: "decode" | "encode";
  reference: boolean;
  unit: "reply" | "command";
  bytes: number;
  ops: number;
  batches: number;
  runsPerBatch: number;
  /** Median over the batches (what the table shows). */
  nsPerRun: number;
  /** Mean over all timed runs: includes every GC pause, so it can sit well above the median. */
  nsPerRunMean: number;
  nsPerOp: number;
  opsPerSec: number;
  mbPerSec: number;
  /** Interquartile range of the batches' time per run, relative to the median. */
  iqr: number;
}

/** Timed passes over all the cases (see the module comment). */
const ROUNDS = 3;
/** Batches per case per time budget, over all rounds. */
const BATCHES = 12;

/** Keeps run results live so no engine can treat a run as dead code. */
let blackhole = 0;

/** Linear-interpolated quantile of an ascending array. */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** A case being measured: its run function, batch size and the batches so far. */
interface Measurement {
  c: CodecCase;
  run: () => number;
  runsPerBatch: number;
  /** Milliseconds per run, one entry per batch. */
  perRun: number[];
  totalMs: number;
}

/** Sets a case up, warms it up and sizes its batches (about BATCHES per time budget). */
function prepare(c: CodecCase, timeMs: number): Measurement {
  const run = c.setup();
  const warmupMs = timeMs / 5;
  let warmRuns = 0;
  const warmStart = performance.now();
  let now = warmStart;
  while (warmRuns < 3 || now - warmStart < warmupMs) {
    blackhole += run();
    warmRuns++;
    now = performance.now();
  }
  const perRunMs = (now - warmStart) / warmRuns;
  const runsPerBatch = Math.max(1, Math.round(timeMs / BATCHES / perRunMs));
  return { c, run, runsPerBatch, perRun: [], totalMs: 0 };
}

/** Times batches of `m` for `budgetMs` (at least `minBatches` of them). */
function timeBatches(m: Measurement, budgetMs: number, minBatches: number): void {
  const { run, runsPerBatch } = m;
  const start = performance.now();
  let batches = 0;
  while (batches < minBatches || (performance.now() - start < budgetMs && batches < 50)) {
    const t0 = performance.now();
    for (let i = 0; i < runsPerBatch; i++) blackhole += run();
    const elapsed = performance.now() - t0;
    m.totalMs += elapsed;
    m.perRun.push(elapsed / runsPerBatch);
    batches++;
  }
}

function summarize(m: Measurement): Result {
  const { c, runsPerBatch } = m;
  const perRun = [...m.perRun].sort((a, b) => a - b);
  const ms = quantile(perRun, 0.5);
  const seconds = ms / 1000;
  return {
    name: c.name,
    group: c.group,
    reference: c.reference === true,
    unit: c.unit,
    bytes: c.bytes,
    ops: c.ops,
    batches: perRun.length,
    runsPerBatch,
    nsPerRun: ms * 1e6,
    nsPerRunMean: (m.totalMs / (perRun.length * runsPerBatch)) * 1e6,
    nsPerOp: (ms * 1e6) / c.ops,
    opsPerSec: c.ops / seconds,
    mbPerSec: c.bytes / seconds / 1e6,
    iqr: (quantile(perRun, 0.75) - quantile(perRun, 0.25)) / ms,
  };
}

/** 1234567.8 -> "1,234,568" */
function grouped(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function fixed(n: number): string {
  if (n >= 1000) return grouped(n);
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function table(runtime: Runtime, results: Result[]): string {
  const header = ["case", "runtime", "ops/s", "MB/s", "ns/op", "iqr"];
  const rows = results.map((r) => [
    r.name,
    `${runtime.name} ${runtime.version}`,
    grouped(r.opsPerSec),
    fixed(r.mbPerSec),
    fixed(r.nsPerOp),
    `${(r.iqr * 100).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])).join("  ");
  return [
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
  ].join("\n");
}

function main(): void {
  const runtime = detectRuntime();
  const options = parseArgs(runtime.args);
  const cases = allCases.filter((c) => c.name.includes(options.filter));
  if (cases.length === 0) throw new Error(`No case matches --filter=${options.filter}`);

  if (!options.json) {
    console.log(`redcache codec bench: ${runtime.detail}`);
    console.log(
      `${cases.length} cases, ~${options.timeMs} ms each in ${ROUNDS} rounds after warm-up; ` +
        "ops = replies (decode) or commands (encode); MB = 10^6 bytes",
    );
    console.log("");
  }
  const measurements = cases.map((c) => {
    runtime.gc();
    return prepare(c, options.timeMs);
  });
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of measurements) {
      runtime.gc();
      timeBatches(m, options.timeMs / ROUNDS, 2);
    }
  }
  const results = measurements.map(summarize);
  if (options.json) {
    console.log(JSON.stringify(
      {
        runtime: runtime.name,
        version: runtime.version,
        detail: runtime.detail,
        timeMs: options.timeMs,
        results,
      },
      null,
      2,
    ));
  } else {
    console.log(table(runtime, results));
  }
  (globalThis as { __codecBlackhole?: number }).__codecBlackhole = blackhole;
}

main();
