// Tests of the multi-process topologies: replica, Sentinel group, cluster.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import process from "node:process";
import { after, before, describe, it } from "./test.ts";
import { type RedisServer, startRedis } from "./redis.ts";
import {
  type Cluster,
  type SentinelGroup,
  startCluster,
  startReplica,
  startSentinels,
} from "./topology.ts";
import { until } from "./wait.ts";

// `bun test` gives each test and hook 5 s by default; starting a topology may take longer.
if ("Bun" in globalThis) {
  const bunTest = "bun:test"; // not a literal, so that Deno does not try to resolve it
  (await import(bunTest)).setDefaultTimeout(60_000);
}

const addr = (server: RedisServer) => `127.0.0.1:${server.port}`;

/** Asserts that no process with these PIDs exists any more. */
function assertGone(pids: number[]): void {
  for (const pid of pids) {
    assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, `process ${pid} still exists`);
  }
}

describe("startReplica", () => {
  let primary: RedisServer;
  let replica: RedisServer;
  before(async () => {
    primary = await startRedis({ requirePass: "pw" });
    replica = await startReplica(primary);
  });
  after(async () => {
    await replica?.stop();
    await primary?.stop();
  });

  it("replicates a SET done on the primary", async () => {
    assert.equal(replica.options.requirePass, "pw"); // inherited
    assert.match(await replica.cli("ROLE"), /^slave\n127\.0\.0\.1\n/);
    assert.equal(await primary.cli("SET", "k", "v"), "OK");
    await until(async () => (await replica.cli("GET", "k")) === "v", 5000);
  });
});

describe("startSentinels (SENTINEL FAILOVER, with passwords)", () => {
  let primary: RedisServer;
  let replica: RedisServer;
  let group: SentinelGroup;
  before(async () => {
    primary = await startRedis({ requirePass: "pw" });
    replica = await startReplica(primary);
    group = await startSentinels(primary, { password: "spw" });
  });
  after(async () => {
    await group?.stop();
    await Promise.all([replica?.stop(), primary?.stop()]);
  });

  it("report the master", async () => {
    assert.equal(group.masterName, "mymaster");
    assert.equal(group.sentinels.length, 3);
    assert.deepEqual(group.addresses, group.sentinels.map(addr));
    assert.equal(await group.masterAddress(), addr(primary));
    assert.equal(await group.sentinels[1].cli("PING"), "PONG"); // with the Sentinel password
    const master = await group.sentinels[2].cli("SENTINEL", "MASTER", "mymaster");
    assert.match(master, /\nnum-slaves\n1\n/);
    assert.match(master, /\nnum-other-sentinels\n2\n/);
  });

  it("switch to the replica after SENTINEL FAILOVER", async () => {
    const from = await group.masterAddress();
    assert.equal(await group.sentinels[0].cli("SENTINEL", "FAILOVER", "mymaster"), "OK");
    const started = Date.now();
    assert.equal(await group.waitForSwitch(from, 10_000), addr(replica));
    assert.ok(Date.now() - started < 10_000);
    assert.match(await replica.cli("ROLE"), /^master\n/);
  });

  it("fail back once the old primary is a linked replica (waitReady)", async () => {
    await group.waitReady({ replicas: 1 }); // Sentinel demotes the old primary ~10 s later
    assert.match(await primary.cli("ROLE"), /^slave\n/); // synced with `masterauth`
    assert.equal(await group.sentinels[2].cli("SENTINEL", "FAILOVER", "mymaster"), "OK");
    assert.equal(await group.waitForSwitch(addr(replica), 10_000), addr(primary));
  });
});

describe("startSentinels (SIGKILL of the primary)", () => {
  let primary: RedisServer;
  let replica: RedisServer;
  let group: SentinelGroup;
  before(async () => {
    primary = await startRedis();
    replica = await startReplica(primary);
    group = await startSentinels(primary);
  });
  after(async () => {
    await group?.stop();
    await Promise.all([replica?.stop(), primary?.stop()]);
  });

  it("fail over to the replica when the primary dies right after the start", async () => {
    primary.kill("SIGKILL");
    assert.equal(await group.waitForSwitch(addr(primary), 20_000), addr(replica));
  });

  it("stop() leaves no process and no directory", async () => {
    const pids = group.sentinels.map((s) => s.pid);
    const dirs = group.sentinels.map((s) => s.dir);
    await group.stop();
    await group.stop(); // idempotent
    assertGone(pids);
    assert.ok(dirs.every((dir) => !existsSync(dir)));
    await assert.rejects(group.masterAddress(), /no Sentinel of mymaster answered/);
  });
});

describe("startCluster", () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster();
  });
  after(() => cluster?.stop());

  it("has 3 primaries and 3 replicas, all reporting cluster_state:ok", async () => {
    assert.equal(cluster.nodes.length, 6);
    assert.deepEqual(cluster.seeds, cluster.nodes.map((node) => node.url));
    assert.ok(cluster.nodes.every((node) => node.port + 10_000 <= 65_535));
    assert.equal((await cluster.primaries()).length, 3);
    assert.equal((await cluster.replicas()).length, 3);
    for (const node of cluster.nodes) {
      assert.match(await node.cli("CLUSTER", "INFO"), /^cluster_state:ok\r?$/m);
    }
  });

  it("serves SET/GET through redis-cli -c, and nodeForSlot() finds the owner", async () => {
    assert.equal(await cluster.nodes[0].cli("-c", "SET", "foo", "bar"), "OK");
    assert.equal(await cluster.nodes[1].cli("-c", "GET", "foo"), "bar");
    const slot = Number(await cluster.nodes[2].cli("CLUSTER", "KEYSLOT", "foo"));
    const owner = await cluster.nodeForSlot(slot);
    assert.ok((await cluster.primaries()).includes(owner));
    assert.equal(await owner.cli("GET", "foo"), "bar"); // no redirection
  });

  it("lets a replica take over with CLUSTER FAILOVER", async () => {
    const [replica] = await cluster.replicas();
    assert.equal(await replica.cli("CLUSTER", "FAILOVER"), "OK");
    await until(async () => (await replica.cli("ROLE")).startsWith("master"), 10_000);
    await cluster.waitOk(10_000);
    const primaries = await cluster.primaries();
    assert.equal(primaries.length, 3);
    assert.ok(primaries.includes(replica));
    assert.equal(await cluster.nodes[0].cli("-c", "GET", "foo"), "bar");
  });

  it("stop() leaves no process and no directory", async () => {
    const pids = cluster.nodes.map((node) => node.pid);
    await cluster.stop();
    assertGone(pids);
    assert.ok(cluster.nodes.every((node) => !existsSync(node.dir) && !node.running));
  });
});
