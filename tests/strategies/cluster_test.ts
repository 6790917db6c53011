import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, describe, it } from "../support/test.ts";
import type { RedisServer } from "../support/redis.ts";
import { type Cluster, commandCalls, startCluster } from "../support/topology.ts";
import { until } from "../support/wait.ts";
import {
  type Cache,
  type CacheOptions,
  ClusterClient,
  ClusterError,
  connectCluster,
  createCache,
  ReplyError,
} from "../../mod.ts";
import { keySlot } from "../../src/cluster/key_slot.ts";
import { cacheContract } from "../cache/contract.ts";

const execFileAsync = promisify(execFile);

let cluster: Cluster;

const clusterCache = (options: CacheOptions = {}): Cache =>
  createCache({
    strategy: "cluster",
    urls: cluster.seeds,
    retry: { base: 20, max: 200 },
    ...options,
  });

cacheContract("strategy cluster (3 primaries, 3 replicas)", {
  setup: async () => {
    cluster = await startCluster();
  },
  teardown: () => cluster.stop(),
  makeCache: (options) => clusterCache(options),
});

/** Reads and writes in a loop until stopped; every failure and wrong value is kept. */
function traffic(cache: Cache, keys: string[]) {
  const state = { stop: false, ok: [] as number[], errors: [] as Error[], wrong: 0 };
  const written = new Map<string, number>();
  const worker = async (w: number) => {
    for (let i = w; !state.stop; i += 4) {
      const key = keys[i % keys.length];
      try {
        await cache.set(key, i, { ttl: null });
        written.set(key, i);
        const value = await cache.get(key);
        if (value !== i && written.get(key) === i) state.wrong++;
        state.ok.push(Date.now());
      } catch (error) {
        state.errors.push(error as Error);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const done = Promise.all([0, 1, 2, 3].map(worker));
  return { state, written, done };
}

async function nodeId(node: RedisServer): Promise<string> {
  return await node.cli("CLUSTER", "MYID");
}

describe("strategy cluster", () => {
  before(async () => {
    cluster = await startCluster();
  });
  after(() => cluster.stop());

  it("writes and reads back 10,000 keys; getMany of 1,000 keys spread over all slots", async () => {
    await using cache = clusterCache({ keyPrefix: "bulk" });
    const entries = Array.from({ length: 10_000 }, (_, i) => [`key:${i}`, i] as const);
    assert.equal(await cache.setMany(entries, { ttl: null }), true);
    const all = await cache.getMany(entries.map(([k]) => k));
    assert.equal(all.size, 10_000);
    for (const [key, value] of entries) assert.equal(all.get(key), value);

    const sample = entries.slice(0, 1_000).map(([k]) => k);
    const slots = new Set(sample.map((k) => keySlot(`bulk:1:${k}`)));
    assert.ok(slots.size > 900, `${slots.size} slots`);
    const primaries = await cluster.primaries();
    const counts = await Promise.all(primaries.map((p) => p.cli("DBSIZE")));
    assert.ok(counts.every((n) => Number(n) > 2_000), `keys per primary: ${counts}`);
    const found = await cache.getMany(sample);
    assert.deepEqual([...found.keys()], sample, "in the caller's order");
    assert.equal(await cache.deleteMany(sample), 1_000);
    assert.equal((await cache.keys("key:*")).length, 9_000, "scan visits every primary");
    assert.equal(await cache.clear(), 9_000);
  });

  it("connectCluster: raw commands, pipelines in the caller's order, one-slot transactions", async () => {
    await using client = connectCluster({ urls: cluster.seeds.slice(0, 1) });
    assert.ok(client instanceof ClusterClient);
    await client.set("{u1}:name", "Ada");
    await client.set("{u1}:mail", "ada@example.com");
    assert.deepEqual(await client.send(["MGET", "{u1}:name", "{u1}:mail"]), [
      "Ada",
      "ada@example.com",
    ]);
    await assert.rejects(
      client.send(["MGET", "a", "b"]),
      (e: unknown) => e instanceof ReplyError && e.code === "CROSSSLOT",
    );

    const keys = Array.from({ length: 50 }, (_, i) => `p${i}`);
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.send(["SET", key, key.toUpperCase()]);
    for (const key of keys) pipeline.send(["GET", key]);
    const results = await pipeline.exec();
    assert.deepEqual(results.slice(50), keys.map((k) => k.toUpperCase()));

    const tx = await client.multi()
      .send(["INCR", "{cart}:n"])
      .send(["INCR", "{cart}:n"])
      .send(["GET", "{cart}:n"])
      .exec();
    assert.deepEqual(tx, [1, 2, "2"]);
    await assert.rejects(
      client.multi().send(["SET", "a", 1]).send(["SET", "b", 2]).exec(),
      (e: unknown) => e instanceof ClusterError && /one slot/.test(e.message),
    );
  });

  it('with readFrom "replica", reads go to replicas (READONLY) and writes to primaries', async () => {
    await using cache = clusterCache({ keyPrefix: "ro", readFrom: "replica" });
    const gets = (nodes: RedisServer[]) => commandCalls(nodes, "get");
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    await cache.setMany(keys.map((k, i) => [k, i] as const));
    for (const primary of await cluster.primaries()) await primary.cli("WAIT", "1", "2000");
    const [primaries, replicas] = [await cluster.primaries(), await cluster.replicas()];
    // Replicas still syncing when the map loaded join it at the next refresh (within 1 s).
    await until(async () => {
      const before = await gets(replicas);
      for (let i = 0; i < keys.length; i++) await cache.get(keys[i]);
      return (await gets(replicas)) - before === keys.length;
    }, 5_000);
    const before = [await gets(primaries), await gets(replicas)];
    for (let i = 0; i < keys.length; i++) assert.equal(await cache.get(keys[i]), i);
    assert.equal(await gets(primaries) - before[0], 0, "no GET on a primary");
    assert.equal(await gets(replicas) - before[1], keys.length, "every GET on a replica");
  });

  it("runs one slot-map refresh at a time", async () => {
    await using client = connectCluster({ urls: cluster.seeds });
    const first = client.refresh();
    assert.equal(client.refresh(), first, "a second refresh joins the one in flight");
    await first;
    assert.ok(await client.primaryOf(0));
  });

  it("follows MOVED after a slot moves behind its back", async () => {
    await using client = connectCluster({ urls: cluster.seeds });
    const key = "moving-key";
    const slot = keySlot(key);
    await client.set(key, "v1");
    // Move the slot to another primary by hand (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE).
    const source = await cluster.nodeForSlot(slot);
    const target = (await cluster.primaries()).find((p) => p !== source)!;
    const [sourceId, targetId] = [await nodeId(source), await nodeId(target)];
    await target.cli("CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceId);
    await source.cli("CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetId);
    // While migrating: a key not yet moved is served by the source; a new key gets ASK.
    await client.set(`{${key}}:new`, "fresh").catch(() => {});
    assert.equal(await client.get(key), "v1");
    await source.cli("MIGRATE", "127.0.0.1", String(target.port), "", "0", "5000", "KEYS", key);
    assert.equal(await client.get(key), "v1", "ASK to the target while migrating");
    for (const node of await cluster.primaries()) {
      await node.cli("CLUSTER", "SETSLOT", String(slot), "NODE", targetId);
    }
    assert.equal(await client.get(key), "v1", "MOVED to the new owner");
    assert.equal(await client.primaryOf(slot), `127.0.0.1:${target.port}`);
    await cluster.waitOk();
  });

  it("reshards a slot range with keys while reads and writes run: nothing fails, everything reads back", async () => {
    await using cache = clusterCache({ keyPrefix: "reshard" });
    const keys = Array.from({ length: 2_000 }, (_, i) => `k${i}`);
    const { state, written, done } = traffic(cache, keys);
    try {
      await until(() => state.ok.length > 200, 10_000);
      const primaries = await cluster.primaries();
      const [from, to] = [primaries[0], primaries[1]];
      await execFileAsync("redis-cli", [
        "--cluster",
        "reshard",
        `127.0.0.1:${from.port}`,
        "--cluster-from",
        await nodeId(from),
        "--cluster-to",
        await nodeId(to),
        "--cluster-slots",
        "600",
        "--cluster-yes",
        "--cluster-pipeline",
        "50",
      ]);
      const okBefore = state.ok.length;
      await until(() => state.ok.length > okBefore + 200, 10_000);
    } finally {
      state.stop = true;
      await done;
    }
    assert.deepEqual(state.errors.map((e) => e.message).slice(0, 3), []);
    assert.equal(state.wrong, 0);
    const back = await cache.getMany(keys);
    for (const [key, value] of written) assert.equal(back.get(key), value, key);
    await cluster.waitOk();
  });

  it("CLUSTER FAILOVER on a replica while traffic runs: commands succeed again within 5 s", async () => {
    await using cache = clusterCache({ keyPrefix: "cf" });
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const { state, done } = traffic(cache, keys);
    try {
      await until(() => state.ok.length > 100, 10_000);
      const replica = (await cluster.replicas())[0];
      await replica.cli("CLUSTER", "FAILOVER");
      await until(async () => /^master/.test(await replica.cli("ROLE")), 10_000);
      const switchedAt = Date.now();
      await until(() => state.ok.filter((t) => t > switchedAt).length >= 50, 5_000);
    } finally {
      state.stop = true;
      await done;
    }
    assert.equal(state.wrong, 0);
    await cluster.waitOk();
  });

  it("a primary killed with SIGKILL: once its replica is promoted, commands succeed with no manual step", async () => {
    await using cache = clusterCache({ keyPrefix: "kill" });
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const { state, done } = traffic(cache, keys);
    try {
      await until(() => state.ok.length > 100, 10_000);
      const victim = (await cluster.primaries())[0];
      victim.kill("SIGKILL");
      await cluster.waitOk(30_000);
      const promotedAt = Date.now();
      await until(() => state.ok.filter((t) => t > promotedAt).length >= 50, 5_000);
    } finally {
      state.stop = true;
      await done;
    }
    assert.equal(state.wrong, 0);
  });

  it("a slot that no node serves fails with ClusterError after maxRedirects, not a loop", async () => {
    await using client = connectCluster({ urls: cluster.seeds, maxRedirects: 3 });
    const running = cluster.nodes.filter((n) => n.running);
    const key = "orphan";
    const slot = keySlot(key);
    const owner = await cluster.nodeForSlot(slot);
    for (const node of running) {
      await node.cli("CONFIG", "SET", "cluster-require-full-coverage", "no");
    }
    for (const node of running) await node.cli("CLUSTER", "DELSLOTS", String(slot));
    try {
      const started = Date.now();
      await assert.rejects(
        client.get(key),
        (e: unknown) =>
          e instanceof ClusterError && e.slot === slot &&
          /after 3 redirections or retries/.test(e.message),
      );
      assert.ok(Date.now() - started < 5_000);
      assert.equal(await client.set("{other}", 1), "OK", "other slots still work");
    } finally {
      await owner.cli("CLUSTER", "ADDSLOTS", String(slot));
      await cluster.waitOk();
    }
  });
  it("with every node down: ignoreErrors turns reads into misses by the offline queue's timeout, and a new client fails clearly", async () => {
    await using cache = clusterCache({ keyPrefix: "down", ignoreErrors: true });
    await cache.set("k", 1);
    for (const node of cluster.nodes) node.kill("SIGKILL");
    await until(() => cluster.nodes.every((node) => !node.running));
    const started = Date.now();
    const values = await Promise.all(
      Array.from({ length: 100 }, (_, i) => cache.get(`k${i}`, "default")),
    );
    assert.ok(values.every((v) => v === "default"));
    // Reads wait in the offline queue across the refused attempts, 2 s at most, then miss.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    await using fresh = connectCluster({ urls: cluster.seeds, retry: { attempts: 0 } });
    await assert.rejects(fresh.get("k"), /Cannot load the cluster's slot map from any of 6 nodes/);
  });
});
