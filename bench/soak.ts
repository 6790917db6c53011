/**
 * Chaos soak: a pool and standalone clients under steady SET/GET load while the server is
 * killed, frozen, has its clients killed, sleeps, and clients are closed and recreated.
 *
 *     deno task soak [--seconds=120] [--seed=N] [--workers=200] [--sample-ms=1000] [--faults=…]
 *     bun bench/soak.ts [--seconds=120] [--seed=N] [--workers=200] [--sample-ms=1000] [--faults=…]
 *
 * Starts its own redis-server on a free loopback port (and stops it at the end). Each worker
 * loops: SET `k:<worker>:<n>` to a fresh tagged value `v:<worker>:<n>:<op>:<random>`, then GET
 * it, each through the pool or a standalone client picked at random, with a 500 ms timeout.
 * A GET must return a value this worker could have left in that key:
 *
 * - the value of its last SET that succeeded (or nothing, if the key was never set),
 * - or any value of a SET whose outcome is unknown (timed out, or lost after it was written:
 *   it may still be applied later, even after a newer SET on another connection),
 * - or nothing, if the server was killed since (no persistence).
 *
 * Anything else is a misattribution: another command's reply reached this one. A SET must
 * reply "OK" for the same reason. Every operation must settle within 10 s. Once a second
 * `CLIENT LIST` counts the connections: never more than the pool's max, plus the standalone
 * clients, plus the admin connection (on Linux, the sockets open on our side are counted too,
 * from /proc/net/tcp, to tell real sockets from ones the server has not reaped yet). Exits 1
 * if any of these fail.
 *
 * Every 1 to 4 s one fault, at random: SIGKILL and restart (data is lost), SIGSTOP for 0.3 to
 * 1 s, `CLIENT KILL TYPE normal`, `DEBUG SLEEP 0.3`, or closing and recreating a standalone
 * client. `--faults=kill,stop,clientkill,sleep,recreate` picks some. With 200 workers the pool
 * needs one connection (it opens another only past 256 commands waiting on each); around
 * `--workers=1500` it grows to its max, which puts its bound to the test.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { type Command, connect, createPool, RedisClient, type SendOptions } from "../mod.ts";
import { type RedisServer, startRedis } from "../tests/support/redis.ts";
import { mulberry32 } from "../tests/support/random.ts";
import { collect, heapUsed } from "./support/heap.ts";

// ---------------------------------------------------------------------------------------------
// Settings

function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (arg === undefined) return fallback;
  const value = Number(arg.slice(name.length + 3));
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`Invalid --${name}: ${arg}`);
  return value;
}

const SECONDS = flag("seconds", 120);
const SEED = flag("seed", Date.now() % 2 ** 31);
const WORKERS = flag("workers", 200);
/** The faults to inject (`--faults=kill,stop,clientkill,sleep,recreate`; default all). */
const FAULT_FLAGS = ["kill", "stop", "clientkill", "sleep", "recreate"];
const FAULT_NAMES = ["kill+restart", "SIGSTOP", "CLIENT KILL", "DEBUG SLEEP", "recreate client"];
const FAULTS: number[] = (() => {
  const arg = process.argv.find((a) => a.startsWith("--faults="));
  if (arg === undefined) return [0, 1, 2, 3, 4];
  return arg.slice(9).split(",").filter((f) => f !== "").map((f) => {
    const i = FAULT_FLAGS.indexOf(f);
    if (i < 0) throw new TypeError(`Unknown fault "${f}": expected ${FAULT_FLAGS.join(", ")}`);
    return i;
  });
})();
/** How often CLIENT LIST is sampled, in ms. */
const SAMPLE_MS = flag("sample-ms", 1000);
const POOL_MAX = 8;
const STANDALONE = 3;
const ADMIN = 1;
const KEYS_PER_WORKER = 10;
const COMMAND_TIMEOUT = 500;
const UNSETTLED_AFTER = 10_000;
/** Unknown-outcome values kept per key (they could still land): bounded, newest kept. */
const MAX_GHOSTS = 64;

// ---------------------------------------------------------------------------------------------
// Helpers

