import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { redisFixture, useRedis } from "../support/use_redis.ts";
import { commandCalls as calls, startReplica } from "../support/topology.ts";
import { createCache, type Pool } from "../../mod.ts";
import { cacheContract } from "../cache/contract.ts";

const contractPrimary = redisFixture();
const contractReplica = redisFixture(() => startReplica(contractPrimary.server));

cacheContract("strategy default, with a replica", {
  setup: async () => {
    await contractPrimary.start();
    await contractReplica.start();
  },
  teardown: async () => {
    await Promise.all([contractReplica.stop(), contractPrimary.stop()]);
  },
  makeCache: (options) =>
    createCache({
      url: contractPrimary.url,
      replicas: [contractReplica.url],
      readFrom: "primary",
      ...options,
    }),
});

describe("strategy default: primary and replica", () => {
  const primary = useRedis();
  const replica = useRedis(() => startReplica(primary.server));

  it('with readFrom "replica", reads reach the replica and writes the primary', async () => {
    await using cache = createCache({
      url: primary.url,
      replicas: [replica.url],
      readFrom: "replica",
      keyPrefix: "rr",
    });
    const getsBefore = [await calls(primary.server, "get"), await calls(replica.server, "get")];
    const setsBefore = await calls(primary.server, "set");
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, i);
    await (cache.client as Pool).send(["WAIT", 1, 2_000]);
    for (let i = 0; i < 20; i++) assert.equal(await cache.get(`k${i}`), i);
    assert.equal(await calls(primary.server, "get") - getsBefore[0], 0, "no read on the primary");
    assert.equal(
      await calls(replica.server, "get") - getsBefore[1],
      20,
      "every read on the replica",
    );
    assert.equal(await calls(primary.server, "set") - setsBefore, 20, "writes on the primary");
  });

  it('with readFrom "any", reads take turns between primary and replica', async () => {
    await using cache = createCache({
      url: primary.url,
      replicas: [replica.url],
      readFrom: "any",
      keyPrefix: "any",
    });
    const before = [await calls(primary.server, "get"), await calls(replica.server, "get")];
    for (let i = 0; i < 10; i++) await cache.get(`k${i}`);
    assert.equal(await calls(primary.server, "get") - before[0], 5);
    assert.equal(await calls(replica.server, "get") - before[1], 5);
  });

  it("with the replica killed, reads still succeed (from the primary)", async () => {
    const doomed = await startReplica(primary.server);
    await using cache = createCache({
      url: primary.url,
      replicas: [doomed.url],
      readFrom: "replica",
      keyPrefix: "dead",
      retry: { base: 10, max: 50 },
    });
    await cache.set("k", "v");
    await (cache.client as Pool).send(["WAIT", 2, 2_000]);
    assert.equal(await cache.get("k"), "v");
    doomed.kill("SIGKILL");
    await doomed.stop();
    for (let i = 0; i < 50; i++) assert.equal(await cache.get("k"), "v");
    assert.deepEqual(await cache.getMany(["k"]), new Map([["k", "v"]]));
  });
});
