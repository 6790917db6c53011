/**
 * The example web servers of `examples/web/` as child processes, as a user starts them:
 * `deno run -A examples/web/deno.ts`, `bun examples/web/bun.ts`, or `examples/web/hono.ts` on
 * either runtime. Each prints `listening on http://127.0.0.1:PORT` once it accepts requests;
 * `stop()` sends SIGTERM, awaits the exit (SIGKILL after 3 s) and leaves nothing running.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import process from "node:process";

const ROOT = join(import.meta.dirname!, "..", "..", "..");
const BIN = {
  deno: join(ROOT, "node_modules", ".bin", "deno"),
  bun: join(ROOT, "node_modules", ".bin", "bun"),
};

/** Which example and which runtime runs it. */
export type ExampleKind = "deno" | "bun" | "hono-deno" | "hono-bun";

/** A running example server. */
export interface ExampleServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** What the process printed to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

function command(kind: ExampleKind): [string, string[]] {
  switch (kind) {
    case "deno":
      return [BIN.deno, ["run", "-A", "examples/web/deno.ts"]];
    case "bun":
      return [BIN.bun, ["examples/web/bun.ts"]];
    case "hono-deno":
      return [BIN.deno, ["run", "-A", "examples/web/hono.ts"]];
    case "hono-bun":
      return [BIN.bun, ["examples/web/hono.ts"]];
  }
}

/**
 * Starts an example server on a free port against `redisUrl`.
 *
 * @param env Extra environment (e.g. `SESSION_SECRET`).
 */
export async function startExample(
  kind: ExampleKind,
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<ExampleServer> {
  const [bin, args] = command(kind);
  const child: ChildProcess = spawn(bin, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, REDIS_URL: redisUrl, PORT: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr!.on("data", (chunk) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!running()) return await exited;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`${kind} example did not start:\n${errors}`)),
      30_000,
    );
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} example exited (${code}) before listening:\n${errors}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  // Keep reading stdout so the child never blocks on a full pipe.
  child.stdout!.removeAllListeners("data");
  child.stdout!.resume();
  return { url, stderr: () => errors, stop, [Symbol.asyncDispose]: stop };
}

/** The example kinds the current runtime tests: its own server, and Hono on it. */
export function examplesHere(): ExampleKind[] {
  return "Deno" in globalThis ? ["deno", "hono-deno"] : ["bun", "hono-bun"];
}
