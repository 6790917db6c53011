import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { MemoryStore, type MemoryStoreOptions } from "../../src/cache/stores/memory_store.ts";
import { ReplyError } from "../../src/errors.ts";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A store on a fake clock: `clock.time` is "now" in ms; move it forward to expire keys. */
function storeWithClock(options: MemoryStoreOptions = {}): {
  store: MemoryStore;
  clock: { time: number };
} {
  const clock = { time: 1_700_000_000_000 };
  return { store: new MemoryStore({ ...options, now: () => clock.time }), clock };
}

/** Asserts that `promise` rejects with a ReplyError carrying exactly `message`. */
async function rejectsReply(promise: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ReplyError, `expected a ReplyError, got ${error}`);
    assert.equal(error.message, message);
    assert.equal(error.code, message.split(" ")[0]);
    return true;
  });
}

async function scanAll(store: MemoryStore, match: string, count = 10): Promise<string[][]> {
  const batches: string[][] = [];
  for await (const batch of store.scan(match, count)) batches.push(batch);
  return batches;
}

const NOT_INTEGER = "ERR value is not an integer or out of range";

describe("MemoryStore: values and read modes", () => {
  it("returns what was stored, and null for missing keys", async () => {
    const store = new MemoryStore();
    assert.equal(await store.set("k", "hello", null), true);
    assert.equal(await store.get("k", "text"), "hello");
    assert.equal(await store.get("missing", "text"), null);
    assert.equal(await store.get("missing", "bytes"), null);
  });

  it('"bytes" mode always gives a Uint8Array', async () => {
    const store = new MemoryStore();
    await store.set("s", "héllo", null);
    await store.set("b", bytes(1, 2, 3), null);
    assert.deepEqual(await store.get("s", "bytes"), utf8("héllo"));
    assert.deepEqual(await store.get("b", "bytes"), bytes(1, 2, 3));
  });

  it('"text" mode decodes bytes as UTF-8 unless the first byte is NUL', async () => {
    const store = new MemoryStore();
    await store.set("text", utf8("\ufeffcafé"), null);
    await store.set("header", bytes(0, 0x68, 0x69), null);
    await store.set("invalid", bytes(0x61, 0xff), null);
    await store.set("empty", new Uint8Array(0), null);
    await store.set("nul-string", "\0abc", null);
    assert.equal(await store.get("text", "text"), "\ufeffcafé");
    assert.deepEqual(await store.get("header", "text"), bytes(0, 0x68, 0x69));
    assert.equal(await store.get("invalid", "text"), "a\ufffd");
    assert.equal(await store.get("empty", "text"), "");
    // Through Redis, text that starts with NUL comes back as bytes too.
    assert.deepEqual(await store.get("nul-string", "text"), bytes(0, 0x61, 0x62, 0x63));
  });

  it("stores text as UTF-8 would: a lone surrogate reads back as U+FFFD", async () => {
    const store = new MemoryStore();
    await store.set("k", "a\ud800b", null);
    assert.equal(await store.get("k", "text"), "a\ufffdb");
    assert.equal(await store.deleteIfEquals("k", "a\udc00b"), true);
  });

  it("copies bytes in and out, so callers cannot change stored data", async () => {
    const store = new MemoryStore();
    const buffer = bytes(1, 2, 3);
    await store.set("k", buffer, null);
    buffer[0] = 99;
    const first = await store.get("k", "bytes") as Uint8Array;
    assert.deepEqual(first, bytes(1, 2, 3));
    first[1] = 99;
    await store.set("h", bytes(0, 1), null);
    (await store.get("h", "text") as Uint8Array)[1] = 99;
    assert.deepEqual(await store.get("k", "bytes"), bytes(1, 2, 3));
    assert.deepEqual(await store.get("h", "bytes"), bytes(0, 1));
    assert.deepEqual(await store.getMany(["k"], "bytes"), [bytes(1, 2, 3)]);
  });

  it("stores a plain copy of a view into a larger buffer", async () => {
    const store = new MemoryStore();
    const big = bytes(9, 1, 2, 9);
    await store.set("k", big.subarray(1, 3), null);
    const read = await store.get("k", "bytes") as Uint8Array;
    assert.deepEqual(read, bytes(1, 2));
    assert.equal(read.buffer.byteLength, 2);
  });

  it("getMany returns values in order with null for missing keys", async () => {
    const store = new MemoryStore();
    await store.setMany([["a", "1", null], ["b", bytes(0, 7), null]]);
    assert.deepEqual(await store.getMany(["b", "missing", "a"], "text"), [bytes(0, 7), null, "1"]);
    assert.deepEqual(await store.getMany(["a"], "bytes"), [utf8("1")]);
    assert.deepEqual(await store.getMany([], "text"), []);
  });
});

