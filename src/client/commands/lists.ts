/**
 * Typed list commands: `LPUSH`, `RPUSH`, `LPOP`, `RPOP`, `LRANGE`, `LLEN`, `LPOS`, `LMOVE`, ….
 *
 * @module
 */

import type { RedisArg } from "../../resp/types.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { HashCommands } from "./hashes.ts";
import {
  type ListInsertPosition,
  type ListSide,
  lmpopArgs,
  type LmpopOptions,
  lposArgs,
  type LposOptions,
  type PoppedElements,
  toPoppedElements,
} from "./list_args.ts";

/**
 * Typed list commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.rpush("jobs", "a", "b");
 * console.log(await redis.lrange("jobs", 0, -1));
 * ```
 */
export abstract class ListCommands<M extends CommandMode> extends HashCommands<M> {
  /**
   * `LPUSH`: adds the elements at the head, one after the other (so the last
   * one ends up first); the list's new length.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.lpush("recent", "page:1", "page:2"); // list: page:2, page:1
   * ```
   */
  lpush(key: string, ...elements: RedisArg[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["LPUSH", key, ...elements]);
  }

  /**
   * `RPUSH`: appends the elements at the tail; the list's new length.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.rpush("jobs", "a", "b"); // 2 on an empty list
   * ```
   */
  rpush(key: string, ...elements: RedisArg[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["RPUSH", key, ...elements]);
  }

  /**
   * `LPUSHX`: `lpush` only when the list exists; its new length, `0` when it does not.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.lpushx("recent", "page:3");
   * ```
   */
  lpushx(key: string, ...elements: RedisArg[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["LPUSHX", key, ...elements]);
  }

  /**
   * `RPUSHX`: `rpush` only when the list exists; its new length, `0` when it does not.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.rpushx("jobs", "c");
   * ```
   */
  rpushx(key: string, ...elements: RedisArg[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["RPUSHX", key, ...elements]);
  }

  /**
   * `LPOP`: removes and returns the first element, `null` when the list is
   * missing. With `count`: up to `count` elements as an array (`[]` for `0`),
   * `null` when the list is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const next = await redis.lpop("jobs"); // string | null
   * const batch = await redis.lpop("jobs", 10); // string[] | null
   * ```
   */
  lpop(key: string): CommandResult<M, string | null, this>;
  /** `LPOP key count`: up to `count` elements, `null` when the list is missing. */
  lpop(key: string, count: number): CommandResult<M, string[] | null, this>;
  lpop(key: string, count?: number): CommandResult<M, string | string[] | null, this> {
    return this.sendMapped(count === undefined ? ["LPOP", key] : ["LPOP", key, count]);
  }

  /**
   * `RPOP`: removes and returns the last element, `null` when the list is
   * missing. With `count`: up to `count` elements from the tail as an array
   * (`[]` for `0`), `null` when the list is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const last = await redis.rpop("jobs"); // string | null
   * const lastTwo = await redis.rpop("jobs", 2); // string[] | null
   * ```
   */
  rpop(key: string): CommandResult<M, string | null, this>;
  /** `RPOP key count`: up to `count` elements, `null` when the list is missing. */
  rpop(key: string, count: number): CommandResult<M, string[] | null, this>;
  rpop(key: string, count?: number): CommandResult<M, string | string[] | null, this> {
    return this.sendMapped(count === undefined ? ["RPOP", key] : ["RPOP", key, count]);
  }

