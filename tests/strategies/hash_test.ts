import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { hash32, HashRing } from "../../src/strategies/hash.ts";

const utf8 = new TextEncoder();

/** MurmurHash3 x86_32 with seed 0, byte by byte and straight from the reference algorithm. */
function referenceMurmur3(bytes: Uint8Array): number {
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  const mul = (a: number, b: number) => Math.imul(a, b) >>> 0;
  let h = 0;
  const tail = bytes.length - (bytes.length % 4);
  for (let i = 0; i < tail; i += 4) {
    let k = new DataView(bytes.buffer, bytes.byteOffset + i, 4).getUint32(0, true);
    k = mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593);
    h = (mul(rotl((h ^ k) >>> 0, 13), 5) + 0xe6546b64) >>> 0;
  }
  let k = 0;
  for (let i = bytes.length - 1; i >= tail; i--) k = (k * 256 + bytes[i]) >>> 0;
  if (bytes.length > tail) h = (h ^ mul(rotl(mul(k, 0xcc9e2d51), 15), 0x1b873593)) >>> 0;
  h = (h ^ bytes.length) >>> 0;
  h = mul((h ^ (h >>> 16)) >>> 0, 0x85ebca6b);
  h = mul((h ^ (h >>> 13)) >>> 0, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const NAMES = [6379, 6380, 6381, 6382, 6383].map((port) => `127.0.0.1:${port}/0`);
const KEYS = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
const ring = (names: string[], options?: { vnodes?: number }) =>
  new HashRing(names.map((name) => [name, name] as const), options);

describe("hash32", () => {
  it("matches MurmurHash3 x86_32 (seed 0) test vectors", () => {
    assert.equal(hash32(""), 0);
    assert.equal(hash32("hello"), 0x248bfa47);
    assert.equal(hash32("The quick brown fox jumps over the lazy dog"), 0x2e4ff723);
  });

  it("hashes the UTF-8 bytes of non-ASCII strings", () => {
    for (const text of ["ключ", "café", "😀 emoji", "中文键", "a\ud800b", "ключ".repeat(20_000)]) {
      assert.equal(hash32(text), referenceMurmur3(utf8.encode(text)), text.slice(0, 20));
    }
  });

  it("agrees with the reference for every tail length, ASCII or not", () => {
    for (let length = 0; length < 12; length++) {
      const ascii = "abcdefghijklmnop".slice(0, length);
      assert.equal(hash32(ascii), referenceMurmur3(utf8.encode(ascii)));
      const mixed = `${ascii}é`;
      assert.equal(hash32(mixed), referenceMurmur3(utf8.encode(mixed)));
    }
  });

  it("returns unsigned 32-bit integers", () => {
    for (const key of KEYS.slice(0, 1000)) {
      const hash = hash32(key);
      assert.ok(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32);
    }
  });
});

describe("HashRing", () => {
  it("spreads keys evenly over four nodes", () => {
    const counts = new Map<string, number>();
    const four = ring(NAMES.slice(0, 4));
    for (const node of KEYS.map((key) => four.get(key))) {
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    assert.equal(counts.size, 4);
    // At 160 points per node: 22.1%, 28.4%, 24.1%, 25.3%.
    for (const count of counts.values()) assert.ok(count / KEYS.length <= 0.3, `${count}`);
  });

  it("moves keys only to a node that is added", () => {
    const four = ring(NAMES.slice(0, 4));
    const five = ring(NAMES);
    let kept = 0;
    for (const key of KEYS) {
      const before = four.get(key);
      const after = five.get(key);
      if (after === before) kept++;
      else assert.equal(after, NAMES[4], key);
    }
    assert.ok(kept / KEYS.length >= 0.7, `${kept}`); // 78.8%; 80% would be ideal
  });

  it("moves only the keys of a node that is removed", () => {
    const five = ring(NAMES);
    const four = ring(NAMES.filter((name) => name !== NAMES[2]));
    for (const key of KEYS) {
      const before = five.get(key);
      if (before !== NAMES[2]) assert.equal(four.get(key), before, key);
    }
  });

  it("maps keys with the same hash tag to the same node", () => {
    const five = ring(NAMES);
    assert.equal(five.get("{user1}:a"), five.get("{user1}:b"));
    for (let i = 0; i < 100; i++) assert.equal(five.get(`{user${i}}:a`), five.get(`user${i}`));
  });

  it("does not depend on the order nodes are given in", () => {
    const forward = ring(NAMES);
    const backward = ring(NAMES.toReversed());
    for (const key of KEYS) assert.equal(forward.get(key), backward.get(key));
  });

  it("gives coinciding points to the name that sorts first", () => {
    // hash32("node-11764#0") === hash32("node-319880#0") === 653797104: one point, two owners.
    assert.equal(hash32("node-11764#0"), hash32("node-319880#0"));
    const pairs = [["node-319880", "B"], ["node-11764", "A"]] as const;
    for (const nodes of [pairs, pairs.toReversed()]) {
      const tied = new HashRing(nodes, { vnodes: 1 });
      for (const key of KEYS.slice(0, 100)) assert.equal(tied.get(key), "A");
    }
  });

  it("exposes its size and nodes", () => {
    const nodes = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const three = new HashRing(nodes.map((node) => [`n${node.id}`, node] as const), { vnodes: 8 });
    assert.equal(three.size, 3);
    assert.deepEqual(three.nodes(), nodes);
    three.nodes().pop(); // a copy
    assert.equal(three.nodes().length, 3);
    assert.ok(nodes.includes(three.get("anything")));
    const one = new HashRing([["only", 42]]);
    assert.equal(one.size, 1);
    for (const key of KEYS.slice(0, 100)) assert.equal(one.get(key), 42);
  });

  it("rejects no nodes, duplicate names, and bad vnodes", () => {
    assert.throws(() => new HashRing([]), TypeError);
    assert.throws(() => new HashRing([["a", 1], ["b", 2], ["a", 3]]), TypeError);
    for (const vnodes of [0, -1, 1.5, NaN]) {
      assert.throws(() => new HashRing([["a", 1]], { vnodes }), RangeError);
    }
  });
});
