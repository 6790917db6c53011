/**
 * Mixed-size sequential GET: one command in flight, cycling through string
 * values of 16 B, 100 B, 1 KiB, 10 KiB and 100 KiB (a cache's typical
 * spread); ops/s.
 *
 * @module
 */
import type { BenchClient, Measurement, Workload } from "../types.ts";
import { expectEqual, perSecond, valueFor } from "./data.ts";

const SIZES = [16, 100, 1024, 10 * 1024, 100 * 1024];
const KEYS = SIZES.map((size) => `e2e:mixed:${size}`);
const VALUES = KEYS.map((key, i) => valueFor(key, SIZES[i]));

export const workload: Workload = {
  id: "mixed-get",
  title: "mixed-size GET",
  unit: "ops/s",
  count: 10_000,
  describe: (count) =>
    `${count.toLocaleString("en-US")} GETs cycling through values of ${
      SIZES.map((s) => (s >= 1024 ? `${s / 1024} KiB` : `${s} B`)).join(", ")
    }, as strings, one in flight`,
  async setup(seed) {
    for (let i = 0; i < KEYS.length; i++) await seed.set(KEYS[i], VALUES[i]);
  },
  async verify(client: BenchClient) {
    for (let i = 0; i < KEYS.length; i++) {
      expectEqual(client, `GET ${KEYS[i]}`, await client.get(KEYS[i]), VALUES[i]);
    }
  },
  async run(client: BenchClient, count: number): Promise<Measurement> {
    let total = 0;
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const value = await client.get(KEYS[i % KEYS.length]);
      total += value!.charCodeAt(value!.length - 1);
    }
    const elapsed = performance.now() - start;
    expectEqual(client, "sum of last characters", total, 118 * count); // every value ends in "v"
    return { value: perSecond(count, elapsed) };
  },
};
