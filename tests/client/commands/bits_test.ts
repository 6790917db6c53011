import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { type BitfieldOperation, connect, createPool } from "../../../mod.ts";
import { onBothProtocols } from "./support.ts";

describe("bit and HyperLogLog commands", () => {
  const fixture = useRedis();

  it("setbit gives the old bit; getbit, bitcount and bitpos read bits, by byte or by bit", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const old = [
        await redis.setbit("b", 1, 1),
        await redis.setbit("b", 9, 1),
        await redis.setbit("b", 9, 1),
        await redis.setbit("b", 17, 1),
        await redis.setbit("b", 17, 0),
        await redis.setbit("b", 23, 1),
      ]; // bytes 0x40 0x40 0x01
      return {
        old,
        bits: [await redis.getbit("b", 1), await redis.getbit("b", 2), await redis.getbit("b", 99)],
        getbitMissing: await redis.getbit("nope", 3),
        count: await redis.bitcount("b"),
        countBytes: await redis.bitcount("b", { start: 1, end: -1 }),
        countByteMode: await redis.bitcount("b", { start: 0, end: 0, mode: "BYTE" }),
        countBits: await redis.bitcount("b", { start: 2, end: 9, mode: "BIT" }),
        countMissing: await redis.bitcount("nope"),
        firstOne: await redis.bitpos("b", 1),
        firstZero: await redis.bitpos("b", 0),
        oneFrom: await redis.bitpos("b", 1, { start: 2 }),
        oneInBits: await redis.bitpos("b", 1, { start: 2, end: 9, mode: "BIT" }),
        noneInRange: await redis.bitpos("b", 1, { start: 10, end: 22, mode: "BIT" }),
        zeroAllOnes: await redis.setbit("ones", 7, 1).then(async () => {
          for (let i = 0; i < 7; i++) await redis.setbit("ones", i, 1);
          return [
            await redis.bitpos("ones", 0),
            await redis.bitpos("ones", 0, { start: 0, end: 0 }),
          ];
        }),
        oneMissing: await redis.bitpos("nope", 1),
      };
    });
    assert.deepEqual(result, {
      old: [0, 0, 1, 0, 1, 0],
      bits: [1, 0, 0],
      getbitMissing: 0,
      count: 3,
      countBytes: 2,
      countByteMode: 1,
      countBits: 1,
      countMissing: 0,
      firstOne: 1,
      firstZero: 0,
      oneFrom: 23,
      oneInBits: 9,
      noneInRange: -1,
      zeroAllOnes: [8, -1],
      oneMissing: -1,
    });
  });

  it("bitop combines keys and gives the result's length", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.set("x", "\x0f\x0f");
      await redis.set("y", "\x3c");
      return {
        and: await redis.bitop("AND", "and", "x", "y"),
        or: await redis.bitop("OR", "or", "x", "y"),
        xor: await redis.bitop("XOR", "xor", "x", "y"),
        not: await redis.bitop("NOT", "not", "y"),
        values: [
          await redis.get("and"),
          await redis.get("or"),
          await redis.get("xor"),
          await redis.bitcount("not"),
        ],
        missing: await redis.bitop("OR", "none", "nope1", "nope2"),
        created: await redis.exists("none"),
      };
    });
    assert.deepEqual(result, {
      and: 2,
      or: 2,
      xor: 2,
      not: 1,
      values: ["\x0c\x00", "\x3f\x0f", "\x33\x0f", 4],
      missing: 0,
      created: 0,
    });
  });

  it("bitfield runs get, set, incrby and overflow in order; bitfield_ro reads", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const ops: BitfieldOperation[] = [
        { set: { type: "u8", offset: 0, value: 250 } },
        { get: { type: "u8", offset: 0 } },
        { incrby: { type: "u8", offset: 0, increment: 10 } }, // wraps: 4
        { overflow: "SAT" },
        { incrby: { type: "u8", offset: 0, increment: 300 } }, // saturates: 255
        { overflow: "FAIL" },
        { incrby: { type: "u8", offset: 0, increment: 1 } }, // fails: null
        { set: { type: "i16", offset: "#1", value: -2 } },
        { incrby: { type: "i64", offset: 64, increment: 5n } },
      ];
      return {
        replies: await redis.bitfield("f", ops),
        empty: await redis.bitfield("f", []),
        ro: await redis.bitfield_ro("f", [
          { get: { type: "u8", offset: 0 } },
          { get: { type: "i16", offset: "#1" } },
          { get: { type: "u4", offset: 0 } },
          { get: { type: "i64", offset: 64 } },
        ]),
        roMissing: await redis.bitfield_ro("nope", [{ get: { type: "u8", offset: 0 } }]),
      };
    });
    assert.deepEqual(result, {
      replies: [0, 250, 4, 255, null, 0, 5],
      empty: [],
      ro: [255, -2, 15, 5],
      roMissing: [0],
    });
  });

  it("pfadd says whether the estimate changed; pfcount and pfmerge count distinct elements", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      return {
        added: await redis.pfadd("h1", "a", "b", "c"),
        again: await redis.pfadd("h1", "a", "b"),
        createdEmpty: await redis.pfadd("h0"),
        existingEmpty: await redis.pfadd("h0"),
        h2: await redis.pfadd("h2", "c", "d"),
        count: await redis.pfcount("h1"),
        union: await redis.pfcount("h1", "h2"),
        missing: await redis.pfcount("nope"),
        merged: await redis.pfmerge("all", "h1", "h2"),
        mergedCount: await redis.pfcount("all"),
        mergeIntoExisting: await redis.pfmerge("h2", "h0"),
        h2Count: await redis.pfcount("h2"),
      };
    });
    assert.deepEqual(result, {
      added: true,
      again: false,
      createdEmpty: true,
      existingEmpty: false,
      h2: true,
      count: 3,
      union: 4,
      missing: 0,
      merged: "OK",
      mergedCount: 4,
      mergeIntoExisting: "OK",
      h2Count: 2,
    });
  });

  it("rejects bad bit arguments with a TypeError before sending", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.bitcount("u", { start: 0 } as never), /both start and end/);
    assert.throws(
      () => redis.bitpos("u", 1, { start: 0, mode: "BIT" }),
      /mode in bitpos\(\) without end/,
    );
    assert.throws(
      () => redis.bitcount("u", { start: 0, end: 1, unit: "BIT" } as never),
      /"unit" for bitcount/,
    );
    assert.throws(
      () => redis.bitfield("u", [{ get: { type: "u8", offset: 0 }, overflow: "SAT" } as never]),
      /exactly one of get, set, incrby, overflow/,
    );
    assert.throws(
      () => redis.bitfield("u", [{ incr: {} } as never]),
      /"incr" for bitfield\(\); did you mean "incrby"/,
    );
    assert.throws(
      () => redis.bitfield("u", [{ set: { type: "u8", offset: 0, val: 1 } } as never]),
      /"val" for bitfield\(\) set/,
    );
    assert.throws(
      () => redis.bitfield_ro("u", [{ set: { type: "u8", offset: 0, value: 1 } } as never]),
      /"set" for bitfield_ro\(\)/,
    );
    assert.equal(await redis.exists("u"), 0);
  });

  it("pipelines, transactions and pools run the bit methods with shaped replies", async () => {
    const result = await onBothProtocols(fixture.url, async (redis, protocol) => {
      const piped = await redis.pipeline()
        .setbit("b", 0, 1)
        .getbit("b", 0)
        .bitcount("b")
        .bitpos("b", 0)
        .bitfield("f", [{ incrby: { type: "u8", offset: 0, increment: 3 } }])
        .bitfield_ro("f", [{ get: { type: "u8", offset: 0 } }])
        .pfadd("h", "a")
        .pfcount("h")
        .exec();
      const multi = await redis.multi()
        .bitop("OR", "c", "b", "f")
        .pfadd("h", "a")
        .pfmerge("h2", "h")
        .pfcount("h2")
        .exec();
      await using pool = createPool({ url: fixture.url, protocol, max: 2 });
      const pooled = [
        await pool.setbit("p", 3, 1),
        await pool.getbit("p", 3),
        await pool.bitcount("p", { start: 0, end: -1 }),
        await pool.pfadd("ph", "x", "y"),
        await pool.pfcount("ph"),
        await pool.bitfield("p", [{ get: { type: "u8", offset: 0 } }]),
      ];
      return { piped, multi, pooled };
    });
    assert.deepEqual(result, {
      piped: [0, 1, 1, 1, [3], [3], true, 1],
      multi: [1, false, "OK", 1],
      pooled: [0, 1, 1, true, 2, [16]],
    });
  });
});
