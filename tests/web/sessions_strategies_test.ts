/**
 * Sessions under the shard and cluster strategies: every session command is one key (or a
 * one-key script), so it is routed to the server that owns the session's key. The same
 * scenario runs on each: login with a new id, concurrent writes, clear, logout.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "../support/test.ts";
import type { RedisServer } from "../support/redis.ts";
import { useRedisGroup } from "../support/use_redis.ts";
import { type Cluster, startCluster } from "../support/topology.ts";
import type { CacheOptions } from "../../src/cache/cache_options.ts";
import { keySlot } from "../../src/cluster/key_slot.ts";
import { CookieJar } from "./support/cookie_jar.ts";
import { idOf } from "./support/session_app.ts";
import { sessionFixture } from "./support/session_fixture.ts";

async function call(jar: CookieJar, url: string): Promise<string> {
  return await (await jar.fetch(url)).text();
}

/** Runs the scenario; `ownerOf(key)` is the server that holds `key`. */
async function scenario(
  cacheOptions: CacheOptions,
  ownerOf: (key: string) => Promise<RedisServer>,
): Promise<Set<number>> {
  await using app = sessionFixture(cacheOptions);
  const exists = async (key: string) => (await ownerOf(key)).cli("EXISTS", key);
  const owners = new Set<number>();
  for (let visitor = 0; visitor < 6; visitor++) {
    const jar = new CookieJar();
    await call(jar, `${app.url}/set?cart=${visitor}`);
    const anonymous = jar.get("sid")!;
    assert.equal(await call(jar, `${app.url}/login?user=u${visitor}`), "welcome");
    const cookie = jar.get("sid")!;
    assert.notEqual(idOf(cookie), idOf(anonymous));
    assert.equal(await exists(app.key(anonymous)), "0", "the old id survived");
    const owner = await ownerOf(app.key(cookie));
    owners.add(owner.port);
    assert.equal(await owner.cli("HGET", app.key(cookie), "user"), `"u${visitor}"`);
    assert.equal(await call(jar, `${app.url}/get?k=cart`), `"${visitor}"`);

    const first = call(jar, `${app.url}/slow-set?gate=a${visitor}&color=red`);
    const second = call(jar, `${app.url}/slow-set?gate=b${visitor}&size=large`);
    await Promise.all([app.gates.arrived(`a${visitor}`), app.gates.arrived(`b${visitor}`)]);
    app.gates.release(`b${visitor}`);
    await second;
    app.gates.release(`a${visitor}`);
    await first;
    assert.equal(await owner.cli("HLEN", app.key(cookie)), "4"); // cart, user, color, size

    await call(jar, `${app.url}/clear`);
    assert.equal(await exists(app.key(cookie)), "0");
    await call(jar, `${app.url}/set?again=1`);
    await call(jar, `${app.url}/logout`);
    assert.equal(jar.get("sid"), undefined);
    assert.equal(await exists(app.key(cookie)), "0");
  }
  return owners;
}

describe("sessions(), strategy shard (2 servers)", () => {
  const group = useRedisGroup(2);

  it("login, concurrent writes, clear and logout work on sessions spread over both", async () => {
    const ownerOf = async (key: string) => {
      for (const server of group.servers) {
        if (await server.cli("EXISTS", key) === "1") return server;
      }
      return group.servers[0];
    };
    const owners = await scenario({ strategy: "shard", urls: group.urls }, ownerOf);
    assert.equal(owners.size, 2, "every session landed on one server");
  });
});

describe("sessions(), strategy cluster", () => {
  let cluster: Cluster | undefined;
  before(async () => {
    cluster = await startCluster({ replicasPerPrimary: 0 });
  });
  after(() => cluster?.stop());

  it("login, concurrent writes, clear and logout work on sessions in several slots", async () => {
    const owners = await scenario(
      { strategy: "cluster", urls: cluster!.seeds },
      (key) => cluster!.nodeForSlot(keySlot(key)),
    );
    assert.ok(owners.size >= 2, "every session landed on one node");
  });
});