  /**
   * `LLEN`: the length of the list, `0` when it is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const backlog = await redis.llen("jobs");
   * ```
   */
  llen(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["LLEN", key]);
  }

  /**
   * `LRANGE`: the elements from `start` to `stop`, both included; negative
   * indexes count from the end (`0, -1` is the whole list). `[]` when missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const firstTen = await redis.lrange("jobs", 0, 9);
   * ```
   */
  lrange(key: string, start: number, stop: number): CommandResult<M, string[], this> {
    return this.sendMapped<string[]>(["LRANGE", key, start, stop]);
  }

  /**
   * `LINDEX`: the element at `index` (negative counts from the end), or `null`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const last = await redis.lindex("jobs", -1);
   * ```
   */
  lindex(key: string, index: number): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["LINDEX", key, index]);
  }

  /**
   * `LSET`: replaces the element at `index`; `"OK"`. A missing list or an
   * index out of range is a `ReplyError`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.lset("jobs", 0, "urgent");
   * ```
   */
  lset(key: string, index: number, element: RedisArg): CommandResult<M, string, this> {
    return this.sendMapped<string>(["LSET", key, index, element]);
  }

  /**
   * `LINSERT`: inserts `element` before or after the first `pivot`; the new
   * length, `-1` when the pivot is not in the list, `0` when the list is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.linsert("letters", "BEFORE", "c", "b");
   * ```
   */
  linsert(
    key: string,
    position: ListInsertPosition,
    pivot: RedisArg,
    element: RedisArg,
  ): CommandResult<M, number, this> {
    return this.sendMapped<number>(["LINSERT", key, position, pivot, element]);
  }

  /**
   * `LREM`: removes elements equal to `element`: the first `count` from the
   * head (`count` > 0), the last `-count` from the tail (< 0), or all (`0`);
   * how many were removed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.lrem("jobs", 0, "cancelled");
   * ```
   */
  lrem(key: string, count: number, element: RedisArg): CommandResult<M, number, this> {
    return this.sendMapped<number>(["LREM", key, count, element]);
  }

  /**
   * `LTRIM`: keeps only the elements from `start` to `stop` (both included,
   * negative from the end); `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.lpush("recent", "page:9");
   * await redis.ltrim("recent", 0, 99); // keep the newest 100
   * ```
   */
  ltrim(key: string, start: number, stop: number): CommandResult<M, string, this> {
    return this.sendMapped<string>(["LTRIM", key, start, stop]);
  }

  /**
   * `LPOS`: the index of the first match (or the `rank`-th; negative ranks
   * search from the tail), `null` when there is none. With `count`: up to
   * `count` indexes (`0`: all) as an array, `[]` when there is none.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const first = await redis.lpos("letters", "a"); // number | null
   * const all = await redis.lpos("letters", "a", { count: 0 }); // number[]
   * ```
   */
  lpos(
    key: string,
    element: RedisArg,
    options?: LposOptions & { count?: undefined },
  ): CommandResult<M, number | null, this>;
  /** `LPOS … COUNT n`: up to `count` indexes (`0`: all), `[]` when there is none. */
  lpos(
    key: string,
    element: RedisArg,
    options: LposOptions & { count: number },
  ): CommandResult<M, number[], this>;
  /** `LPOS` with options known only at run time: an index or `null`, or indexes with `count`. */
  lpos(
    key: string,
    element: RedisArg,
    options?: LposOptions,
  ): CommandResult<M, number | number[] | null, this>;
  lpos(
    key: string,
    element: RedisArg,
    options?: LposOptions,
  ): CommandResult<M, number | number[] | null, this> {
    return this.sendMapped(["LPOS", key, element, ...lposArgs(options)]);
  }

  /**
   * `LMOVE`: pops an element from one end of `source` and pushes it at one
   * end of `destination` (which may be the same list); the element, or `null`
   * when `source` is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const job = await redis.lmove("jobs", "working", "LEFT", "RIGHT");
   * ```
   */
  lmove(
    source: string,
    destination: string,
    from: ListSide,
    to: ListSide,
  ): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["LMOVE", source, destination, from, to]);
  }

  /**
   * `LMPOP`: pops up to `count` (default 1) elements from the first
   * non-empty list of `keys`; `{ key, elements }`, or `null` when all are empty.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const popped = await redis.lmpop(["urgent", "normal"], "LEFT", { count: 10 });
   * if (popped) console.log(popped.key, popped.elements);
   * ```
   */
  lmpop(
    keys: readonly string[],
    from: ListSide,
    options?: LmpopOptions,
  ): CommandResult<M, PoppedElements | null, this> {
    return this.sendMapped(["LMPOP", ...lmpopArgs(keys, from, options, "lmpop")], toPoppedElements);
  }

  /**
   * `RPOPLPUSH`: pops the last element of `source` and pushes it at the head
   * of `destination`; the element, or `null` when `source` is missing.
   *
   * @deprecated Redis 6.2 deprecates `RPOPLPUSH`: use
   * `lmove(source, destination, "RIGHT", "LEFT")`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const job = await redis.rpoplpush("jobs", "working");
   * ```
   */
  rpoplpush(source: string, destination: string): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["RPOPLPUSH", source, destination]);
  }
}
