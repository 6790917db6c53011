/**
 * The near cache (`nearCache` on `createCache()`): what a hit from process
 * memory buys over a round trip to Redis.
 *
 *     deno run -A bench/near_cache.ts
 *     bun bench/near_cache.ts
 *
 * 1. Hits of one 1 KiB JSON object (the object of `bench/cache.ts`):
 *    `cache.get` on a cache with `nearCache: true` (each hit a fresh copy),
 *    with `nearCache: { clone: false }` (each hit the one frozen object), and
 *    on a cache without a near cache, each sequential (`await` one after the
 *    other) and as batches of 100 concurrent. Each case runs for 1 s per
 *    round, 3 rounds interleaved (the order rotated); medians of ops/s.
 * 2. A mixed workload: 100,000 keys of ~200 B JSON objects, keys drawn from
 *    a Zipf distribution (s = 1.0, inverse CDF, seeded), 90% `get` through
 *    the cache and 10% `SET` by a second client (bentocache: its own `set`),
 *    with and without a near cache of 10,000 entries: 200,000
 *    operations per round as batches of 100 concurrent, and 20,000
 *    sequential ones; fresh draws each round and mode, the same for every
 *    cache; 3 rounds after one to warm up; medians of ops/s and of the
 *    client's CPU time per operation, and the near cache's hit rate (from
 *    `cache.stats().near`).
 *
 * Every cache has a pool of one connection (`max: 1`). Flags:
 *
 * - `--bentocache=DIR` adds bentocache (L1 memory, L2 Redis, Redis bus) to
 *   both parts, loaded from `DIR/node_modules`, which has to be installed
 *   beforehand, outside this repository:
 *   `npm install --prefix DIR bentocache@1.6.1 ioredis@5`.
 * - `--quick` runs short rounds (a smoke test, not a measurement).
 */
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { connect, createCache } from "../mod.ts";
import type { Cache } from "../mod.ts";
import { median, runtimeName, startBenchServer } from "./support/server.ts";
import { KIB_OBJECT } from "./support/values.ts";

const quick = process.argv.includes("--quick");
const bentoDir = process.argv.find((a) => a.startsWith("--bentocache="))?.slice(13);
const ROUNDS = 3;
const CASE_MS = quick ? 200 : 1_000;
const ZIPF_KEYS = 100_000;
const ZIPF_OPS = quick ? 20_000 : 200_000;
const ZIPF_SEQ_OPS = quick ? 4_000 : 20_000;
const ZIPF_S = 1.0;
const NEAR_ENTRIES = 10_000;
const BATCH = 100;

