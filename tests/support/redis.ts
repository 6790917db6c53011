/**
 * Real `redis-server` processes for integration tests.
 *
 * ```ts
 * await using redis = await startRedis({ tls: true }); // one test's own server
 * ```
 *
 * A server for a whole `describe` comes from `useRedis()` in `./use_redis.ts`, which starts it
 * in `before` and stops it in `after`.
 *
 * Every server runs on 127.0.0.1 with a free port, its own temporary directory (config, log,
 * unix socket, TLS files) and no persistence. `stop()` kills the process, awaits its exit and
 * removes the directory, leaving nothing behind for Deno's sanitizers. Servers still alive when
 * the process exits are SIGKILLed by an `exit` handler.
 *
 * `sentinel: true` starts a Sentinel instead, `cluster: true` a cluster node; `./topology.ts`
 * builds replicas, Sentinel groups and clusters out of these.
 *
 * @module
 */
import { execFile, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";
import { getTestCerts } from "./certs.ts";

/** An ACL user, written to the config as `user <name> on ><password> <rules>`. */
export interface AclUser {
  name: string;
  /** No spaces. */
  password: string;
  /** ACL rules, e.g. `"~* &* +@all"` or `"~app:* +get +set"`. */
  rules: string;
}

/** Options for {@linkcode startRedis}. */
export interface RedisOptions {
  /** Also listen on a unix socket (`<dir>/redis.sock`, permissions 700). */
  unixSocket?: boolean;
  /** Also listen for TLS on `tlsPort` (clients may present `tls.cert`; `tls-auth-clients optional`). */
  tls?: boolean;
  /** `requirepass` for the default user. */
  requirePass?: string;
  /** Extra ACL users. */
  aclUsers?: AclUser[];
  /** Extra command-line config, e.g. `["--maxmemory", "10mb"]`. */
  args?: string[];
  /** Plain port to use (e.g. to start a server where a previous one was); default: a free one. */
  port?: number;
  /** TLS port to use when `tls` is set; default: a free one. */
  tlsPort?: number;
  /**
   * Run in Sentinel mode (`redis-server <conf> --sentinel`): no persistence/replication defaults
   * are written; put the `sentinel ...` directives in `config`. Sentinel rewrites its config file
   * with its state, which `restart()` keeps. `requirePass` protects the Sentinel itself.
   */
  sentinel?: boolean;
  /**
   * A cluster node: `cluster-enabled yes`, `cluster-config-file <dir>/nodes.conf` (kept across
   * `restart()`), and a port whose cluster bus port (port + 10000) is free too.
   */
  cluster?: boolean;
  /** Extra config-file lines, written last, e.g. `["replicaof 127.0.0.1 6379"]`. */
  config?: string[];
}

/** PEM material for a TLS-enabled server. */
export interface RedisTls {
  /** CA that signed the server certificate: trust this. */
  ca: string;
  /** Client certificate (signed by `ca`) for mutual TLS. */
  cert: string;
  /** Private key of `cert`. */
  key: string;
  /** An unrelated CA: trusting only this must make the handshake fail. */
  wrongCa: string;
}

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const HOST = "127.0.0.1";

const execFileAsync = promisify(execFile);
const live = new Set<RedisServer>();
let exitHookInstalled = false;

/** A running (or stopped) `redis-server` process owned by the current test. */
export class RedisServer {
  readonly host = HOST;
  /** Plain TCP port. */
  port = 0;
  /** TLS port, when started with `tls: true`. */
  tlsPort?: number;
  /** Unix socket path, when started with `unixSocket: true`. */
  readonly unixPath?: string;
  /** PID of the current process (changes on `restart()`). */
  pid = 0;
  readonly tls?: RedisTls;
  #exited: Promise<void> = Promise.resolve();
  #running = false;
  #stderr = "";
  #stopping?: Promise<void>;

  /** Temporary directory holding config, log, socket and TLS files (removed by `stop()`). */
  readonly dir: string;
  readonly options: RedisOptions;

  /** @internal Use {@linkcode startRedis}. */
  constructor(dir: string, options: RedisOptions, tls?: RedisTls) {
    this.dir = dir;
    this.options = options;
    this.tls = tls;
    if (options.unixSocket) this.unixPath = join(dir, "redis.sock");
  }

  /** `redis://127.0.0.1:PORT` */
  get url(): string {
    return `redis://${HOST}:${this.port}`;
  }
  /** `rediss://127.0.0.1:TLSPORT`, when TLS is enabled. */
  get tlsUrl(): string | undefined {
    return this.tlsPort ? `rediss://${HOST}:${this.tlsPort}` : undefined;
  }
  /** `unix:///path/to/redis.sock`, when the unix socket is enabled. */
  get unixUrl(): string | undefined {
    return this.unixPath ? `unix://${this.unixPath}` : undefined;
  }
  /** Whether the process is currently alive (it may still be SIGSTOPped). */
  get running(): boolean {
    return this.#running;
  }

  /** Sends `signal` to the process (no-op once it exited). */
  kill(signal: "SIGKILL" | "SIGSTOP" | "SIGCONT" | "SIGTERM" | "SIGINT" = "SIGTERM"): void {
    if (this.#running) process.kill(this.pid, signal);
  }

  /** SIGTERM (then SIGKILL after a grace period), await exit, remove the directory. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#terminate();
      live.delete(this);
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.#stopping;
  }

  /** Stops the process (if still alive) and starts it again on the same port(s), same dir. */
  async restart(): Promise<void> {
    if (this.#stopping) throw new Error("restart() after stop()");
    await this.#terminate();
    await this.launch(true);
  }

  /** Runs `redis-cli` against the plain port and returns its stdout without the final newline. */
  async cli(...args: string[]): Promise<string> {
    const auth = this.options.requirePass
      ? ["--no-auth-warning", "-a", this.options.requirePass]
      : [];
    const argv = ["-h", HOST, "-p", String(this.port), ...auth, ...args];
    const { stdout } = await execFileAsync("redis-cli", argv, { encoding: "utf8" });
    return stdout.replace(/\n$/, "");
  }

  /** Same as {@linkcode stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** @internal SIGKILLs synchronously; used by the process `exit` handler. */
  killNow(): void {
    try {
      if (this.#running) process.kill(this.pid, "SIGKILL");
    } catch { /* already gone */ }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** @internal Spawns the process and waits until it answers PING. */
  async launch(samePorts: boolean): Promise<void> {
    for (let attempt = 1;; attempt++) {
      if (!samePorts) {
        this.port = this.options.port ??
          await (this.options.cluster ? freeClusterPort() : freePort());
        if (this.options.tls) this.tlsPort = this.options.tlsPort ?? await freePort();
        while (this.options.tls && !this.options.tlsPort && this.tlsPort === this.port) {
          this.tlsPort = await freePort();
        }
      }
      const logFile = join(this.dir, "redis.log");
      const logOffset = await stat(logFile).then((s) => s.size, () => 0);
      const confFile = join(this.dir, "redis.conf");
      // A restarted Sentinel keeps the config it rewrote (its id, epochs, known instances).
      const keep = samePorts && this.options.sentinel && await exists(confFile);
      if (!keep) await writeFile(confFile, this.#config(logFile));
      this.#spawn();
      try {
        await this.#waitReady();
        return;
      } catch (error) {
        await this.#terminate();
        const log = (await readFile(logFile, "utf8").catch(() => "")).slice(logOffset);
        const output = `${log}\n${this.#stderr}`.trim();
        const portTaken = /Address already in use/i.test(output);
        if (portTaken && attempt < 5) {
          if (samePorts || this.options.port) await sleep(200 * attempt);
          continue;
        }
        const tail = output.split("\n").slice(-25).join("\n");
        throw new Error(`redis-server failed to start: ${(error as Error).message}\n${tail}`);
      }
    }
  }

  #config(logFile: string): string {
    const q = (value: string) => JSON.stringify(value);
    const { options, dir } = this;
    const lines = [`bind ${HOST}`, `port ${this.port}`];
    // No persistence; a replica gets its full sync without the default 5 s wait for others.
    if (!options.sentinel) lines.push(`save ""`, `appendonly no`, "repl-diskless-sync-delay 0");
    lines.push(`daemonize no`, `dir ${q(dir)}`, `logfile ${q(logFile)}`);
    if (options.cluster) {
      lines.push("cluster-enabled yes", `cluster-config-file ${q(join(dir, "nodes.conf"))}`);
    }
    if (this.unixPath) lines.push(`unixsocket ${q(this.unixPath)}`, "unixsocketperm 700");
    if (options.tls) {
      lines.push(
        `tls-port ${this.tlsPort}`,
        `tls-cert-file ${q(join(dir, "server.crt"))}`,
        `tls-key-file ${q(join(dir, "server.key"))}`,
        `tls-ca-cert-file ${q(join(dir, "ca.crt"))}`,
        "tls-auth-clients optional",
      );
    }
    if (options.requirePass) lines.push(`requirepass ${q(options.requirePass)}`);
    // Same password to replicate from, so a demoted primary (failover) can sync from its successor.
    if (options.requirePass && !options.sentinel) {
      lines.push(`masterauth ${q(options.requirePass)}`);
    }
    for (const user of options.aclUsers ?? []) {
      lines.push(`user ${user.name} on >${user.password} ${user.rules}`);
    }
    lines.push(...(options.config ?? []));
    return lines.join("\n") + "\n";
  }

  #spawn(): void {
    const args = [
      join(this.dir, "redis.conf"),
      ...(this.options.sentinel ? ["--sentinel"] : []),
      ...(this.options.args ?? []),
    ];
    const child = spawn("redis-server", args, { stdio: ["ignore", "ignore", "pipe"] });
    this.#stderr = "";
    this.#running = true;
    this.pid = child.pid ?? 0;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-8192);
    });
    this.#exited = new Promise<void>((resolve) => {
      const done = () => {
        this.#running = false;
        resolve();
      };
      child.once("close", done);
      child.once("error", (error) => {
        this.#stderr += `\n${error.message}`;
        done();
      });
    });
    live.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      const killAll = () => live.forEach((server) => server.killNow());
      process.on("exit", killAll);
      // Under `deno test`, 'exit' does not fire when a test module ends; 'unload' does.
      if (typeof Deno !== "undefined") globalThis.addEventListener("unload", killAll);
    }
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let lastError = "no answer";
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      if (!this.#running) throw new Error("process exited");
      try {
        const reply = await pingOnce(this.port);
        // NOAUTH/NOPERM: the server is up, it just wants credentials.
        if (/^(\+PONG|-NOAUTH|-NOPERM)/.test(reply)) return;
        lastError = reply;
      } catch (error) {
        lastError = (error as Error).message;
      }
      await sleep(Math.min(50, 5 * attempt));
    }
    throw new Error(`not ready after ${READY_TIMEOUT_MS} ms (last: ${lastError})`);
  }

  /** Ends the current process: SIGTERM (+SIGCONT in case it is stopped), SIGKILL after grace. */
  async #terminate(): Promise<void> {
    if (this.#running) {
      try {
        process.kill(this.pid, "SIGTERM");
        process.kill(this.pid, "SIGCONT");
      } catch { /* exited meanwhile */ }
      if (!await within(this.#exited, STOP_GRACE_MS) && this.#running) {
        try {
          process.kill(this.pid, "SIGKILL");
        } catch { /* exited meanwhile */ }
      }
    }
    await this.#exited;
  }
}

