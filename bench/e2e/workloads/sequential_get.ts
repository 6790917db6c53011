/**
 * Sequential GET: one command in flight, N GETs of 100-byte values; ops/s and
 * per-command latency.
 *
 * @module
 */
import { percentileSorted } from "../stats.ts";
import type { BenchClient, Measurement, Workload } from "../types.ts";
import { expectEqual, KEY_COUNT, KEYS, perSecond, VALUES, writeSmallValues } from "./data.ts";

/** `count` is the default N; `--n=` overrides it. */
export const workload: Workload = {
  id: "sequential-get",
  title: "sequential GET",
  unit: "ops/s",
  count: 20_000,
  describe: (count) => `${count.toLocaleString("en-US")} GETs of 100 B, one in flight`,
  setup: (seed) => writeSmallValues(seed),
  async verify(client: BenchClient) {
    for (const i of [0, 1, KEY_COUNT - 1]) {
      expectEqual(client, `GET ${KEYS[i]}`, await client.get(KEYS[i]), VALUES[i]);
    }
    expectEqual(client, "GET of a missing key", await client.get("e2e:missing"), null);
  },
  async run(client: BenchClient, count: number): Promise<Measurement> {
    const latencies = new Float64Array(count);
    let last: string | null = null;
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      last = await client.get(KEYS[i % KEY_COUNT]);
      latencies[i] = performance.now() - t0;
    }
    const elapsed = performance.now() - start;
    expectEqual(client, "last GET", last, VALUES[(count - 1) % KEY_COUNT]);
    latencies.sort();
    return {
      value: perSecond(count, elapsed),
      p50: percentileSorted(latencies, 50) * 1000,
      p99: percentileSorted(latencies, 99) * 1000,
    };
  },
};
