/**
 * The near cache under every strategy: replicas, shard, herd, failover,
 * sentinel and cluster. Each test reads a value twice (the second time from
 * memory), has ANOTHER plain client change it, syncs, and checks that the
 * cache returns the new value. Invalidation pushes travel on the cache's own
 * connections, so the sync is one PING on each of them (every pool has one
 * connection: `max: 1`); where a PING cannot reach the connection (a replica's
 * pool), bounded polling, and the old value is then never returned again.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { type RedisServer, startRedis } from "../support/redis.ts";
import { useRedis, useRedisGroup } from "../support/use_redis.ts";
import {
  type Cluster,
  commandCalls,
  type SentinelGroup,
  startCluster,
  startReplica,
  startSentinels,
} from "../support/topology.ts";
import { until } from "../support/wait.ts";
import {
  type Cache,
  connect,
  connectCluster,
  createCache,
  type NearStats,
  type Pool,
  type Router,
} from "../../mod.ts";
import { keySlot } from "../../src/cluster/key_slot.ts";

const NEAR = { nearCache: true, max: 1 } as const;

function near(cache: Cache): NearStats {
  return cache.stats().near!;
}

/** Every invalidation sent on the single connection of `cache.client` (a pool) has arrived. */
async function syncPool(cache: Cache): Promise<void> {
  await (cache.client as Pool).send(["PING"]);
}

/** The same through a router: one PING per node (each a pool of one connection). */
async function syncRouter(cache: Cache): Promise<void> {
  const router = cache.client as Router;
  await Promise.all((await router.nodes()).map((node) => node.send(["PING"])));
}

/** Reads `key` twice: both give `expected`, the second from memory. */
async function readTwice(cache: Cache, key: string, expected: unknown): Promise<void> {
  assert.deepEqual(await cache.get(key), expected, `${key}: first read`);
  const hits = near(cache).hits;
  assert.deepEqual(await cache.get(key), expected, `${key}: second read`);
  assert.equal(near(cache).hits, hits + 1, `${key}: the second read was not served from memory`);
}

/** Polls `key` until it reads `expected`; returns every value read on the way. */
async function pollUntil(cache: Cache, key: string, expected: unknown, ms = 5_000) {
  const seen: unknown[] = [];
  await until(async () => {
    const value = await cache.get(key);
    seen.push(value);
    return value === expected;
  }, ms);
  return seen;
}

describe("near cache, default strategy with a replica (readFrom: replica)", () => {
  const primary = useRedis();
  const replica = useRedis(() => startReplica(primary.server));

  it("a write on the primary by another client invalidates the value read from the replica", async () => {
    await using cache = createCache({
      url: primary.url,
      replicas: [replica.url],
      readFrom: "replica",
      keyPrefix: "rep",
      ...NEAR,
    });
    await using other = await connect(primary.url);
    await cache.set("k", "old", { ttl: null });
    // WAIT covers the writes of its own connection: the cache's one primary connection.
    assert.equal(await (cache.client as Pool).send(["WAIT", 1, 5_000]), 1);
    await replica.server.cli("CONFIG", "RESETSTAT");
    await primary.server.cli("CONFIG", "RESETSTAT");
    await readTwice(cache, "k", "old");
    assert.equal(await commandCalls(replica.server, "get"), 1, "the miss read the replica");
    assert.equal(await commandCalls(primary.server, "get"), 0, "nothing read the primary");

    await other.send(["SET", "rep:1:k", '"new"']);
    assert.equal(await other.send(["WAIT", 1, 5_000]), 1);
    // The push comes on the replica's connection, which no PING of cache.client reaches.
    const seen = await pollUntil(cache, "k", "new");
    assert.ok(seen.every((v) => v === "old" || v === "new"), JSON.stringify(seen));
    const hits = near(cache).hits;
    for (let i = 0; i < 20; i++) assert.equal(await cache.get("k"), "new", "old value came back");
    assert.equal(near(cache).hits, hits + 20, "the new value is served from memory");
    assert.ok(near(cache).invalidations >= 1);
  });
});