describe("MemoryStore: set conditions and time to live", () => {
  it('"nx" writes only when absent, "xx" only when present', async () => {
    const store = new MemoryStore();
    assert.equal(await store.set("k", "1", null, "xx"), false);
    assert.equal(await store.exists("k"), false);
    assert.equal(await store.set("k", "1", null, "nx"), true);
    assert.equal(await store.set("k", "2", null, "nx"), false);
    assert.equal(await store.get("k", "text"), "1");
    assert.equal(await store.set("k", "3", null, "xx"), true);
    assert.equal(await store.get("k", "text"), "3");
  });

  it("an expired key is absent for nx and xx", async () => {
    const { store, clock } = storeWithClock();
    await store.set("k", "old", 100);
    clock.time += 100;
    assert.equal(await store.set("k", "x", null, "xx"), false);
    assert.equal(await store.set("k", "new", null, "nx"), true);
    assert.equal(await store.get("k", "text"), "new");
  });

  it("expires a key exactly at its time to live, invisibly to every operation", async () => {
    const { store, clock } = storeWithClock();
    await store.set("k", "v", 1_000);
    clock.time += 999;
    assert.equal(await store.get("k", "text"), "v");
    assert.equal(await store.pttl("k"), 1);
    clock.time += 1;
    assert.equal(await store.get("k", "text"), null);
    assert.deepEqual(await store.getMany(["k"], "text"), [null]);
    assert.equal(await store.exists("k"), false);
    assert.equal(await store.pttl("k"), -2);
    assert.equal(await store.delete(["k"]), 0);
    assert.equal(await store.persist("k"), false);
    assert.equal(await store.pexpire("k", 1_000), false);
    assert.equal(await store.move("k", "other"), false);
    assert.equal(await store.deleteIfEquals("k", "v"), false);
    assert.deepEqual(await scanAll(store, "*"), []);
  });

  it("overwriting replaces the time to live, like SET without KEEPTTL", async () => {
    const { store, clock } = storeWithClock();
    await store.set("k", "1", 1_000);
    await store.set("k", "2", null);
    assert.equal(await store.pttl("k"), -1);
    await store.set("k", "3", 5_000);
    assert.equal(await store.pttl("k"), 5_000);
    clock.time += 10_000;
    assert.equal(await store.exists("k"), false);
  });

  it("rejects time to live values as Redis does", async () => {
    const { store } = storeWithClock();
    await rejectsReply(store.set("k", "v", 0), "ERR invalid expire time in 'set' command");
    await rejectsReply(store.set("k", "v", -5), "ERR invalid expire time in 'set' command");
    await rejectsReply(store.set("k", "v", 1.5), NOT_INTEGER);
    await rejectsReply(store.set("k", "v", Infinity), NOT_INTEGER);
    await rejectsReply(
      store.set("k", "v", 2 ** 63 - 2048),
      "ERR invalid expire time in 'set' command",
    );
    assert.equal(await store.exists("k"), false);
  });

  it("setMany writes every entry with its own time to live, or none if one is invalid", async () => {
    const { store, clock } = storeWithClock();
    await store.setMany([["a", "1", null], ["b", bytes(2), 100], ["a", "again", null]]);
    assert.equal(await store.get("a", "text"), "again");
    assert.equal(await store.pttl("b"), 100);
    clock.time += 100;
    assert.equal(await store.exists("b"), false);
    await rejectsReply(
      store.setMany([["c", "1", null], ["d", "1", 0]]),
      "ERR invalid expire time in 'set' command",
    );
    assert.equal(await store.exists("c"), false);
  });
});

