import assert from "node:assert/strict";
import { after, before, describe, it } from "../../support/test.ts";
import { useRedis } from "../../support/use_redis.ts";
import { type Cluster, commandCalls, startCluster } from "../../support/topology.ts";
import type { RedisServer } from "../../support/redis.ts";
import {
  connectCluster,
  createPool,
  defineScript,
  type FunctionLibrary,
  type Pipeline,
  ReplyError,
  type Script,
  type Transaction,
} from "../../../mod.ts";
import { keySlot } from "../../../src/cluster/key_slot.ts";
import { onBothProtocols } from "./support.ts";

const CAPPED =
  "local n = redis.call('INCR', KEYS[1]) if n > tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) return tonumber(ARGV[1]) end return n";

const LIBRARY = `#!lua name=mylib
redis.register_function('bump', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)
redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}, description='reads a key'}`;

const isNoScript = (error: unknown) => error instanceof ReplyError && error.code === "NOSCRIPT";

/** `INFO commandstats` calls of EVALSHA and EVAL on `server` since the last `CONFIG RESETSTAT`. */
async function evalCalls(server: RedisServer | RedisServer[]) {
  return {
    evalsha: await commandCalls(server, "evalsha"),
    eval: await commandCalls(server, "eval"),
  };
}

describe("scripting commands", () => {
  const fixture = useRedis();

  it("eval, evalsha, eval_ro, evalsha_ro and script LOAD/EXISTS/FLUSH reply alike on RESP2 and RESP3", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const flushed = await redis.script("FLUSH", "SYNC");
      const sha = await redis.script("LOAD", "return {KEYS[1], ARGV[1], 3}");
      const roSha = await redis.script("LOAD", "return redis.call('GET', KEYS[1])");
      await redis.set("k", "v");
      const out = {
        flushed,
        sha,
        eval: await redis.eval("return {KEYS[1], ARGV[1], 3}", ["a"], ["b"]),
        evalsha: await redis.evalsha(sha, ["a"], ["b"]),
        eval_ro: await redis.eval_ro<string>("return redis.call('GET', KEYS[1])", ["k"]),
        evalsha_ro: await redis.evalsha_ro<string>(roSha, ["k"]),
        exists: await redis.script("EXISTS", sha, roSha, "0".repeat(40)),
        flushAsync: await redis.script("FLUSH", "ASYNC"),
        flushDefault: await redis.script("FLUSH"),
        existsAfter: await redis.script("EXISTS", sha),
      };
      await assert.rejects(
        redis.eval_ro("return redis.call('SET', KEYS[1], 'x')", ["k"]),
        ReplyError,
      );
      await assert.rejects(redis.evalsha(sha, ["a"], ["b"]), isNoScript);
      return out;
    });
    assert.deepEqual(result, {
      flushed: "OK",
      sha: await defineScript("return {KEYS[1], ARGV[1], 3}", { keys: 1 }).sha(),
      eval: ["a", "b", 3],
      evalsha: ["a", "b", 3],
      eval_ro: "v",
      evalsha_ro: "v",
      exists: [true, true, false],
      flushAsync: "OK",
      flushDefault: "OK",
      existsAfter: [false],
    });
  });

  it("fcall, fcall_ro and function LOAD/LIST/DELETE/FLUSH reply alike on RESP2 and RESP3", async () => {
    const byName = (libraries: FunctionLibrary[]) =>
      libraries.map((lib) => ({
        ...lib,
        functions: [...lib.functions].sort((a, b) => a.name.localeCompare(b.name)),
      }));
    const result = await onBothProtocols(fixture.url, async (redis) => {
      const flushed = await redis.function("FLUSH", "SYNC");
      const loaded = await redis.function("LOAD", LIBRARY);
      await assert.rejects(redis.function("LOAD", LIBRARY), ReplyError);
      const out = {
        flushed,
        loaded,
        replaced: await redis.function("LOAD", LIBRARY, { replace: true }),
        bump: await redis.fcall<number>("bump", ["n"], [5]),
        peek: await redis.fcall_ro<string>("peek", ["n"]),
        list: byName(await redis.function("LIST")),
        withCode: byName(await redis.function("LIST", { libraryName: "my*", withCode: true })),
        none: await redis.function("LIST", { libraryName: "other*" }),
        deleted: await redis.function("DELETE", "mylib"),
        afterDelete: await redis.function("LIST"),
        flushDefault: await redis.function("FLUSH"),
        flushAsync: await redis.function("FLUSH", "ASYNC"),
      };
      await assert.rejects(redis.fcall_ro("bump", ["n"], [1]), ReplyError);
      return out;
    });
    const functions = [
      { name: "bump", description: null, flags: [] },
      { name: "peek", description: "reads a key", flags: ["no-writes"] },
    ];
    assert.deepEqual(result, {
      flushed: "OK",
      loaded: "mylib",
      replaced: "mylib",
      bump: 5,
      peek: "5",
      list: [{ libraryName: "mylib", engine: "LUA", functions }],
      withCode: [{ libraryName: "mylib", engine: "LUA", functions, libraryCode: LIBRARY }],
      none: [],
      deleted: "OK",
      afterDelete: [],
      flushDefault: "OK",
      flushAsync: "OK",
    });
  });

  it("script and function methods shape their replies in a pipeline, in multi and on a pool", async () => {
    await using pool = createPool(fixture.url);
    await pool.function("FLUSH");
    const sha = await defineScript("return 7", { keys: 0 }).sha();
    const piped = await pool.pipeline()
      .script("LOAD", "return 7")
      .script("EXISTS", sha)
      .evalsha(sha)
      .function("LOAD", LIBRARY)
      .fcall("bump", ["p"], [2])
      .exec();
    assert.deepEqual(piped, [sha, [true], 7, "mylib", 2]);
    const multi = await pool.multi()
      .eval_ro("return 1")
      .evalsha_ro(sha)
      .fcall_ro("peek", ["p"])
      .function("LIST", { libraryName: "mylib" })
      .function("DELETE", "mylib")
      .script("FLUSH")
      .exec();
    assert.equal(multi?.length, 6);
    assert.deepEqual(multi?.slice(0, 3), [1, 7, "2"]);
    assert.equal((multi?.[3] as FunctionLibrary[])[0].libraryName, "mylib");
    assert.deepEqual(multi?.slice(4), ["OK", "OK"]);
    assert.deepEqual(await pool.script("EXISTS", sha), [false]);
  });

  it("checks options and arguments before sending anything", async () => {
    await using pool = createPool(fixture.url);
    assert.throws(() => pool.function("LOAD", LIBRARY, { replce: true } as never), /"replce"/);
    assert.throws(() => pool.function("LIST", { withcode: true } as never), /"withcode"/);
    assert.throws(() => pool.script("FLUSH", "NOW" as never), /"ASYNC" or "SYNC"/);
    assert.throws(() => pool.function("FLUSH", "later" as never), TypeError);
    assert.throws(() => pool.script("KILL" as never), /Unknown subcommand "KILL"/);
    assert.throws(() => pool.function("DELETE", undefined as never), TypeError);
    assert.throws(
      () => defineScript("return 1", { keys: 1, readonly: true } as never),
      /"readonly"/,
    );
    assert.throws(() => defineScript("return 1", { keys: -1 }), /whole number/);
    assert.throws(() => defineScript("return 1", undefined as never), /\{ keys \}/);
    const script = defineScript<number>(CAPPED, { keys: 1 });
    assert.throws(() => script(pool, [], [10]), /takes 1 key, but the call passed 0/);
    const pipeline = pool.pipeline();
    assert.throws(() => script(pipeline, ["a", "b"], [10]), TypeError);
    assert.equal(pipeline.length, 0);
    assert.equal(pool.stats().size, 0); // nothing was sent: no connection was opened
  });
});

