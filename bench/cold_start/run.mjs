// bench/cold_start: how long a fresh process takes to import a client, connect, run one GET and
// exit, on Deno and on Bun, for redcache, ioredis, node-redis and (on Bun) Bun.RedisClient.
//
//   node bench/cold_start/run.mjs                  20 timed runs per (runtime, client)
//   node bench/cold_start/run.mjs --runs=50        more runs
//   node bench/cold_start/run.mjs --runtimes=deno --clients=empty,redcache
//
// One redis-server on a free loopback port in a temporary directory, one key seeded. Each run
// spawns `deno run -A bench/cold_start/clients/<client>.ts` or `bun bench/cold_start/clients/
// <client>.ts` from the repository root (so Deno reads deno.json and package.json and takes npm
// packages from node_modules, as bench/e2e does) and times it here, from spawn() to the exit
// event, with process.hrtime. Each script imports its client, connects to COLD_URL, GETs
// COLD_KEY, fails unless the value is COLD_VALUE, closes and lets the process end by itself.
//
// Clients: "empty" starts the runtime and exits without importing anything (the runtime's own
// floor, shown, not subtracted); "redcache" is what a user types, `import { connect }` from the
// package entry (mod.ts); "redcache/client" imports `connect` from the client entry (client.ts,
// `@redcache/redcache/client`: the client's and pool's modules only); ioredis, node-redis and
// Bun.RedisClient (Bun only) as their READMEs show them. The ratio column is to "redcache".
//
// Before timing, every (runtime, client) runs once untimed, which also checks that it works:
// Deno's transpile and V8 code caches (DENO_DIR) and Bun's are warm after it, and the OS page
// cache holds the runtime binaries and node_modules. So the figures are a warm-cache cold start:
// a new process, not a first install. Runs are interleaved round-robin (all pairs once per
// round, the order rotated each round) so that drift in machine load hits every pair alike.
// DENO_NO_UPDATE_CHECK=1 keeps Deno from looking for a new release. The scripts read the
// environment with Deno.env on Deno: touching `process` there loads Node compatibility, ~25 ms
// that a Deno user of redcache would not pay (the npm clients load it anyway).
//
// Each script prints on stderr the epoch time (performance.timeOrigin + performance.now()) at
// the start of its body and after connect, GET and close; the second table turns those into a
// breakdown: start + import (spawn to body start), connect, GET, close, and exit (close to the
// exit event). The runtimes' clocks and ours are not the same clock, so that table is a guide
// to where the time goes; the first table is the measurement.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BIN, ROOT } from "../../scripts/_setup.mjs";
import { HOST, send, startServer, stopServer } from "../../scripts/_redis_server.mjs";

const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const RUNS = Number(arg("runs", "20"));
const RUNTIMES = arg("runtimes", "deno,bun").split(",");
const CLIENTS = arg("clients", "empty,redcache,redcache_lean,ioredis,node_redis,bun").split(",");
/** One spawn longer than this is a failure (a client that does not let its process exit). */
const TIMEOUT_MS = 20_000;

if (!Number.isInteger(RUNS) || RUNS < 1) throw new RangeError(`Invalid --runs "${arg("runs")}"`);

const LABEL = {
  empty: "empty (runtime floor)",
  redcache: "redcache",
  redcache_lean: "redcache/client",
  ioredis: "ioredis",
  node_redis: "node-redis",
  bun: "Bun.RedisClient",
};
for (const client of CLIENTS) {
  if (!(client in LABEL)) throw new TypeError(`Unknown client "${client}"`);
}

const COMMAND = {
  deno: (script) => [BIN.deno, ["run", "-A", script]],
  bun: (script) => [BIN.bun, [script]],
};
for (const runtime of RUNTIMES) {
  if (!(runtime in COMMAND)) throw new TypeError(`Unknown runtime "${runtime}"`);
}

const KEY = "cold-start:key";
const VALUE = `cold-start-${Math.random().toString(36).slice(2)}`;

/** Epoch milliseconds with sub-millisecond precision, comparable with the scripts' stamps. */
const epoch = () => performance.timeOrigin + performance.now();

/** Spawns one run; resolves with its wall time and the stamps it printed, rejects on failure. */
function runOnce(runtime, client, env) {
  const [command, args] = COMMAND[runtime](join("bench", "cold_start", "clients", `${client}.ts`));
  return new Promise((resolve, reject) => {
    const spawnedAt = epoch();
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const exitedAt = epoch();
      clearTimeout(timer);
      // "exit" can come before the last stderr data; "close" comes after both.
      child.once("close", () => {
        if (code !== 0) {
          reject(new Error(`${runtime} ${client}: exit ${code ?? signal}\n${stderr.trim()}`));
          return;
        }
        const line = stderr.trim().split("\n").at(-1) ?? "";
        let stamps;
        try {
          stamps = JSON.parse(line);
        } catch {
          reject(new Error(`${runtime} ${client}: no timing line on stderr\n${stderr.trim()}`));
          return;
        }
        resolve({ ms, spawnedAt, exitedAt, stamps });
      });
    });
  });
}

