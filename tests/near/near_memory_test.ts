/**
 * The near cache's memory on its own (no server): bounds by entries and by
 * bytes under a million keys, SIEVE keeping the hot keys, reads in flight
 * that an invalidation, a write or a lost connection spoils, and the copies
 * handed to callers.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { NearMemory, type NearRead } from "../../src/near/near_memory.ts";
import type { NearSettings } from "../../src/near/near_options.ts";
import { resolveNearOptions } from "../../src/near/near_options.ts";
import { copy, freezeDeep, UNCOPYABLE } from "../../src/near/clone.ts";
import type { Session } from "../../src/client/tracking.ts";

const SETTINGS: NearSettings = {
  maxEntries: 1000,
  maxBytes: 1 << 20,
  ttl: 60_000,
  clone: true,
  grace: 0,
};

function live(): Session {
  return { live: true, lostAt: 0 };
}

/** Reads `key` through `memory` as if Redis answered `value` with no TTL on `session`. */
function load(memory: NearMemory, key: string, value: string, session = live()): NearRead {
  const read = memory.read(key, "text");
  read.valueSession = read.ttlSession = session;
  memory.settle(read, value, -1);
  return read;
}

describe("near memory: bounds and eviction", () => {
  it("stays within maxEntries and maxBytes under a million keys", () => {
    const memory = new NearMemory({ ...SETTINGS, maxEntries: 10_000, maxBytes: 400_000 });
    const session = live();
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      load(memory, `key:${i}`, i % 7 === 0 ? "x".repeat(100) : "v", session);
      if (i % 1000 === 0) worst = Math.max(worst, memory.stats().bytes);
    }
    const stats = memory.stats();
    assert.ok(stats.entries <= 10_000, `${stats.entries} entries`);
    assert.ok(stats.bytes <= 400_000 && worst <= 400_000, `${stats.bytes} bytes`);
    assert.equal(stats.evictions + stats.entries, 1_000_000);
  });

  it("keeps the keys that are hit (SIEVE) while one-hit keys stream through", () => {
    const memory = new NearMemory({ ...SETTINGS, maxEntries: 100 });
    const session = live();
    for (let i = 0; i < 50; i++) load(memory, `hot${i}`, "v", session);
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 50; i++) memory.fresh(`hot${i}`, "text") ?? load(memory, `hot${i}`, "v");
      for (let i = 0; i < 20; i++) load(memory, `cold${round}.${i}`, "v", session);
    }
    let kept = 0;
    for (let i = 0; i < 50; i++) if (memory.fresh(`hot${i}`, "text")) kept++;
    assert.equal(kept, 50);
    assert.ok(memory.stats().entries <= 100);
  });

  it("does not keep a value bigger than maxBytes", () => {
    const memory = new NearMemory({ ...SETTINGS, maxBytes: 100 });
    load(memory, "big", "x".repeat(200));
    assert.equal(memory.stats().entries, 0);
  });
});

