// `npm run demo`: runs examples/quickstart.ts on Deno and then on Bun against a throwaway
// redis-server (free loopback port, temporary directory, no persistence), then removes it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BIN, ensureRuntimes, ensureTools, ROOT, SetupError } from "./_setup.mjs";

const HOST = "127.0.0.1";
const EXAMPLE = "examples/quickstart.ts";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Sends raw RESP and resolves with the first reply line (rejects on connection errors). */
function send(port, command) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    const timer = setTimeout(() => socket.destroy(new Error("timeout")), 1000);
    let data = "";
    socket.once("connect", () => {
      socket.write(
        `*${command.length}\r\n${command.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`,
      );
    });
    socket.on("data", (chunk) => {
      data += chunk;
      if (data.includes("\r\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, data.indexOf("\r\n")));
      }
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function startServer(dir) {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no"];
  args.push("--daemonize", "no", "--dir", dir, "--logfile", join(dir, "redis.log"));
  const child = spawn("redis-server", args, { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("close", resolve));
  child.once("error", (error) => console.error(`redis-server: ${error.message}`));
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await send(port, ["PING"]).then((reply) => reply === "+PONG", () => false)) {
      return { port, child, exited };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  await exited;
  throw new Error(`redis-server did not start; see ${join(dir, "redis.log")}`);
}

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
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGTERM");
      const timer = setTimeout(() => server.child.kill("SIGKILL"), 3000);
      await server.exited;
      clearTimeout(timer);
    }
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