describe("MemoryStore: delete, exists, flush", () => {
  it("delete counts the keys that existed", async () => {
    const store = new MemoryStore();
    await store.setMany([["a", "1", null], ["b", "2", null]]);
    assert.equal(await store.delete(["a", "missing", "b", "a"]), 2);
    assert.equal(await store.exists("a"), false);
    assert.equal(await store.delete([]), 0);
  });

  it("flush clears everything", async () => {
    const store = new MemoryStore();
    await store.setMany([["a", "1", null], ["b", "2", 1_000]]);
    await store.flush();
    assert.deepEqual(await store.getMany(["a", "b"], "text"), [null, null]);
    assert.deepEqual(await scanAll(store, "*"), []);
    await store.set("a", "3", null);
    assert.equal(await store.get("a", "text"), "3");
  });
});

describe("MemoryStore: incrBy", () => {
  it("starts a missing key at 0 without a time to live", async () => {
    const store = new MemoryStore();
    assert.equal(await store.incrBy("n", 5), 5);
    assert.equal(await store.incrBy("n", -7), -2);
    assert.equal(await store.get("n", "text"), "-2");
    assert.equal(await store.pttl("n"), -1);
  });

  it("keeps an existing time to live", async () => {
    const { store, clock } = storeWithClock();
    await store.set("n", "10", 1_000);
    clock.time += 400;
    assert.equal(await store.incrBy("n", 1), 11);
    assert.equal(await store.pttl("n"), 600);
    clock.time += 600;
    assert.equal(await store.incrBy("n", 1), 1);
    assert.equal(await store.pttl("n"), -1);
  });

  it("accepts integer text stored as a string or as bytes, and stores a string", async () => {
    const store = new MemoryStore();
    await store.set("s", "41", null);
    await store.set("b", utf8("-41"), null);
    await store.set("zero", "0", null);
    assert.equal(await store.incrBy("s", 1), 42);
    assert.equal(await store.incrBy("b", 1), -40);
    assert.equal(await store.incrBy("zero", 0), 0);
    assert.equal(await store.get("b", "text"), "-40");
  });

  it("rejects what Redis's INCRBY rejects, leaving the value untouched", async () => {
    const store = new MemoryStore();
    const invalid = ["abc", "", "1.0", "+5", " 5", "5 ", "007", "00", "-0", "-", "1e3", "٣"];
    for (const value of invalid) {
      await store.set("k", value, null);
      await rejectsReply(store.incrBy("k", 1), NOT_INTEGER);
      assert.equal(await store.get("k", "text"), value);
    }
    await store.set("k", bytes(0, 0x31), null);
    await rejectsReply(store.incrBy("k", 1), NOT_INTEGER);
    await store.set("k", "92233720368547758070", null);
    await rejectsReply(store.incrBy("k", 1), NOT_INTEGER);
    await store.set("k", "9223372036854775808", null);
    await rejectsReply(store.incrBy("k", -1), NOT_INTEGER);
  });

  it("rejects a delta that is not a 64-bit integer", async () => {
    const store = new MemoryStore();
    await rejectsReply(store.incrBy("k", 1.5), NOT_INTEGER);
    await rejectsReply(store.incrBy("k", NaN), NOT_INTEGER);
    await rejectsReply(store.incrBy("k", 2 ** 63), NOT_INTEGER);
    assert.equal(await store.exists("k"), false);
    assert.equal(await store.incrBy("k", -(2 ** 63)), -(2 ** 63));
    assert.equal(await store.get("k", "text"), "-9223372036854775808");
  });

  it("is exact beyond 2^53 and stops at the signed 64-bit range", async () => {
    const store = new MemoryStore();
    await store.set("k", "9007199254740993", null);
    assert.equal(await store.incrBy("k", 1), 9007199254740994);
    assert.equal(await store.get("k", "text"), "9007199254740994");
    await store.set("k", "9223372036854775806", null);
    await store.incrBy("k", 1);
    assert.equal(await store.get("k", "text"), "9223372036854775807");
    await rejectsReply(store.incrBy("k", 1), "ERR increment or decrement would overflow");
    assert.equal(await store.get("k", "text"), "9223372036854775807");
    await store.set("k", "-9223372036854775807", null);
    await store.incrBy("k", -1);
    assert.equal(await store.get("k", "text"), "-9223372036854775808");
    await rejectsReply(store.incrBy("k", -1), "ERR increment or decrement would overflow");
  });
});

