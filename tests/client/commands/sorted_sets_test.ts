import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import {
  type BZPopResult,
  connect,
  createPool,
  type ScoredMember,
  type ZMPopResult,
} from "../../../mod.ts";
import { onBothProtocols, untilBlocked } from "./support.ts";

const FIVE: ScoredMember[] = [
  { member: "a", score: 1 },
  { member: "b", score: 2 },
  { member: "c", score: 3 },
  { member: "d", score: 4 },
  { member: "e", score: 5 },
];

describe("sorted set commands", () => {
  const fixture = useRedis();

  it("zadd counts added members, honours nx/xx/gt/lt/ch, and incr gives the score or null", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => [
      await redis.zadd("z", [{ member: "a", score: 1 }, { member: "b", score: 2 }]),
      await redis.zadd("z", { member: "c", score: 3 }),
      await redis.zadd("z", { member: "a", score: 5 }, { nx: true }),
      await redis.zadd("z", { member: "a", score: 5 }, { xx: true, ch: true }),
      await redis.zadd("z", { member: "new", score: 1 }, { xx: true }),
      await redis.zadd("z", { member: "a", score: 4 }, { gt: true, ch: true }),
      await redis.zadd("z", { member: "a", score: 4 }, { lt: true, ch: true }),
      await redis.zadd("z", { member: "b", score: 0.5 }, { incr: true }),
      await redis.zadd("z", { member: "x", score: 1 }, { incr: true, xx: true }),
      await redis.zadd("z", { member: "c", score: 1 }, { incr: true, gt: true }),
      await redis.zadd("z", [{ member: "top", score: Infinity }, { member: "low", score: -0.25 }]),
      await redis.zrange("z", 0, -1, { withScores: true }),
    ]);
    assert.deepEqual(results, [2, 1, 0, 1, 0, 0, 1, 2.5, null, 4, 2, [
      { member: "low", score: -0.25 },
      { member: "b", score: 2.5 },
      { member: "a", score: 4 },
      { member: "c", score: 4 },
      { member: "top", score: Infinity },
    ]]);
  });

  it("zadd's return type follows incr", async () => {
    const [added, score] = await onBothProtocols(fixture.url, async (redis) => {
      const added: number = await redis.zadd("t", { member: "a", score: 1 }, { ch: true });
      const score: number | null = await redis.zadd("t", { member: "a", score: 2 }, { incr: true });
      return [added, score];
    });
    assert.deepEqual([added, score], [1, 3]);
  });

  it("zadd refuses contradictory or unknown options before sending", async () => {
    await using redis = await connect(fixture.url);
    const one = { member: "a", score: 1 };
    assert.throws(() => redis.zadd("untouched", one, { nx: true, xx: true }), TypeError);
    assert.throws(() => redis.zadd("untouched", one, { gt: true, lt: true }), TypeError);
    assert.throws(
      () => redis.zadd("untouched", one, { nx: true, gt: true }),
      /nx with xx, gt or lt/,
    );
    assert.throws(
      () => redis.zadd("untouched", [one, one], { incr: true } as never),
      /incr in zadd\(\) with 2 members/,
    );
    assert.throws(
      () => redis.zadd("untouched", one, { nX: true } as never),
      /"nX" for zadd\(\).*"nx"/,
    );
    assert.equal(await redis.exists("untouched"), 0);
  });

  it("zincrby, zscore, zmscore, zrank, zrevrank, zrem and zcard give numbers or null", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z", FIVE);
      const incremented: number = await redis.zincrby("z", 0.1, "a");
      const fresh = await redis.zincrby("z", -2, "new");
      await redis.zadd("z", { member: "inf", score: -Infinity });
      return [
        incremented,
        fresh,
        await redis.zscore("z", "a"),
        await redis.zscore("z", "inf"),
        await redis.zscore("z", "missing"),
        await redis.zscore("nokey", "a"),
        await redis.zmscore("z", "b", "missing", "inf"),
        await redis.zrank("z", "a"),
        await redis.zrank("z", "missing"),
        await redis.zrevrank("z", "e"),
        await redis.zrevrank("nokey", "e"),
        await redis.zcard("z"),
        await redis.zrem("z", "a", "b", "missing"),
        await redis.zcard("z"),
        await redis.zcard("nokey"),
      ];
    });
    assert.deepEqual(results, [
      1.1,
      -2,
      1.1,
      -Infinity,
      null,
      null,
      [2, null, -Infinity],
      2,
      null,
      0,
      null,
      7,
      2,
      5,
      0,
    ]);
  });

  it("zscan gives the cursor and { member, score } entries", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z", [...FIVE, { member: "big", score: Infinity }]);
      return [
        await redis.zscan("z", 0),
        await redis.zscan("z", "0", { match: "[ab]*", count: 100 }),
        await redis.zscan("nokey", 0),
      ];
    });
    assert.deepEqual(result, [
      ["0", [...FIVE, { member: "big", score: Infinity }]],
      ["0", [{ member: "a", score: 1 }, { member: "b", score: 2 }, {
        member: "big",
        score: Infinity,
      }]],
      ["0", []],
    ]);
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.zscan("z", 0, { type: "zset" }), /only scan\(\) filters by type/);
  });

  it("zrandmember gives a member, members, or { member, score } entries", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("one", { member: "solo", score: 1.5 });
      const single: string | null = await redis.zrandmember("one");
      const some: string[] = await redis.zrandmember("one", 2);
      const scored: ScoredMember[] = await redis.zrandmember("one", 1, { withScores: true });
      return [
        single,
        some,
        scored,
        await redis.zrandmember("one", -3),
        await redis.zrandmember("one", -2, { withScores: true }),
        await redis.zrandmember("one", 1, { withScores: false }),
        await redis.zrandmember("nokey"),
        await redis.zrandmember("nokey", 3),
        await redis.zrandmember("nokey", 3, { withScores: true }),
      ];
    });
    const solo = { member: "solo", score: 1.5 };
    assert.deepEqual(results, [
      "solo",
      ["solo"],
      [solo],
      ["solo", "solo", "solo"],
      [solo, solo],
      ["solo"],
      null,
      [],
      [],
    ]);
  });

  it("zunion, zinter, zdiff, their store forms and zintercard combine sets", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z1", FIVE.slice(0, 3)); // a 1, b 2, c 3
      await redis.zadd("z2", [
        { member: "b", score: 10 },
        { member: "c", score: 20 },
        { member: "d", score: 30 },
      ]);
      const keys = ["z1", "z2"];
      const union: string[] = await redis.zunion(keys);
      const weighted: ScoredMember[] = await redis.zunion(keys, {
        weights: [2, 1],
        aggregate: "MAX",
        withScores: true,
      });
      return [
        union,
        weighted,
        await redis.zunion("z1", { withScores: true }),
        await redis.zinter(keys),
        await redis.zinter(keys, { withScores: true }),
        await redis.zinter(keys, { aggregate: "MIN", withScores: true }),
        await redis.zdiff(keys),
        await redis.zdiff(keys, { withScores: true }),
        await redis.zunionstore("u", keys, { weights: [1, 0.5] }),
        await redis.zrange("u", 0, -1, { withScores: true }),
        await redis.zinterstore("i", keys, { aggregate: "MIN" }),
        await redis.zrange("i", 0, -1, { withScores: true }),
        await redis.zdiffstore("d", keys),
        await redis.zdiffstore("d", ["z1", "z1"]),
        await redis.exists("d"),
        await redis.zintercard(keys),
        await redis.zintercard(keys, { limit: 1 }),
        await redis.zunion(["nokey"]),
      ];
    });
    assert.deepEqual(results, [
      ["a", "b", "c", "d"],
      [
        { member: "a", score: 2 },
        { member: "b", score: 10 },
        { member: "c", score: 20 },
        { member: "d", score: 30 },
      ],
      FIVE.slice(0, 3),
      ["b", "c"],
      [{ member: "b", score: 12 }, { member: "c", score: 23 }],
      [{ member: "b", score: 2 }, { member: "c", score: 3 }],
      ["a"],
      [{ member: "a", score: 1 }],
      4,
      [
        { member: "a", score: 1 },
        { member: "b", score: 7 },
        { member: "c", score: 13 },
        { member: "d", score: 15 },
      ],
      2,
      [{ member: "b", score: 2 }, { member: "c", score: 3 }],
      1,
      0,
      0,
      2,
      1,
      [],
    ]);
  });

  it("set algebra refuses mismatched weights, unknown aggregates and options", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.zunion(["a", "b"], { weights: [1] }), /1 weights for 2 keys/);
    assert.throws(
      () => redis.zinterstore("d", ["a"], { aggregate: "AVG" as never }),
      /Unknown aggregate "AVG"/,
    );
    assert.throws(
      () => redis.zunionstore("d", ["a"], { withScores: true } as never),
      /"withScores" for zunionstore\(\)/,
    );
    assert.throws(() => redis.zdiff(["a"], { withscores: true } as never), /"withscores"/);
    assert.throws(() => redis.zintercard(["a"], { count: 1 } as never), /"count" for zintercard/);
  });

  it("zrange reads by rank, score or lex, reversed and limited, with scores as numbers", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z", FIVE);
      await redis.zadd("z", [{ member: "ninf", score: -Infinity }, {
        member: "pinf",
        score: Infinity,
      }]);
      await redis.zadd("lex", ["a", "b", "c", "d"].map((member) => ({ member, score: 0 })));
      const names: string[] = await redis.zrange("z", 0, -1);
      const scored: ScoredMember[] = await redis.zrange("z", 0, 1, { withScores: true });
      return [
        names,
        scored,
        await redis.zrange("z", -1, -1, { withScores: true }),
        await redis.zrange("z", "(1", 4, { by: "SCORE" }),
        await redis.zrange("z", -Infinity, "(2", { by: "SCORE", withScores: true }),
        await redis.zrange("z", "+inf", 2, {
          by: "SCORE",
          rev: true,
          limit: { offset: 1, count: 2 },
          withScores: true,
        }),
        await redis.zrange("z", 0, 2, { rev: true }),
        await redis.zrange("lex", "[b", "+", { by: "LEX" }),
        await redis.zrange("lex", "(d", "-", {
          by: "LEX",
          rev: true,
          limit: { offset: 0, count: 2 },
        }),
        await redis.zrange("z", 0, 1, { withScores: false, by: "SCORE" }),
        await redis.zrange("nokey", 0, -1, { withScores: true }),
      ];
    });
    assert.deepEqual(results, [
      ["ninf", "a", "b", "c", "d", "e", "pinf"],
      [{ member: "ninf", score: -Infinity }, { member: "a", score: 1 }],
      [{ member: "pinf", score: Infinity }],
      ["b", "c", "d"],
      [{ member: "ninf", score: -Infinity }, { member: "a", score: 1 }],
      [{ member: "e", score: 5 }, { member: "d", score: 4 }],
      ["pinf", "e", "d"],
      ["b", "c", "d"],
      ["c", "b"],
      ["a"],
      [],
    ]);
  });

  it("zrange refuses contradictory options before sending", async () => {
    await using redis = await connect(fixture.url);
    const limit = { offset: 0, count: 1 };
    assert.throws(() => redis.zrange("z", 0, 1, { limit }), /limit in zrange\(\) without by/);
    assert.throws(
      () => redis.zrange("z", "-", "+", { by: "LEX", withScores: true }),
      /withScores with by: "LEX"/,
    );
    assert.throws(() => redis.zrange("z", 0, 1, { by: "RANK" as never }), /"RANK" of by/);
    assert.throws(() => redis.zrange("z", 0, 1, { reverse: true } as never), /"reverse"/);
    assert.throws(
      () => redis.zrangestore("d", "z", 0, 1, { withScores: true } as never),
      /"withScores" for zrangestore\(\)/,
    );
    assert.throws(
      () => redis.zrangebyscore("z", 0, 1, { limit: { offset: 0 } as never, rev: true } as never),
      /"rev" for zrangebyscore\(\)/,
    );
  });

  it("zrangestore, zrevrange, zrangebyscore and zrevrangebyscore", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z", FIVE);
      return [
        await redis.zrangestore("dst", "z", 1, 3, { by: "SCORE" }),
        await redis.zrange("dst", 0, -1),
        await redis.zrangestore("dst", "z", 0, 1, { rev: true }),
        await redis.zrange("dst", 0, -1),
        await redis.zrangestore("dst", "z", "(1", "+inf", {
          by: "SCORE",
          limit: { offset: 1, count: 2 },
        }),
        await redis.zrevrange("z", 0, 1),
        await redis.zrevrange("z", -2, -1, { withScores: true }),
        await redis.zrangebyscore("z", "-inf", "(3"),
        await redis.zrangebyscore("z", 2, Infinity, {
          withScores: true,
          limit: { offset: 1, count: 2 },
        }),
        await redis.zrevrangebyscore("z", "+inf", 4, { withScores: true }),
        await redis.zrevrangebyscore("z", 4, "(2", { limit: { offset: 0, count: -1 } }),
      ];
    });
    assert.deepEqual(results, [
      3,
      ["a", "b", "c"],
      2,
      ["d", "e"],
      2,
      ["e", "d"],
      [{ member: "b", score: 2 }, { member: "a", score: 1 }],
      ["a", "b"],
      [{ member: "c", score: 3 }, { member: "d", score: 4 }],
      [{ member: "e", score: 5 }, { member: "d", score: 4 }],
      ["d", "c"],
    ]);
  });

  it("zcount, zlexcount and the zremrangeby… commands count members", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z", FIVE);
      await redis.zadd("lex", ["a", "b", "c", "d"].map((member) => ({ member, score: 0 })));
      return [
        await redis.zcount("z", 2, "+inf"),
        await redis.zcount("z", "(2", 4),
        await redis.zcount("z", -Infinity, Infinity),
        await redis.zcount("nokey", 0, 1),
        await redis.zlexcount("lex", "-", "+"),
        await redis.zlexcount("lex", "[b", "(d"),
        await redis.zremrangebyrank("z", 0, 0),
        await redis.zremrangebyscore("z", "(4", "+inf"),
        await redis.zremrangebylex("lex", "[a", "[b"),
        await redis.zrange("z", 0, -1),
        await redis.zrange("lex", 0, -1),
      ];
    });
    assert.deepEqual(results, [4, 2, 5, 0, 4, 2, 1, 1, 2, ["b", "c", "d"], ["c", "d"]]);
  });

  it("zpopmin, zpopmax and zmpop give { member, score } entries", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z", FIVE);
      const min = await redis.zpopmin("z");
      const popped: ZMPopResult | null = await redis.zmpop(["nokey", "z"], "MAX", { count: 2 });
      return [
        min,
        await redis.zpopmin("z", 1),
        await redis.zpopmax("z"),
        popped,
        await redis.zmpop("z", "MIN"),
        await redis.zmpop(["nokey", "z"], "MIN"),
        await redis.zpopmin("z"),
        await redis.zpopmax("nokey", 3),
      ];
    });
    assert.deepEqual(results, [
      [{ member: "a", score: 1 }],
      [{ member: "b", score: 2 }],
      [{ member: "c", score: 3 }],
      { key: "z", entries: [{ member: "e", score: 5 }, { member: "d", score: 4 }] },
      null,
      null,
      [],
      [],
    ]);
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.zmpop("z", "LOW" as never), /Unknown side "LOW" in zmpop/);
    assert.throws(() => redis.zmpop("z", "MIN", { max: 1 } as never), /"max" for zmpop/);
  });

  it("bzpopmin, bzpopmax and bzmpop serve at once, time out with null, and wait for a write", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => {
      await redis.zadd("z", FIVE);
      const first: BZPopResult | null = await redis.bzpopmin(["nokey", "z"], 1);
      const served = [
        first,
        await redis.bzpopmax("z", 1),
        await redis.bzmpop(1, ["nokey", "z"], "MAX", { count: 2 }),
        await redis.bzmpop(0.05, "z", "MIN"),
      ];
      const timedOut = [
        await redis.bzpopmin("nokey", 0.05),
        await redis.bzpopmax(["nokey", "other"], 0.05),
        await redis.bzmpop(0.05, ["nokey"], "MIN", { count: 3 }),
      ];
      await using writer = await connect(fixture.url);
      const waiting = [
        redis.bzpopmin("q1", 0),
        writer.zadd("q1", { member: "late", score: 7 }),
      ];
      // The first pop is held by the server until the write, whichever arrives first.
      const [late] = await Promise.all(waiting);
      const held = redis.bzmpop(0, ["q2"], "MAX");
      await untilBlocked(writer, 1);
      await writer.zadd("q2", [{ member: "x", score: 1 }, { member: "y", score: 2 }]);
      return { served, timedOut, late, held: await held };
    });
    assert.deepEqual(results, {
      served: [
        { key: "z", member: "a", score: 1 },
        { key: "z", member: "e", score: 5 },
        { key: "z", entries: [{ member: "d", score: 4 }, { member: "c", score: 3 }] },
        { key: "z", entries: [{ member: "b", score: 2 }] },
      ],
      timedOut: [null, null, null],
      late: { key: "q1", member: "late", score: 7 },
      held: { key: "q2", entries: [{ member: "y", score: 2 }] },
    });
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.bzpopmin("z", -1), TypeError);
    assert.throws(() => redis.bzmpop(Number.NaN, "z", "MIN"), /Invalid timeout NaN for bzmpop/);
  });

  it("shapes replies in pipelines and transactions", async () => {
    const results = await onBothProtocols(fixture.url, async (redis) => [
      await redis.pipeline()
        .zadd("p", FIVE.slice(0, 2))
        .zrange("p", 0, -1, { withScores: true })
        .zscore("p", "b")
        .zadd("p", { member: "a", score: 0.5 }, { incr: true })
        .zpopmin("p")
        .zmscore("p", "a", "zz")
        .exec(),
      await redis.multi()
        .zadd("m", { member: "x", score: 2 })
        .zincrby("m", 1.5, "x")
        .zrangebyscore("m", "-inf", "+inf", { withScores: true })
        .zunion(["m", "p"], { withScores: true })
        .zmpop("m", "MIN")
        .exec(),
    ]);
    assert.deepEqual(results, [
      [
        2,
        [{ member: "a", score: 1 }, { member: "b", score: 2 }],
        2,
        1.5,
        [{ member: "a", score: 1.5 }],
        [null, null],
      ],
      [
        1,
        3.5,
        [{ member: "x", score: 3.5 }],
        [{ member: "b", score: 2 }, { member: "x", score: 3.5 }],
        { key: "m", entries: [{ member: "x", score: 3.5 }] },
      ],
    ]);
  });

  it("works on a pool, where a blocking pop gets a connection of its own", async () => {
    await using pool = createPool({ url: fixture.url, max: 2 });
    await pool.send(["FLUSHDB"]);
    assert.equal(await pool.zadd("pool:z", FIVE), 5);
    assert.deepEqual(await pool.zrevrange("pool:z", 0, 1, { withScores: true }), [
      { member: "e", score: 5 },
      { member: "d", score: 4 },
    ]);
    const held = pool.bzpopmax("pool:q", 0);
    await untilBlocked(pool, 1);
    assert.equal(await pool.zadd("pool:q", { member: "job", score: 9 }), 1);
    assert.deepEqual(await held, { key: "pool:q", member: "job", score: 9 });
    assert.deepEqual(await pool.pipeline().zcard("pool:z").zpopmax("pool:z", 2).exec(), [5, [
      { member: "e", score: 5 },
      { member: "d", score: 4 },
    ]]);
  });
});
