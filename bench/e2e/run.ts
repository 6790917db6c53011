/**
 * End-to-end benchmark: redcache (one client, and a pool of 4) against
 * ioredis, node-redis and, on Bun, Bun.RedisClient, on a redis-server it
 * starts itself.
 *
 *     deno run -A bench/e2e/run.ts [flags]
 *     bun bench/e2e/run.ts [flags]
 *
 * Flags:
 *   --quick                 N divided by 10 and a single round (smoke test)
 *   --only=a,b              workloads by id or title: sequential-get, concurrent-get,
 *                           pipelined-set, get-1mib, get-1mib-ascii, get-1mib-utf8,
 *                           mget-100, mixed-get
 *   --json                  print the results as JSON on stdout (progress stays on stderr)
 *   --unix                  connect every client through the server's Unix socket
 *   --rounds=3              interleaved rounds (client order rotated each round)
 *   --n=20000               number of GETs in the sequential GET workload
 *   --node-redis-pipeline=promise-all|exec-as-pipeline
 *                           how node-redis pipelines its 1,000 SETs
 *   --before=DIR            also run the redcache in DIR (e.g. a git worktree at an older
 *                           commit) as a column of its own, "redcache before"
 *   --hooks                 also run a redcache client with no-op command hooks,
 *                           "redcache hooks" (what the hooks cost)
 *
 * Every client is checked for correct replies before anything is timed; a
 * wrong value stops the run with exit code 1. The server is killed at the end,
 * also on error.
 *
 * @module
 */
import process from "node:process";
import { resolve } from "node:path";
import { cpus, loadavg } from "node:os";
import { setTimeout as nodeSetTimeout } from "node:timers";
import { adapter as bunAdapter } from "./clients/bun.ts";
import { adapter as ioredisAdapter } from "./clients/ioredis.ts";
import {
  adapter as nodeRedisAdapter,
  type NodeRedisPipelineMode,
  pipelineMode,
} from "./clients/node_redis.ts";
import { adapter as redcacheClientAdapter } from "./clients/redcache_client.ts";
import { adapter as redcachePoolAdapter } from "./clients/redcache_pool.ts";
import { BEFORE, beforeAdapter } from "./clients/redcache_before.ts";
import { adapter as hooksAdapter, HOOKS } from "./clients/redcache_hooks.ts";
import { type E2EServer, startServer } from "./server.ts";
import { formatNumber, markdownTable, median } from "./stats.ts";
import type { BenchClient, ClientAdapter, Measurement, Target, Workload } from "./types.ts";
import { workload as concurrentGet } from "./workloads/concurrent_get.ts";
import { workload as get1Mib } from "./workloads/get_1mib.ts";
import {
  asciiWorkload as get1MibAscii,
  utf8Workload as get1MibUtf8,
} from "./workloads/get_string.ts";
import { workload as mget100 } from "./workloads/mget_100.ts";
import { workload as mixedGet } from "./workloads/mixed_get.ts";
import { workload as pipelinedSet } from "./workloads/pipelined_set.ts";
import { workload as sequentialGet } from "./workloads/sequential_get.ts";

const ADAPTERS: ClientAdapter[] = [
  redcacheClientAdapter,
  redcachePoolAdapter,
  ioredisAdapter,
  nodeRedisAdapter,
  bunAdapter,
];
const WORKLOADS: Workload[] = [
  sequentialGet,
  concurrentGet,
  pipelinedSet,
  get1Mib,
  get1MibAscii,
  get1MibUtf8,
  mget100,
  mixedGet,
];
const REDCACHE = new Set([redcacheClientAdapter.name, redcachePoolAdapter.name]);

interface Options {
  quick: boolean;
  json: boolean;
  unix: boolean;
  rounds: number;
  n?: number;
  only?: Workload[];
  nodeRedisPipeline: NodeRedisPipelineMode;
  before?: string;
  hooks: boolean;
}

const USAGE =
  "usage: run.ts [--quick] [--only=workload,…] [--json] [--unix] [--rounds=N] [--n=N] " +
  "[--node-redis-pipeline=promise-all|exec-as-pipeline] [--before=DIR] [--hooks]";

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function positiveInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new TypeError(`${flag} expects a positive whole number, got "${value}"`);
  }
  return Number(value);
}