describe("MemoryStore: pttl, pexpire, pexpireAt, persist", () => {
  it("pttl: -2 missing, -1 forever, else ms left", async () => {
    const { store, clock } = storeWithClock();
    await store.set("forever", "v", null);
    await store.set("soon", "v", 2_500);
    clock.time += 1_000;
    assert.equal(await store.pttl("missing"), -2);
    assert.equal(await store.pttl("forever"), -1);
    assert.equal(await store.pttl("soon"), 1_500);
  });

  it("pexpire sets a time to live; 0 or less deletes an existing key", async () => {
    const { store, clock } = storeWithClock();
    await store.set("k", "v", null);
    assert.equal(await store.pexpire("k", 300), true);
    assert.equal(await store.pttl("k"), 300);
    assert.equal(await store.pexpire("missing", 300), false);
    assert.equal(await store.pexpire("k", 0), true);
    assert.equal(await store.exists("k"), false);
    assert.equal(await store.pexpire("k", 0), false);
    await store.set("k", "v", null);
    assert.equal(await store.pexpire("k", -1), true);
    assert.equal(await store.exists("k"), false);
    await store.set("k", "v", null);
    await store.pexpire("k", 10);
    clock.time += 10;
    assert.equal(await store.get("k", "text"), null);
  });

  it("pexpire rejects what Redis rejects", async () => {
    const { store } = storeWithClock();
    await store.set("k", "v", null);
    await rejectsReply(store.pexpire("k", Infinity), NOT_INTEGER);
    await rejectsReply(store.pexpire("k", 2 ** 63), NOT_INTEGER);
    await rejectsReply(
      store.pexpire("k", 2 ** 63 - 2048),
      "ERR invalid expire time in 'pexpire' command",
    );
    assert.equal(await store.pttl("k"), -1);
  });

  it("rounds fractional milliseconds up, as the Redis store sends them", async () => {
    const { store, clock } = storeWithClock();
    await store.set("k", "v", null);
    assert.equal(await store.pexpire("k", 1.2), true);
    assert.equal(await store.pttl("k"), 2);
    assert.equal(await store.pexpireAt("k", clock.time + 0.5), true);
    assert.equal(await store.pttl("k"), 1);
    assert.equal(await store.expireIfEquals("k", "v", 99.1), true);
    assert.equal(await store.pttl("k"), 100);
  });

  it("pexpireAt expires at a Unix time; a time not in the future deletes", async () => {
    const { store, clock } = storeWithClock();
    await store.set("k", "v", null);
    assert.equal(await store.pexpireAt("k", clock.time + 2_000), true);
    assert.equal(await store.pttl("k"), 2_000);
    assert.equal(await store.pexpireAt("missing", clock.time + 2_000), false);
    assert.equal(await store.pexpireAt("k", clock.time), true);
    assert.equal(await store.exists("k"), false);
    await store.set("k", "v", null);
    assert.equal(await store.pexpireAt("k", 0), true);
    assert.equal(await store.exists("k"), false);
  });

  it("persist is true only when a time to live was removed", async () => {
    const { store, clock } = storeWithClock();
    await store.set("k", "v", 1_000);
    assert.equal(await store.persist("k"), true);
    assert.equal(await store.pttl("k"), -1);
    assert.equal(await store.persist("k"), false);
    assert.equal(await store.persist("missing"), false);
    clock.time += 5_000;
    assert.equal(await store.get("k", "text"), "v");
  });
});