describe("defineScript", () => {
  const fixture = useRedis();
  const capped: Script<number> = defineScript<number>(CAPPED, { keys: 1 });

  it("runs by EVALSHA on a client, and by EVAL where the server lost the script", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.script("FLUSH");
      await fixture.server.cli("CONFIG", "RESETSTAT");
      const first: number = await capped(redis, ["n"], [2]); // NOSCRIPT, then EVAL
      const second = await capped(redis, ["n"], [2]); // EVALSHA
      const third = await capped(redis, ["n"], [2]);
      const known = await redis.script("EXISTS", await capped.sha());
      return { replies: [first, second, third], known, calls: await evalCalls(fixture.server) };
    });
    assert.deepEqual(result, {
      replies: [1, 2, 2],
      known: [true],
      calls: { evalsha: 3, eval: 1 },
    });
    assert.equal(capped.source, CAPPED);
    assert.equal(capped.keys, 1);
    assert.equal(capped.readOnly, false);
  });

  it("retries only the NOSCRIPT element of a pipeline, after the pipeline's other commands", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await capped.sha();
      await redis.script("FLUSH");
      await fixture.server.cli("CONFIG", "RESETSTAT");
      const pipeline: Pipeline = capped(redis.pipeline(), ["n"], [5]);
      const flushed = await pipeline.get("n").incr("other").exec();
      const warm = await capped(redis.pipeline(), ["n"], [5]).get("n").exec();
      return { flushed, warm, calls: await evalCalls(fixture.server) };
    });
    // The retried EVAL ran after GET: GET still saw no key.
    assert.deepEqual(result, {
      flushed: [1, null, 1],
      warm: [2, "2"],
      calls: { evalsha: 2, eval: 1 },
    });
  });

  it("never meets NOSCRIPT in a transaction, even after SCRIPT FLUSH", async () => {
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await capped.sha();
      await redis.script("FLUSH");
      const transaction: Transaction = capped(redis.multi(), ["n"], [5]);
      const first = await capped(transaction, ["n"], [5]).get("n").exec();
      await redis.script("FLUSH");
      const second = await capped(redis.multi(), ["n"], [5]).exec();
      return { first, second };
    });
    assert.deepEqual(result, { first: [1, 2, "2"], second: [3] });
  });

  it("falls back on a pool, its pipelines, its transactions and a pooled connection", async () => {
    await using pool = createPool(fixture.url);
    const flush = () => pool.script("FLUSH");
    await flush();
    assert.equal(await capped(pool, ["p"], [100]), 1);
    await flush();
    assert.deepEqual(await capped(pool.pipeline(), ["p"], [100]).get("p").exec(), [2, "1"]);
    await flush();
    assert.deepEqual(await capped(pool.multi(), ["p"], [100]).get("p").exec(), [3, "3"]);
    await flush();
    const leased = await pool.use(async (conn) => {
      const n: number = await capped(conn, ["p"], [100]);
      const piped = await capped(conn.pipeline(), ["p"], [100]).exec();
      return [n, ...piped];
    });
    assert.deepEqual(leased, [4, 5]);
    assert.deepEqual(await pool.script("EXISTS", await capped.sha()), [true]);
  });

  it("runs read-only scripts as EVALSHA_RO, falling back to EVAL_RO", async () => {
    const read = defineScript<string | null>("return redis.call('GET', KEYS[1])", {
      keys: 1,
      readOnly: true,
    });
    const write = defineScript("return redis.call('SET', KEYS[1], 'x')", {
      keys: 1,
      readOnly: true,
    });
    const result = await onBothProtocols(fixture.url, async (redis) => {
      await redis.script("FLUSH");
      await fixture.server.cli("CONFIG", "RESETSTAT");
      await redis.set("r", "v");
      const replies = [await read(redis, ["r"]), await read(redis, ["r"])];
      await read.sha();
      await redis.script("FLUSH");
      const piped = await read(redis.pipeline(), ["r"]).exec();
      await assert.rejects(write(redis, ["r"]), ReplyError);
      return {
        replies,
        piped,
        ro: await commandCalls(fixture.server, "evalsha_ro"),
        evalRo: await commandCalls(fixture.server, "eval_ro"),
      };
    });
    assert.deepEqual(result, { replies: ["v", "v"], piped: ["v"], ro: 4, evalRo: 3 });
    assert.equal(read.readOnly, true);
  });
});