function parseArgs(args: string[]): Options {
  const options: Options = {
    quick: false,
    json: false,
    unix: false,
    rounds: 3,
    nodeRedisPipeline: pipelineMode.value,
    hooks: false,
  };
  let rounds: number | undefined;
  for (const arg of args) {
    const [flag, value] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (flag === "--quick" && value === undefined) options.quick = true;
    else if (flag === "--json" && value === undefined) options.json = true;
    else if (flag === "--unix" && value === undefined) options.unix = true;
    else if (flag === "--hooks" && value === undefined) options.hooks = true;
    else if (flag === "--rounds" && value !== undefined) rounds = positiveInteger(flag, value);
    else if (flag === "--n" && value !== undefined) options.n = positiveInteger(flag, value);
    else if (flag === "--only" && value !== undefined) {
      options.only = value.split(",").filter((name) => name !== "").map((name) => {
        const found = WORKLOADS.find((w) =>
          slug(w.id) === slug(name) || slug(w.title) === slug(name)
        );
        if (!found) {
          throw new TypeError(
            `unknown workload "${name}"; expected one of ${WORKLOADS.map((w) => w.id).join(", ")}`,
          );
        }
        return found;
      });
    } else if (flag === "--node-redis-pipeline" && value !== undefined) {
      if (value !== "promise-all" && value !== "exec-as-pipeline") {
        throw new TypeError(`--node-redis-pipeline expects promise-all or exec-as-pipeline`);
      }
      options.nodeRedisPipeline = value;
    } else if (flag === "--before" && value !== undefined) {
      options.before = resolve(value);
    } else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      throw new TypeError(`unknown flag "${arg}"\n${USAGE}`);
    }
  }
  options.rounds = rounds ?? (options.quick ? 1 : 3);
  return options;
}