describe("near memory: reads in flight", () => {
  it("drops a read's value when its key is invalidated, written or flushed meanwhile", () => {
    for (const spoil of ["push", "write", "flush", "null push", "moved"] as const) {
      const memory = new NearMemory(SETTINGS);
      const session = live();
      const read = memory.read("k", "text");
      read.valueSession = read.ttlSession = session;
      if (spoil === "push") memory.invalidated(["k"]);
      else if (spoil === "write") memory.forget(["k"]);
      else if (spoil === "flush") memory.forgetAll();
      else if (spoil === "null push") memory.invalidated(null);
      else memory.moved();
      memory.settle(read, "old", -1);
      assert.equal(memory.fresh("k", "text"), undefined, spoil);
    }
  });

  it("drops a read whose connection ended, or whose TTL came from another connection", () => {
    const memory = new NearMemory(SETTINGS);
    const session = live();
    const read = memory.read("k", "text");
    read.valueSession = read.ttlSession = session;
    session.live = false;
    memory.lost(session);
    memory.settle(read, "old", -1);
    assert.equal(memory.fresh("k", "text"), undefined);

    const split = memory.read("j", "text");
    split.valueSession = live();
    split.ttlSession = live();
    memory.settle(split, "v", -1);
    assert.equal(memory.fresh("j", "text"), undefined);
  });

  it("shares a read in flight with later readers until something spoils it", () => {
    const memory = new NearMemory(SETTINGS);
    const first = memory.read("k", "text");
    assert.equal(memory.read("k", "text"), first);
    memory.invalidated(["k"]);
    assert.notEqual(memory.read("k", "text"), first);
    assert.equal(memory.stats().misses, 2);
  });

  it("expires by the Redis TTL measured from when the read was sent", () => {
    const memory = new NearMemory(SETTINGS);
    const read = memory.read("k", "text");
    read.valueSession = read.ttlSession = live();
    memory.settle(read, "v", 5_000);
    assert.ok(memory.fresh("k", "text"));
    const left = memory.pttl("k")!;
    assert.ok(left <= 5_000 && left > 4_000, String(left));
    const gone = memory.read("g", "text");
    gone.valueSession = gone.ttlSession = live();
    memory.settle(gone, "v", -2); // deleted between GET and PTTL
    assert.equal(memory.fresh("g", "text"), undefined);
  });

  it("forgets what a lost connection read, and counts one flush for it", () => {
    const memory = new NearMemory(SETTINGS);
    const a = live();
    const b = live();
    load(memory, "x", "1", a);
    load(memory, "y", "2", b);
    a.live = false;
    memory.lost(a);
    assert.equal(memory.fresh("x", "text"), undefined);
    assert.ok(memory.fresh("y", "text"));
    assert.equal(memory.stats().flushes, 1);
    memory.lost(live()); // a connection that read nothing
    assert.equal(memory.stats().flushes, 1);
  });

  it("keeps an expired copy for grace, and serves it as stale only within the window", () => {
    const memory = new NearMemory({ ...SETTINGS, grace: 10_000 });
    const session = live();
    load(memory, "k", "v", session);
    assert.equal(memory.stale("k", 10_000), undefined, "a fresh value is not stale");
    session.live = false;
    session.lostAt = Date.now() - 5_000;
    memory.lost(session);
    assert.equal(memory.fresh("k", "text"), undefined);
    assert.equal(memory.stale("k", 1_000), undefined);
    assert.ok(memory.stale("k", 10_000));
    assert.equal(memory.stats().staleServed, 1);
  });
});

describe("near memory: options and copies", () => {
  it("fills in defaults and names bad options", () => {
    assert.equal(resolveNearOptions(undefined, undefined, 3), undefined);
    assert.deepEqual(resolveNearOptions(true, "30s", 3), {
      maxEntries: 10_000,
      maxBytes: 32 * 1024 * 1024,
      ttl: 60_000,
      clone: true,
      grace: 30_000,
    });
    assert.throws(() => resolveNearOptions({ clone: "no" as never }, undefined, 3), /clone/);
    assert.throws(() => resolveNearOptions("yes" as never, undefined, 3), /nearCache/);
    assert.throws(() => resolveNearOptions(false, 10, 3), /grace/);
  });

  it("copies plain values deeply, keeps __proto__ keys as keys, and refuses what it cannot copy", () => {
    const value = JSON.parse('{"a":[1,{"b":2}],"n":null}');
    Object.defineProperty(value, "__proto__", { value: { x: 1 }, enumerable: true });
    const copied = copy(value) as Record<string, unknown>;
    assert.deepEqual(copied, value);
    assert.notEqual((copied.a as unknown[])[1], value.a[1]);
    assert.equal(Object.getPrototypeOf(copied), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(copied, "__proto__")!.value, { x: 1 });
    const rich = { m: new Map([[1, new Set(["s"])]]), d: new Date(5), b: new Uint8Array([1]) };
    assert.deepEqual(copy(rich), rich);
    class Point {
      x = 1;
    }
    assert.equal(copy({ p: new Point() }), UNCOPYABLE);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(copy(cyclic), UNCOPYABLE);
  });

  it("freezes plain values all the way down", () => {
    const value = freezeDeep({ a: [{ b: 1 }] });
    assert.ok(Object.isFrozen(value.a[0]));
  });
});
