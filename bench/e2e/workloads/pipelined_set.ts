/**
 * Pipelined SET: SETs of 100-byte values in pipelines of 1,000, each pipeline
 * awaited before the next; ops/s.
 *
 * @module
 */
import type { BenchClient, Measurement, Workload } from "../types.ts";
import { expectEqual, perSecond, valueFor, VerificationError, wholeBatches } from "./data.ts";

const PIPELINE = 1000;
const VALUE = "s".repeat(100);

/** Entries per pipeline, built once outside the timed loop. */
let pipelines: [string, string][][] = [];

function pipelinesFor(total: number): [string, string][][] {
  const needed = total / PIPELINE;
  for (let p = pipelines.length; p < needed; p++) {
    const entries = new Array<[string, string]>(PIPELINE);
    for (let i = 0; i < PIPELINE; i++) {
      entries[i] = [`e2e:pset:${String(p * PIPELINE + i).padStart(6, "0")}`, VALUE];
    }
    pipelines.push(entries);
  }
  return pipelines.length === needed ? pipelines : pipelines.slice(0, needed);
}

export const workload: Workload = {
  id: "pipelined-set",
  title: "pipelined SET",
  unit: "ops/s",
  count: 200_000,
  describe: (count) =>
    `${wholeBatches(count, PIPELINE).toLocaleString("en-US")} SETs of 100 B, pipelines of ${
      PIPELINE.toLocaleString("en-US")
    }`,
  setup: () => {
    pipelines = [];
    return Promise.resolve();
  },
  async verify(client: BenchClient, seed: BenchClient) {
    // One pipeline of values unique to this client, read back by the reference client.
    const entries: [string, string][] = [];
    for (let i = 0; i < PIPELINE; i++) {
      const key = `e2e:verify:${client.name}:${i}`;
      entries.push([key, valueFor(key)]);
    }
    await client.pipelineSet(entries);
    const stored = await seed.mget(entries.map(([key]) => key));
    if (stored.length !== PIPELINE) {
      throw new VerificationError(`${client.name}: MGET after the pipeline gave ${stored.length}`);
    }
    for (let i = 0; i < PIPELINE; i++) {
      expectEqual(client, `pipelined SET ${entries[i][0]} (read back)`, stored[i], entries[i][1]);
    }
  },
  async run(client: BenchClient, count: number): Promise<Measurement> {
    const total = wholeBatches(count, PIPELINE);
    const batches = pipelinesFor(total);
    const start = performance.now();
    for (let p = 0; p < batches.length; p++) await client.pipelineSet(batches[p]);
    const elapsed = performance.now() - start;
    return { value: perSecond(total, elapsed) };
  },
};