function runtimeName(): string {
  const bun = (globalThis as { Bun?: { version: string } }).Bun;
  if (bun) return `bun ${bun.version}`;
  return `deno ${Deno.version.deno} (V8 ${Deno.version.v8})`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof nodeSetTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = nodeSetTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The counts of one run of `workload` with these options. */
function countFor(workload: Workload, options: Options): number {
  const base = workload === sequentialGet && options.n !== undefined ? options.n : workload.count;
  return options.quick ? Math.max(1, Math.floor(base / 10)) : base;
}

interface Cell {
  values: number[];
  p50s: number[];
  p99s: number[];
}

interface WorkloadResult {
  workload: Workload;
  count: number;
  cells: Map<string, Cell>;
}

function describeMeasurement(workload: Workload, m: Measurement): string {
  let text = `${formatNumber(m.value).padStart(11)} ${workload.unit}`;
  if (m.p50 !== undefined) {
    text += `  p50 ${formatNumber(m.p50)} µs, p99 ${formatNumber(m.p99!)} µs`;
  }
  return text;
}

function ratioOf(
  result: WorkloadResult,
): { ratio: number; redcache: string; other: string; before?: number } | null {
  let best: [string, number] | undefined;
  let other: [string, number] | undefined;
  for (const [name, cell] of result.cells) {
    const value = median(cell.values);
    if (name === BEFORE || name === HOOKS) continue;
    if (REDCACHE.has(name)) {
      if (!best || value > best[1]) best = [name, value];
    } else if (!other || value > other[1]) other = [name, value];
  }
  if (!best || !other) return null;
  const before = result.cells.get(BEFORE);
  return {
    ratio: best[1] / other[1],
    redcache: best[0],
    other: other[0],
    ...(before ? { before: median(before.values) / other[1] } : {}),
  };
}

function report(
  results: WorkloadResult[],
  clients: string[],
  header: Record<string, string>,
  notes: string[],
  options: Options,
): string {
  const out: string[] = [];
  out.push(`## End-to-end, ${header.runtime}`, "");
  for (const [key, value] of Object.entries(header)) out.push(`- ${key}: ${value}`);
  out.push("");
  const rows = results.map((r) => {
    const ratio = ratioOf(r);
    return [
      `${r.workload.title} (${r.workload.unit})`,
      ...clients.map((name) => formatNumber(median(r.cells.get(name)?.values ?? []))),
      ratio ? `${ratio.ratio.toFixed(2)}× (${ratio.redcache} / ${ratio.other})` : "–",
      ...(options.before ? [ratio?.before ? `${ratio.before.toFixed(2)}×` : "–"] : []),
    ];
  });
  const ratioHeads = [
    "best redcache / best other",
    ...(options.before ? [`${BEFORE} / best other`] : []),
  ];
  out.push(markdownTable(["workload", ...clients, ...ratioHeads], rows), "");
  const sequential = results.find((r) => r.workload === sequentialGet);
  if (sequential) {
    const latency = (pick: (cell: Cell) => number[]) =>
      clients.map((name) => {
        const cell = sequential.cells.get(name);
        return cell ? formatNumber(median(pick(cell))) : "–";
      });
    out.push(
      markdownTable(["sequential GET latency (µs)", ...clients], [
        ["p50", ...latency((c) => c.p50s)],
        ["p99", ...latency((c) => c.p99s)],
      ]),
      "",
    );
  }
  if (options.rounds > 1) {
    const spread = results.map((r) => [
      r.workload.title,
      ...clients.map((name) => {
        const values = r.cells.get(name)?.values ?? [];
        if (values.length === 0) return "–";
        return `${formatNumber(Math.min(...values))}–${formatNumber(Math.max(...values))}`;
      }),
    ]);
    out.push(markdownTable(["min–max over rounds", ...clients], spread), "");
  }
  out.push("Workloads:");
  for (const r of results) out.push(`- ${r.workload.title}: ${r.workload.describe(r.count)}`);
  out.push("", "Clients:");
  for (const note of notes) out.push(`- ${note}`);
  return out.join("\n");
}

async function main(options: Options): Promise<void> {
  const workloads = options.only ?? WORKLOADS;
  pipelineMode.value = options.nodeRedisPipeline;
  const adapters = ADAPTERS.filter((a) => a.available());
  if (options.before) adapters.splice(2, 0, beforeAdapter(options.before));
  if (options.hooks) adapters.splice(2, 0, hooksAdapter);
  const loadBefore = loadavg();

  let server: E2EServer | undefined;
  const clients: BenchClient[] = [];
  let seed: BenchClient | undefined;
  const onSignal = () => {
    server?.stop();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    server = await startServer();
    const target: Target = {
      host: server.host,
      port: server.port,
      path: server.path,
      unix: options.unix,
    };
    seed = await redcacheClientAdapter.create({ ...target, unix: false });
    for (const adapter of adapters) {
      try {
        clients.push(await withTimeout(adapter.create(target), 10_000, `${adapter.name} connect`));
      } catch (error) {
        throw new Error(`${adapter.name}: cannot connect: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    const counts = new Map(workloads.map((w) => [w, countFor(w, options)]));
    log(
      `${runtimeName()}: ${clients.map((c) => c.name).join(", ")}; ` +
        `redis-server ${server.version} over ${options.unix ? "Unix socket" : "TCP"}`,
    );

    for (const workload of workloads) await workload.setup(seed);
    for (const workload of workloads) {
      for (const client of clients) await workload.verify(client, seed);
    }
    log(
      `verified: every client returns the expected values for ${
        workloads.map((w) => w.id).join(", ")
      }`,
    );

    // Warm-up: a tenth of a run of everything, not recorded.
    for (const workload of workloads) {
      for (const client of clients) {
        await workload.run(client, Math.max(1, Math.floor(counts.get(workload)! / 10)));
      }
    }

    const results: WorkloadResult[] = workloads.map((workload) => ({
      workload,
      count: counts.get(workload)!,
      cells: new Map(clients.map((c) => [c.name, { values: [], p50s: [], p99s: [] }])),
    }));
    for (let round = 0; round < options.rounds; round++) {
      const shift = round % clients.length;
      const order = [...clients.slice(shift), ...clients.slice(0, shift)];
      for (const result of results) {
        for (const client of order) {
          const m = await result.workload.run(client, result.count);
          const cell = result.cells.get(client.name)!;
          cell.values.push(m.value);
          if (m.p50 !== undefined) cell.p50s.push(m.p50);
          if (m.p99 !== undefined) cell.p99s.push(m.p99);
          log(
            `[round ${round + 1}/${options.rounds}] ${result.workload.title.padEnd(15)} ` +
              `${client.name.padEnd(16)} ${describeMeasurement(result.workload, m)}`,
          );
        }
      }
    }

    const loadAfter = loadavg();
    const header: Record<string, string> = {
      runtime: runtimeName(),
      clients: [...new Set(adapters.map((a) => a.version()))].join(", "),
      "redis-server": `${server.version} (--save "" --appendonly no), ${
        options.unix ? `Unix socket ${server.path}` : `TCP ${server.host}:${server.port}`
      }`,
      machine: `${cpus().length} CPUs, load average ${
        loadBefore.map((l) => l.toFixed(2)).join(" ")
      } ` +
        `before, ${loadAfter.map((l) => l.toFixed(2)).join(" ")} after`,
      method: `${options.rounds} round${options.rounds > 1 ? "s" : ""} interleaved, ` +
        `client order rotated each round, median per cell` +
        (options.quick ? "; --quick: N / 10, smoke test only" : ""),
    };
    const names = clients.map((c) => c.name);
    const notes = adapters.map((a) => a.note());
    if (options.json) {
      console.log(JSON.stringify(
        {
          ...header,
          quick: options.quick,
          unix: options.unix,
          rounds: options.rounds,
          workloads: results.map((r) => ({
            id: r.workload.id,
            title: r.workload.title,
            unit: r.workload.unit,
            count: r.count,
            description: r.workload.describe(r.count),
            ratio: ratioOf(r),
            clients: Object.fromEntries(names.map((name) => {
              const cell = r.cells.get(name)!;
              return [name, {
                median: median(cell.values),
                rounds: cell.values,
                ...(cell.p50s.length ? { p50us: median(cell.p50s), p99us: median(cell.p99s) } : {}),
              }];
            })),
          })),
          notes,
        },
        null,
        2,
      ));
    } else {
      console.log(report(results, names, header, notes, options));
    }
  } finally {
    for (const client of [...clients, ...(seed ? [seed] : [])]) {
      try {
        await withTimeout(client.close(), 5_000, `${client.name} close`);
      } catch (error) {
        log(`warning: ${client.name}: ${(error as Error).message}`);
      }
    }
    server?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

let exitCode = 0;
try {
  await main(parseArgs(process.argv.slice(2)));
} catch (error) {
  log(`FAILED: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  exitCode = 1;
}
process.exitCode = exitCode;
// Some client may keep a timer alive after close(); do not hang on it.
nodeSetTimeout(() => process.exit(exitCode), 2_000).unref();
