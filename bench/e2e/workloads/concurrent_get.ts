/**
 * Concurrent GET: GETs of 100-byte values as batches of 100 concurrent
 * promises, each batch awaited before the next; ops/s.
 *
 * @module
 */
import type { BenchClient, Measurement, Workload } from "../types.ts";
import {
  expectEqual,
  KEY_COUNT,
  KEYS,
  perSecond,
  VALUES,
  wholeBatches,
  writeSmallValues,
} from "./data.ts";

const BATCH = 100;

export const workload: Workload = {
  id: "concurrent-get",
  title: "concurrent GET",
  unit: "ops/s",
  count: 200_000,
  describe: (count) =>
    `${wholeBatches(count, BATCH).toLocaleString("en-US")} GETs of 100 B, ${BATCH} concurrent`,
  setup: (seed) => writeSmallValues(seed),
  async verify(client: BenchClient) {
    // A whole batch of distinct keys: every reply must belong to its own command.
    const replies = await Promise.all(KEYS.map((key) => client.get(key)));
    for (let i = 0; i < KEY_COUNT; i++) {
      expectEqual(client, `concurrent GET ${KEYS[i]}`, replies[i], VALUES[i]);
    }
  },
  async run(client: BenchClient, count: number): Promise<Measurement> {
    const total = wholeBatches(count, BATCH);
    const batch = new Array<Promise<string | null>>(BATCH);
    let replies: (string | null)[] = [];
    const start = performance.now();
    for (let done = 0; done < total; done += BATCH) {
      for (let i = 0; i < BATCH; i++) batch[i] = client.get(KEYS[(done + i) % KEY_COUNT]);
      replies = await Promise.all(batch);
    }
    const elapsed = performance.now() - start;
    const first = (total - BATCH) % KEY_COUNT;
    expectEqual(client, "last batch, first GET", replies[0], VALUES[first]);
    expectEqual(client, "last batch, last GET", replies[BATCH - 1], VALUES[first + BATCH - 1]);
    return { value: perSecond(total, elapsed) };
  },
};
