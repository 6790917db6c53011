// `npm run demo`: runs examples/quickstart.ts on Deno and then on Bun against a throwaway
// redis-server (free loopback port, temporary directory, no persistence), then removes it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BIN, ensureRuntimes, ensureTools, ROOT, SetupError } from "./_setup.mjs";
import { HOST, send, startServer, stopServer } from "./_redis_server.mjs";

const EXAMPLE = "examples/quickstart.ts";

function runExample(label, command, args, env) {
  console.log(`\n=== ${label}: ${[command, ...args].join(" ")}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
    child.once("error", (error) => {
      console.error(error.message);
      resolve(false);
    });
    child.once("close", (code) => resolve(code === 0));
  });
}

async function main() {
  try {
    ensureRuntimes();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  let haveRedis = true;
  try {
    ensureTools();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    // No redis-server and no way to install it: the cache part runs on memory:// instead.
    console.error(
      `${error.message}\nRunning the demo on the in-process memory:// store instead.\n`,
    );
    haveRedis = false;
  }
  if (!haveRedis) {
    const env = { ...process.env, REDIS_URL: "memory://" };
    const results = [
      ["deno", await runExample("deno", BIN.deno, ["run", "-A", EXAMPLE], env)],
      ["bun", await runExample("bun", BIN.bun, [EXAMPLE], env)],
    ];
    console.log(`\n${results.map(([name, ok]) => `${name}: ${ok ? "ok" : "FAILED"}`).join(", ")}`);
    process.exitCode = results.every(([, ok]) => ok) ? 0 : 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "redcache-demo-"));
  let server;
  const cleanup = async () => {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal) =>
    cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const results = [];
  try {
    server = await startServer(dir);
    const url = `redis://${HOST}:${server.port}`;
    console.log(`redis-server ${url} (pid ${server.child.pid})`);
    const env = { ...process.env, REDIS_URL: url };
    results.push(["deno", await runExample("deno", BIN.deno, ["run", "-A", EXAMPLE], env)]);
    await send(server.port, ["FLUSHALL"]); // each runtime starts from an empty database
    results.push(["bun", await runExample("bun", BIN.bun, [EXAMPLE], env)]);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    results.push(["setup", false]);
  } finally {
    await cleanup();
  }
  console.log(`\n${results.map(([name, ok]) => `${name}: ${ok ? "ok" : "FAILED"}`).join(", ")}`);
  process.exitCode = results.every(([, ok]) => ok) ? 0 : 1;
}

await main();