describe("MemoryStore: scan", () => {
  it("finds keys matching a Redis glob, in batches of at most count", async () => {
    const store = new MemoryStore();
    const users = Array.from({ length: 25 }, (_, i) => `user:${i}`);
    await store.setMany([...users.map((key) => [key, "1", null] as const), ["post:1", "1", null]]);
    const batches = await scanAll(store, "user:*", 10);
    assert.deepEqual(batches.map((batch) => batch.length), [10, 10, 5]);
    assert.deepEqual(batches.flat().sort(), [...users].sort());
    assert.deepEqual((await scanAll(store, "user:?")).flat().sort(), users.slice(0, 10).sort());
    assert.deepEqual((await scanAll(store, "[^u]*")).flat(), ["post:1"]);
    assert.deepEqual(await scanAll(store, "nothing*"), []);
  });

  it("matches escapes, classes, and bytes of non-ASCII keys as Redis does", async () => {
    const store = new MemoryStore();
    const keys = ["a*b", "axb", "café", "cafe", "k[1]", "k1"];
    await store.setMany(keys.map((key) => [key, "1", null] as const));
    const find = async (match: string) => (await scanAll(store, match)).flat().sort();
    assert.deepEqual(await find("a\\*b"), ["a*b"]);
    assert.deepEqual(await find("a[*x]b"), ["a*b", "axb"]);
    assert.deepEqual(await find("caf?"), ["cafe"]);
    assert.deepEqual(await find("caf??"), ["café"]);
    assert.deepEqual(await find("k\\[1\\]"), ["k[1]"]);
  });

  it("sees every key present throughout exactly once, despite changes during the scan", async () => {
    const store = new MemoryStore();
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    await store.setMany(keys.map((key) => [key, "1", null] as const));
    const seen: string[] = [];
    let added = 0;
    for await (const batch of store.scan("k*", 7)) {
      seen.push(...batch);
      // Touching keys moves them in the LRU order; deleting and adding others must not disturb.
      await store.getMany(keys.slice(0, 50), "text");
      await store.set(`k${100 + added++}`, "1", null);
      await store.delete([`k${99 - added}`]);
    }
    const deleted = new Set(Array.from({ length: added }, (_, i) => `k${99 - (i + 1)}`));
    const throughout = keys.filter((key) => !deleted.has(key));
    assert.equal(new Set(seen).size, seen.length, "a key was seen twice");
    for (const key of throughout) assert.ok(seen.includes(key), `${key} was not seen`);
  });

  it("skips keys that expire before they are reached", async () => {
    const { store, clock } = storeWithClock();
    await store.setMany([["a1", "1", null], ["a2", "1", 100], ["a3", "1", null]]);
    const batches: string[][] = [];
    for await (const batch of store.scan("a*", 1)) {
      batches.push(batch);
      clock.time += 100;
    }
    assert.deepEqual(batches, [["a1"], ["a3"]]);
  });

  it("rejects a count that Redis rejects", async () => {
    const store = new MemoryStore();
    await rejectsReply(scanAll(store, "*", 0), "ERR syntax error");
    await rejectsReply(scanAll(store, "*", 1.5), NOT_INTEGER);
  });
});