function quantile(sorted, q) {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

const median = (values) => quantile([...values].sort((a, b) => a - b), 0.5);
const fmt = (ms) => (Number.isFinite(ms) ? ms.toFixed(1) : "");

function version(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return (result.stdout ?? "").split("\n")[0].trim();
}

function packageVersion(name) {
  const file = join(ROOT, "node_modules", name, "package.json");
  return JSON.parse(readFileSync(file, "utf8")).version;
}

const pairs = RUNTIMES.flatMap((runtime) =>
  CLIENTS.filter((client) => client !== "bun" || runtime === "bun").map((client) => ({
    runtime,
    client,
    runs: [],
  }))
);

const dir = mkdtempSync(join(tmpdir(), "redcache-cold-"));
let server;
try {
  server = await startServer(dir);
  const url = `redis://${HOST}:${server.port}`;
  const reply = await send(server.port, ["SET", KEY, VALUE]);
  if (reply !== "+OK") throw new Error(`Seeding the key failed: ${reply}`);
  const env = {
    ...process.env,
    COLD_URL: url,
    COLD_KEY: KEY,
    COLD_VALUE: VALUE,
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
  };

  console.error(`warm-up: one untimed run per (runtime, client), ${pairs.length} pairs`);
  for (const pair of pairs) await runOnce(pair.runtime, pair.client, env);

  const started = Date.now();
  for (let round = 0; round < RUNS; round++) {
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[(i + round) % pairs.length];
      pair.runs.push(await runOnce(pair.runtime, pair.client, env));
    }
    process.stderr.write(`\rround ${round + 1}/${RUNS}`);
  }
  process.stderr.write(` (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
} finally {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}

const versions = [
  `deno ${version(BIN.deno, ["--version"]).replace(/^deno /, "")}`,
  `bun ${version(BIN.bun, ["--version"])}`,
  `ioredis ${packageVersion("ioredis")}`,
  `node-redis ${packageVersion("redis")}`,
  `redcache ${version("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"])}` +
  (version("git", ["-C", ROOT, "status", "--porcelain", "src", "mod.ts"])
    ? " + local changes"
    : ""),
];
console.log(
  `Cold start: spawn → import → connect → GET → close → exit, ${RUNS} runs per row ` +
    `(interleaved; one untimed warm-up each). ${cpus().length} CPUs, load ${
      loadavg()[0].toFixed(2)
    }. ${versions.join(", ")}.\n`,
);
console.log("| runtime | client | median ms | p90 ms | × redcache |");
console.log("|---|---|---:|---:|---:|");
for (const runtime of RUNTIMES) {
  const rows = pairs.filter((p) => p.runtime === runtime);
  const base = rows.find((p) => p.client === "redcache");
  const baseMedian = base ? median(base.runs.map((r) => r.ms)) : NaN;
  for (const pair of rows) {
    const sorted = pair.runs.map((r) => r.ms).sort((a, b) => a - b);
    const med = quantile(sorted, 0.5);
    const ratio = pair.client === "empty" || !base ? "" : (med / baseMedian).toFixed(2);
    console.log(
      `| ${runtime} | ${LABEL[pair.client]} | ${fmt(med)} | ${
        fmt(quantile(sorted, 0.9))
      } | ${ratio} |`,
    );
  }
}

console.log("\nWhere the time goes (medians, ms; see the note at the top of run.mjs):\n");
console.log("| runtime | client | start + import | connect | GET | close | exit |");
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const pair of pairs) {
  const part = (f) => fmt(median(pair.runs.map(f)));
  const { stamps } = pair.runs[0];
  const last = (r) => r.stamps.closed ?? r.stamps.body;
  console.log(
    `| ${pair.runtime} | ${LABEL[pair.client]} | ${part((r) => r.stamps.body - r.spawnedAt)} | ${
      "connected" in stamps ? part((r) => r.stamps.connected - r.stamps.body) : ""
    } | ${"got" in stamps ? part((r) => r.stamps.got - r.stamps.connected) : ""} | ${
      "closed" in stamps ? part((r) => r.stamps.closed - r.stamps.got) : ""
    } | ${part((r) => r.exitedAt - last(r))} |`,
  );
}