const server = await startBenchServer();
const started = performance.now();
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const range = (values: number[]) =>
  `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A cache under test: redcache's, or bentocache's behind the same two calls. */
interface Subject {
  name: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  /** Writes many values before a run. */
  fill(entries: [string, unknown][]): Promise<void>;
  /** The near cache's counters (redcache's near caches only). */
  near(): ReturnType<Cache["stats"]>["near"];
  close(): Promise<void>;
}

function redcache(name: string, cache: Cache): Subject {
  return {
    name,
    get: (key) => cache.get(key),
    set: (key, value) => cache.set(key, value),
    fill: async (entries) => {
      for (let i = 0; i < entries.length; i += 1_000) {
        await cache.setMany(entries.slice(i, i + 1_000));
      }
    },
    near: () => cache.stats().near,
    close: () => cache.close(),
  };
}

// bentocache, when asked for: its own ioredis connections to the same server.
type Bento = {
  get(options: { key: string }): Promise<unknown>;
  set(options: { key: string; value: unknown; ttl?: string }): Promise<unknown>;
  disconnectAll(): Promise<void>;
};
type BentoFactory = (prefix: string, serialize: boolean) => Bento;
let bentocache: BentoFactory | undefined;
if (bentoDir !== undefined) {
  const lib = (path: string) =>
    import(pathToFileURL(join(bentoDir, "node_modules/bentocache/build", path)).href);
  const { BentoCache, bentostore } = await lib("index.js");
  const { memoryDriver } = await lib("src/drivers/memory.js");
  const { redisBusDriver, redisDriver } = await lib("src/drivers/redis.js");
  const connection = { host: "127.0.0.1", port: server.port };
  bentocache = (prefix, serialize) =>
    new BentoCache({
      default: "tiered",
      prefix,
      serializeL1: serialize,
      stores: {
        tiered: bentostore()
          .useL1Layer(memoryDriver({ maxItems: NEAR_ENTRIES, serialize }))
          .useL2Layer(redisDriver({ connection }))
          .useBus(redisBusDriver({ connection })),
      },
    });
  // ioredis may reject a command of a connection that bentocache is closing.
  process.on("unhandledRejection", (error) => {
    if ((error as Error)?.message !== "Connection is closed.") throw error;
  });
}

function bento(name: string, cache: Bento): Subject {
  return {
    name,
    get: (key) => cache.get({ key }),
    set: (key, value) => cache.set({ key, value, ttl: "5m" }),
    fill: async (entries) => {
      for (let i = 0; i < entries.length; i += 1_000) {
        await Promise.all(
          entries.slice(i, i + 1_000).map(([key, value]) => cache.set({ key, value, ttl: "5m" })),
        );
      }
    },
    near: () => undefined,
    close: () => cache.disconnectAll(),
  };
}

// ---------------------------------------------------------------------------
// 1. Hit throughput of one 1 KiB object.

const value = KIB_OBJECT;
const json = JSON.stringify(value);
console.log(`${runtimeName()}: value of ${json.length} bytes`);

const url = server.url;
const hitSubjects = [
  redcache("no near cache", createCache({ url, keyPrefix: "bench", max: 1 })),
  redcache("near, clone: true", createCache({ url, keyPrefix: "bench", max: 1, nearCache: true })),
  redcache(
    "near, clone: false",
    createCache({ url, keyPrefix: "bench", max: 1, nearCache: { clone: false } }),
  ),
];
if (bentocache !== undefined) {
  hitSubjects.push(bento("bentocache, L1 serialize", bentocache("bench-bento", true)));
  hitSubjects.push(bento("bentocache, L1 serialize: false", bentocache("bench-bento", false)));
}
await hitSubjects[0].fill([["obj", value]]);
// Each bentocache writes its own copy: with serializeL1: false, bentocache 1.6.1 puts the
// serialized L2 entry in L1 on an L2 hit, then fails to read it back.
for (const subject of hitSubjects.slice(3)) await subject.fill([["obj", value]]);
for (const subject of hitSubjects) {
  const got = await subject.get("obj"); // for the near caches: the miss that fills memory
  if (JSON.stringify(got) !== json) throw new Error(`${subject.name}: wrong value`);
}

type Op = () => Promise<unknown>;
/** Operations done and seconds taken. */
type Run = { ops: number; seconds: number };

/** `op` awaited one after the other, for about `ms`. */
async function sequential(op: Op, ms: number): Promise<Run> {
  let ops = 0;
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < 1_000; i++) await op();
    ops += 1_000;
    now = performance.now();
  } while (now - start < ms);
  return { ops, seconds: (now - start) / 1000 };
}

/** `op` as batches of 100 concurrent, for about `ms`. */
async function concurrent(op: Op, ms: number): Promise<Run> {
  let ops = 0;
  const start = performance.now();
  let now = start;
  const batch = new Array<Promise<unknown>>(BATCH);
  do {
    for (let b = 0; b < 10; b++) {
      for (let i = 0; i < BATCH; i++) batch[i] = op();
      await Promise.all(batch);
    }
    ops += 10 * BATCH;
    now = performance.now();
  } while (now - start < ms);
  return { ops, seconds: (now - start) / 1000 };
}

const modes = [["sequential", sequential], ["100 concurrent", concurrent]] as const;
/** ops/s by "cache | mode", one per round. */
const hitRates = new Map<string, number[]>();
/** Reads issued to each cache in the timed rounds, and its near hits before them. */
const issued = new Map<Subject, number>();
const hitsBefore = new Map<Subject, number>();

for (const subject of hitSubjects) {
  for (const [, run] of modes) await run(() => subject.get("obj"), CASE_MS / 2); // warm up
  hitsBefore.set(subject, subject.near()?.hits ?? 0);
}
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order, so that no case always runs first (or right after another's GC debt).
  for (let c = 0; c < hitSubjects.length; c++) {
    const subject = hitSubjects[(c + round) % hitSubjects.length];
    for (const [mode, run] of modes) {
      const { ops, seconds } = await run(() => subject.get("obj"), CASE_MS);
      const key = `${subject.name} | ${mode}`;
      hitRates.set(key, [...hitRates.get(key) ?? [], ops / seconds]);
      issued.set(subject, (issued.get(subject) ?? 0) + ops);
    }
  }
}

console.log(
  "\n1 KiB JSON object, get of one key (ops/s, median (min–max) of 3 rounds; µs per get):",
);
for (const [key, values] of hitRates) {
  const us = (1e6 / median(values)).toFixed(2);
  console.log(`  ${key.padEnd(48)} ${range(values).padStart(34)}  ${us.padStart(6)} µs`);
}
const hit = (key: string) => median(hitRates.get(key)!);
const seqPlain = hit("no near cache | sequential");
const conPlain = hit("no near cache | 100 concurrent");
for (const { name } of hitSubjects.slice(1)) {
  for (const [mode] of modes) {
    const rate = hit(`${name} | ${mode}`);
    console.log(
      `  ${name}, ${mode}: ${(rate / seqPlain).toFixed(1)}x no near sequential, ${
        (rate / conPlain).toFixed(1)
      }x no near 100 concurrent`,
    );
  }
}
for (const subject of hitSubjects) {
  const near = subject.near();
  if (near === undefined) continue;
  const hits = near.hits - hitsBefore.get(subject)!;
  console.log(`  ${subject.name}: ${fmt(hits)} near hits of ${fmt(issued.get(subject)!)} gets`);
}
for (const subject of hitSubjects) await subject.close();

// ---------------------------------------------------------------------------
// 2. Zipf, 90% get / 10% set.

/** xorshift32: a small seeded generator, uniform in [0, 1). */
function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Inverse-CDF sampler of ranks 0..n-1 with P(rank k) proportional to 1/(k+1)^s. */
function zipf(n: number, s: number, next: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  for (let k = 0; k < n; k++) cdf[k] /= sum;
  return () => {
    const u = next();
    let lo = 0, hi = n - 1; // the first k with cdf[k] > u
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

const keys = Array.from({ length: ZIPF_KEYS }, (_, i) => `user:${i}`);
const records = Array.from({ length: ZIPF_KEYS }, (_, i) => ({
  id: i,
  name: `user-${i}`,
  email: `user-${i}@example.com`,
  tags: ["red", "green", "blue"],
  score: i % 100,
  active: i % 2 === 0,
  note: "y".repeat(80 - String(i).length * 3),
}));
const meanSize = records.reduce((n, r) => n + JSON.stringify(r).length, 0) / ZIPF_KEYS;

// The 10% of writes come from a second client (a raw SET of the same JSON),
// as another process's writes would: the near cache hears of them by push.
const writer = await connect(url);
function writtenByAnother(subject: Subject, prefix: string): Subject {
  return {
    ...subject,
    set: (key, value) =>
      writer.send(["SET", `${prefix}:1:${key}`, JSON.stringify(value), "PX", 300_000]),
  };
}
const zipfSubjects = [
  writtenByAnother(
    redcache("no near cache", createCache({ url, keyPrefix: "zipf-plain", max: 1 })),
    "zipf-plain",
  ),
  writtenByAnother(
    redcache(
      `near cache, ${fmt(NEAR_ENTRIES)} entries`,
      createCache({ url, keyPrefix: "zipf-near", max: 1, nearCache: { maxEntries: NEAR_ENTRIES } }),
    ),
    "zipf-near",
  ),
];
if (bentocache !== undefined) {
  zipfSubjects.push(bento(`bentocache, L1 ${fmt(NEAR_ENTRIES)}`, bentocache("zipf-bento", true)));
}
const fillStart = performance.now();
const entries = keys.map((key, i): [string, unknown] => [key, records[i]]);
for (const subject of zipfSubjects) await subject.fill(entries);
console.log(
  `\nZipf: ${fmt(ZIPF_KEYS)} keys of ${meanSize.toFixed(0)} B on average per cache, written in ${
    fmt(performance.now() - fillStart)
  } ms`,
);

/** One run's draws: a rank per operation, and whether it is a set. */
interface Draws {
  ranks: Uint32Array;
  sets: Uint8Array;
  /** Share of the gets that fall on the `NEAR_ENTRIES` hottest keys. */
  topShare: number;
}

function draw(seed: number, count: number): Draws {
  const next = random(seed);
  const rank = zipf(ZIPF_KEYS, ZIPF_S, next);
  const ranks = new Uint32Array(count);
  const sets = new Uint8Array(count);
  let gets = 0, top = 0;
  for (let i = 0; i < count; i++) {
    ranks[i] = rank();
    sets[i] = next() < 0.1 ? 1 : 0;
    if (!sets[i]) {
      gets++;
      if (ranks[i] < NEAR_ENTRIES) top++;
    }
  }
  return { ranks, sets, topShare: top / gets };
}

/** Runs `draws`, `size` at a time concurrently: [ops/s, client CPU µs per op]. */
async function mixed(subject: Subject, draws: Draws, size: number): Promise<number[]> {
  const { ranks, sets } = draws;
  const count = ranks.length;
  const batch = new Array<Promise<unknown>>(size);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < count; i += size) {
    for (let j = 0; j < size; j++) {
      const k = ranks[i + j];
      batch[j] = sets[i + j] ? subject.set(keys[k], records[k]) : subject.get(keys[k]);
    }
    if (size === 1) await batch[0];
    else await Promise.all(batch);
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return [count / seconds, (used.user + used.system) / count];
}

const zipfModes = [
  [`batches of ${BATCH}`, BATCH, ZIPF_OPS],
  ["sequential", 1, ZIPF_SEQ_OPS],
] as const;
/** [ops/s, client CPU µs per op] by "cache | mode", one per round. */
const zipfRuns = new Map<string, number[][]>();
/** The near cache's hit rate by mode, one per round. */
const hitRatios = new Map<string, number[]>();
const topShares: number[] = [];
// Fresh draws for each round and mode (the same for every cache): a mode
// never replays keys that the one before it just brought into memory.
const seed = (round: number, mode: number) => 0x5eed + 2 * round + mode;
for (const subject of zipfSubjects) { // warm up (and fill the near caches)
  for (let m = 0; m < zipfModes.length; m++) {
    const [, size, count] = zipfModes[m];
    await mixed(subject, draw(seed(-1, m), count), size);
  }
}
for (let round = 0; round < ROUNDS; round++) {
  const draws = zipfModes.map(([, , count], m) => draw(seed(round, m), count));
  topShares.push(draws[0].topShare);
  for (let c = 0; c < zipfSubjects.length; c++) {
    const subject = zipfSubjects[(c + round) % zipfSubjects.length];
    for (let m = 0; m < zipfModes.length; m++) {
      const [mode, size] = zipfModes[m];
      const before = subject.near();
      const run = await mixed(subject, draws[m], size);
      const key = `${subject.name} | ${mode}`;
      zipfRuns.set(key, [...zipfRuns.get(key) ?? [], run]);
      const after = subject.near();
      if (before !== undefined && after !== undefined) {
        const hits = after.hits - before.hits;
        const ratio = hits / (hits + after.misses - before.misses);
        hitRatios.set(mode, [...hitRatios.get(mode) ?? [], ratio]);
      }
    }
  }
}
console.log(
  `Zipf s=${ZIPF_S}, 90% get / 10% set, ${fmt(ZIPF_OPS)} ops per round in batches of ${BATCH}, ${
    fmt(ZIPF_SEQ_OPS)
  } sequential (ops/s, median (min–max) of 3 rounds; client CPU per op):`,
);
for (const [key, runs] of zipfRuns) {
  const cpu = median(runs.map((r) => r[1])).toFixed(2);
  console.log(`  ${key.padEnd(44)} ${range(runs.map((r) => r[0])).padStart(30)}  ${cpu} µs`);
}
const zipfRate = (name: string, mode: string) =>
  median(zipfRuns.get(`${name} | ${mode}`)!.map((r) => r[0]));
for (const [mode] of zipfModes) {
  const plainRate = zipfRate(zipfSubjects[0].name, mode);
  const ratios = hitRatios.get(mode)!;
  const others = zipfSubjects.slice(1).map(({ name }) =>
    `${name} ${(zipfRate(name, mode) / plainRate).toFixed(2)}x`
  );
  console.log(
    `  ${mode}, against no near cache: ${others.join(", ")}; near hit rate ${
      pct(median(ratios))
    } (${ratios.map(pct).join(", ")})`,
  );
}
const near = zipfSubjects[1].near()!;
console.log(
  `  gets on the ${fmt(NEAR_ENTRIES)} hottest keys: ${pct(median(topShares))}; near cache: ${
    fmt(near.entries)
  } entries at the end, ${fmt(near.evictions)} evictions`,
);

for (const subject of zipfSubjects) await subject.close();
await writer.close();
server.stop();
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);