describe("MemoryStore: compare-and-act and move", () => {
  it("deleteIfEquals deletes only a matching value, text or bytes", async () => {
    const store = new MemoryStore();
    await store.set("s", "token-1", null);
    await store.set("b", utf8("tøken"), null);
    assert.equal(await store.deleteIfEquals("s", "token-2"), false);
    assert.equal(await store.deleteIfEquals("s", "token-1"), true);
    assert.equal(await store.exists("s"), false);
    assert.equal(await store.deleteIfEquals("b", "tøke"), false);
    assert.equal(await store.deleteIfEquals("b", "tøken"), true);
    assert.equal(await store.deleteIfEquals("missing", "x"), false);
    await store.set("bad", bytes(0x61, 0xff), null);
    assert.equal(await store.deleteIfEquals("bad", "a\ufffd"), false, "compares bytes, not text");
  });

  it("expireIfEquals sets a time to live only on a matching value", async () => {
    const { store, clock } = storeWithClock();
    await store.set("lock", "mine", 1_000);
    assert.equal(await store.expireIfEquals("lock", "theirs", 5_000), false);
    assert.equal(await store.pttl("lock"), 1_000);
    assert.equal(await store.expireIfEquals("lock", "mine", 5_000), true);
    assert.equal(await store.pttl("lock"), 5_000);
    clock.time += 5_000;
    assert.equal(await store.expireIfEquals("lock", "mine", 5_000), false);
    await store.set("lock", "mine", null);
    assert.equal(await store.expireIfEquals("lock", "mine", 0), true);
    assert.equal(await store.exists("lock"), false);
  });

  it("move carries the value and the time left, overwriting the target", async () => {
    const { store, clock } = storeWithClock();
    await store.set("from", bytes(0, 1, 2), 1_000);
    await store.set("to", "old", null);
    clock.time += 400;
    assert.equal(await store.move("from", "to"), true);
    assert.equal(await store.exists("from"), false);
    assert.deepEqual(await store.get("to", "bytes"), bytes(0, 1, 2));
    assert.equal(await store.pttl("to"), 600);
    assert.equal(await store.move("from", "to"), false);
    await store.set("forever", "v", null);
    assert.equal(await store.move("forever", "to"), true);
    assert.equal(await store.pttl("to"), -1);
    assert.equal(await store.move("to", "to"), true);
    assert.equal(await store.get("to", "text"), "v");
  });
});

describe("MemoryStore: LRU bounds", () => {
  it("evicts the least recently used entry past maxEntries; reads and writes count as use", async () => {
    const store = new MemoryStore({ maxEntries: 3 });
    await store.setMany([["a", "1", null], ["b", "1", null], ["c", "1", null]]);
    await store.get("a", "text");
    await store.set("d", "1", null);
    assert.deepEqual(await store.getMany(["a", "b", "c", "d"], "text"), ["1", null, "1", "1"]);
    await store.incrBy("c", 1);
    await store.set("e", "1", null);
    assert.equal(await store.exists("c"), true);
    assert.equal(await store.exists("a"), false);
  });

  it("does not count exists or pttl as use", async () => {
    const store = new MemoryStore({ maxEntries: 2 });
    await store.setMany([["a", "1", null], ["b", "1", null]]);
    await store.exists("a");
    await store.pttl("a");
    await store.set("c", "1", null);
    assert.equal(await store.exists("a"), false);
    assert.equal(await store.exists("b"), true);
  });

  it("evicts expired entries before live ones", async () => {
    const { store, clock } = storeWithClock({ maxEntries: 3 });
    await store.set("old", "1", null);
    await store.set("brief", "1", 100);
    await store.set("new", "1", null);
    clock.time += 100;
    await store.set("newest", "1", null);
    assert.deepEqual(await store.getMany(["old", "new", "newest"], "text"), ["1", "1", "1"]);
  });

  it("evicts past maxBytes, counting key and value lengths", async () => {
    const store = new MemoryStore({ maxBytes: 10 });
    await store.set("a", "1234", null); // 5
    await store.set("b", bytes(1, 2, 3, 4), null); // 5
    assert.deepEqual(await store.getMany(["a", "b"], "bytes"), [utf8("1234"), bytes(1, 2, 3, 4)]);
    await store.set("c", "1", null); // 2: "a" must go
    assert.equal(await store.exists("a"), false);
    assert.equal(await store.exists("b"), true);
    await store.set("b", "", null); // replacing frees bytes: 1 + 2 = 3
    await store.set("d", "123456", null); // 7: 10 in all, nothing evicted
    assert.deepEqual(await store.getMany(["b", "c", "d"], "text"), ["", "1", "123456"]);
  });

  it("rejects an entry larger than maxBytes with a RangeError naming the key", async () => {
    const store = new MemoryStore({ maxBytes: 10 });
    await store.set("keep", "1", null);
    await assert.rejects(store.set("huge", "0123456789", null), (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, /^Cannot store "huge" in the memory store: .*maxBytes \(10\)$/);
      return true;
    });
    await assert.rejects(
      store.setMany([["ok", "1", null], ["big", bytes(...new Array(20).fill(0)), null]]),
      RangeError,
    );
    assert.equal(await store.exists("ok"), false);
    assert.equal(await store.get("keep", "text"), "1");
  });

  it("keeps working under churn with many expiring entries", async () => {
    const { store, clock } = storeWithClock({ maxEntries: 50 });
    for (let i = 0; i < 1_000; i++) {
      await store.set(`k${i}`, "v", i % 2 === 0 ? 5 : null);
      clock.time += 1;
    }
    const live = (await scanAll(store, "*", 1_000)).flat();
    assert.ok(live.length <= 50);
    assert.ok(live.includes("k999"));
    for (const key of live) assert.equal(await store.get(key, "text"), "v");
  });
});