describe("defineScript on a cluster", () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ replicasPerPrimary: 0 });
  });
  after(() => cluster.stop());

  /** One key per primary, so each call below lands on a node of its own. */
  async function keyPerNode(): Promise<{ key: string; node: RedisServer }[]> {
    const primaries = await cluster.primaries();
    const found = new Map<RedisServer, string>();
    for (let i = 0; found.size < primaries.length; i++) {
      const key = `{k${i}}`;
      const node = await cluster.nodeForSlot(keySlot(key));
      if (!found.has(node)) found.set(node, key);
    }
    return [...found].map(([node, key]) => ({ key, node }));
  }

  it("a node that never saw the script gets EVAL, on the client, a pipeline and a transaction", async () => {
    const capped = defineScript<number>(CAPPED, { keys: 1 });
    await using redis = connectCluster({ urls: cluster.seeds, retry: { base: 20, max: 200 } });
    const [a, b, c] = await keyPerNode();
    for (const node of cluster.nodes) await node.cli("CONFIG", "RESETSTAT");

    assert.equal(await capped(redis, [a.key], [10]), 1);
    assert.equal(await capped(redis, [a.key], [10]), 2);
    assert.deepEqual(await evalCalls(a.node), { evalsha: 2, eval: 1 });

    assert.equal(await capped(redis, [b.key], [10]), 1);
    assert.deepEqual(await evalCalls(b.node), { evalsha: 1, eval: 1 });

    assert.deepEqual(
      await capped(redis.pipeline(), [c.key], [10]).get(c.key).send(["GET", a.key]).exec(),
      [1, null, "2"],
    );
    assert.deepEqual(await evalCalls(c.node), { evalsha: 1, eval: 1 });

    for (const node of cluster.nodes) await node.cli("SCRIPT", "FLUSH");
    assert.deepEqual(await capped(redis.multi(), [b.key], [10]).get(b.key).exec(), [2, "2"]);
    assert.deepEqual(await evalCalls(b.node), { evalsha: 1, eval: 2 });
  });
});