const random = mulberry32(SEED);
const randInt = (n: number) => Math.floor(random() * n);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface Target {
  send<T>(command: Command, options?: SendOptions): Promise<T>;
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping

const stats = {
  started: 0,
  settled: 0,
  ok: 0,
  misattributed: 0,
  unsettled: 0,
  lateSettled: 0,
  errors: new Map<string, number>(),
  examples: new Map<string, string>(),
  faults: new Map<string, number>(),
  faultErrors: 0,
  peakClients: 0,
  peakByKind: new Map<string, number>(),
  peakProbes: 0,
  /** Our sockets to the server still open on our side (Linux /proc/net/tcp), at the peak. */
  peakOwnSockets: -1,
  peakOwnAt: "",
  samples: 0,
  sampleErrors: 0,
  overLimit: [] as string[],
  misExamples: [] as string[],
};

/** Each op in flight: when it started, and whether the watchdog has counted it. */
const inFlight = new Map<number, { at: number; what: string; flagged: boolean }>();
let nextOp = 0;

function countError(error: unknown): void {
  let kind = error instanceof Error ? error.name : typeof error;
  if (kind === "ConnectionError" && (error as { outcomeUnknown?: boolean }).outcomeUnknown) {
    kind += " (outcome unknown)";
  }
  stats.errors.set(kind, (stats.errors.get(kind) ?? 0) + 1);
  if (!stats.examples.has(kind)) stats.examples.set(kind, String((error as Error)?.message));
}

/** Marks a SET's outcome as unknown: the command may have run, or may run later. */
function isUnknownOutcome(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (error.name === "ConnectionError") {
    return (error as { outcomeUnknown?: boolean }).outcomeUnknown !== false;
  }
  // A TimeoutError (sent or not), a ProtocolError, anything else: assume it may have run.
  return error.name !== "ReplyError" && error.name !== "PoolTimeoutError";
}

/**
 * Runs one command, counted from start to settlement. Never waits more than UNSETTLED_AFTER:
 * past that the op is counted as unsettled and the worker moves on.
 */
async function op<T>(
  what: string,
  run: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown } | { ok: "unsettled" }> {
  const id = nextOp++;
  const entry = { at: Date.now(), what, flagged: false };
  inFlight.set(id, entry);
  stats.started++;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = (async () => {
    try {
      return { ok: true as const, value: await run() };
    } catch (error) {
      return { ok: false as const, error };
    } finally {
      stats.settled++;
      inFlight.delete(id);
      if (entry.flagged) stats.lateSettled++;
    }
  })();
  const watchdog = new Promise<{ ok: "unsettled" }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: "unsettled" }), UNSETTLED_AFTER);
  });
  try {
    const result = await Promise.race([settle, watchdog]);
    if (result.ok === "unsettled" && !entry.flagged) {
      entry.flagged = true;
      stats.unsettled++;
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Setup

const server: RedisServer = await startRedis({ args: ["--enable-debug-command", "yes"] });
let stopping = false;
process.on("SIGINT", () => {
  server.killNow();
  process.exit(130);
});

const url = server.url;
/** The server's generation: bumped before each kill (data is lost on restart). */
let serverEpoch = 0;

const pool = createPool({ url, max: POOL_MAX, name: "soak-pool" });
const clients: RedisClient[] = [];
for (let i = 0; i < STANDALONE; i++) clients.push(await openClient(i));
const admin = new RedisClient({ url, name: "soak-admin", commandTimeout: 3_000 });
await admin.send(["PING"]);

/** `connect()`; if the server is down just then (a restart), a client that keeps trying. */
async function openClient(i: number): Promise<RedisClient> {
  const options = { url, name: `soak-client-${i}` };
  try {
    return await connect(options);
  } catch {
    return new RedisClient(options);
  }
}

const targets = (): Target[] => [pool, pool, pool, ...clients];

// ---------------------------------------------------------------------------------------------
// Workers

interface KeyState {
  /** Value of the last SET that succeeded, or null. */
  confirmed: string | null;
  /** Server epoch when that SET was issued (a kill after it may have wiped it). */
  epoch: number;
  /** Values of SETs whose outcome is unknown. */
  ghosts: Set<string>;
}

function classify(value: unknown, worker: number, key: string): string {
  if (typeof value !== "string") return `a ${value === null ? "null" : typeof value}`;
  const m = /^v:(\d+):(\d+):/.exec(value);
  if (m === null) return `"${value.slice(0, 40)}"`;
  if (Number(m[1]) !== worker) return `worker ${m[1]}'s value`;
  if (`k:${m[1]}:${m[2]}` !== key) return `this worker's value for k:${m[1]}:${m[2]}`;
  return "an older value of this key";
}

async function worker(w: number): Promise<void> {
  const keys = new Map<string, KeyState>();
  let n = 0;
  while (!stopping) {
    const key = `k:${w}:${randInt(KEYS_PER_WORKER)}`;
    let state = keys.get(key);
    if (state === undefined) {
      state = { confirmed: null, epoch: serverEpoch, ghosts: new Set() };
      keys.set(key, state);
    }
    const value = `v:${key.slice(2)}:${n++}:${randInt(1e9).toString(36)}`;
    const setVia = targets()[randInt(targets().length)];
    const epochAtSet = serverEpoch;
    const set = await op(
      "SET",
      () => setVia.send<string>(["SET", key, value], { timeout: COMMAND_TIMEOUT }),
    );
    let failed = false;
    if (set.ok === true) {
      if (set.value === "OK") {
        state.confirmed = value;
        state.epoch = epochAtSet;
        stats.ok++;
      } else {
        stats.misattributed++;
        if (stats.misExamples.length < 10) {
          stats.misExamples.push(`SET ${key} replied ${JSON.stringify(set.value)?.slice(0, 60)}`);
        }
        state.ghosts.add(value);
      }
    } else {
      failed = true;
      if (set.ok === false) countError(set.error);
      if (set.ok === "unsettled" || isUnknownOutcome(set.error)) {
        state.ghosts.add(value);
        if (state.ghosts.size > MAX_GHOSTS) {
          state.ghosts.delete(state.ghosts.values().next().value!);
        }
      }
    }

    const getVia = targets()[randInt(targets().length)];
    const get = await op(
      "GET",
      () => getVia.send<string | null>(["GET", key], { timeout: COMMAND_TIMEOUT }),
    );
    if (get.ok === true) {
      const got = get.value;
      const possible = got === state.confirmed ||
        (typeof got === "string" && state.ghosts.has(got)) ||
        // Killed since the last confirmed SET was issued: the key may be gone.
        (got === null && serverEpoch > state.epoch);
      if (possible) {
        stats.ok++;
      } else {
        stats.misattributed++;
        if (stats.misExamples.length < 10) {
          stats.misExamples.push(
            `GET ${key} returned ${classify(got, w, key)} (${JSON.stringify(got)?.slice(0, 60)})` +
              `, expected ${
                JSON.stringify(state.confirmed)
              } or one of ${state.ghosts.size} unknown`,
          );
        }
      }
    } else {
      failed = true;
      if (get.ok === false) countError(get.error);
    }
    // After a failure, back off a little: fail-fast rejections settle at once, and 200 workers
    // looping on them would starve the event loop of the timers and sockets they wait for.
    if (failed) await sleep(5 + randInt(45));
  }
}

// ---------------------------------------------------------------------------------------------
// Faults

let lastFault = { name: "none", at: 0 };

/** When a sample was taken, relative to the last fault. */
function sinceFault(): string {
  return lastFault.at === 0
    ? "before any fault"
    : `${Date.now() - lastFault.at} ms after the start of a ${lastFault.name}`;
}

/**
 * Sockets this process has ESTABLISHED to the server's port, from /proc/net/tcp (Linux only):
 * what the clients really hold open, as opposed to what the server has not yet reaped.
 */
function ownSockets(): number | undefined {
  let table: string;
  try {
    table = readFileSync("/proc/net/tcp", "utf8");
  } catch {
    return undefined;
  }
  const port = `:${server.port.toString(16).toUpperCase().padStart(4, "0")}`;
  let n = 0;
  for (const line of table.split("\n").slice(1)) {
    const [, , remote, state] = line.trim().split(/\s+/);
    if (state === "01" && remote?.endsWith(port)) n++;
  }
  return n;
}

async function injectFault(): Promise<void> {
  const kind = FAULTS[randInt(FAULTS.length)];
  stats.faults.set(FAULT_NAMES[kind], (stats.faults.get(FAULT_NAMES[kind]) ?? 0) + 1);
  lastFault = { name: FAULT_NAMES[kind], at: Date.now() };
  try {
    switch (kind) {
      case 0:
        serverEpoch++;
        server.kill("SIGKILL");
        await server.restart();
        break;
      case 1:
        server.kill("SIGSTOP");
        await sleep(300 + randInt(701));
        server.kill("SIGCONT");
        break;
      case 2:
        await admin.send(["CLIENT", "KILL", "TYPE", "normal"]);
        break;
      case 3:
        await admin.send(["DEBUG", "SLEEP", "0.3"]);
        break;
      default: {
        const i = randInt(clients.length);
        await clients[i].close();
        clients[i] = await openClient(i);
      }
    }
  } catch (error) {
    // The admin connection may be down (a kill just before): the fault just did not happen.
    stats.faultErrors++;
    if (!stats.examples.has("fault")) stats.examples.set("fault", String(error));
  }
}

async function faults(until: number): Promise<void> {
  while (FAULTS.length > 0 && !stopping && Date.now() < until) {
    await sleep(1000 + randInt(3001));
    if (stopping || Date.now() >= until) break;
    await injectFault();
  }
}

// ---------------------------------------------------------------------------------------------
// Connection sampling and the watchdog

const LIMIT = POOL_MAX + STANDALONE + ADMIN;

function sampleOwnSockets(): number | undefined {
  const own = ownSockets();
  if (own !== undefined && own > stats.peakOwnSockets) {
    stats.peakOwnSockets = own;
    stats.peakOwnAt = sinceFault();
  }
  return own;
}

async function sampleClients(): Promise<void> {
  sampleOwnSockets(); // also while CLIENT LIST cannot answer (a frozen server)
  let list: string;
  try {
    list = await admin.send<string>(["CLIENT", "LIST"], { timeout: 2_000 });
  } catch {
    stats.sampleErrors++;
    return;
  }
  stats.samples++;
  const byKind = new Map<string, number>();
  let ours = 0;
  let probes = 0;
  for (const line of list.split("\n")) {
    const name = / name=(\S*)/.exec(line)?.[1];
    if (name === undefined) continue;
    let kind: string;
    if (name.startsWith("soak-client-")) kind = "standalone";
    else if (name.startsWith("soak-")) kind = name.slice(5);
    else if (/ cmd=ping\b/.test(line)) {
      probes++; // the readiness probe of a restart (tests/support/redis.ts): not ours
      continue;
    } else {
      kind = "unnamed"; // ours before its HELLO … SETNAME ran (or anything else): counted
    }
    ours++;
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  const own = sampleOwnSockets();
  stats.peakClients = Math.max(stats.peakClients, ours);
  stats.peakProbes = Math.max(stats.peakProbes, probes);
  for (const [kind, count] of byKind) {
    stats.peakByKind.set(kind, Math.max(stats.peakByKind.get(kind) ?? 0, count));
  }
  if (ours > LIMIT && stats.overLimit.length < 10) {
    stats.overLimit.push(
      `${new Date().toISOString()}: ${ours} ${JSON.stringify([...byKind])}, ${own ?? "?"} open ` +
        `on our side; ${sinceFault()}`,
    );
  }
}

async function sampler(): Promise<void> {
  while (!stopping) {
    const next = sleep(SAMPLE_MS);
    await sampleClients();
    await next;
  }
}

function watchdogTick(): void {
  const now = Date.now();
  for (const entry of inFlight.values()) {
    if (!entry.flagged && now - entry.at > UNSETTLED_AFTER) {
      entry.flagged = true;
      stats.unsettled++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Run

console.log(
  `soak: ${SECONDS} s, ${WORKERS} workers, pool max ${POOL_MAX} + ${STANDALONE} clients + admin, ` +
    `seed ${SEED}, ${
      typeof Deno !== "undefined"
        ? `Deno ${Deno.version.deno}`
        : `Bun ${(globalThis as { Bun?: { version: string } }).Bun?.version}`
    }, redis on ${url}, GC: ${collect.name}`,
);
const heapStart = heapUsed();
const startedAt = Date.now();
const until = startedAt + SECONDS * 1000;
const watchdog = setInterval(watchdogTick, 1000);
let lastOps = 0;
const progress = setInterval(() => {
  const elapsed = Math.round((Date.now() - startedAt) / 1000);
  const errors = [...stats.errors.values()].reduce((a, b) => a + b, 0);
  console.log(
    `  ${elapsed}s: ${stats.started} ops (${((stats.started - lastOps) / 10).toFixed(0)}/s), ` +
      `${errors} errors, ${stats.misattributed} misattributed, peak ${stats.peakClients} clients`,
  );
  lastOps = stats.started;
}, 10_000);

const sampling = sampler();
const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
await faults(until);
await sleep(Math.max(0, until - Date.now()));
stopping = true;
clearInterval(progress);
// Workers finish the op they are in: each is bounded by its timeout, or the 10 s watchdog.
await Promise.all(workers);
await sampling;
// One last sample with everything quiet.
await sampleClients();
clearInterval(watchdog);
watchdogTick();
const stillInFlight = inFlight.size;
const elapsed = (Date.now() - startedAt) / 1000;
const heapEnd = heapUsed();

await Promise.all([
  pool.close({ timeout: 2_000 }),
  ...clients.map((c) => c.close()),
  admin.close(),
]);
await server.stop();

// ---------------------------------------------------------------------------------------------
// Report

const failures: string[] = [];
if (stats.misattributed !== 0) failures.push(`${stats.misattributed} misattributions`);
if (stats.unsettled !== 0) failures.push(`${stats.unsettled} unsettled operations`);
if (stats.peakClients > LIMIT) failures.push(`${stats.peakClients} connections > ${LIMIT}`);
if (stats.started !== stats.settled + stillInFlight) failures.push("op accounting is off");

const errorTotal = [...stats.errors.values()].reduce((a, b) => a + b, 0);
const lines = [
  "",
  `soak report (${elapsed.toFixed(1)} s, seed ${SEED})`,
  `  operations started    ${stats.started} (${(stats.started / elapsed).toFixed(0)}/s)`,
  `  settled               ${stats.settled}`,
  `  successes             ${stats.ok}`,
  `  errors                ${errorTotal}`,
  ...[...stats.errors].sort((a, b) => b[1] - a[1]).map(([kind, n]) =>
    `    ${kind.padEnd(36)} ${String(n).padStart(8)}   e.g. ${
      stats.examples.get(kind)?.slice(0, 100)
    }`
  ),
  `  misattributions       ${stats.misattributed}   (must be 0)`,
  ...stats.misExamples.map((e) => `    ${e}`),
  `  unsettled (>10 s)     ${stats.unsettled}   (must be 0; ${stats.lateSettled} settled late, ${stillInFlight} never)`,
  `  faults injected       ${[...stats.faults].map(([k, n]) => `${k} ×${n}`).join(", ")}` +
  (stats.faultErrors
    ? ` (${stats.faultErrors} could not be injected: ${stats.examples.get("fault")?.slice(0, 80)})`
    : ""),
  `  peak connections      ${stats.peakClients} (limit ${LIMIT} = pool ${POOL_MAX} + ${STANDALONE} clients + admin; ` +
  `by kind ${[...stats.peakByKind].map(([k, n]) => `${k} ${n}`).join(", ")}; ` +
  `${stats.samples} samples, ${stats.sampleErrors} failed; readiness probes not counted: ${stats.peakProbes})`,
  ...stats.overLimit.map((e) => `    over the limit at ${e}`),
  `  peak own sockets      ${
    stats.peakOwnSockets < 0
      ? "unknown (no /proc/net/tcp)"
      : `${stats.peakOwnSockets} ESTABLISHED on our side (/proc/net/tcp), ${stats.peakOwnAt}`
  }`,
  `  heap                  ${mib(heapStart)} -> ${mib(heapEnd)} (${
    heapEnd >= heapStart ? "+" : ""
  }${mib(heapEnd - heapStart)}, GC: ${collect.name})`,
  failures.length === 0
    ? "  result                PASS"
    : `  result                FAIL: ${failures.join(", ")}`,
];
console.log(lines.join("\n"));
process.exit(failures.length === 0 ? 0 : 1);
