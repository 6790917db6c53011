/**
 * Thousands of random interleavings of this cache's reads and writes with
 * another client's writes, checked for stale reads (tests/support/history.ts).
 * The other client's write counts as done once a PING on the cache's one
 * connection has come back: the invalidation Redis sent for it travels on
 * that connection, ahead of the PONG.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { History } from "../support/history.ts";
import { mulberry32 } from "../support/random.ts";
import { type Cache, connect, createCache, type Pool, type RedisClient } from "../../mod.ts";

const KEYS = ["a", "b", "c", "d"];

/** One seeded run: `workers` callers of the cache, one other client. */
async function run(
  cache: Cache,
  other: RedisClient,
  prefix: string,
  seed: number,
  workers: number,
  opsEach: number,
): Promise<{ history: History; errors: string[] }> {
  const random = mulberry32(seed);
  const history = new History();
  const errors: string[] = [];
  let written = 0;
  const pick = () => KEYS[Math.floor(random() * KEYS.length)];
  const pause = () =>
    random() < 0.3 ? new Promise((resolve) => setTimeout(resolve, 0)) : Promise.resolve();
  const worker = async (id: number) => {
    for (let i = 0; i < opsEach; i++) {
      const key = pick();
      const roll = random();
      const start = history.begin();
      if (roll < 0.55) {
        const got = await cache.get<string>(key);
        const stale = history.read(key, got ?? null, start);
        if (stale !== undefined) errors.push(stale);
      } else if (roll < 0.75) {
        const value = `w${id}.${written++}`;
        const w = history.write(key, value);
        await cache.set(key, value, { ttl: null });
        history.done(w);
      } else if (roll < 0.82) {
        const w = history.write(key, null);
        await cache.delete(key);
        history.done(w);
      } else if (roll < 0.9) {
        const values = await cache.getMany<string>([key, pick()]);
        const stale = history.read(key, values.get(key) ?? null, start);
        if (stale !== undefined) errors.push(`getMany: ${stale}`);
      } else {
        // Another process writes: done once the cache's connection has carried its push.
        const value = `x${id}.${written++}`;
        const del = random() < 0.2;
        const w = history.write(key, del ? null : value);
        if (del) await other.send(["DEL", `${prefix}:1:${key}`]);
        else await other.send(["SET", `${prefix}:1:${key}`, JSON.stringify(value)]);
        await (cache.client as Pool).send(["PING"]);
        history.done(w);
      }
      await pause();
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, id) => worker(id)));
  return { history, errors };
}

describe("near cache: random interleavings, no stale read", () => {
  const fixture = useRedis();

  it("4,800 operations over 4 keys from 8 callers and another client, three seeds", async () => {
    await using other = await connect(fixture.url);
    for (const seed of [1, 2, 3]) {
      const prefix = `hist${seed}`;
      await using cache = createCache({
        url: fixture.url,
        keyPrefix: prefix,
        nearCache: true,
        max: 1,
      });
      const { history, errors } = await run(cache, other, prefix, seed, 8, 200);
      assert.deepEqual(errors.slice(0, 5), [], `seed ${seed}`);
      const near = cache.stats().near!;
      assert.ok(history.reads > 800, `seed ${seed}: ${history.reads} reads`);
      assert.ok(near.hits > 100, `seed ${seed}: memory served only ${near.hits} reads`);
      assert.ok(near.invalidations > 10, `seed ${seed}: ${near.invalidations} invalidations`);
    }
  });

  it("the checker catches a stale read (it is not vacuous)", () => {
    const history = new History();
    history.done(history.write("k", "v1"));
    history.done(history.write("k", "v2"));
    assert.match(history.read("k", "v1", history.begin())!, /overwritten/);
    assert.equal(history.read("k", "v2", history.begin()), undefined);
    assert.match(history.read("k", "v9", history.begin())!, /no write/);
    // A read overlapping a write may return either value.
    const r = history.begin();
    const w3 = history.write("k", "v3");
    assert.equal(history.read("k", "v3", history.begin()), undefined); // landed before its ack
    history.done(w3);
    assert.equal(history.read("k", "v2", r), undefined);
  });
});
