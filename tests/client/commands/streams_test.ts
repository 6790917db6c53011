import assert from "node:assert/strict";
import { describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { connect, createPool, type StreamRead, type XPendingEntry } from "../../../mod.ts";
import { onBothProtocols, plain, untilBlocked } from "./support.ts";

/** `idle` and the like vary with time: checks it is a number, 0 or more, and zeroes it. */
function settle<T extends object>(record: T, ...names: (keyof T)[]): T {
  const out = { ...plain(record) as T };
  for (const name of names) {
    const value = out[name];
    assert.ok(typeof value === "number" && value >= 0, `${String(name)}: ${value}`);
    out[name] = 0 as T[keyof T];
  }
  return out;
}

describe("stream commands", () => {
  const fixture = useRedis();

  it("xadd gives IDs; xrange, xrevrange, xlen and xdel read and delete entries", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      assert.match(await redis.xadd("auto", "*", { a: 1 }), /^\d+-0$/);
      const ids = [
        await redis.xadd("s", "1-1", { name: "ada", born: 1815 }),
        await redis.xadd("s", "1-*", [["step", "b"], ["2", "second"], ["1", "first"]]),
        await redis.xadd("s", "2-0", { c: new TextEncoder().encode("bytes") }),
      ];
      return plain({
        ids,
        len: await redis.xlen("s"),
        all: await redis.xrange("s", "-", "+"),
        after: await redis.xrange("s", "(1-1", "+", { count: 1 }),
        rev: await redis.xrevrange("s", "+", "-", { count: 2 }),
        revBounded: await redis.xrevrange("s", "1-2", "1-1"),
        missing: await redis.xrange("nope", "-", "+"),
        deleted: await redis.xdel("s", "1-1", "9-9"),
        lenAfter: await redis.xlen("s"),
        lenMissing: await redis.xlen("nope"),
      });
    });
    const e1 = { id: "1-1", fields: { name: "ada", born: "1815" } };
    const e2 = { id: "1-2", fields: { step: "b", 2: "second", 1: "first" } };
    const e3 = { id: "2-0", fields: { c: "bytes" } };
    assert.deepEqual(result, {
      ids: ["1-1", "1-2", "2-0"],
      len: 3,
      all: [e1, e2, e3],
      after: [e2],
      rev: [e3, e2],
      revBounded: [e2, e1],
      missing: [],
      deleted: 1,
      lenAfter: 2,
      lenMissing: 0,
    });
  });

  it("xadd trims with maxlen/minid, nomkstream gives null; xtrim counts evictions", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const nomk = await redis.xadd("none", "*", { a: 1 }, { nomkstream: true });
      const created = await redis.exists("none");
      for (let i = 1; i <= 5; i++) await redis.xadd("s", `${i}-0`, { i });
      const capped = await redis.xadd("s", "6-0", { i: 6 }, { maxlen: 3 });
      const afterMaxlen = (await redis.xrange("s", "-", "+")).map((e) => e.id);
      await redis.xadd("s", "7-0", { i: 7 }, { minid: "6-0", nomkstream: true });
      const afterMinid = (await redis.xrange("s", "-", "+")).map((e) => e.id);
      // `~` trims whole macro nodes only (100 entries): nothing goes from a 2-entry stream.
      await redis.xadd("s", "8-0", { i: 8 }, { maxlen: 1, approximate: true, limit: 10 });
      const approx = await redis.xlen("s");
      const approxTrim = await redis.xtrim("s", { maxlen: 1, approximate: true, limit: 100 });
      const exact = await redis.xtrim("s", { maxlen: 1 });
      const byMinid = await redis.xtrim("s", { minid: "9-0" });
      const none = await redis.xtrim("missing", { maxlen: 0 });
      return {
        nomk,
        created,
        capped,
        afterMaxlen,
        afterMinid,
        approx,
        approxTrim,
        exact,
        byMinid,
        none,
      };
    });
    assert.deepEqual(result, {
      nomk: null,
      created: 0,
      capped: "6-0",
      afterMaxlen: ["4-0", "5-0", "6-0"],
      afterMinid: ["6-0", "7-0"],
      approx: 3,
      approxTrim: 0,
      exact: 2,
      byMinid: 1,
      none: 0,
    });
  });

  it("rejects bad stream arguments with a TypeError before sending", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(() => redis.xadd("s", "*", {}), /at least one field/);
    assert.throws(
      () => redis.xadd("s", "*", { a: 1 }, { maxlen: 1, minid: "1" }),
      /maxlen and minid/,
    );
    assert.throws(
      () => redis.xadd("s", "*", { a: 1 }, { maxlen: 1, limit: 5 }),
      /without approximate/,
    );
    assert.throws(() => redis.xadd("s", "*", { a: 1 }, { approximate: true }), /without maxlen/);
    assert.throws(
      () => redis.xadd("s", "*", { a: 1 }, { maxLen: 1 } as never),
      /"maxLen".*"maxlen"/,
    );
    assert.throws(() => redis.xtrim("s", {}), /needs maxlen or minid/);
    assert.throws(() => redis.xrange("s", "-", "+", { limit: 1 } as never), /"limit" for xrange/);
    assert.throws(() => redis.xread({}), /at least one stream/);
    assert.throws(() => redis.xread({ s: "0" }, { noack: true } as never), /"noack" for xread/);
    assert.throws(() => redis.xsetid("s", "1-0", { entries: 1 } as never), /"entries" for xsetid/);
    assert.equal(await redis.exists("untouched"), 0);
  });

  it("xread gives { key, entries } per stream on both protocols, null when nothing is new", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.xadd("a", "1-0", { n: 1 });
      await redis.xadd("a", "2-0", { n: 2 });
      await redis.xadd("b", "5-0", { m: "x" });
      return {
        both: await redis.xread({ a: "0", b: "0" }),
        pairs: await redis.xread([["b", "0"], ["a", "1-0"]], { count: 1 }),
        oneHasNew: await redis.xread({ a: "2-0", b: "0" }),
        none: await redis.xread({ a: "2-0", missing: "0" }),
      };
    });
    assert.deepEqual(plain(result), {
      both: [
        {
          key: "a",
          entries: [{ id: "1-0", fields: { n: "1" } }, { id: "2-0", fields: { n: "2" } }],
        },
        { key: "b", entries: [{ id: "5-0", fields: { m: "x" } }] },
      ],
      pairs: [
        { key: "b", entries: [{ id: "5-0", fields: { m: "x" } }] },
        { key: "a", entries: [{ id: "2-0", fields: { n: "2" } }] },
      ],
      oneHasNew: [{ key: "b", entries: [{ id: "5-0", fields: { m: "x" } }] }],
      none: null,
    });
  });

  it("xread with block: null after a short block, entries added before or while it waits", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const timedOut = await redis.xread({ s: "$" }, { block: 50 });
      await redis.xadd("s", "1-0", { early: "yes" });
      const servedAtOnce = await redis.xread({ s: "0" }, { block: 10_000 });
      const waiting = redis.xread({ s: "$" }, { block: 10_000, count: 10 });
      await using other = await connect(fixture.url);
      await untilBlocked(other, 1);
      await other.xadd("s", "2-0", { late: "yes" });
      return { timedOut, servedAtOnce, servedLater: await waiting };
    });
    assert.deepEqual(plain(result), {
      timedOut: null,
      servedAtOnce: [{ key: "s", entries: [{ id: "1-0", fields: { early: "yes" } }] }],
      servedLater: [{ key: "s", entries: [{ id: "2-0", fields: { late: "yes" } }] }],
    });
  });

  it("xsetid and xinfo STREAM: the stream's state with camelCase keys", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.xadd("s", "1-0", { a: "1" });
      await redis.xadd("s", "2-0", { b: "2" });
      await redis.xadd("s", "3-0", { c: "3" });
      await redis.xdel("s", "1-0");
      const info = await redis.xinfo("STREAM", "s");
      await redis.xadd("e", "1-0", { a: "1" });
      await redis.xdel("e", "1-0");
      const setid = await redis.xsetid("e", "7-0", { entriesAdded: 9, maxDeletedId: "5-0" });
      return { info, setid, empty: await redis.xinfo("STREAM", "e") };
    });
    assert.deepEqual(plain(result), {
      info: {
        length: 2,
        radixTreeKeys: 1,
        radixTreeNodes: 2,
        lastGeneratedId: "3-0",
        maxDeletedEntryId: "1-0",
        entriesAdded: 3,
        recordedFirstEntryId: "2-0",
        groups: 0,
        firstEntry: { id: "2-0", fields: { b: "2" } },
        lastEntry: { id: "3-0", fields: { c: "3" } },
      },
      setid: "OK",
      empty: {
        length: 0,
        radixTreeKeys: 0,
        radixTreeNodes: 1,
        lastGeneratedId: "7-0",
        maxDeletedEntryId: "5-0",
        entriesAdded: 9,
        recordedFirstEntryId: "0-0",
        groups: 0,
        firstEntry: null,
        lastEntry: null,
      },
    });
  });

  it("pipelines and transactions queue the typed stream methods and shape their replies", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const piped = await redis.pipeline()
        .xadd("s", "1-0", { a: "1" })
        .xadd("s", "2-0", [["b", "2"]], { maxlen: 5 })
        .xlen("s")
        .xrange("s", "-", "+")
        .xrevrange("s", "+", "-", { count: 1 })
        .xread({ s: "1-0" })
        .xread({ s: "$" }, { block: 10 })
        .xinfo("STREAM", "s")
        .exec();
      const multi = await redis.multi()
        .xdel("s", "1-0")
        .xtrim("s", { maxlen: 0 })
        .xadd("s", "3-0", { c: "3" })
        .xread([["s", "0"]])
        .xsetid("s", "4-0")
        .exec();
      return plain({ piped, multi }) as { piped: unknown[]; multi: unknown[] };
    });
    const b = { id: "2-0", fields: { b: "2" } };
    assert.deepEqual(result.piped.slice(0, 7), [
      "1-0",
      "2-0",
      2,
      [{ id: "1-0", fields: { a: "1" } }, b],
      [b],
      [{ key: "s", entries: [b] }],
      null,
    ]);
    assert.equal((result.piped[7] as { lastGeneratedId: string }).lastGeneratedId, "2-0");
    assert.deepEqual(result.multi, [
      1,
      1,
      "3-0",
      [{ key: "s", entries: [{ id: "3-0", fields: { c: "3" } }] }],
      "OK",
    ]);
  });

  it("a pool runs the stream methods, a blocking xread on a connection of its own", async () => {
    const result = await onBothProtocols(fixture.url, async (_redis, protocol) => {
      await using pool = createPool({ url: fixture.url, protocol, max: 2 });
      await pool.xadd("s", "1-0", { a: "1" });
      const waiting = pool.xread({ s: "1-0" }, { block: 10_000 });
      await using other = await connect(fixture.url);
      await untilBlocked(other, 1);
      const len = await pool.xlen("s"); // not stuck behind the blocked read
      await pool.xadd("s", "2-0", { b: "2" });
      const timedOut: StreamRead[] | null = await pool.xread({ s: "$" }, { block: 20 });
      return plain({
        len,
        served: await waiting,
        timedOut,
        range: await pool.xrange("s", "-", "+"),
      });
    });
    assert.deepEqual(result, {
      len: 1,
      served: [{ key: "s", entries: [{ id: "2-0", fields: { b: "2" } }] }],
      timedOut: null,
      range: [{ id: "1-0", fields: { a: "1" } }, { id: "2-0", fields: { b: "2" } }],
    });
  });
});

