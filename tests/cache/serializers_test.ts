import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { SerializationError } from "../../src/errors.ts";
import { jsonSerializer } from "../../src/cache/serializers/json.ts";
import { msgpackSerializer } from "../../src/cache/serializers/msgpack.ts";
import { rawSerializer } from "../../src/cache/serializers/raw.ts";
import { resolveSerializer } from "../../src/cache/serializers/resolve.ts";
import type { Serializer } from "../../src/cache/serializers/serializer.ts";

/** Asserts that `fn` throws a SerializationError whose message matches `pattern`. */
function throwsSerialization(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SerializationError, `got ${error}`);
    assert.match(error.message, pattern);
    return true;
  });
}

const roundTrip = (serializer: Serializer, value: unknown): unknown =>
  serializer.deserialize(serializer.serialize(value));

describe("resolveSerializer", () => {
  it("returns the built-ins by name", () => {
    assert.equal(resolveSerializer("json"), jsonSerializer);
    assert.equal(resolveSerializer("msgpack"), msgpackSerializer);
    assert.equal(resolveSerializer("raw"), rawSerializer);
  });

  it("accepts a custom serializer", () => {
    const custom: Serializer = {
      name: "upper",
      text: true,
      serialize: (value) => String(value).toUpperCase(),
      deserialize: (data) => data,
    };
    assert.equal(resolveSerializer(custom), custom);
  });

  it("rejects an unknown name, naming it", () => {
    assert.throws(() => resolveSerializer("yaml" as "json"), {
      name: "TypeError",
      message: /^Invalid serializer "yaml": expected "json", "msgpack", "raw"/,
    });
    assert.throws(() => resolveSerializer("toString" as "json"), TypeError);
  });

  it("rejects custom serializers without both functions, or with a bad name or text", () => {
    const base = { name: "x", text: true, serialize: () => "", deserialize: () => 1 };
    for (
      const [patch, pattern] of [
        [{ serialize: undefined }, /serialize must be a function/],
        [{ deserialize: "no" }, /deserialize must be a function/],
        [{ name: "" }, /name must be a non-empty string/],
        [{ text: "yes" }, /text must be true or false/],
        [{ name: 1 }, /name must be a non-empty string/],
      ] as const
    ) {
      const custom = { ...base, ...patch } as unknown as Serializer;
      assert.throws(() => resolveSerializer(custom), { name: "TypeError", message: pattern });
    }
    assert.throws(() => resolveSerializer(null as unknown as Serializer), TypeError);
    assert.throws(() => resolveSerializer(42 as unknown as Serializer), /of type number/);
  });
});