describe("near cache, strategy shard (2 servers)", () => {
  const servers = useRedisGroup(2);

  it("another client's writes on either shard invalidate what was read from it", async () => {
    await using cache = createCache({
      strategy: "shard",
      urls: servers.urls,
      keyPrefix: "sh",
      ...NEAR,
    });
    await using first = await connect(servers.urls[0]);
    await using second = await connect(servers.urls[1]);
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    for (const key of keys) await cache.set(key, `old-${key}`, { ttl: null });
    const owner = new Map<string, typeof first>();
    for (const key of keys) {
      owner.set(key, await first.send<number>(["EXISTS", `sh:1:${key}`]) ? first : second);
    }
    const onFirst = keys.filter((k) => owner.get(k) === first).length;
    assert.ok(onFirst > 0 && onFirst < keys.length, `${onFirst} of ${keys.length} on the first`);

    for (const key of keys) await readTwice(cache, key, `old-${key}`);
    for (const key of keys) await owner.get(key)!.send(["SET", `sh:1:${key}`, `"new-${key}"`]);
    await syncRouter(cache);
    assert.equal(near(cache).entries, 0, "every key was invalidated");
    for (const key of keys) assert.equal(await cache.get(key), `new-${key}`);
    assert.equal(near(cache).invalidations, keys.length);
  });
});

describe("near cache, strategy herd", () => {
  const server = useRedis();

  it("hits come from memory (no GET, no PTTL reaches Redis); another client's write invalidates", async () => {
    await using cache = createCache({
      strategy: "herd",
      url: server.url,
      herdTtl: "20s",
      keyPrefix: "herd",
      ...NEAR,
    });
    await using other = await connect(server.url);
    await cache.set("k", { v: "old" }, { ttl: 60_000 });
    await readTwice(cache, "k", { v: "old" });
    await server.server.cli("CONFIG", "RESETSTAT");
    const hits = near(cache).hits;
    for (let i = 0; i < 50; i++) assert.deepEqual(await cache.get("k"), { v: "old" });
    assert.equal(near(cache).hits, hits + 50);
    assert.equal(await commandCalls(server.server, "get"), 0, "a GET reached the server");
    assert.equal(await commandCalls(server.server, "pttl"), 0, "a PTTL reached the server");

    // Written as herd writes it: TTL + herdTtl, so the value is fresh, not due for refresh.
    await other.send(["SET", "herd:1:k", '{"v":"new"}', "PX", 80_000]);
    await syncPool(cache);
    assert.deepEqual(await cache.get("k"), { v: "new" });
    await readTwice(cache, "k", { v: "new" });
    assert.equal(near(cache).invalidations, 1);
  });
});

describe("near cache, strategy failover", () => {
  const pair = useRedisGroup(2);

  it("once server a is stopped and the cache moved to b, nothing read from a is served; b's changes are read fresh", async () => {
    const [a, b] = pair.servers;
    await using cache = createCache({
      strategy: "failover",
      urls: [a.url, b.url],
      keyPrefix: "fo",
      retry: { base: 10, max: 100 },
      offlineQueue: { timeout: 200 }, // a read waits this long for a, then moves to b
      ...NEAR,
    });
    const router = cache.client as Router & { current: number };
    await using onB = await connect(b.url);
    await cache.set("k", "from-a", { ttl: null });
    await cache.set("only-a", 1, { ttl: null });
    await readTwice(cache, "k", "from-a");
    await readTwice(cache, "only-a", 1);
    await onB.send(["SET", "fo:1:k", '"from-b"']);
    assert.equal(near(cache).entries, 2);

    await a.stop();
    // A read of a key never cached finds a down, moves to b and is read again there.
    assert.equal(await cache.get("probe"), undefined);
    assert.equal(router.current, 1, "the cache moved to b");
    assert.ok(near(cache).flushes >= 1, JSON.stringify(near(cache)));
    assert.equal(await cache.get("k"), "from-b", "a's value was served after the move");
    assert.equal(await cache.get("only-a"), undefined, "a's value was served after the move");

    await readTwice(cache, "k", "from-b");
    await onB.send(["SET", "fo:1:k", '"changed"']);
    await syncRouter(cache);
    assert.equal(await cache.get("k"), "changed");
    await readTwice(cache, "k", "changed");
  });
});

