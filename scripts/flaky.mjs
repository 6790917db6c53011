// Hunts flaky tests: runs the whole suite (scripts/test.mjs, i.e. `npm test`) several times and
// reports every test that failed at least once, with its runtime and the runs it failed in.
//
//   npm run flaky                          5 runs of everything
//   npm run flaky -- --runs 3 --busy       3 runs with one core kept busy (a `yes` child)
//   npm run flaky -- --runs 10 tests/strategies   only the matching test files
//   TEST_RUNTIMES=bun npm run flaky        one runtime only
//
// `--busy` starts `yes > /dev/null` before the first run and kills it by PID after the last (and
// on Ctrl-C), so the suite runs with one of the machine's cores taken, as on a loaded CI host.
// Each run's output is kept in .tmp/flaky/run-K.log. The last line is `N passed, N failed`,
// counting runs; the exit code is 0 only when every run passed.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { ROOT } from "./_setup.mjs";

const USAGE = "usage: node scripts/flaky.mjs [--runs N] [--busy] [test filters…]";
const LOGS = join(ROOT, ".tmp", "flaky");
const SUMMARY = join(LOGS, "summary.json");

function parseArgs(argv) {
  const options = { runs: 5, busy: false, filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    if (arg === "--busy") options.busy = true;
    else if (arg === "--runs" || arg.startsWith("--runs=")) {
      const value = arg.includes("=") ? arg.slice("--runs=".length) : argv[++i];
      options.runs = Number(value);
      if (!Number.isInteger(options.runs) || options.runs < 1) {
        throw new Error(`--runs takes a whole number of at least 1 (got ${value})\n${USAGE}`);
      }
    } else if (arg.startsWith("-")) throw new Error(`Unknown flag ${arg}\n${USAGE}`);
    else options.filters.push(arg);
  }
  return options;
}

/** Starts `yes` with its output to /dev/null; returns a function that kills it by PID. */
function keepOneCoreBusy() {
  const child = spawn("yes", [], { stdio: "ignore" });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch { /* gone already */ }
    }
  };
  process.on("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      stop();
      process.exit(130);
    });
  }
  console.log(`busy: \`yes > /dev/null\` running as PID ${child.pid}`);
  return stop;
}

/** Runs the suite once, its output to the console and to `log`; resolves with its summary. */
function runOnce(filters, log) {
  return new Promise((resolve) => {
    rmSync(SUMMARY, { force: true });
    const file = createWriteStream(log);
    const child = spawn(process.execPath, [join(ROOT, "scripts", "test.mjs"), ...filters], {
      cwd: ROOT,
      env: { ...process.env, TEST_SUMMARY: SUMMARY },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk) => file.write(chunk));
    }
    const started = Date.now();
    child.on("close", (code) => {
      file.end();
      const seconds = (Date.now() - started) / 1000;
      const summary = existsSync(SUMMARY) ? JSON.parse(readFileSync(SUMMARY, "utf8")) : undefined;
      resolve({ code, seconds, summary });
    });
  });
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  mkdirSync(LOGS, { recursive: true });
  const stopBusy = options.busy ? keepOneCoreBusy() : () => {};
  /** "runtime: test name" -> run numbers it failed in */
  const failures = new Map();
  let failedRuns = 0;
  try {
    for (let run = 1; run <= options.runs; run++) {
      const log = join(LOGS, `run-${run}.log`);
      const { code, seconds, summary } = await runOnce(options.filters, log);
      const ran = summary ? `${summary.passed} passed, ${summary.failed} failed` : "no summary";
      console.log(
        `run ${run}/${options.runs}: ${ran} in ${seconds.toFixed(0)} s (${relative(ROOT, log)})`,
      );
      const names = summary
        ? summary.results.flatMap((r) => r.failures.map((name) => `${r.name}: ${name}`))
        : [`run exited with code ${code} and wrote no summary`];
      if (code !== 0 || names.length > 0) failedRuns++;
      for (const name of names) {
        console.log(`  ✗ ${name}`);
        failures.set(name, [...(failures.get(name) ?? []), run]);
      }
    }
  } finally {
    stopBusy();
  }
  console.log(`\n=== Tests that failed at least once (${options.busy ? "one core busy" : "idle"})`);
  if (failures.size === 0) console.log("none");
  const sorted = [...failures].sort((a, b) => b[1].length - a[1].length);
  for (const [name, runs] of sorted) {
    console.log(
      `${name}: failed in ${runs.length} of ${options.runs} runs (runs ${runs.join(", ")})`,
    );
  }
  console.log(`${options.runs - failedRuns} passed, ${failedRuns} failed`);
  process.exitCode = failedRuns === 0 ? 0 : 1;
}

await main();