describe("stream consumer-group commands", () => {
  const fixture = useRedis();

  it("xgroup creates and moves groups, creates and deletes consumers, destroys groups", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const noStream = await redis.xgroup("CREATE", "s", "g", "$").then(String, (e) => e.name);
      const created = await redis.xgroup("CREATE", "s", "g", "$", { mkstream: true });
      const busy = await redis.xgroup("CREATE", "s", "g", "$").then(String, (e) => e.code);
      await redis.xadd("s", "1-0", { a: "1" });
      await redis.xadd("s", "2-0", { b: "2" });
      const fromStart = await redis.xgroup("CREATE", "s", "g2", "0", { entriesRead: 0 });
      const setid = await redis.xgroup("SETID", "s", "g", "1-0", { entriesRead: 1 });
      const consumer = await redis.xgroup("CREATECONSUMER", "s", "g", "c1");
      const consumerAgain = await redis.xgroup("CREATECONSUMER", "s", "g", "c1");
      const read = await redis.xreadgroup("g", "c1", { s: ">" });
      const groups = await redis.xinfo("GROUPS", "s");
      const consumers = (await redis.xinfo("CONSUMERS", "s", "g")).map((c) => settle(c, "idle"));
      const deletedConsumer = await redis.xgroup("DELCONSUMER", "s", "g", "c1");
      const noConsumers = await redis.xinfo("CONSUMERS", "s", "g");
      const destroyed = await redis.xgroup("DESTROY", "s", "g2");
      const destroyedAgain = await redis.xgroup("DESTROY", "s", "g2");
      return plain({
        noStream,
        created,
        busy,
        fromStart,
        setid,
        consumer,
        consumerAgain,
        read,
        groups,
        consumers,
        deletedConsumer,
        noConsumers,
        destroyed,
        destroyedAgain,
      });
    });
    assert.deepEqual(result, {
      noStream: "ReplyError",
      created: "OK",
      busy: "BUSYGROUP",
      fromStart: "OK",
      setid: "OK",
      consumer: true,
      consumerAgain: false,
      read: [{ key: "s", entries: [{ id: "2-0", fields: { b: "2" } }] }],
      groups: [
        { name: "g", consumers: 1, pending: 1, lastDeliveredId: "2-0", entriesRead: 2, lag: 0 },
        { name: "g2", consumers: 0, pending: 0, lastDeliveredId: "0-0", entriesRead: 0, lag: 2 },
      ],
      consumers: [{ name: "c1", pending: 1, idle: 0 }],
      deletedConsumer: 1,
      noConsumers: [],
      destroyed: true,
      destroyedAgain: false,
    });
  });

  it("xreadgroup delivers new entries, re-reads pending ones (deleted ones with null fields); xack", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.xgroup("CREATE", "s", "g", "0", { mkstream: true });
      for (const id of ["1-0", "2-0", "3-0"]) await redis.xadd("s", id, { id });
      const first = await redis.xreadgroup("g", "c1", { s: ">" }, { count: 2 });
      const noack = await redis.xreadgroup("g", "c2", [["s", ">"]], { noack: true });
      await redis.xdel("s", "1-0");
      const history = await redis.xreadgroup("g", "c1", { s: "0" });
      const nothingNew = await redis.xreadgroup("g", "c1", { s: ">" });
      const acked = await redis.xack("s", "g", "1-0", "2-0", "9-0");
      const historyAfter = await redis.xreadgroup("g", "c1", { s: "0" });
      const c2History = await redis.xreadgroup("g", "c2", { s: "0" });
      return plain({ first, noack, history, nothingNew, acked, historyAfter, c2History });
    });
    const entry = (id: string) => ({ id, fields: { id } });
    assert.deepEqual(result, {
      first: [{ key: "s", entries: [entry("1-0"), entry("2-0")] }],
      noack: [{ key: "s", entries: [entry("3-0")] }],
      history: [{ key: "s", entries: [{ id: "1-0", fields: null }, entry("2-0")] }],
      nothingNew: null,
      acked: 2,
      historyAfter: [{ key: "s", entries: [] }],
      c2History: [{ key: "s", entries: [] }],
    });
  });

  it("xreadgroup with block: null after a short block, entries added before or while it waits", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.xgroup("CREATE", "s", "g", "$", { mkstream: true });
      const timedOut = await redis.xreadgroup("g", "c", { s: ">" }, { block: 50 });
      await redis.xadd("s", "1-0", { early: "yes" });
      const servedAtOnce = await redis.xreadgroup("g", "c", { s: ">" }, { block: 10_000 });
      const waiting = redis.xreadgroup("g", "c", { s: ">" }, { block: 10_000 });
      await using other = await connect(fixture.url);
      await untilBlocked(other, 1);
      await other.xadd("s", "2-0", { late: "yes" });
      return plain({ timedOut, servedAtOnce, servedLater: await waiting });
    });
    assert.deepEqual(result, {
      timedOut: null,
      servedAtOnce: [{ key: "s", entries: [{ id: "1-0", fields: { early: "yes" } }] }],
      servedLater: [{ key: "s", entries: [{ id: "2-0", fields: { late: "yes" } }] }],
    });
  });

  it("xpending: the summary, and the extended form by range, consumer and idle time", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.xgroup("CREATE", "s", "g", "0", { mkstream: true });
      await redis.xgroup("CREATE", "s", "idle", "0");
      for (const id of ["1-0", "2-0", "3-0"]) await redis.xadd("s", id, { id });
      await redis.xreadgroup("g", "c1", { s: ">" }, { count: 2 });
      await redis.xreadgroup("g", "c2", { s: ">" });
      const all = { start: "-", end: "+", count: 10 };
      return plain({
        summary: await redis.xpending("s", "g"),
        empty: await redis.xpending("s", "idle"),
        entries: (await redis.xpending("s", "g", all)).map((e) => settle(e, "idle")),
        firstOnly: (await redis.xpending("s", "g", { ...all, count: 1 })).map((e) => e.id),
        ofC2: (await redis.xpending("s", "g", { ...all, consumer: "c2" })).map((e) => e.id),
        exclusive: (await redis.xpending("s", "g", { ...all, start: "(1-0" })).map((e) => e.id),
        idleHour: await redis.xpending("s", "g", { ...all, idle: 3_600_000 }),
      });
    });
    assert.deepEqual(result, {
      summary: {
        count: 3,
        smallest: "1-0",
        largest: "3-0",
        consumers: [{ name: "c1", pending: 2 }, { name: "c2", pending: 1 }],
      },
      empty: { count: 0, smallest: null, largest: null, consumers: [] },
      entries: [
        { id: "1-0", consumer: "c1", idle: 0, deliveries: 1 },
        { id: "2-0", consumer: "c1", idle: 0, deliveries: 1 },
        { id: "3-0", consumer: "c2", idle: 0, deliveries: 1 },
      ],
      firstOnly: ["1-0"],
      ofC2: ["3-0"],
      exclusive: ["2-0", "3-0"],
      idleHour: [],
    });
  });

  it("xclaim and xautoclaim hand pending entries to another consumer", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.xgroup("CREATE", "s", "g", "0", { mkstream: true });
      for (const id of ["1-0", "2-0", "3-0"]) await redis.xadd("s", id, { id });
      await redis.xreadgroup("g", "c1", { s: ">" });
      await redis.xdel("s", "3-0");
      const claimed = await redis.xclaim("s", "g", "c2", 0, ["1-0"]);
      const claimedIds = await redis.xclaim("s", "g", "c2", 0, ["2-0"], {
        justId: true,
        retryCount: 5,
      });
      const deleted = await redis.xclaim("s", "g", "c2", 0, ["3-0"]);
      const tooRecent = await redis.xclaim("s", "g", "c3", 3_600_000, ["1-0"]);
      const pending = (await redis.xpending("s", "g", { start: "-", end: "+", count: 10 }))
        .map((e) => settle(e, "idle"));
      await redis.xadd("s", "4-0", { id: "4-0" });
      const forced = await redis.xclaim("s", "g", "c4", 0, ["4-0"], {
        force: true,
        time: Date.now() - 60_000,
        lastId: "4-0",
      });
      const [forcedPending] = await redis.xpending("s", "g", {
        start: "4-0",
        end: "4-0",
        count: 1,
      });
      assert.ok(forcedPending.idle >= 60_000, `idle ${forcedPending.idle}`);
      const [{ lastDeliveredId }] = await redis.xinfo("GROUPS", "s");
      const idled = await redis.xclaim("s", "g", "c4", 0, ["1-0"], { idle: 120_000, justId: true });
      const [idledPending] = await redis.xpending("s", "g", { start: "1-0", end: "1-0", count: 1 });
      assert.ok(idledPending.idle >= 120_000, `idle ${idledPending.idle}`);
      await redis.xdel("s", "4-0");
      const page1 = await redis.xautoclaim("s", "g", "c5", 0, "0", { count: 1 });
      const page2 = await redis.xautoclaim("s", "g", "c5", 0, page1.next, { justId: true });
      const page3 = await redis.xautoclaim("s", "g", "c6", 0, "0");
      const none = await redis.xautoclaim("s", "g", "c6", 3_600_000, "0");
      return plain({
        claimed,
        claimedIds,
        deleted,
        tooRecent,
        pending,
        forced,
        forcedBy: forcedPending.consumer,
        lastDeliveredId,
        idled,
        page1,
        page2,
        page3,
        none,
      });
    });
    const entry = (id: string) => ({ id, fields: { id } });
    assert.deepEqual(result, {
      claimed: [entry("1-0")],
      claimedIds: ["2-0"],
      deleted: [],
      tooRecent: [],
      pending: [
        { id: "1-0", consumer: "c2", idle: 0, deliveries: 2 },
        { id: "2-0", consumer: "c2", idle: 0, deliveries: 5 },
      ],
      forced: [entry("4-0")],
      forcedBy: "c4",
      lastDeliveredId: "4-0",
      idled: ["1-0"],
      page1: { next: "2-0", entries: [entry("1-0")], deleted: [] },
      page2: { next: "0-0", ids: ["2-0"], deleted: ["4-0"] },
      page3: { next: "0-0", entries: [entry("1-0"), entry("2-0")], deleted: [] },
      none: { next: "0-0", entries: [], deleted: [] },
    });
  });

  it("xinfo STREAM FULL: entries, groups, pending entries and consumers", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.xgroup("CREATE", "s", "g", "0", { mkstream: true });
      for (const id of ["1-0", "2-0", "3-0"]) await redis.xadd("s", id, { id });
      await redis.xreadgroup("g", "c1", { s: ">" }, { count: 1 });
      const info = await redis.xinfo("STREAM", "s", { full: true, count: 2 });
      const group = info.groups[0];
      return plain({
        ...info,
        groups: [{
          ...group,
          pending: group.pending.map((p) => settle(p, "deliveryTime")),
          consumers: group.consumers.map((c) => ({
            ...settle(c, "seenTime"),
            pending: c.pending.map((p) => settle(p, "deliveryTime")),
          })),
        }],
      });
    });
    assert.deepEqual(result, {
      length: 3,
      radixTreeKeys: 1,
      radixTreeNodes: 2,
      lastGeneratedId: "3-0",
      maxDeletedEntryId: "0-0",
      entriesAdded: 3,
      recordedFirstEntryId: "1-0",
      entries: [{ id: "1-0", fields: { id: "1-0" } }, { id: "2-0", fields: { id: "2-0" } }],
      groups: [{
        name: "g",
        lastDeliveredId: "1-0",
        entriesRead: 1,
        lag: 2,
        pelCount: 1,
        pending: [{ id: "1-0", consumer: "c1", deliveryTime: 0, deliveries: 1 }],
        consumers: [{
          name: "c1",
          seenTime: 0,
          pelCount: 1,
          pending: [{ id: "1-0", deliveryTime: 0, deliveries: 1 }],
        }],
      }],
    });
  });

  it("rejects bad group arguments with a TypeError before sending", async () => {
    await using redis = await connect(fixture.url);
    assert.throws(
      () => redis.xgroup("CREATE", "s", "g", "$", { mkStream: true } as never),
      /"mkStream".*"mkstream"/,
    );
    assert.throws(
      () => redis.xgroup("SETID", "s", "g", "$", { mkstream: true } as never),
      /"mkstream" for xgroup\("SETID"\)/,
    );
    assert.throws(
      () => (redis.xgroup as (...a: unknown[]) => unknown)("RENAME", "s", "g"),
      /Unknown subcommand "RENAME"/,
    );
    assert.throws(
      () => (redis.xgroup as (...a: unknown[]) => unknown)("CREATE", "s", "g"),
      /needs a third argument/,
    );
    assert.throws(() => redis.xinfo("HELP" as never, "s"), /Unknown subcommand "HELP" for xinfo/);
    assert.throws(() => redis.xinfo("STREAM", "s", { full: false } as never), /full: true/);
    assert.throws(() => redis.xinfo("STREAM", "s", { full: true, limit: 1 } as never), /"limit"/);
    assert.throws(
      () => redis.xreadgroup("g", "c", { s: ">" }, { noAck: true } as never),
      /"noAck".*"noack"/,
    );
    assert.throws(() => redis.xclaim("s", "g", "c", 0, []), /at least one ID/);
    assert.throws(
      () => redis.xclaim("s", "g", "c", 0, ["1-0"], { idle: 1, time: 1 }),
      /idle and time/,
    );
    assert.throws(
      () => redis.xautoclaim("s", "g", "c", 0, "0", { justid: true } as never),
      /"justid".*"justId"/,
    );
    assert.throws(
      () => redis.xpending("s", "g", { start: "-", end: "+", count: 1, min: 1 } as never),
      /"min" for xpending/,
    );
    assert.equal(await redis.exists("untouched"), 0);
  });

  it("pipelines, transactions and pools run the group methods with shaped replies", async () => {
    const result = await onBothProtocols(fixture.url, async (redis, protocol) => {
      const multi = await redis.multi()
        .xgroup("CREATE", "s", "g", "0", { mkstream: true })
        .xadd("s", "1-0", { a: "1" })
        .xreadgroup("g", "c", { s: ">" })
        .xpending("s", "g")
        .xack("s", "g", "1-0")
        .xgroup("CREATECONSUMER", "s", "g", "c2")
        .exec();
      const piped = await redis.pipeline()
        .xadd("s", "2-0", { b: "2" })
        .xreadgroup("g", "c", { s: ">" }, { block: 10 })
        .xreadgroup("g", "c", { s: ">" }, { block: 10 })
        .xpending("s", "g", { start: "-", end: "+", count: 5 })
        .xclaim("s", "g", "c2", 0, ["2-0"], { justId: true })
        .xautoclaim("s", "g", "c", 0, "0")
        .xinfo("GROUPS", "s")
        .xgroup("DELCONSUMER", "s", "g", "c2")
        .xgroup("DESTROY", "s", "g")
        .exec();
      piped[3] = (piped[3] as XPendingEntry[]).map((e) => settle(e, "idle"));
      await using pool = createPool({ url: fixture.url, protocol, max: 2 });
      await pool.xgroup("CREATE", "s", "pg", "$");
      const waiting = pool.xreadgroup("pg", "c", { s: ">" }, { block: 10_000 });
      await using other = await connect(fixture.url);
      await untilBlocked(other, 1);
      await pool.xadd("s", "3-0", { c: "3" });
      const served = await waiting;
      const timedOut = await pool.xreadgroup("pg", "c", { s: ">" }, { block: 20 });
      const pending = await pool.xpending("s", "pg");
      return plain({ multi, piped, served, timedOut, pending });
    });
    assert.deepEqual(result, {
      multi: [
        "OK",
        "1-0",
        [{ key: "s", entries: [{ id: "1-0", fields: { a: "1" } }] }],
        { count: 1, smallest: "1-0", largest: "1-0", consumers: [{ name: "c", pending: 1 }] },
        1,
        true,
      ],
      piped: [
        "2-0",
        [{ key: "s", entries: [{ id: "2-0", fields: { b: "2" } }] }],
        null,
        [{ id: "2-0", consumer: "c", idle: 0, deliveries: 1 }],
        ["2-0"],
        { next: "0-0", entries: [{ id: "2-0", fields: { b: "2" } }], deleted: [] },
        [{ name: "g", consumers: 2, pending: 1, lastDeliveredId: "2-0", entriesRead: 2, lag: 0 }],
        0,
        true,
      ],
      served: [{ key: "s", entries: [{ id: "3-0", fields: { c: "3" } }] }],
      timedOut: null,
      pending: {
        count: 1,
        smallest: "3-0",
        largest: "3-0",
        consumers: [{ name: "c", pending: 1 }],
      },
    });
  });
});
