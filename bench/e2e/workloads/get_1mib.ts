/**
 * GET 1 MiB bytes: sequential GETs of one 1 MiB binary value, read as bytes; MiB/s.
 *
 * @module
 */
import type { BenchClient, Measurement, Workload } from "../types.ts";
import { expectBytes, expectEqual, perSecond } from "./data.ts";

const KEY = "e2e:1mib";
const SIZE = 1024 * 1024;

/** Every byte value, including ones that are not valid UTF-8 on their own. */
const BLOB = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i++) BLOB[i] = (i * 31 + (i >> 10)) & 0xff;

export const workload: Workload = {
  id: "get-1mib",
  title: "GET 1 MiB bytes",
  unit: "MiB/s",
  count: 1000,
  describe: (count) => `${count.toLocaleString("en-US")} GETs of a 1 MiB binary value, as bytes`,
  async setup(seed) {
    await seed.set(KEY, BLOB);
  },
  async verify(client: BenchClient) {
    expectBytes(client, `GET ${KEY} as bytes`, await client.getBuffer(KEY), BLOB);
    expectEqual(
      client,
      "GET of a missing key as bytes",
      await client.getBuffer("e2e:missing"),
      null,
    );
  },
  async run(client: BenchClient, count: number): Promise<Measurement> {
    let last: Uint8Array | null = null;
    const start = performance.now();
    for (let i = 0; i < count; i++) last = await client.getBuffer(KEY);
    const elapsed = performance.now() - start;
    expectEqual(client, "last GET length", last?.length, SIZE);
    expectEqual(client, "last GET, last byte", last?.[SIZE - 1], BLOB[SIZE - 1]);
    return { value: perSecond(count, elapsed) }; // one MiB each
  },
};