/**
 * Starts a `redis-server` and resolves once it answers PING.
 * Always pair with `stop()` (e.g. in `after`), or use `await using`.
 */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "redcache-redis-"));
  try {
    let tls: RedisTls | undefined;
    if (options.tls) {
      const certs = await getTestCerts();
      await writeFile(join(dir, "ca.crt"), certs.ca);
      await writeFile(join(dir, "server.crt"), certs.serverCert);
      await writeFile(join(dir, "server.key"), certs.serverKey, { mode: 0o600 });
      tls = { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey, wrongCa: certs.wrongCa };
    }
    const server = new RedisServer(dir, options, tls);
    await server.launch(false);
    return server;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A port that was free a moment ago on 127.0.0.1, whose cluster bus port (+10000) was too. */
export async function freeClusterPort(): Promise<number> {
  for (let attempt = 1;; attempt++) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && await canListen(port + 10_000)) return port;
    if (attempt >= 100) throw new Error("no free port with a free cluster bus port (+10000)");
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Sends one RESP `PING` on a fresh connection and resolves with the first reply line. */
function pingOnce(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    let buffer = "";
    let settled = false;
    const finish = (error: Error | undefined, line = "") => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      if (error) reject(error);
      else resolve(line);
    };
    const timer = setTimeout(() => finish(new Error("PING timed out")), 1000);
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      const end = buffer.indexOf("\r\n");
      if (end >= 0) finish(undefined, buffer.slice(0, end));
    });
    socket.once("error", (error) => finish(error));
    socket.once("close", () => finish(new Error("connection closed")));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true if `promise` settles within `ms`, false otherwise; never leaves a timer. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
