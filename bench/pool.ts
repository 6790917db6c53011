/**
 * pool.send against one client's send, on Deno and Bun:
 *
 *     deno run -A bench/pool.ts
 *     bun bench/pool.ts
 *
 * Starts its own redis-server on a free loopback port, then for each target
 * runs 200,000 GETs of a 100-byte value, all issued at once and as batches of
 * 1,000 concurrent, three rounds interleaved, and prints the median ops/s.
 */
import { connect, createPool } from "../mod.ts";
import { median, runtimeName, startBenchServer } from "./support/server.ts";

const TOTAL = 200_000;
const ROUNDS = 3;

const server = await startBenchServer();
const url = server.url;
const client = await connect(url);
const pool = createPool({ url, max: 4 });
// Warm: until a connection is up, commands wait in its offline queue, bounded at 10,000.
await pool.ping();
await client.set("bench:value", "x".repeat(100));

type Send = (key: string) => Promise<unknown>;
const targets: [string, Send][] = [
  ["client.send", (key) => client.send(["GET", key])],
  ["pool.send (max 4)", (key) => pool.send(["GET", key])],
];

async function allAtOnce(send: Send): Promise<number> {
  const start = performance.now();
  const promises = new Array(TOTAL);
  for (let i = 0; i < TOTAL; i++) promises[i] = send("bench:value");
  await Promise.all(promises);
  return TOTAL / ((performance.now() - start) / 1000);
}

async function batches(send: Send): Promise<number> {
  const start = performance.now();
  for (let done = 0; done < TOTAL; done += 1000) {
    const promises = new Array(1000);
    for (let i = 0; i < 1000; i++) promises[i] = send("bench:value");
    await Promise.all(promises);
  }
  return TOTAL / ((performance.now() - start) / 1000);
}

const results = new Map<string, number[]>();
for (const [, send] of targets) await allAtOnce(send); // warm up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, send] of targets) {
    for (
      const [mode, run] of [["200k at once", allAtOnce], ["batches of 1,000", batches]] as const
    ) {
      const key = `${name} | ${mode}`;
      results.set(key, [...results.get(key) ?? [], await run(send)]);
    }
  }
}
console.log(`${runtimeName()}: 200,000 GETs of 100 bytes, median of ${ROUNDS} rounds`);
for (const [key, values] of results) {
  const ops = Math.round(median(values)).toLocaleString("en-US");
  console.log(`  ${key.padEnd(40)} ${ops.padStart(10)} ops/s`);
}
await pool.close();
await client.close();
server.stop();
