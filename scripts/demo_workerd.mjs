// `npm run demo:workerd`: starts a throwaway redis-server, bundles the workerd example
// (examples/workerd/) and serves it with the pinned workerd on http://127.0.0.1:8787 (PORT to
// change), until Ctrl-C. Try /set?key=a&value=1, /get?key=a, /page?id=1 (twice), /pipeline?key=n.
//
// `--tour` instead makes a few requests, prints what happened, and exits (0 when all went as
// expected).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { ensureRuntimes, ensureTools, ROOT, SetupError } from "./_setup.mjs";
import { HOST, startServer, stopServer } from "./_redis_server.mjs";

const WORKERD = join(ROOT, "node_modules", ".bin", "workerd");
const tour = process.argv.includes("--tour");

/** Starts workerd on the bundle in `dir`; resolves with its URL once it listens. */
function startWorkerd(dir, redisUrl) {
  const port = tour ? "0" : (process.env.PORT ?? "8787");
  const child = spawn(
    WORKERD,
    ["serve", join(dir, "config.capnp"), "-s", `http=${HOST}:${port}`],
    { env: { ...process.env, REDIS_URL: redisUrl }, stdio: ["ignore", "inherit", "pipe"] },
  );
  const exited = new Promise((resolve) => child.once("close", resolve));
  const url = new Promise((resolve, reject) => {
    let err = "";
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      err += chunk;
      const match = /Listening on (http:\/\/\S+)/.exec(err);
      if (match) resolve(match[1]);
    });
    child.once("close", (code) => reject(new Error(`workerd exited (${code})`)));
  });
  return { child, exited, url };
}

async function runTour(base) {
  const get = async (path) => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`);
    const body = await response.text();
    const ms = (performance.now() - started).toFixed(1);
    console.log(`GET ${path.padEnd(28)} ${response.status} in ${ms.padStart(6)} ms  ${body}`);
    return body;
  };
  await get("/set?key=greeting&value=hello");
  const value = await get("/get?key=greeting");
  await get("/get-or-set?key=home");
  await get("/get-or-set?key=home");
  await get("/pipeline?key=counter");
  const first = await get("/page?id=1");
  const second = await get("/page?id=1");
  await get("/reuse");
  await get("/reuse");
  return value === '{"value":"hello"}' && first === second;
}

async function main() {
  try {
    ensureRuntimes(); // npm dependencies: esbuild and workerd come with them
    ensureTools();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), "redcache-demo-workerd-"));
  let redis, worker;
  const cleanup = async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
    await stopServer(redis);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => cleanup().finally(() => process.exit(0)));
  process.once("SIGTERM", () => cleanup().finally(() => process.exit(143)));
  try {
    execFileSync("node", [join(ROOT, "examples", "workerd", "build.mjs"), "--outdir", dir], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    redis = await startServer(dir);
    const redisUrl = `redis://${HOST}:${redis.port}`;
    console.log(`redis-server ${redisUrl} (pid ${redis.child.pid})`);
    worker = startWorkerd(dir, redisUrl);
    const base = await worker.url;
    if (tour) {
      const ok = await runTour(base);
      process.exitCode = ok ? 0 : 1;
      await cleanup();
      return;
    }
    console.log(`Open ${base}/page?id=1 or ${base}/get-or-set?key=home — Ctrl-C to stop`);
    await worker.exited;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
  await cleanup();
}

await main();
