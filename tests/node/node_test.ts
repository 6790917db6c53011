/**
 * redcache on Node.js, which is not a target runtime: without the `transport` option a client
 * fails with an error naming the option; with `examples/node/node_transport.mjs` it works over
 * TCP and TLS. The example and a probe are bundled with esbuild (Node 20 cannot load TypeScript)
 * and run by the `node` on PATH, the one CI installs the tools with.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";

const ROOT = join(import.meta.dirname!, "..", "..");
const ESBUILD = join(ROOT, "node_modules", ".bin", "esbuild");

/** Runs `command`; resolves with its exit code and output, whatever the code. */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Bundles `entry` for Node into `dir`; returns the output path. */
async function bundle(entry: string, dir: string, name: string): Promise<string> {
  const outfile = join(dir, name);
  const result = await run(ESBUILD, [
    entry,
    "--bundle",
    "--format=esm",
    "--platform=node",
    "--log-level=warning",
    `--alias:@redcache/redcache=./mod.ts`,
    `--outfile=${outfile}`,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return outfile;
}

async function node(script: string, args: string[], env: Record<string, string>) {
  const result = await run("node", [script, ...args], env);
  assert.equal(result.code, 0, `node ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout;
}

describe("Node.js", () => {
  const redis = useRedis({ tls: true });
  let dir = "";
  let main = "";
  let probe = "";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "redcache-node-"));
    main = await bundle("examples/node/main.mjs", dir, "main.mjs");
    probe = await bundle("tests/node/support/probe.mjs", dir, "probe.mjs");
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs examples/node/main.mjs: client, cache and getOrSet through the Node transport", async () => {
    const out = await node(main, [], { REDIS_URL: redis.url });
    assert.deepEqual(out.trim().split("\n"), [
      "client: hello from node",
      'cache: {"name":"Ada"}',
      "getOrSet: 42",
    ]);
    assert.equal(await redis.server.cli("GET", "node:greeting"), "hello from node");
  });

  it("without `transport`, connect() and createCache() fail at once with a TypeError naming the option", async () => {
    const out = await node(probe, ["no-transport"], { REDIS_URL: redis.url });
    const errors = JSON.parse(out) as Array<{ name: string; message: string } | null>;
    assert.equal(errors.length, 2);
    for (const error of errors) {
      assert.ok(error !== null, "expected a rejection");
      assert.equal(error.name, "TypeError");
      assert.match(error.message, /`transport` option/);
    }
  });

  it("connects over TLS with the server's CA through the Node transport", async () => {
    const caFile = join(dir, "ca.pem");
    await writeFile(caFile, redis.server.tls!.ca);
    const out = await node(probe, ["tls"], { REDIS_URL: redis.server.tlsUrl!, CA_FILE: caFile });
    assert.deepEqual(JSON.parse(out), { value: "secret-free" });
  });
});
