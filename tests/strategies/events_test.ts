import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import { type RedisServer, startRedis } from "../support/redis.ts";
import { useRedisGroup } from "../support/use_redis.ts";
import {
  type Cluster,
  type SentinelGroup,
  startCluster,
  startReplica,
  startSentinels,
} from "../support/topology.ts";
import { until } from "../support/wait.ts";
import { CLIENT_EVENTS, EventLog } from "../support/events.ts";
import { connectCluster, ConnectionError, createCache, type Pool, type Router } from "../../mod.ts";
import { keySlot } from "../../src/cluster/key_slot.ts";

const address = (server: RedisServer) => `127.0.0.1:${server.port}`;

describe("strategy events: failover, and the servers of cache.client", () => {
  const pair = useRedisGroup(2);

  it("failover: to the next server when the first dies (with the error), back after failbackAfter; end on close", async () => {
    const [first, second] = pair.servers;
    const cache = createCache({
      strategy: "failover",
      urls: [first.url, second.url],
      failbackAfter: 50,
      retry: (n) => n * 10,
    });
    const router = cache.client as Router;
    const log = new EventLog(router, [...CLIENT_EVENTS, "failover"]);
    await cache.set("k", 1);
    const ready = await log.nextOf("ready");
    assert.equal(ready.detail.address, address(first), "the pools' events reach the router");

    first.kill("SIGKILL");
    await cache.get("k"); // fails on the first server, then reads the second
    const moved = await log.nextOf("failover");
    assert.equal(moved.detail.from, address(first));
    assert.equal(moved.detail.to, address(second));
    assert.ok(moved.detail.error instanceof ConnectionError, `got ${moved.detail.error}`);

    await first.restart();
    // The router checks the first server again on a command, once failbackAfter has passed.
    await until(async () => {
      await cache.get("k");
      return log.events.filter((e) => e.type === "failover").length === 2;
    });
    const back = await log.nextOf("failover");
    assert.deepEqual(back.detail, { from: address(second), to: address(first), error: undefined });
    await cache.close();
    await router.close(); // a second close is no second end
    assert.deepEqual(log.events.at(-1), {
      type: "end",
      detail: { address: undefined, error: undefined },
    });
    assert.equal(log.types.filter((t) => t === "end").length, 1, "the pools' ends stay theirs");
  });

  it("default strategy: cache.client, the primary's pool, emits its replicas' events too", async () => {
    const [primary, replica] = pair.servers;
    await using cache = createCache({
      url: primary.url,
      replicas: [replica.url],
      readFrom: "replica",
    });
    const log = new EventLog(cache.client as Pool);
    await cache.get("k"); // a read: the replica's pool connects
    assert.deepEqual(log.events.map((e) => [e.type, e.detail.address]), [
      ["connect", address(replica)],
      ["ready", address(replica)],
    ]);
  });
});

describe("strategy events: sentinel", () => {
  let primary: RedisServer;
  let replica: RedisServer;
  let group: SentinelGroup;
  before(async () => {
    primary = await startRedis();
    replica = await startReplica(primary);
    group = await startSentinels(primary, { count: 1 });
  });
  after(async () => {
    await group.stop();
    await Promise.all([replica.stop(), primary.stop()]);
  });

  it("switch-master on cache.client when the sentinel announces a new primary", async () => {
    await using cache = createCache({
      strategy: "sentinel",
      sentinels: group.addresses,
      masterName: group.masterName,
      keyPrefix: "ev",
      retry: (n) => n * 10,
    });
    const log = new EventLog(cache.client as Pool, [...CLIENT_EVENTS, "switch-master"]);
    await cache.set("k", 1); // asks the sentinel, and subscribes to +switch-master there
    const [sentinel] = group.sentinels;
    await until(async () => / cmd=subscribe /.test(await sentinel.cli("CLIENT", "LIST")));
    await sentinel.cli("SENTINEL", "FAILOVER", group.masterName);
    const { detail } = await log.nextOf("switch-master", 20_000);
    assert.deepEqual(detail, {
      masterName: group.masterName,
      from: address(primary),
      to: address(replica),
    });
    // The pool follows: writes reach the new primary.
    await until(async () => {
      await cache.set("k", 2).catch(() => {});
      return await replica.cli("GET", "ev:1:k") === "2";
    });
  });
});

describe("strategy events: cluster", () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ replicasPerPrimary: 0 });
  });
  after(() => cluster.stop());

  it("moved when a MOVED reply updates the slot map; the nodes' events; end on close", async () => {
    const client = connectCluster({ urls: cluster.seeds.slice(0, 1) });
    const log = new EventLog(client, [...CLIENT_EVENTS, "moved"]);
    const key = "events:moving"; // never written: its slot stays empty, so it moves at once
    const slot = keySlot(key);
    const source = await cluster.nodeForSlot(slot);
    assert.equal(await client.primaryOf(slot), address(source));
    assert.deepEqual(log.types.slice(0, 2), ["connect", "ready"], "the seed's pool connected");
    const target = (await cluster.primaries()).find((p) => p !== source)!;
    const targetId = await target.cli("CLUSTER", "MYID");
    for (const node of [target, source, ...await cluster.primaries()]) {
      await node.cli("CLUSTER", "SETSLOT", String(slot), "NODE", targetId);
    }
    assert.equal(await client.get(key), null);
    const { detail } = await log.nextOf("moved");
    assert.deepEqual(detail, { slot, from: address(source), to: address(target) });
    await client.close();
    assert.equal(log.types.at(-1), "end");
    assert.equal(log.types.filter((t) => t === "end").length, 1);
    await cluster.waitOk();
  });
});