describe("near cache, strategy sentinel (SENTINEL FAILOVER)", () => {
  let primary: RedisServer | undefined;
  let replica: RedisServer | undefined;
  let group: SentinelGroup | undefined;
  before(async () => {
    primary = await startRedis();
    replica = await startReplica(primary);
    group = await startSentinels(primary);
  });
  after(async () => {
    await group?.stop();
    await Promise.all([replica?.stop(), primary?.stop()]);
  });

  it("after a failover, a value another client writes on the new primary is seen, never the old one", async () => {
    const [oldPrimary, newPrimary, sentinels] = [primary!, replica!, group!];
    await using cache = createCache({
      strategy: "sentinel",
      sentinels: sentinels.addresses,
      masterName: sentinels.masterName,
      keyPrefix: "sn",
      retry: { base: 20, max: 200 },
      ...NEAR,
    });
    await using onOld = await connect(oldPrimary.url);
    await cache.set("k", "v1", { ttl: null });
    await readTwice(cache, "k", "v1");
    await onOld.send(["SET", "sn:1:k", '"v2"']);
    await syncPool(cache);
    await readTwice(cache, "k", "v2");
    await onOld.send(["WAIT", 1, 5_000]);
    // The cache learns of failovers from its +switch-master subscription: wait until it is on.
    await until(async () => {
      const lists = await Promise.all(sentinels.sentinels.map((s) => s.cli("CLIENT", "LIST")));
      return lists.some((list) => /\bsub=[1-9]/.test(list));
    }, 10_000);

    const from = await sentinels.masterAddress();
    assert.equal(from, `127.0.0.1:${oldPrimary.port}`);
    await sentinels.sentinels[0].cli("SENTINEL", "FAILOVER", sentinels.masterName);
    assert.equal(await sentinels.waitForSwitch(from, 15_000), `127.0.0.1:${newPrimary.port}`);
    await using onNew = await connect(newPrimary.url);
    await onNew.send(["SET", "sn:1:k", '"v3"']);
    const seen = await pollUntil(cache, "k", "v3", 10_000);
    assert.deepEqual(seen.filter((v) => v !== "v3"), [], "values read after the write");
    for (let i = 0; i < 10; i++) assert.equal(await cache.get("k"), "v3");
    assert.ok(near(cache).flushes >= 1, JSON.stringify(near(cache)));

    await readTwice(cache, "k", "v3");
    await onNew.send(["SET", "sn:1:k", '"v4"']);
    await syncPool(cache);
    assert.equal(await cache.get("k"), "v4");
    assert.equal(await newPrimary.cli("GET", "sn:1:k"), '"v4"');
  });
});

describe("near cache, strategy cluster", () => {
  let cluster: Cluster | undefined;
  before(async () => {
    cluster = await startCluster({ replicasPerPrimary: 0 });
  });
  after(() => cluster?.stop());

  const clusterCache = (keyPrefix: string) =>
    createCache({
      strategy: "cluster",
      urls: cluster!.seeds,
      keyPrefix,
      retry: { base: 20, max: 200 },
      ...NEAR,
    });

  it("reads from every primary are invalidated by another client's writes", async () => {
    await using cache = clusterCache("cl");
    await using other = connectCluster({ urls: cluster!.seeds });
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const owners = new Set<number>();
    for (const key of keys) owners.add((await cluster!.nodeForSlot(keySlot(`cl:1:${key}`))).port);
    assert.ok(owners.size >= 2, `keys on ${owners.size} primaries`);
    for (const key of keys) await cache.set(key, `old-${key}`, { ttl: null });
    for (const key of keys) await readTwice(cache, key, `old-${key}`);
    for (const key of keys) await other.set(`cl:1:${key}`, `"new-${key}"`);
    await syncRouter(cache);
    assert.equal(near(cache).entries, 0, "every key was invalidated");
    for (const key of keys) assert.equal(await cache.get(key), `new-${key}`);
  });

  it("after its slot migrates to another primary, a write there by another client is read", async () => {
    const c = cluster!;
    await using cache = clusterCache("mig");
    await using other = connectCluster({ urls: c.seeds });
    const full = "mig:1:k";
    const slot = keySlot(full);
    await cache.set("k", "v1", { ttl: null });
    await readTwice(cache, "k", "v1");

    const source = await c.nodeForSlot(slot);
    const target = (await c.primaries()).find((p) => p !== source)!;
    const [sourceId, targetId] = [
      await source.cli("CLUSTER", "MYID"),
      await target.cli("CLUSTER", "MYID"),
    ];
    await target.cli("CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceId);
    await source.cli("CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetId);
    await source.cli("MIGRATE", "127.0.0.1", String(target.port), "", "0", "5000", "KEYS", full);
    for (const node of await c.primaries()) {
      await node.cli("CLUSTER", "SETSLOT", String(slot), "NODE", targetId);
    }
    await other.set(full, '"v2"');
    assert.equal(await target.cli("GET", full), '"v2"', "written on the new owner");
    await syncRouter(cache);
    // MIGRATE deleted the key on the source, which pushed its invalidation there.
    assert.equal(near(cache).entries, 0);
    assert.equal(await cache.get("k"), "v2");

    // Now read on the new owner's connection: its pushes invalidate it there.
    await readTwice(cache, "k", "v2");
    await other.set(full, '"v3"');
    await syncRouter(cache);
    assert.equal(await cache.get("k"), "v3");
    await c.waitOk();
  });
});
