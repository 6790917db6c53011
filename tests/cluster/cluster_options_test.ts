import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { type ClusterOptions, clusterSettings } from "../../src/cluster/cluster_options.ts";

describe("clusterSettings", () => {
  it("reads the seeds from an array or a comma-separated string, port 6379 by default", () => {
    const settings = clusterSettings({ urls: "redis://10.0.0.1:7000, redis://10.0.0.2" });
    assert.deepEqual(settings.seeds, ["10.0.0.1:7000", "10.0.0.2:6379"]);
    assert.deepEqual(clusterSettings({ urls: ["redis://10.0.0.3:7001"] }).seeds, [
      "10.0.0.3:7001",
    ]);
  });

  it("defaults to 16 redirections and reads from primaries", () => {
    const settings = clusterSettings({ urls: "redis://10.0.0.1:7000" });
    assert.equal(settings.maxRedirects, 16);
    assert.equal(settings.readFrom, "primary");
  });

  it("hands the other options to every node's pool, without the cluster's own", () => {
    const settings = clusterSettings({
      urls: "redis://10.0.0.1:7000",
      maxRedirects: 3,
      readFrom: "replica",
      password: "secret",
      max: 4,
    });
    assert.equal(settings.maxRedirects, 3);
    assert.equal(settings.readFrom, "replica");
    assert.deepEqual(settings.pool, { password: "secret", max: 4 });
  });

  it("refuses missing seeds, a server address, and bad maxRedirects or readFrom", () => {
    const bad = (options: Record<string, unknown>) => () =>
      clusterSettings(options as unknown as ClusterOptions);
    assert.throws(bad({}), { name: "TypeError", message: /Invalid option "urls"/ });
    assert.throws(bad({ urls: [] }), { name: "TypeError", message: /Invalid option "urls"/ });
    assert.throws(bad({ urls: "redis://a:1", host: "b" }), {
      name: "TypeError",
      message: 'Option "host" does not apply to a cluster: give the seeds in urls',
    });
    for (const maxRedirects of [-1, 1.5, "3"]) {
      assert.throws(bad({ urls: "redis://a:1", maxRedirects }), {
        name: "TypeError",
        message: /Invalid option "maxRedirects"/,
      });
    }
    assert.throws(bad({ urls: "redis://a:1", readFrom: "replicas" }), {
      name: "TypeError",
      message: /Invalid option "readFrom"/,
    });
  });
});
