/**
 * The workerd example (`examples/workerd/`) as a user runs it: bundled by
 * `node examples/workerd/build.mjs --outdir DIR` (a child process, so that the same esbuild runs
 * under Deno and Bun), then served by `workerd serve DIR/config.capnp -s http=127.0.0.1:0`, with
 * the Redis URLs in its environment.
 *
 * Every server has its own temporary directory and the port the OS picked (read from workerd's
 * `Listening on http://…` line), so runs on Deno and Bun at the same time cannot collide.
 * `stop()` sends SIGTERM to workerd's PID, awaits its exit (SIGKILL after 3 s) and removes the
 * directory.
 *
 * @module
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";

const ROOT = join(import.meta.dirname!, "..", "..", "..");
const WORKERD = join(ROOT, "node_modules", ".bin", "workerd");
const BUILD = join(ROOT, "examples", "workerd", "build.mjs");
const START_TIMEOUT_MS = 20_000;

const run = promisify(execFile);

/** Where the worker finds Redis. */
export interface WorkerdOptions {
  /** `redis://…`, the worker's `REDIS_URL`. */
  redisUrl: string;
  /** `rediss://…`, the worker's `REDIS_TLS_URL`, with the CA that workerd is to trust. */
  tls?: { url: string; ca: string };
}

/** A running workerd serving the example worker. */
export interface WorkerdServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  /** Size in bytes of the bundled worker. */
  readonly bundleBytes: number;
  /** What workerd printed to stderr so far (for failure messages). */
  stderr(): string;
  /** GET `path`; resolves with the status, a header getter and the body parsed as JSON. */
  json<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }>;
  /** GET `path`; resolves with the status, the headers and the body as text. */
  text(path: string): Promise<{ status: number; headers: Headers; body: string }>;
  stop(): Promise<void>;
}

/** The config line of the network that the Worker's sockets use. */
const NETWORK = '(name = "internet", network = (allow = ["public", "private"])),';

/** Bundles the example into `dir` and, for TLS, makes workerd trust `ca` there. */
async function prepare(dir: string, options: WorkerdOptions): Promise<number> {
  const { stdout } = await run("node", [BUILD, "--outdir", dir], { cwd: ROOT });
  const { bytes } = JSON.parse(stdout) as { bytes: number };
  if (options.tls !== undefined) {
    const file = join(dir, "config.capnp");
    const config = await readFile(file, "utf8");
    if (!config.includes(NETWORK)) throw new Error(`config.capnp no longer has: ${NETWORK}`);
    await writeFile(join(dir, "ca.pem"), options.tls.ca);
    const trusting = NETWORK.replace(
      "])),",
      '], tlsOptions = (trustedCertificates = [embed "ca.pem"]))),',
    );
    await writeFile(file, config.replace(NETWORK, trusting));
  }
  return bytes;
}

/** Starts workerd with the example worker; resolves once it answers `/health`. */
export async function startWorkerd(options: WorkerdOptions): Promise<WorkerdServer> {
  const dir = await mkdtemp(join(tmpdir(), "redcache-workerd-"));
  let child: ChildProcess | undefined;
  let exited = Promise.resolve();
  let errors = "";
  const stop = async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child!.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    }
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const bundleBytes = await prepare(dir, options);
    const env: Record<string, string> = { ...process.env, REDIS_URL: options.redisUrl } as never;
    if (options.tls !== undefined) env.REDIS_TLS_URL = options.tls.url;
    const started = spawn(
      WORKERD,
      ["serve", join(dir, "config.capnp"), "-s", "http=127.0.0.1:0"],
      { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    child = started;
    exited = new Promise((resolve) => started.once("close", () => resolve()));
    started.stdout!.resume();
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`workerd did not start:\n${errors}`)),
        START_TIMEOUT_MS,
      );
      started.stderr!.on("data", (chunk) => {
        errors += chunk;
        const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(errors);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      started.once("close", (code) => {
        clearTimeout(timer);
        reject(new Error(`workerd exited (${code}) before listening:\n${errors}`));
      });
    });
    const text = async (path: string) => {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, headers: response.headers, body: await response.text() };
    };
    const json = async <T>(path: string) => {
      const { status, body } = await text(path);
      try {
        return { status, body: JSON.parse(body) as T };
      } catch {
        throw new Error(`GET ${path} answered ${status} with non-JSON: ${body.slice(0, 500)}`);
      }
    };
    // Listening is not yet serving the worker: poll until it answers.
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const answer = await text("/health").catch(() => undefined);
      if (answer?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`workerd does not answer /health:\n${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return {
      url,
      bundleBytes,
      stderr: () => errors,
      json,
      text,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
