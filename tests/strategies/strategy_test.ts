import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { createCache } from "../../mod.ts";

describe("strategy options", () => {
  it("refuses an unknown strategy, options of another strategy, and a server address where urls belong", () => {
    assert.throws(
      () => createCache({ strategy: "shards" as "shard", urls: ["redis://a"] }),
      /Invalid option "strategy": "shards" is not one of default, shard, herd, failover, sentinel, cluster/,
    );
    assert.throws(
      () => createCache({ url: "redis://127.0.0.1:1", urls: ["redis://127.0.0.1:2"] }),
      /Option "urls" does not apply to strategy "default"; it is for shard, failover, cluster/,
    );
    assert.throws(
      () => createCache({ strategy: "shard", url: "redis://127.0.0.1:1", urls: ["redis://b"] }),
      /Option "url" does not apply to strategy "shard": give the servers in urls/,
    );
    assert.throws(
      () => createCache({ strategy: "shard", urls: [] }),
      /Invalid option "urls": expected a non-empty list/,
    );
    assert.throws(
      () => createCache({ strategy: "failover", urls: ["redis://a", "redis://b:99999"] }),
      TypeError,
    );
    assert.throws(
      () => createCache({ readFrom: "replicas" as "replica" }),
      /Invalid option "readFrom": expected "primary", "replica" or "any"/,
    );
    assert.throws(() => createCache({ strategy: "herd", herdTtl: "soon" }), /herdTtl/);
    assert.throws(
      () => createCache({ strategy: "herd", herdEarlyRefresh: -1 }),
      /herdEarlyRefresh/,
    );
    assert.throws(() => createCache({ strategy: "sentinel", sentinels: ["h:1"] }), /masterName/);
    assert.throws(
      () => createCache({ strategy: "sentinel", sentinels: ["ftp://h:1"], masterName: "m" }),
      /Invalid option "sentinels"/,
    );
    assert.throws(() => createCache({ failbakAfter: 1 } as never), /did you mean "failbackAfter"/);
  });

  it("never puts a password in a shard's name or in an error", () => {
    let message = "";
    try {
      createCache({
        strategy: "shard",
        urls: ["redis://:s3cret@127.0.0.1:1", "redis://:s3cret@h:x"],
      });
    } catch (error) {
      message = String(error) + JSON.stringify(error) + (error as Error).stack;
    }
    assert.ok(message.length > 0);
    assert.ok(!message.includes("s3cret"), message);
  });
});
