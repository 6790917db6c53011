/**
 * What the JSON serializer refuses: anything `JSON.stringify` would silently
 * change, found in one walk of the value before anything is written.
 *
 * @module
 */

/** Nesting depth from which the walk also watches for cycles. */
const WATCH_CYCLES_FROM = 64;

const MSGPACK = 'use serializer "msgpack", which keeps Date, Map, Set, bigint and bytes';

/**
 * Why JSON cannot round-trip `value`, or `undefined` when it can.
 *
 * JSON keeps strings, finite numbers, booleans, `null`, arrays and plain
 * objects (an `undefined` property is left out, as if absent), and objects
 * with a `toJSON()` method (stored as what it returns: a `Date` becomes its
 * ISO string and reads back as that string). Everything else would come back
 * changed, so it is refused: `NaN` and `±Infinity` (JSON writes `null`),
 * `bigint`, functions and symbols (dropped), `undefined` in an array (`null`),
 * an invalid `Date` (`null`), `Map`, `Set`, typed arrays, `ArrayBuffer` and
 * other class instances without `toJSON()` (`{}` or their bare fields), and
 * circular structures.
 *
 * @param value The value to cache.
 * @returns The reason, e.g. `JSON cannot represent NaN: use serializer "msgpack"…`.
 * @throws What a `toJSON()` method throws.
 * @example
 * ```ts
 * import { jsonProblem } from "./json_check.ts";
 *
 * jsonProblem({ a: [1, "x"] }); // undefined
 * jsonProblem({ a: NaN }); // "JSON cannot represent NaN (written as null): …"
 * jsonProblem(new Map()); // "JSON cannot represent a Map: …"
 * ```
 */
export function jsonProblem(value: unknown): string | undefined {
  try {
    return check(value, 0, undefined, false);
  } catch (error) {
    if (error instanceof RangeError) return "JSON cannot represent a structure nested this deeply";
    throw error;
  }
}

function check(
  value: unknown,
  depth: number,
  ancestors: Set<object> | undefined,
  inArray: boolean,
): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value)
        ? undefined
        : `JSON cannot represent ${value} (written as null): ${MSGPACK}`;
    case "bigint":
      return `JSON cannot represent a bigint: ${MSGPACK}`;
    case "function":
      return "JSON cannot represent a function";
    case "symbol":
      return "JSON cannot represent a symbol";
    case "undefined":
      return inArray || depth === 0
        ? `JSON cannot represent undefined${inArray ? " in an array" : ""}`
        : undefined;
  }
  if (value === null) return undefined;
  const object = value as Record<string, unknown>;
  if (ancestors === undefined && depth >= WATCH_CYCLES_FROM) ancestors = new Set();
  if (ancestors !== undefined) {
    if (ancestors.has(object)) return "JSON cannot represent a circular structure";
    ancestors.add(object);
  }
  const problem = checkObject(object, depth, ancestors);
  ancestors?.delete(object);
  return problem;
}

function checkObject(
  object: Record<string, unknown>,
  depth: number,
  ancestors: Set<object> | undefined,
): string | undefined {
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) {
      const problem = check(object[i], depth + 1, ancestors, true);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(object);
  if (typeof object.toJSON === "function") {
    if (object instanceof Date) {
      return Number.isNaN(object.getTime())
        ? `JSON cannot represent an invalid Date (written as null)`
        : undefined;
    }
    return check(object.toJSON(""), depth + 1, ancestors, false);
  }
  if (proto !== Object.prototype && proto !== null) {
    const name = typeof proto?.constructor?.name === "string" && proto.constructor.name !== ""
      ? proto.constructor.name
      : "class instance";
    const kind = /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
    return /^(Map|Set|WeakMap|WeakSet|ArrayBuffer|SharedArrayBuffer|DataView|\w+Array)$/
        .test(name)
      ? `JSON cannot represent ${kind}: ${MSGPACK}`
      : `JSON cannot represent ${kind} (an object of a class without toJSON()): ` +
        `store plain data, or ${MSGPACK}`;
  }
  for (const key in object) {
    const problem = check(object[key], depth + 1, ancestors, false);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
