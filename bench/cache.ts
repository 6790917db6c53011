/**
 * The cache layer's cost: cache.get/cache.set of a 1 KiB JSON object against
 * the raw client's GET/SET plus JSON.parse/JSON.stringify, on the same pool.
 *
 *     deno run -A bench/cache.ts
 *     bun bench/cache.ts
 *
 * Each workload runs 50,000 operations as batches of 100 concurrent, and as
 * 5,000 sequential ones; five rounds interleaved; medians of ops/s, and of the
 * client's CPU time per operation (the layer's real cost: wall-clock
 * throughput on a shared 2-core machine also measures redis-server).
 */
import process from "node:process";
import { createCache } from "../mod.ts";
import { median, runtimeName, startBenchServer } from "./support/server.ts";
import { KIB_OBJECT } from "./support/values.ts";

const server = await startBenchServer();
const cache = createCache({ url: server.url, keyPrefix: "bench", max: 1 });
const pool = cache.client!;
const value = KIB_OBJECT;
const json = JSON.stringify(value);
console.log(`${runtimeName()}: value of ${json.length} bytes`);
await cache.set("obj", value, { ttl: null });
await pool.send(["SET", "raw", json]);

type Op = () => Promise<unknown>;
const ops: Record<string, Op> = {
  "cache.get": () => cache.get("obj"),
  "raw GET + JSON.parse": async () => JSON.parse(await pool.send<string>(["GET", "raw"])),
  "cache.set": () => cache.set("obj", value),
  "raw SET + JSON.stringify": () => pool.send(["SET", "raw", JSON.stringify(value), "PX", 300_000]),
};

/** Client CPU microseconds per operation of the last batched run, by op. */
const cpuPerOp = new Map<Op, number[]>();

async function batched(op: Op): Promise<number> {
  const total = 50_000;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let done = 0; done < total; done += 100) {
    const batch = new Array(100);
    for (let i = 0; i < 100; i++) batch[i] = op();
    await Promise.all(batch);
  }
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  cpuPerOp.set(op, [...cpuPerOp.get(op) ?? [], (used.user + used.system) / total]);
  return total / (elapsed / 1000);
}

async function sequential(op: Op): Promise<number> {
  const total = 5_000;
  const start = performance.now();
  for (let i = 0; i < total; i++) await op();
  return total / ((performance.now() - start) / 1000);
}

const results = new Map<string, number[]>();
for (const op of Object.values(ops)) await batched(op); // warm up
for (let round = 0; round < 5; round++) {
  for (const [name, op] of Object.entries(ops)) {
    for (const [mode, run] of [["100 concurrent", batched], ["sequential", sequential]] as const) {
      const key = `${name} | ${mode}`;
      results.set(key, [...results.get(key) ?? [], await run(op)]);
    }
  }
}
const m = (key: string) => median(results.get(key)!);
for (const key of results.keys()) {
  console.log(
    `  ${key.padEnd(42)} ${Math.round(m(key)).toLocaleString("en-US").padStart(9)} ops/s`,
  );
}
const cpu = (name: string) => median(cpuPerOp.get(ops[name])!);
for (
  const [cached, raw] of [["cache.get", "raw GET + JSON.parse"], [
    "cache.set",
    "raw SET + JSON.stringify",
  ]]
) {
  const ratio = cpu(cached) / cpu(raw);
  console.log(
    `  client CPU per op, 100 concurrent: ${cached} ${cpu(cached).toFixed(2)} µs, ${raw} ${
      cpu(raw).toFixed(2)
    } µs: ${((ratio - 1) * 100).toFixed(1)}% more`,
  );
}
for (const mode of ["100 concurrent", "sequential"]) {
  const get = m(`raw GET + JSON.parse | ${mode}`) / m(`cache.get | ${mode}`);
  const set = m(`raw SET + JSON.stringify | ${mode}`) / m(`cache.set | ${mode}`);
  console.log(
    `  cost of the cache layer, ${mode}: get ${((get - 1) * 100).toFixed(1)}%, set ${
      ((set - 1) * 100).toFixed(1)
    }%`,
  );
}
await cache.close();
server.stop();
