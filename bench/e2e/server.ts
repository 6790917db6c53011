/**
 * A throwaway redis-server for the end-to-end benchmark: a free loopback port
 * and a Unix socket in a fresh temporary directory, no persistence, killed and
 * cleaned up by `stop()` (and on process exit, whatever happened before).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { connect } from "../../mod.ts";

/** A running server. */
export interface E2EServer {
  host: string;
  port: number;
  /** Path of the Unix socket. */
  path: string;
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** `redis_version` from `INFO server`. */
  version: string;
  /** Kills the server and removes its directory; safe to call twice. */
  stop(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server and resolves once it answers on TCP and on its socket. */
export async function startServer(): Promise<E2EServer> {
  const dir = mkdtempSync(join(tmpdir(), "redcache-e2e-"));
  const path = join(dir, "redis.sock");
  const port = await freePort();
  const host = "127.0.0.1";
  let child: ChildProcess;
  try {
    child = spawn("redis-server", [
      "--port",
      String(port),
      "--bind",
      host,
      "--unixsocket",
      path,
      "--unixsocketperm",
      "700",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ], { stdio: "ignore" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let exited: string | undefined;
  let spawnError: Error | undefined;
  child.once("exit", (code, signal) => exited = `code ${code}, signal ${signal}`);
  child.once("error", (error) => spawnError = error);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    process.off("exit", stop);
  };
  // Never leave a server behind, even when the benchmark throws or exits early.
  process.once("exit", stop);

  const url = `redis://${host}:${port}`;
  try {
    let version = "";
    for (let attempt = 0;; attempt++) {
      if (spawnError) throw new Error(`cannot start redis-server: ${spawnError.message}`);
      if (exited) throw new Error(`redis-server exited during startup (${exited})`);
      try {
        const tcp = await connect({ url, connectTimeout: 1000, retry: () => false });
        const info = await tcp.info("server");
        await tcp.close();
        version = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
        const unix = await connect({ path, connectTimeout: 1000, retry: () => false });
        await unix.ping();
        await unix.close();
        break;
      } catch (error) {
        if (attempt >= 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return { host, port, path, url, version, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
