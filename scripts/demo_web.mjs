// `npm run demo:web [-- deno|bun|hono-deno|hono-bun]`: starts a throwaway redis-server and the web
// example (examples/web/) on it, on http://127.0.0.1:8000 (PORT to change), until Ctrl-C.
// Try: open /report?id=1 twice (the second is served from Redis, see the Age header), log in with
// `curl -i -d user=ada localhost:8000/login`, purge with `curl -X POST 'localhost:8000/purge?tag=report'`.
//
// `--tour` instead makes a few requests, prints what happened, and exits (0 when all went as
// expected).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BIN, ensureRuntimes, ensureTools, ROOT, SetupError } from "./_setup.mjs";
import { HOST, startServer, stopServer } from "./_redis_server.mjs";

const COMMANDS = {
  deno: [BIN.deno, ["run", "-A", "examples/web/deno.ts"]],
  bun: [BIN.bun, ["examples/web/bun.ts"]],
  "hono-deno": [BIN.deno, ["run", "-A", "examples/web/hono.ts"]],
  "hono-bun": [BIN.bun, ["examples/web/hono.ts"]],
};
const kind = process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? "deno";
const tour = process.argv.includes("--tour");
if (!(kind in COMMANDS)) {
  console.error(`Unknown server "${kind}": use one of ${Object.keys(COMMANDS).join(", ")}`);
  process.exit(2);
}

/** Starts the example; resolves with its URL once it listens. */
function startExample(redisUrl) {
  const [bin, args] = COMMANDS[kind];
  const port = tour ? "0" : (process.env.PORT ?? "8000");
  const child = spawn(bin, args, {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: redisUrl, PORT: port },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("close", resolve));
  const url = new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("close", (code) => reject(new Error(`the ${kind} server exited (${code})`)));
  });
  return { child, exited, url };
}

async function runTour(base) {
  const timed = async (label, path, init) => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, init);
    await response.arrayBuffer();
    const ms = (performance.now() - started).toFixed(1);
    console.log(
      `${label.padEnd(34)} ${response.status} in ${ms.padStart(6)} ms` +
        (response.headers.get("age") !== null ? `, Age: ${response.headers.get("age")}` : ""),
    );
    return response;
  };
  await timed("GET /report?id=7 (renders, 50 ms)", "/report?id=7");
  await timed("GET /report?id=7 (from Redis)", "/report?id=7");
  await timed("POST /purge?tag=report:7", "/purge?tag=report:7", { method: "POST" });
  await timed("GET /report?id=7 (renders again)", "/report?id=7");
  const login = await fetch(`${base}/login`, {
    method: "POST",
    body: new URLSearchParams({ user: "ada" }),
    redirect: "manual",
  });
  const cookie = login.headers.get("set-cookie")?.split(";")[0];
  console.log(
    `POST /login                        ${login.status}, cookie ${cookie?.slice(0, 12)}…`,
  );
  const home = await fetch(`${base}/`, { headers: { cookie } });
  const text = await home.text();
  console.log(`GET / with the cookie              ${home.status}: ${/Hello \w+/.exec(text)?.[0]}`);
  const { renders } = await (await fetch(`${base}/stats`)).json();
  console.log(`the report was rendered ${renders} times`);
  return renders === 2 && /Hello ada/.test(text);
}

async function main() {
  try {
    ensureRuntimes();
    ensureTools();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), "redcache-demo-web-"));
  let redis, example;
  const cleanup = async () => {
    if (example && example.child.exitCode === null) {
      example.child.kill("SIGTERM");
      await example.exited;
    }
    await stopServer(redis);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => cleanup().finally(() => process.exit(0)));
  process.once("SIGTERM", () => cleanup().finally(() => process.exit(143)));
  try {
    redis = await startServer(dir);
    const redisUrl = `redis://${HOST}:${redis.port}`;
    console.log(`redis-server ${redisUrl} (pid ${redis.child.pid})`);
    example = startExample(redisUrl);
    const base = await example.url;
    if (tour) {
      const ok = await runTour(base);
      process.exitCode = ok ? 0 : 1;
      await cleanup();
      return;
    }
    console.log(`Open ${base}/report?id=1 — Ctrl-C to stop`);
    await example.exited;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
  await cleanup();
}

await main();
