/**
 * Options of the bit commands (`BITCOUNT`/`BITPOS` ranges, `BITFIELD`
 * operations) and the argument builders that check them. Not part of the
 * command class chain: `bits.ts` imports it.
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";

/**
 * A `BITCOUNT` range: `start` and `end` inclusive, negative from the end, in
 * bytes unless `mode: "BIT"` (Redis 7.0).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.bitcount("seen", { start: 0, end: 15, mode: "BIT" });
 * ```
 */
export interface BitRange {
  /** First byte (or bit) of the range. */
  start: number;
  /** Last byte (or bit) of the range, inclusive; `-1` for the last. */
  end: number;
  /** Whether `start` and `end` count bytes or bits. @default {"BYTE"} */
  mode?: "BYTE" | "BIT";
}

/**
 * A `BITPOS` range: like {@linkcode BitRange}, with `end` optional (to the
 * end of the string); `mode` needs `end`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.bitpos("seen", 0, { start: 2 });
 * ```
 */
export interface BitPosRange {
  /** First byte (or bit) searched. */
  start: number;
  /** Last byte (or bit) searched, inclusive; to the end when omitted. */
  end?: number;
  /** Whether `start` and `end` count bytes or bits; needs `end`. @default {"BYTE"} */
  mode?: "BYTE" | "BIT";
}

/**
 * A `BITFIELD` integer type: `i` (signed, 1 to 64 bits) or `u` (unsigned,
 * 1 to 63 bits) and a width, such as `"u8"` or `"i16"`.
 *
 * @example
 * ```ts
 * import type { BitfieldType } from "@redcache/redcache";
 *
 * const counter: BitfieldType = "u16";
 * ```
 */
export type BitfieldType = `i${number}` | `u${number}`;

/**
 * A `BITFIELD` offset: in bits, or `"#n"` for the n-th field of the type's
 * width (`"#2"` of `u8` is bit 16).
 *
 * @example
 * ```ts
 * import type { BitfieldOffset } from "@redcache/redcache";
 *
 * const third: BitfieldOffset = "#2";
 * ```
 */
export type BitfieldOffset = number | `#${number}`;

/**
 * One field of a `BITFIELD` operation: its type and offset.
 *
 * @example
 * ```ts
 * import { type BitfieldField, connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const field: BitfieldField = { type: "u8", offset: "#1" };
 * await redis.bitfield("counters", [{ get: field }]);
 * ```
 */
export interface BitfieldField {
  /** The integer type, such as `"u8"`. */
  type: BitfieldType;
  /** The offset in bits, or `"#n"` in fields of the type's width. */
  offset: BitfieldOffset;
}

/**
 * One `BITFIELD` operation: `get`, `set` (replies with the old value),
 * `incrby` (replies with the new value), or `overflow`, which sets how the
 * `set` and `incrby` after it overflow (`WRAP` by default, `SAT` saturates,
 * `FAIL` skips them and replies `null`).
 *
 * @example
 * ```ts
 * import { type BitfieldOperation, connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const ops: BitfieldOperation[] = [
 *   { overflow: "SAT" },
 *   { incrby: { type: "u8", offset: 0, increment: 10 } },
 *   { get: { type: "u8", offset: 8 } },
 * ];
 * const [count, next] = await redis.bitfield("counters", ops);
 * ```
 */
export type BitfieldOperation =
  | { get: BitfieldField }
  | { set: BitfieldField & { value: number | bigint } }
  | { incrby: BitfieldField & { increment: number | bigint } }
  | { overflow: "WRAP" | "SAT" | "FAIL" };

/** `start end [BYTE|BIT]` of `BITCOUNT`, `start [end [BYTE|BIT]]` of `BITPOS`, checked. */
export function rangeArgs(
  range: BitRange | BitPosRange | undefined,
  method: "bitcount" | "bitpos",
): RedisArg[] {
  if (range === undefined) return [];
  checkOptionKeys(range, ["start", "end", "mode"], `${method}()`);
  const args: RedisArg[] = [range.start];
  if (range.end === undefined) {
    if (method === "bitcount") throw new TypeError("bitcount() needs both start and end");
    if (range.mode !== undefined) throw new TypeError("Cannot use mode in bitpos() without end");
    return args;
  }
  args.push(range.end);
  if (range.mode !== undefined) args.push(range.mode);
  return args;
}

const OPERATIONS = ["get", "set", "incrby", "overflow"];

/** The arguments of `BITFIELD` (or `BITFIELD_RO`: `get` only), checked. */
export function bitfieldArgs(
  operations: readonly BitfieldOperation[],
  method: "bitfield" | "bitfield_ro",
): RedisArg[] {
  const args: RedisArg[] = [];
  for (const operation of operations) {
    const names = Object.keys(operation);
    checkOptionKeys(operation, method === "bitfield" ? OPERATIONS : ["get"], `${method}()`);
    if (names.length !== 1) {
      throw new TypeError(
        `Each ${method}() operation needs exactly one of ${OPERATIONS.join(", ")}`,
      );
    }
    if ("overflow" in operation) {
      args.push("OVERFLOW", operation.overflow);
    } else if ("get" in operation) {
      checkOptionKeys(operation.get, ["type", "offset"], `${method}() get`);
      args.push("GET", operation.get.type, operation.get.offset);
    } else if ("set" in operation) {
      const { type, offset, value } = operation.set;
      checkOptionKeys(operation.set, ["type", "offset", "value"], `${method}() set`);
      args.push("SET", type, offset, value);
    } else {
      const { type, offset, increment } = operation.incrby;
      checkOptionKeys(operation.incrby, ["type", "offset", "increment"], `${method}() incrby`);
      args.push("INCRBY", type, offset, increment);
    }
  }
  return args;
}