describe("MemoryStore: options and close", () => {
  it("rejects unknown options and bad bounds", () => {
    assert.throws(
      () => new MemoryStore({ maxEntrys: 5 } as unknown as MemoryStoreOptions),
      (error: unknown) => error instanceof TypeError && /"maxEntrys"/.test(error.message),
    );
    assert.throws(() => new MemoryStore({ maxEntries: 0 }), RangeError);
    assert.throws(() => new MemoryStore({ maxBytes: 1.5 }), RangeError);
    assert.throws(() => new MemoryStore({ maxBytes: NaN }), RangeError);
    new MemoryStore({ maxEntries: Infinity, maxBytes: Infinity });
  });

  it("after close() every call rejects; close() again is harmless", async () => {
    const store = new MemoryStore();
    await store.set("k", "v", null);
    await store.close();
    await store.close();
    const closed = { message: "Cannot use the memory store after close()" };
    await assert.rejects(store.get("k", "text"), closed);
    await assert.rejects(store.getMany(["k"], "text"), closed);
    await assert.rejects(store.set("k", "v", null), closed);
    await assert.rejects(store.setMany([]), closed);
    await assert.rejects(store.delete(["k"]), closed);
    await assert.rejects(store.exists("k"), closed);
    await assert.rejects(store.incrBy("k", 1), closed);
    await assert.rejects(store.pttl("k"), closed);
    await assert.rejects(store.pexpire("k", 1), closed);
    await assert.rejects(store.pexpireAt("k", 1), closed);
    await assert.rejects(store.persist("k"), closed);
    await assert.rejects(scanAll(store, "*"), closed);
    await assert.rejects(store.flush(), closed);
    await assert.rejects(store.deleteIfEquals("k", "v"), closed);
    await assert.rejects(store.expireIfEquals("k", "v", 1), closed);
    await assert.rejects(store.move("k", "j"), closed);
  });

  it("a scan in progress stops when the store closes", async () => {
    const store = new MemoryStore();
    await store.setMany([["a", "1", null], ["b", "1", null]]);
    const batches = store.scan("*", 1)[Symbol.asyncIterator]();
    assert.deepEqual((await batches.next()).value, ["a"]);
    await store.close();
    await assert.rejects(batches.next(), { message: "Cannot use the memory store after close()" });
  });
});