describe("jsonSerializer", () => {
  it("is a text serializer that round-trips JSON values", () => {
    assert.equal(jsonSerializer.text, true);
    const value = { a: [1, 2.5, "x", null, true], b: { c: "é 😀" }, d: "" };
    assert.equal(typeof jsonSerializer.serialize(value), "string");
    assert.deepEqual(roundTrip(jsonSerializer, value), value);
    for (const scalar of ["text", 1.5, -3, 0, null, false, [], {}]) {
      assert.deepEqual(roundTrip(jsonSerializer, scalar), scalar);
    }
  });

  it("reads UTF-8 bytes too", () => {
    assert.deepEqual(jsonSerializer.deserialize(new TextEncoder().encode('{"é":[1]}')), { é: [1] });
  });

  it("rejects what JSON cannot represent, without the value in the message", () => {
    const cycle: Record<string, unknown> = { secret: "hunter2" };
    cycle.self = cycle;
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /^JSON cannot represent undefined$/],
      [() => "hunter2", /^JSON cannot represent a function$/],
      [Symbol("hunter2"), /^JSON cannot represent a symbol$/],
      [cycle, /^JSON cannot represent a circular structure$/],
      [{ n: 123456789n }, /^JSON cannot represent a bigint: use serializer "msgpack"/],
      [{ n: NaN }, /^JSON cannot represent NaN \(written as null\): use serializer "msgpack"/],
      [new Map([["hunter2", 1]]), /^JSON cannot represent a Map: use serializer "msgpack"/],
      [{ toJSON: () => undefined }, /toJSON\(\) returned undefined/],
    ];
    for (const [value, pattern] of cases) {
      throwsSerialization(() => jsonSerializer.serialize(value), pattern);
    }
    for (const [value] of cases) {
      assert.throws(() => jsonSerializer.serialize(value), (error: Error) => {
        assert.ok(!error.message.includes("hunter2") && !error.message.includes("123456789"));
        return true;
      });
    }
    const broken = {
      toJSON() {
        throw new TypeError("hunter2");
      },
    };
    assert.throws(() => jsonSerializer.serialize({ broken }), (error: Error) => {
      assert.ok(error instanceof SerializationError);
      assert.ok(error.cause instanceof TypeError, "the cause is kept");
      assert.ok(!error.message.includes("hunter2"));
      return true;
    });
  });

  it("rejects invalid JSON without quoting it", () => {
    assert.throws(() => jsonSerializer.deserialize("{hunter2"), (error: Error) => {
      assert.ok(error instanceof SerializationError);
      assert.equal(error.message, "Invalid JSON");
      assert.ok(error.cause instanceof SyntaxError);
      return true;
    });
    throwsSerialization(
      () => jsonSerializer.deserialize(new Uint8Array([0x22, 0xff, 0x22])),
      /JSON/,
    );
  });

  it("drops __proto__ keys, so nothing can change a prototype", () => {
    const texts = [
      '{"__proto__":{"polluted":1}}',
      '{"a":{"__proto__":{"polluted":1}},"b":[{"__proto__":{"polluted":1}}]}',
      '{"\\u005f_proto__":{"polluted":1}}',
      '{"__\\u0070roto__":{"polluted":1}}',
    ];
    for (const text of texts) {
      const result = jsonSerializer.deserialize(text) as Record<string, unknown>;
      const objects = [result, result.a, (result.b as unknown[] | undefined)?.[0]];
      for (const object of objects.filter((o) => o !== undefined)) {
        assert.equal(Object.getPrototypeOf(object), Object.prototype);
        assert.ok(!Object.hasOwn(object as object, "__proto__"), text);
        assert.equal((object as { polluted?: number }).polluted, undefined);
        // A later merge of the result must not set a prototype either.
        const merged = Object.assign({}, object) as { polluted?: number };
        assert.equal(merged.polluted, undefined);
      }
      assert.equal(({} as { polluted?: number }).polluted, undefined);
      assert.ok(!Object.hasOwn(Object.prototype, "polluted"));
    }
  });

  it("keeps keys that only look like __proto__", () => {
    assert.deepEqual(jsonSerializer.deserialize('{"__proto":1,"proto__":2,"x":"__proto__"}'), {
      __proto: 1,
      proto__: 2,
      x: "__proto__",
    });
  });
});

