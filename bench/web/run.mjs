// bench/web: requests/s of a page served by `cacheResponses` (hits) against the same handler
// uncached (~5 ms of work per request) and against a static `Response`, on Deno.serve and
// Bun.serve, with autocannon (Node) as the load generator. It also reads the server process's CPU
// time from /proc before and after each run, so the cost of a hit over a static Response is
// measured in CPU µs per request (target: ≤ 50 µs plus one Redis round trip).
//
//   node bench/web/run.mjs                     10 s per case, 50 connections, Deno and Bun
//   node bench/web/run.mjs --seconds=5 --connections=20 --runtimes=bun
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import autocannon from "autocannon";
import { BIN, ROOT } from "../../scripts/_setup.mjs";
import { startServer, stopServer } from "../../scripts/_redis_server.mjs";

const flag = (name, fallback) => {
  const found = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return found === undefined ? fallback : found.slice(name.length + 3);
};
const SECONDS = Number(flag("seconds", "10"));
const CONNECTIONS = Number(flag("connections", "50"));
const RUNTIMES = flag("runtimes", "deno,bun").split(",");
const MODES = ["static", "uncached", "cached"];
const TICK_US = 1e6 / 100; // USER_HZ: /proc reports CPU time in 1/100 s

/** User + system CPU time of a process, in µs. */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime, stime (fields 14, 15)
}

/** Starts bench/web/server.ts on `runtime`; resolves with its port, pid and a stop function. */
function startWeb(runtime, mode, redisUrl) {
  const args = runtime === "deno" ? ["run", "-A", "bench/web/server.ts"] : ["bench/web/server.ts"];
  const child = spawn(BIN[runtime], args, {
    cwd: ROOT,
    env: { ...process.env, MODE: mode, PORT: "0", REDIS_URL: redisUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("close", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\d+) (\d+)/.exec(out);
      if (match) {
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({
          port: Number(match[1]),
          pid: Number(match[2]),
          stop: async () => {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    });
    child.once("close", (code) => reject(new Error(`${runtime} server exited (${code})`)));
  });
}

function load(url, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds }, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

async function measure(runtime, mode, redis) {
  const web = await startWeb(runtime, mode, redis.url);
  try {
    const url = `http://127.0.0.1:${web.port}/report`;
    await load(url, 2); // warm up: JIT, connections, and the cached page stored
    const cpuBefore = cpuMicros(web.pid);
    const redisBefore = cpuMicros(redis.pid);
    const result = await load(url, SECONDS);
    const requests = result.requests.total;
    const cpu = (cpuMicros(web.pid) - cpuBefore) / requests;
    const redisCpu = (cpuMicros(redis.pid) - redisBefore) / requests;
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${runtime} ${mode}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    }
    return {
      runtime,
      mode,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpu,
      redisCpu,
    };
  } finally {
    await web.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), "redcache-bench-web-"));
const server = await startServer(dir);
const redis = { url: `redis://127.0.0.1:${server.port}`, pid: server.child.pid };
const rows = [];
try {
  for (const runtime of RUNTIMES) {
    for (const mode of MODES) rows.push(await measure(runtime, mode, redis));
  }
} finally {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}

const fixed = (n, digits = 0) => n.toFixed(digits).padStart(8);
console.log(
  `\n${SECONDS} s per case, ${CONNECTIONS} connections (autocannon ${
    JSON.parse(readFileSync(join(ROOT, "node_modules/autocannon/package.json"), "utf8")).version
  })`,
);
console.log("runtime  mode        req/s   p50 ms   p99 ms  server CPU µs/req  redis CPU µs/req");
for (const r of rows) {
  console.log(
    `${r.runtime.padEnd(8)} ${r.mode.padEnd(9)}${fixed(r.rps)} ${fixed(r.p50, 1)} ${
      fixed(r.p99, 1)
    } ${fixed(r.cpu, 1).padStart(18)} ${fixed(r.redisCpu, 1).padStart(17)}`,
  );
}
for (const runtime of RUNTIMES) {
  const of = (mode) => rows.find((r) => r.runtime === runtime && r.mode === mode);
  const cached = of("cached"), uncached = of("uncached"), plain = of("static");
  console.log(
    `${runtime}: cached ${(cached.rps / uncached.rps).toFixed(1)}× the uncached req/s, ${
      (cached.rps / plain.rps).toFixed(2)
    }× a static Response; a hit costs ${(cached.cpu - plain.cpu).toFixed(1)} µs of server CPU ` +
      `over a static Response (plus ${cached.redisCpu.toFixed(1)} µs in Redis)`,
  );
}
