import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { type RedisServer, startRedis } from "../support/redis.ts";
import {
  commandCalls,
  type SentinelGroup,
  startReplica,
  startSentinels,
} from "../support/topology.ts";
import { until } from "../support/wait.ts";
import { type Cache, type CacheOptions, createCache, type Pool } from "../../mod.ts";
import { cacheContract } from "../cache/contract.ts";

/** A primary, one replica and three sentinels (quorum 2). */
interface Topology {
  primary: RedisServer;
  replica: RedisServer;
  group: SentinelGroup;
  stop(): Promise<void>;
}

async function startTopology(
  options: { password?: string; sentinelPassword?: string } = {},
): Promise<Topology> {
  const primary = await startRedis({ requirePass: options.password });
  const replica = await startReplica(primary, { requirePass: options.password });
  const group = await startSentinels(primary, { password: options.sentinelPassword });
  return {
    primary,
    replica,
    group,
    async stop() {
      await group.stop();
      await Promise.all([replica.stop(), primary.stop()]);
    },
  };
}

function sentinelCache(t: Topology, options: CacheOptions = {}): Cache {
  return createCache({
    strategy: "sentinel",
    sentinels: t.group.addresses,
    masterName: t.group.masterName,
    retry: { base: 20, max: 200 },
    ...options,
  });
}

let topology: Topology;

cacheContract("strategy sentinel", {
  setup: async () => {
    topology = await startTopology();
  },
  teardown: () => topology.stop(),
  makeCache: (options) => sentinelCache(topology, options),
});

/**
 * Writes in a loop until stopped; records when each write succeeded and which
 * value was written last.
 */
function writeStream(cache: Cache) {
  const state = { stop: false, ok: [] as number[], failed: 0, last: -1 };
  const done = (async () => {
    for (let i = 0; !state.stop; i++) {
      try {
        await cache.set("stream", i, { ttl: null });
        state.ok.push(Date.now());
        state.last = i;
      } catch {
        state.failed++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  })();
  return { state, done };
}

/** Waits for 20 writes that succeeded after `since`; resolves with the delay to the first. */
async function recovered(state: { ok: number[] }, since: number): Promise<number> {
  await until(() => state.ok.filter((t) => t > since).length >= 20, 10_000);
  return state.ok.find((t) => t > since)! - since;
}

describe("strategy sentinel: following a failover", () => {
  let t: Topology;
  before(async () => {
    t = await startTopology();
  });
  after(() => t.stop());

  it("SENTINEL FAILOVER during writes: writes succeed again within 5 s, on the new primary", async () => {
    await using cache = sentinelCache(t, { keyPrefix: "sw" });
    const { state, done } = writeStream(cache);
    try {
      await until(() => state.ok.length >= 20);
      const from = await t.group.masterAddress();
      assert.equal(from, `127.0.0.1:${t.primary.port}`);
      await t.group.sentinels[0].cli("SENTINEL", "FAILOVER", t.group.masterName);
      const to = await t.group.waitForSwitch(from, 15_000);
      const switchedAt = Date.now();
      assert.equal(to, `127.0.0.1:${t.replica.port}`);
      const delay = await recovered(state, switchedAt);
      assert.ok(delay < 5_000, `writes came back ${delay} ms after the switch`);
    } finally {
      state.stop = true;
      await done;
    }
    // The last write is on the new primary (the old replica), with no manual step.
    assert.equal(await t.replica.cli("GET", "sw:1:stream"), String(state.last));
    assert.match(await t.replica.cli("ROLE"), /^master/);
    assert.equal(await cache.get("stream"), state.last);
  });

  it("after the primary is killed with SIGKILL: writes succeed again within 5 s of the switch", async () => {
    // The previous test made the replica the primary; now kill that one.
    const current = await t.group.masterAddress();
    const [victim, survivor] = current.endsWith(`:${t.replica.port}`)
      ? [t.replica, t.primary]
      : [t.primary, t.replica];
    await until(
      async () => /master_link_status:up/.test(await survivor.cli("INFO", "replication")),
      15_000,
    );
    await using cache = sentinelCache(t, { keyPrefix: "kill" });
    const { state, done } = writeStream(cache);
    try {
      await until(() => state.ok.length >= 20);
      victim.kill("SIGKILL");
      const to = await t.group.waitForSwitch(current, 20_000);
      const switchedAt = Date.now();
      assert.equal(to, `127.0.0.1:${survivor.port}`);
      const delay = await recovered(state, switchedAt);
      assert.ok(delay < 5_000, `writes came back ${delay} ms after the switch`);
    } finally {
      state.stop = true;
      await done;
    }
    assert.equal(await survivor.cli("GET", "kill:1:stream"), String(state.last));
  });
});

describe("strategy sentinel: discovery", () => {
  let t: Topology;
  before(async () => {
    t = await startTopology({ password: "data-secret", sentinelPassword: "sentinel-secret" });
  });
  after(() => t.stop());

  const withAuth = (options: CacheOptions = {}) =>
    sentinelCache(t, {
      sentinels: t.group.addresses.map((a) => `redis://:sentinel-secret@${a}`),
      password: "data-secret",
      ...options,
    });

  it("logs in to sentinels and data nodes with their own passwords", async () => {
    await using cache = withAuth({ keyPrefix: "auth" });
    await cache.set("k", "v");
    assert.equal(await t.primary.cli("GET", "auth:1:k"), '"v"');
    assert.equal(await cache.get("k"), "v");
  });

  it("skips a sentinel that is down", async () => {
    await using cache = withAuth({
      keyPrefix: "skip",
      sentinels: ["127.0.0.1:1", ...t.group.addresses].map((a) => `redis://:sentinel-secret@${a}`),
    });
    await cache.set("k", 1);
    assert.equal(await cache.get("k"), 1);
  });

  it('with readFrom "replica", reads go to the replica the sentinels list', async () => {
    await using cache = withAuth({ keyPrefix: "rep", readFrom: "replica" });
    await cache.set("k", "v");
    await (cache.client as Pool).send(["WAIT", 1, 2_000]);
    const stats = (server: RedisServer) => commandCalls(server, "get");
    // Replicas are found in the background: wait until reads reach one.
    await until(async () => {
      const before = await stats(t.replica);
      await cache.get("k");
      return (await stats(t.replica)) > before;
    }, 5_000);
    const before = [await stats(t.primary), await stats(t.replica)];
    for (let i = 0; i < 10; i++) assert.equal(await cache.get("k"), "v");
    assert.equal(await stats(t.primary) - before[0], 0);
    assert.equal(await stats(t.replica) - before[1], 10);
  });

  it("fails with a clear error when no sentinel knows the master name", async () => {
    await using cache = withAuth({
      masterName: "nosuch",
      retry: { attempts: 0 },
      connectTimeout: 2_000,
    });
    await assert.rejects(cache.get("k"), /No sentinel knows a primary named "nosuch"/);
  });

  it("keeps secrets out of errors", async () => {
    await using cache = sentinelCache(t, {
      sentinels: t.group.addresses.map((a) => `redis://:wrong-sentinel-pw@${a}`),
      password: "data-secret",
      retry: { attempts: 0 },
    });
    const error = await cache.get("k").then(() => undefined, (e: Error) => e);
    assert.ok(error instanceof Error);
    const text = String(error) + JSON.stringify(error) + error.stack + String(error.cause);
    assert.ok(!text.includes("wrong-sentinel-pw") && !text.includes("data-secret"), text);
  });
});
