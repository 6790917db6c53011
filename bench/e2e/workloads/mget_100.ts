/**
 * MGET 100: sequential MGETs of 100 keys holding 100-byte values; ops/s
 * (MGET commands per second).
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
  VerificationError,
  writeSmallValues,
} from "./data.ts";

const WIDTH = 100;
const GROUPS = KEY_COUNT / WIDTH;
const KEY_GROUPS: string[][] = Array.from(
  { length: GROUPS },
  (_, g) => KEYS.slice(g * WIDTH, (g + 1) * WIDTH),
);

export const workload: Workload = {
  id: "mget-100",
  title: "MGET 100",
  unit: "ops/s",
  count: 10_000,
  describe: (count) => `${count.toLocaleString("en-US")} MGETs of 100 keys of 100 B, one in flight`,
  setup: (seed) => writeSmallValues(seed),
  async verify(client: BenchClient) {
    const keys = [...KEY_GROUPS[1].slice(0, WIDTH - 1), "e2e:missing"];
    const values = await client.mget(keys);
    if (!Array.isArray(values) || values.length !== WIDTH) {
      throw new VerificationError(
        `${client.name}: MGET of ${WIDTH} keys returned ${
          Array.isArray(values) ? `${values.length} values` : typeof values
        }`,
      );
    }
    for (let i = 0; i < WIDTH - 1; i++) {
      expectEqual(client, `MGET value ${i}`, values[i], VALUES[WIDTH + i]);
    }
    expectEqual(client, "MGET of a missing key", values[WIDTH - 1], null);
  },
  async run(client: BenchClient, count: number): Promise<Measurement> {
    let last: unknown[] = [];
    const start = performance.now();
    for (let i = 0; i < count; i++) last = await client.mget(KEY_GROUPS[i % GROUPS]);
    const elapsed = performance.now() - start;
    const group = (count - 1) % GROUPS;
    expectEqual(client, "last MGET length", last.length, WIDTH);
    expectEqual(
      client,
      "last MGET, last value",
      last[WIDTH - 1],
      VALUES[group * WIDTH + WIDTH - 1],
    );
    return { value: perSecond(count, elapsed) };
  },
};
