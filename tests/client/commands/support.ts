/**
 * What the typed-command suites share: a scenario run on a RESP2 and on a RESP3
 * client against the same server (flushed before each run), whose results must be deeply
 * equal, so a method whose reply shape differs between protocols fails its test.
 *
 * ```ts
 * describe("hash commands", () => {
 *   const fixture = useRedis();
 *   it("hgetall is a record on both protocols", async () => {
 *     const all = await onBothProtocols(fixture.url, async (redis) => {
 *       await redis.hset("h", { a: "1" });
 *       return await redis.hgetall("h");
 *     });
 *     assert.deepEqual(all, { a: "1" });
 *   });
 * });
 * ```
 *
 * @module
 */
import assert from "node:assert/strict";
import { connect, type RedisClient, type RedisTarget } from "../../../mod.ts";
import { until } from "../../support/wait.ts";

/** Normalises a value for comparison: null-prototype records become plain objects. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map || value instanceof Set || value instanceof Uint8Array) return value;
  if (value !== null && typeof value === "object" && !(value instanceof Error)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

/**
 * Runs `scenario` on a fresh RESP2 client, then on a fresh RESP3 client, each after
 * `FLUSHDB`; asserts that both results are deeply equal (records compared as plain
 * objects) and returns the RESP3 one.
 */
export async function onBothProtocols<T>(
  url: string,
  scenario: (redis: RedisClient, protocol: 2 | 3) => Promise<T>,
): Promise<T> {
  const results: T[] = [];
  for (const protocol of [2, 3] as const) {
    await using redis = await connect({ url, protocol });
    assert.equal(redis.server.protocol, protocol);
    await redis.send(["FLUSHDB"]);
    results.push(await scenario(redis, protocol));
  }
  assert.deepStrictEqual(
    plain(results[0]),
    plain(results[1]),
    "the reply differs between RESP2 and RESP3",
  );
  return results[1];
}

/** How many clients the server holds in a blocking command (`INFO clients`). */
export async function blockedClients(redis: Pick<RedisTarget, "send">): Promise<number> {
  const info = await redis.send<string>(["INFO", "clients"]);
  return Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
}

/** Resolves once the server holds `count` clients in a blocking command (polls, bounded). */
export function untilBlocked(redis: Pick<RedisTarget, "send">, count: number): Promise<void> {
  return until(async () => (await blockedClients(redis)) === count);
}
