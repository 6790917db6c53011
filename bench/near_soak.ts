/**
 * Near cache soak: one cache with a small near cache (so that it evicts) under steady
 * get/set/delete load from many callers, another client writing the same keys, and faults:
 * SIGKILL and restart (data is lost), SIGSTOP, `CLIENT KILL`, FLUSHDB. Every read is checked
 * against the history of writes (tests/support/history.ts): a read may return any write that
 * began before it ended, unless that write was overwritten for good before the read began.
 * Another client's write counts as done once a PING on the cache's connection came back
 * after it (its invalidation travels ahead of the PONG). Exits 1 on any stale read, on a
 * bound broken (entries, bytes), when the near cache never served a hit, or when the heap after
 * a full GC grew by more than 16 MiB between 10 s in (every buffer full) and the end.
 *
 *     deno run -A bench/near_soak.ts [--seconds=60] [--seed=N] [--workers=50]
 *     bun bench/near_soak.ts [--seconds=60] [--seed=N] [--workers=50]
 *
 * `deno task soak` runs it after the client soak (bench/soak.ts).
 *
 * @module
 */
import process from "node:process";
import { connect, createCache, type Pool, RedisClient } from "../mod.ts";
import { History, type WriteHandle } from "../tests/support/history.ts";
import { mulberry32 } from "../tests/support/random.ts";
import { startRedis } from "../tests/support/redis.ts";
import { collect, heapUsed } from "./support/heap.ts";

function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}

const seconds = flag("seconds", 60);
const seed = flag("seed", Date.now() % 100_000);
const workers = flag("workers", 50);
const KEYS = Array.from({ length: 400 }, (_, i) => `k${i}`);
const MAX_ENTRIES = 100;
const MAX_BYTES = 20_000;
const random = mulberry32(seed);
console.log(`near soak: ${seconds} s, seed ${seed}, ${workers} workers, ${KEYS.length} keys`);

const server = await startRedis();
const cache = createCache({
  url: server.url,
  keyPrefix: "soak",
  nearCache: { maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES },
  max: 1,
  commandTimeout: 2_000,
  offlineQueue: { timeout: 2_000 },
  breaker: false,
});
// The other process: it keeps trying through restarts.
const other = new RedisClient({ url: server.url, commandTimeout: 2_000 });
const history = new History();
const stale: string[] = [];
let failures = 0;
let written = 0;
let stopping = false;
const deadline = Date.now() + seconds * 1000;
// Keys Zipf-ish: a few are hot, so that the near cache has something to serve.
const pick = () => KEYS[Math.floor(KEYS.length * random() ** 3)];

/** Runs a write: done when acknowledged, left open (outcome unknown) when it failed. */
async function write(key: string, value: string | null, run: () => Promise<unknown>) {
  const handle = history.write(key, value);
  try {
    await run();
    history.done(handle);
  } catch {
    failures++;
  }
}

async function worker(id: number): Promise<void> {
  while (!stopping && Date.now() < deadline) {
    const key = pick();
    const roll = random();
    try {
      if (roll < 0.7) {
        const start = history.begin();
        const got = await cache.get<string>(key).catch((error) => {
          history.abandon(start);
          throw error;
        });
        const problem = history.read(key, got ?? null, start);
        if (problem !== undefined) stale.push(problem);
      } else if (roll < 0.85) {
        const value = `w${id}.${written++}`;
        await write(key, value, () => cache.set(key, value, { ttl: "1h" }));
      } else if (roll < 0.9) {
        await write(key, null, () => cache.delete(key));
      } else {
        const value = `x${id}.${written++}`;
        await write(key, value, async () => {
          await other.send(["SET", `soak:1:${key}`, JSON.stringify(value)]);
          await (cache.client as Pool).send(["PING"]);
        });
      }
    } catch {
      failures++; // a read that failed during a fault: nothing to check
    }
    if (random() < 0.2) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function faults(): Promise<void> {
  const counts: Record<string, number> = {};
  while (Date.now() < deadline - 2_000) {
    await new Promise((resolve) => setTimeout(resolve, 1_000 + random() * 2_000));
    const fault = ["kill+restart", "SIGSTOP", "CLIENT KILL", "FLUSHDB"][Math.floor(random() * 4)];
    counts[fault] = (counts[fault] ?? 0) + 1;
    let lost: WriteHandle[] = [];
    if (fault === "kill+restart") {
      lost = history.lose(KEYS);
      server.kill("SIGKILL");
      await server.restart();
    } else if (fault === "SIGSTOP") {
      server.kill("SIGSTOP");
      await new Promise((resolve) => setTimeout(resolve, 300 + random() * 700));
      server.kill("SIGCONT");
    } else if (fault === "CLIENT KILL") {
      await using admin = await connect(server.url);
      await admin.send(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]);
    } else {
      lost = history.lose(KEYS);
      await using admin = await connect(server.url);
      await admin.send(["FLUSHDB"]);
      await (cache.client as Pool).send(["PING"]).catch(() => {});
    }
    for (const handle of lost) history.done(handle);
  }
  console.log("faults:", JSON.stringify(counts));
}

let bounds = "";
const watch = setInterval(() => {
  const near = cache.stats().near!;
  if (near.entries > MAX_ENTRIES || near.bytes > MAX_BYTES) {
    bounds ||= `bounds broken: ${near.entries} entries, ${near.bytes} bytes`;
  }
}, 100);

let heapStart = 0;
const heapTimer = setTimeout(() => (heapStart = heapUsed()), Math.min(10_000, seconds * 500));
await Promise.all([faults(), ...Array.from({ length: workers }, (_, i) => worker(i))]);
clearTimeout(heapTimer);
const heapEnd = heapUsed();
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(`heap (${collect.name}): ${mib(heapStart)} at 10 s, ${mib(heapEnd)} at the end`);
stopping = true;
clearInterval(watch);
const near = cache.stats().near!;
console.log(`reads checked: ${history.reads}, failed operations: ${failures}`);
console.log("near:", JSON.stringify(near));
await cache.close();
await other.close();
await server.stop();
const problems = [...stale.slice(0, 10), ...(bounds ? [bounds] : [])];
if (near.hits === 0) problems.push("the near cache served no hit");
if (heapStart > 0 && heapEnd - heapStart > 16 * 1024 * 1024) problems.push("the heap grew");
if (problems.length > 0) {
  console.log(`FAILED: ${stale.length} stale read(s)`);
  for (const problem of problems) console.log(`  ${problem}`);
  process.exit(1);
}
console.log("ok: no stale read");
