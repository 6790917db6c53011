/**
 * Typed bit and HyperLogLog commands: `SETBIT`, `GETBIT`, `BITCOUNT`, `BITPOS`, `BITOP`,
 * `BITFIELD`, `BITFIELD_RO`, `PFADD`, `PFCOUNT`, `PFMERGE`.
 *
 * @module
 */

import type { CommandMode, CommandResult } from "./base.ts";
import {
  bitfieldArgs,
  type BitfieldField,
  type BitfieldOperation,
  type BitPosRange,
  type BitRange,
  rangeArgs,
} from "./bit_args.ts";
import { toBoolean } from "./replies.ts";
import { StreamGroupCommands } from "./stream_groups.ts";

/**
 * Typed bit and HyperLogLog commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.pfadd("visitors", "ada", "alan");
 * console.log(await redis.pfcount("visitors"));
 * ```
 */
export abstract class BitCommands<M extends CommandMode> extends StreamGroupCommands<M> {
  /**
   * `SETBIT`: sets the bit at `offset` to `value`; the bit's old value (`0`
   * or `1`). The string grows, zero-filled, as needed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const userId = 1234;
   * await redis.setbit("active:2024-06-01", userId, 1);
   * ```
   */
  setbit(key: string, offset: number, value: 0 | 1): CommandResult<M, number, this> {
    return this.sendMapped<number>(["SETBIT", key, offset, value]);
  }

  /**
   * `GETBIT`: the bit at `offset` (`0` past the end or when the key is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const wasActive = (await redis.getbit("active:2024-06-01", 1234)) === 1;
   * ```
   */
  getbit(key: string, offset: number): CommandResult<M, number, this> {
    return this.sendMapped<number>(["GETBIT", key, offset]);
  }

  /**
   * `BITCOUNT`: the number of bits set, in the whole string or in `range`
   * (bytes, or bits with `mode: "BIT"`); `0` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const dailyActive = await redis.bitcount("active:2024-06-01");
   * const firstKilo = await redis.bitcount("active:2024-06-01", { start: 0, end: 127 });
   * ```
   */
  bitcount(key: string, range?: BitRange): CommandResult<M, number, this> {
    return this.sendMapped<number>(["BITCOUNT", key, ...rangeArgs(range, "bitcount")]);
  }

  /**
   * `BITPOS`: the position of the first bit equal to `bit`, in the string or
   * `range`; `-1` when there is none (and, looking for a `0` with no `end`,
   * the bit just past the string when it is all ones).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const firstFreeSlot = await redis.bitpos("slots", 0);
   * ```
   */
  bitpos(key: string, bit: 0 | 1, range?: BitPosRange): CommandResult<M, number, this> {
    return this.sendMapped<number>(["BITPOS", key, bit, ...rangeArgs(range, "bitpos")]);
  }

  /**
   * `BITOP`: stores in `destination` the bitwise `AND`, `OR` or `XOR` of the
   * keys, or the `NOT` of one key; the length of the result in bytes.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.bitop("AND", "active:both", "active:2024-06-01", "active:2024-06-02");
   * ```
   */
  bitop(
    operation: "AND" | "OR" | "XOR" | "NOT",
    destination: string,
    ...keys: string[]
  ): CommandResult<M, number, this> {
    return this.sendMapped<number>(["BITOP", operation, destination, ...keys]);
  }

  /**
   * `BITFIELD`: runs the operations in order on integer fields of the
   * string; one reply per `get`, `set` (the old value) and `incrby` (the new
   * value), `null` for one skipped by `overflow: "FAIL"`. A value of a
   * field wider than 53 bits past `Number.MAX_SAFE_INTEGER` comes as a
   * `bigint`, as integer replies do.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [old, views] = await redis.bitfield("stats", [
   *   { set: { type: "u8", offset: "#0", value: 1 } },
   *   { incrby: { type: "u32", offset: 8, increment: 1 } },
   * ]);
   * ```
   */
  bitfield(
    key: string,
    operations: readonly BitfieldOperation[],
  ): CommandResult<M, (number | null)[], this> {
    return this.sendMapped<(number | null)[]>([
      "BITFIELD",
      key,
      ...bitfieldArgs(operations, "bitfield"),
    ]);
  }

  /**
   * `BITFIELD_RO`: the read-only `BITFIELD`, `get` operations only (it may
   * run on replicas); one number per `get`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [views] = await redis.bitfield_ro("stats", [{ get: { type: "u32", offset: 8 } }]);
   * ```
   */
  bitfield_ro(
    key: string,
    operations: readonly { get: BitfieldField }[],
  ): CommandResult<M, number[], this> {
    return this.sendMapped<number[]>([
      "BITFIELD_RO",
      key,
      ...bitfieldArgs(operations, "bitfield_ro"),
    ]);
  }

  /**
   * `PFADD`: adds elements to a HyperLogLog; `true` when its cardinality
   * estimate changed (or the key was created), `false` otherwise.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.pfadd("visitors:today", "ada", "alan");
   * ```
   */
  pfadd(key: string, ...elements: string[]): CommandResult<M, boolean, this> {
    return this.sendMapped(["PFADD", key, ...elements], toBoolean);
  }

  /**
   * `PFCOUNT`: the estimated number of distinct elements of one HyperLogLog,
   * or of the union of several (`0` for missing keys).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const weekly = await redis.pfcount("visitors:mon", "visitors:tue", "visitors:wed");
   * ```
   */
  pfcount(...keys: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["PFCOUNT", ...keys]);
  }

  /**
   * `PFMERGE`: stores in `destination` the union of the HyperLogLogs (and
   * of `destination` itself when it exists); `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.pfmerge("visitors:week", "visitors:mon", "visitors:tue");
   * ```
   */
  pfmerge(destination: string, ...sources: string[]): CommandResult<M, "OK", this> {
    return this.sendMapped<"OK">(["PFMERGE", destination, ...sources]);
  }
}