describe("msgpackSerializer", () => {
  it("is a bytes serializer", () => {
    assert.equal(msgpackSerializer.text, false);
    assert.ok(msgpackSerializer.serialize({ a: 1 }) instanceof Uint8Array);
  });

  it("round-trips plain values", () => {
    for (
      const value of [0, -1, 2 ** 40, 1.5, "text 😀", "", null, true, [1, [2]], { a: { b: [] } }]
    ) {
      assert.deepEqual(roundTrip(msgpackSerializer, value), value);
    }
  });

  it("round-trips Date, Map, Set, bigint and Uint8Array, nested in objects and arrays", () => {
    const value = {
      when: new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123)),
      before1970: new Date(-86_400_001),
      big: 2n ** 100n,
      negative: -(2n ** 70n) - 1n,
      small: 0n,
      bytes: new Uint8Array([0, 1, 2, 255]),
      map: new Map<unknown, unknown>([
        ["a", 1],
        [2, new Set([new Date(0), 3n])],
        [{ object: "key" }, [new Uint8Array([9])]],
      ]),
      list: [new Set(["x", new Map([["deep", new Map([["deeper", 7n]])]])]), new Date(1)],
      empty: { map: new Map(), set: new Set() },
    };
    const back = roundTrip(msgpackSerializer, value) as typeof value;
    assert.deepStrictEqual(back, value);
    assert.ok(back.when instanceof Date && back.when.getTime() === value.when.getTime());
    assert.equal(typeof back.big, "bigint");
    assert.ok(back.bytes instanceof Uint8Array);
    assert.ok(back.map instanceof Map && back.list[0] instanceof Set);
  });

  it("round-trips top-level Map, Set, bigint, Date and bytes", () => {
    for (const value of [new Map([[1, 2]]), new Set([1]), 5n, new Date(42), new Uint8Array(300)]) {
      assert.deepStrictEqual(roundTrip(msgpackSerializer, value), value);
    }
  });

  it("rejects functions and symbols anywhere, and top-level undefined", () => {
    const cases: Array<[unknown, RegExp]> = [
      [() => 1, /^MessagePack cannot represent a function$/],
      [{ a: [() => 1] }, /^MessagePack cannot represent a function$/],
      [Symbol("s"), /^MessagePack cannot represent a symbol$/],
      [new Map([["k", Symbol("s")]]), /^MessagePack cannot represent a symbol$/],
      [undefined, /^MessagePack cannot represent undefined/],
    ];
    for (const [value, pattern] of cases) {
      throwsSerialization(() => msgpackSerializer.serialize(value), pattern);
    }
  });

  it("rejects cycles through objects and through maps and sets", () => {
    const object: Record<string, unknown> = {};
    object.self = object;
    throwsSerialization(() => msgpackSerializer.serialize(object), /circular/);
    const map = new Map<string, unknown>();
    map.set("self", { inner: map });
    throwsSerialization(() => msgpackSerializer.serialize(map), /circular/);
    const set = new Set<unknown>();
    set.add([set]);
    throwsSerialization(() => msgpackSerializer.serialize(set), /circular/);
    // The cycle bookkeeping is reset: the serializer still works afterwards.
    assert.deepEqual(roundTrip(msgpackSerializer, new Map([["ok", 1]])), new Map([["ok", 1]]));
  });

  it("rejects invalid bytes and __proto__ keys", () => {
    throwsSerialization(
      () => msgpackSerializer.deserialize(new Uint8Array([0xc1])),
      /Invalid MessagePack/,
    );
    // fixmap of 1: "__proto__" -> {}
    const proto = [0x81, 0xa9, ...new TextEncoder().encode("__proto__"), 0x80];
    throwsSerialization(() => msgpackSerializer.deserialize(new Uint8Array(proto)), /MessagePack/);
    assert.equal(({} as { polluted?: number }).polluted, undefined);
  });

  it("still encodes after a large value", () => {
    const big = new Uint8Array(3 << 20).fill(7);
    assert.deepEqual(roundTrip(msgpackSerializer, big), big);
    assert.deepEqual(roundTrip(msgpackSerializer, { a: 1 }), { a: 1 });
  });
});

describe("rawSerializer", () => {
  it("passes strings and bytes through", () => {
    assert.equal(rawSerializer.text, false);
    assert.equal(rawSerializer.serialize("hello"), "hello");
    const bytes = new Uint8Array([1, 2, 3]);
    assert.equal(rawSerializer.serialize(bytes), bytes);
  });

  it("reads strings as they are and bytes as UTF-8 text when they are valid", () => {
    assert.equal(rawSerializer.deserialize("42"), "42");
    assert.equal(rawSerializer.deserialize(new TextEncoder().encode("héllo 😀")), "héllo 😀");
    const binary = new Uint8Array([0xff, 0xfe, 0x00]);
    assert.deepEqual(rawSerializer.deserialize(binary), binary);
  });

  it("rejects other types, naming the type only", () => {
    for (const value of [42, { a: "hunter2" }, null, undefined, [1], new Date(0)]) {
      assert.throws(() => rawSerializer.serialize(value), (error: Error) => {
        assert.ok(error instanceof SerializationError);
        assert.match(error.message, /^raw stores only strings and Uint8Array, not /);
        assert.ok(!error.message.includes("hunter2") && !error.message.includes("42"));
        return true;
      });
    }
  });
});
