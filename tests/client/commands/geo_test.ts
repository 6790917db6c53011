import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import {
  connect,
  createPool,
  type GeoCoordinates,
  type GeoMember,
  type GeoSearchResult,
  type RedisClient,
} from "../../../mod.ts";
import { onBothProtocols } from "./support.ts";

const SICILY: GeoMember[] = [
  { longitude: 13.361389, latitude: 38.115556, member: "Palermo" },
  { longitude: 15.087269, latitude: 37.502669, member: "Catania" },
];

/** `n` rounded to `digits` decimals. */
function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** To 5 decimals (about a metre): Redis stores positions as 52-bit geohashes, within 0.6 m. */
function roundCoordinates(c: GeoCoordinates | null | undefined): GeoCoordinates | null {
  return c ? { longitude: round(c.longitude, 5), latitude: round(c.latitude, 5) } : null;
}

async function sicily(redis: RedisClient): Promise<void> {
  assert.equal(await redis.geoadd("sicily", SICILY), 2);
}

describe("geo commands", () => {
  const fixture = useRedis();

  it("geoadd counts added members and honours nx, xx and ch", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => [
      await redis.geoadd("g", SICILY[0]),
      await redis.geoadd("g", SICILY),
      await redis.geoadd("g", { longitude: 13.5, latitude: 38, member: "Palermo" }, { nx: true }),
      await redis.geoadd("g", { longitude: 1, latitude: 2, member: "Nowhere" }, { xx: true }),
      await redis.geoadd("g", { longitude: 13.5, latitude: 38, member: "Palermo" }, {
        xx: true,
        ch: true,
      }),
      await redis.zcard("g"),
    ]);
    assert.deepEqual(results, [1, 1, 0, 0, 1, 2]);
    await using redis = await connect(fixture.url);
    const one = SICILY[0];
    assert.throws(() => redis.geoadd("g2", one, { nx: true, xx: true }), /nx and xx in geoadd/);
    assert.throws(() => redis.geoadd("g2", one, { CH: true } as never), /"CH" for geoadd\(\)/);
    assert.equal(await redis.exists("g2"), 0);
  });

  it("geopos, geodist and geohash give numbers, hashes and null for missing members", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await sicily(redis);
      return [
        await redis.geopos("sicily", "Palermo", "Atlantis", "Catania"),
        await redis.geopos("nokey", "Palermo"),
        await redis.geodist("sicily", "Palermo", "Catania"),
        await redis.geodist("sicily", "Palermo", "Catania", "km"),
        await redis.geodist("sicily", "Palermo", "Catania", "mi"),
        await redis.geodist("sicily", "Palermo", "Palermo", "ft"),
        await redis.geodist("sicily", "Palermo", "Atlantis"),
        await redis.geohash("sicily", "Palermo", "Atlantis", "Catania"),
      ];
    });
    const [positions, none, ...rest] = results as [
      (GeoCoordinates | null)[],
      (GeoCoordinates | null)[],
      ...unknown[],
    ];
    assert.deepEqual(positions.map(roundCoordinates), [
      { longitude: 13.36139, latitude: 38.11556 },
      null,
      { longitude: 15.08727, latitude: 37.50267 },
    ]);
    assert.equal(typeof positions[0]?.longitude, "number");
    assert.deepEqual(none, [null]);
    assert.deepEqual(rest, [
      166274.1516,
      166.2742,
      103.3182,
      0,
      null,
      ["sqc8b49rny0", null, "sqdtr74hyu0"],
    ]);
  });

  it("geosearch gives names, or { member, distance, hash, coordinates } with a with… flag", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await sicily(redis);
      const here = { longitude: 15, latitude: 37 };
      const names: string[] = await redis.geosearch("sicily", here, { radius: 200, unit: "km" }, {
        order: "ASC",
      });
      const full: GeoSearchResult[] = await redis.geosearch(
        "sicily",
        here,
        { radius: 200, unit: "km" },
        { order: "ASC", withCoord: true, withDist: true, withHash: true },
      );
      return {
        names,
        full,
        desc: await redis.geosearch("sicily", here, { radius: 200, unit: "km" }, { order: "DESC" }),
        near: await redis.geosearch("sicily", here, { radius: 100, unit: "km" }),
        box: await redis.geosearch(
          "sicily",
          { member: "Palermo" },
          { width: 400, height: 400, unit: "km" },
          { order: "ASC", count: 1, withDist: true },
        ),
        any: await redis.geosearch("sicily", { member: "Catania" }, { radius: 500, unit: "km" }, {
          count: 5,
          any: true,
          withHash: true,
        }),
        dist: await redis.geosearch("sicily", here, { radius: 200000, unit: "m" }, {
          order: "DESC",
          withDist: true,
          withCoord: false,
        }),
        none: await redis.geosearch("nokey", here, { radius: 1, unit: "mi" }, { withDist: true }),
      };
    });
    assert.deepEqual(results.names, ["Catania", "Palermo"]);
    assert.deepEqual(
      results.full.map((r) => ({ ...r, coordinates: roundCoordinates(r.coordinates) })),
      [
        {
          member: "Catania",
          distance: 56.4413,
          hash: 3479447370796909,
          coordinates: { longitude: 15.08727, latitude: 37.50267 },
        },
        {
          member: "Palermo",
          distance: 190.4424,
          hash: 3479099956230698,
          coordinates: { longitude: 13.36139, latitude: 38.11556 },
        },
      ],
    );
    assert.deepEqual(results.desc, ["Palermo", "Catania"]);
    assert.deepEqual(results.near, ["Catania"]);
    assert.deepEqual(results.box, [{ member: "Palermo", distance: 0 }]);
    assert.deepEqual(
      results.any.map((r) => r.member).sort(),
      ["Catania", "Palermo"],
    );
    assert.deepEqual(
      results.any.map((r) => r.hash).sort(),
      [3479099956230698, 3479447370796909],
    );
    assert.deepEqual(results.dist, [
      { member: "Palermo", distance: 190442.4298 },
      { member: "Catania", distance: 56441.2579 },
    ]);
    assert.deepEqual(results.none, []);
  });

  it("geosearch refuses contradictory or unknown options before sending", async () => {
    await using redis = await connect(fixture.url);
    const from = { member: "Palermo" };
    const by = { radius: 1, unit: "km" } as const;
    assert.throws(() => redis.geosearch("g", from, by, { any: true }), /any without count/);
    assert.throws(
      () => redis.geosearch("g", from, by, { storeDist: true } as never),
      /"storeDist" for geosearch\(\)/,
    );
    assert.throws(
      () => redis.geosearchstore("d", "g", from, by, { withDist: true } as never),
      /"withDist" for geosearchstore\(\)/,
    );
    assert.throws(
      () => redis.geosearch("g", { member: "x", longitude: 1 } as never, by),
      /"longitude" for geosearch\(\) from/,
    );
    assert.throws(
      () => redis.geosearch("g", from, { radius: 1, width: 2, unit: "km" } as never),
      /"width" for geosearch\(\) by/,
    );
    assert.throws(
      () => redis.geosearch("g", from, by, { order: "NEAR" as never }),
      /Unknown order "NEAR"/,
    );
  });

  it("geosearchstore stores members with geohash or distance scores", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await sicily(redis);
      const here = { longitude: 15, latitude: 37 };
      return [
        await redis.geosearchstore("found", "sicily", here, { radius: 200, unit: "km" }),
        await redis.zrange("found", 0, -1, { withScores: true }),
        await redis.geosearchstore(
          "dists",
          "sicily",
          here,
          { width: 400, height: 400, unit: "km" },
          {
            order: "ASC",
            count: 1,
            storeDist: true,
          },
        ),
        await redis.zrange("dists", 0, -1, { withScores: true }),
        await redis.geosearchstore("empty", "sicily", here, { radius: 1, unit: "m" }),
        await redis.exists("empty"),
      ];
    });
    const [found, stored, count, dists, none, exists] = results as [
      number,
      { member: string; score: number }[],
      number,
      { member: string; score: number }[],
      number,
      number,
    ];
    assert.deepEqual([found, count, none, exists], [2, 1, 0, 0]);
    assert.deepEqual(stored, [
      { member: "Palermo", score: 3479099956230698 },
      { member: "Catania", score: 3479447370796909 },
    ]);
    assert.deepEqual(dists.map((d) => ({ ...d, score: round(d.score, 3) })), [
      { member: "Catania", score: 56.441 },
    ]);
  });

  it("shapes geo replies in pipelines, transactions and on a pool", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => [
      await redis.pipeline()
        .geoadd("p", SICILY)
        .geodist("p", "Palermo", "Catania", "km")
        .geohash("p", "Catania")
        .geosearch("p", { member: "Catania" }, { radius: 100, unit: "km" }, { withDist: true })
        .exec(),
      await redis.multi()
        .geoadd("m", SICILY[1])
        .geodist("m", "Catania", "Palermo")
        .geosearchstore("m2", "m", { member: "Catania" }, { radius: 1, unit: "km" })
        .geosearch("m", { longitude: 15, latitude: 37 }, { radius: 100, unit: "km" })
        .exec(),
    ]);
    assert.deepEqual(results, [
      [2, 166.2742, ["sqdtr74hyu0"], [{ member: "Catania", distance: 0 }]],
      [1, null, 1, ["Catania"]],
    ]);
    await using pool = createPool({ url: fixture.url, max: 2 });
    await pool.send(["FLUSHDB"]);
    assert.equal(await pool.geoadd("pool:g", SICILY), 2);
    const [position] = await pool.geopos("pool:g", "Palermo");
    assert.deepEqual(roundCoordinates(position), { longitude: 13.36139, latitude: 38.11556 });
    assert.equal(await pool.geodist("pool:g", "Palermo", "Catania", "km"), 166.2742);
    assert.deepEqual(
      await pool.geosearch("pool:g", { member: "Palermo" }, { radius: 10, unit: "km" }),
      ["Palermo"],
    );
  });
});
