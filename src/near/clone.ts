/**
 * Copies and freezes for the values a near cache hands out. A hit must not
 * let one caller change what the next caller gets: by default each hit gets
 * a fresh copy (much cheaper than decoding again); with `clone: false` all
 * hits share one deep-frozen value.
 *
 * @module
 */

/** What `copy` returns for a value it cannot copy faithfully (decode again instead). */
export const UNCOPYABLE: unique symbol = Symbol("uncopyable");

const OBJECT_PROTO: object = /* @__PURE__ */ Object.getPrototypeOf({});

/**
 * A deep copy of a decoded value: plain objects (also without a prototype),
 * arrays, byte arrays, `Date`, `Map` and `Set`, and primitives. Anything
 * else (a class instance from a custom serializer, a cycle) is
 * `UNCOPYABLE`: the caller decodes the stored bytes again, which is always
 * faithful.
 */
export function copy(value: unknown): unknown {
  try {
    return copyIn(value, 0);
  } catch (error) {
    if (error === UNCOPYABLE) return UNCOPYABLE;
    throw error;
  }
}

/** Deeper than any decoded value is in practice: a cycle, which no decoder makes. */
const MAX_DEPTH = 1_000;

function copyIn(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_DEPTH) throw UNCOPYABLE;
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = copyIn(value[i], depth + 1);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === OBJECT_PROTO || proto === null) {
    const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
    for (const key of Object.keys(value)) {
      const item = copyIn((value as Record<string, unknown>)[key], depth + 1);
      // An own "__proto__" key must stay a key, not become the copy's prototype.
      if (key === "__proto__") {
        Object.defineProperty(out, key, {
          value: item,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else out[key] = item;
    }
    return out;
  }
  if (value instanceof Uint8Array && proto === Uint8Array.prototype) return value.slice();
  if (value instanceof Date && proto === Date.prototype) return new Date(value.getTime());
  if (value instanceof Map && proto === Map.prototype) {
    const out = new Map();
    for (const [k, v] of value) out.set(copyIn(k, depth + 1), copyIn(v, depth + 1));
    return out;
  }
  if (value instanceof Set && proto === Set.prototype) {
    const out = new Set();
    for (const v of value) out.add(copyIn(v, depth + 1));
    return out;
  }
  throw UNCOPYABLE;
}

/**
 * Freezes plain objects and arrays all the way down, so that a shared value
 * cannot be changed by one of its readers. Byte arrays cannot be frozen (the
 * caller copies them per hit); `Map`, `Set` and `Date` stay as they are.
 * Returns `value`.
 */
export function freezeDeep<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  if (ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) freezeDeep((value as Record<string, unknown>)[key]);
  return value;
}
