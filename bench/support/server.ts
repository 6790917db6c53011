/**
 * A throwaway redis-server for benchmarks: free loopback port, no persistence,
 * killed on `stop()`.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import process from "node:process";
import { connect } from "../../mod.ts";

/** A running benchmark server. */
export interface BenchServer {
  url: string;
  port: number;
  stop(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server and waits until it answers. */
export async function startBenchServer(): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    try {
      const probe = await connect(url);
      await probe.close();
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  // Never leave a server behind, even when the benchmark throws.
  process.once("exit", stop);
  globalThis.addEventListener?.("unload", stop);
  return { url, port, stop };
}

/** `deno 2.9.6` or `bun 1.4.5`. */
export function runtimeName(): string {
  const bun = (globalThis as { Bun?: { version: string } }).Bun;
  return bun ? `bun ${bun.version}` : `deno ${Deno.version.deno}`;
}

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
