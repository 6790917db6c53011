/**
 * Typed hash commands: `HGET`, `HSET`, `HSETNX`, `HGETALL`, `HMGET`, `HDEL`,
 * `HINCRBY`, `HINCRBYFLOAT`, `HEXISTS`, `HKEYS`, `HVALS`, `HLEN`, `HSTRLEN`,
 * `HSCAN`, `HRANDFIELD`.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { CounterCommands } from "./counters.ts";
import { scanArgs, type ScanOptions, toScanPage } from "./keys.ts";
import { toBoolean, toNumber, toPairs, toRecord } from "./replies.ts";
import { withPairs } from "./string_args.ts";

/** `[field, value]` pairs from a flat array, a RESP3 map or an array of pairs. */
function toFieldPairs(reply: RedisReply): [string, string][] {
  return toPairs(reply) as [string, string][];
}

/** An `HSCAN` page: the next cursor and the page's `[field, value]` pairs. */
function toHashScanPage(reply: RedisReply): [string, [string, string][]] {
  const [cursor, page] = toScanPage<RedisReply>(reply);
  return [cursor, toFieldPairs(page)];
}

/**
 * Typed hash commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.hset("user:1", { name: "Ada", born: 1815 });
 * console.log(await redis.hgetall("user:1")); // { name: "Ada", born: "1815" }
 * ```
 */
export abstract class HashCommands<M extends CommandMode> extends CounterCommands<M> {
  /**
   * `HGET`: one field of a hash, or `null`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const name = await redis.hget("user:1", "name");
   * ```
   */
  hget(key: string, field: string): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(["HGET", key, field]);
  }

  /**
   * `HSET` from an object or a list of `[field, value]` pairs: the number of
   * fields added (not updated).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.hset("user:1", { name: "Ada" });
   * ```
   */
  hset(
    key: string,
    fields: Record<string, RedisArg> | Iterable<readonly [string, RedisArg]>,
  ): CommandResult<M, number, this> {
    return this.sendMapped<number>(withPairs(["HSET", key], fields));
  }

  /**
   * `HGETALL` as a plain object (empty when the key is missing), on RESP2 and RESP3 alike.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const user = await redis.hgetall("user:1");
   * ```
   */
  hgetall(key: string): CommandResult<M, Record<string, string>, this> {
    return this.sendMapped(["HGETALL", key], toRecord<string>);
  }

  /**
   * `HDEL`: the number of fields removed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.hdel("user:1", "born");
   * ```
   */
  hdel(key: string, ...fields: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["HDEL", key, ...fields]);
  }

  /**
   * `HSETNX`: `true` when the field was set, `false` when it already existed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.hsetnx("user:1", "created", Date.now());
   * ```
   */
  hsetnx(key: string, field: string, value: RedisArg): CommandResult<M, boolean, this> {
    return this.sendMapped(["HSETNX", key, field, value], toBoolean);
  }

  /**
   * `HMGET`: the values of the fields, in order, `null` for missing ones.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [name, born] = await redis.hmget("user:1", "name", "born");
   * ```
   */
  hmget(key: string, ...fields: string[]): CommandResult<M, (string | null)[], this> {
    return this.sendMapped<(string | null)[]>(["HMGET", key, ...fields]);
  }

  /**
   * `HINCRBY`: the field's new integer value (a missing field starts at 0).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.hincrby("stats", "visits", 1);
   * ```
   */
  hincrby(key: string, field: string, delta: number | bigint): CommandResult<M, number, this> {
    return this.sendMapped<number>(["HINCRBY", key, field, delta]);
  }

  /**
   * `HINCRBYFLOAT`: the field's new value, as a number on both protocols.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.hincrbyfloat("account:1", "balance", -2.5);
   * ```
   */
  hincrbyfloat(key: string, field: string, delta: number): CommandResult<M, number, this> {
    return this.sendMapped(["HINCRBYFLOAT", key, field, delta], toNumber);
  }

  /**
   * `HEXISTS`: `true` when the hash has the field.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * if (await redis.hexists("user:1", "email")) console.log("has email");
   * ```
   */
  hexists(key: string, field: string): CommandResult<M, boolean, this> {
    return this.sendMapped(["HEXISTS", key, field], toBoolean);
  }

  /**
   * `HKEYS`: the hash's field names (`[]` when the key is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const fields = await redis.hkeys("user:1");
   * ```
   */
  hkeys(key: string): CommandResult<M, string[], this> {
    return this.sendMapped<string[]>(["HKEYS", key]);
  }

  /**
   * `HVALS`: the hash's values, in the order of `hkeys()` (`[]` when missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const values = await redis.hvals("user:1");
   * ```
   */
  hvals(key: string): CommandResult<M, string[], this> {
    return this.sendMapped<string[]>(["HVALS", key]);
  }

  /**
   * `HLEN`: the number of fields (`0` when the key is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const n = await redis.hlen("user:1");
   * ```
   */
  hlen(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["HLEN", key]);
  }

  /**
   * `HSTRLEN`: the length in bytes of a field's value (`0` when missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const bytes = await redis.hstrlen("user:1", "bio");
   * ```
   */
  hstrlen(key: string, field: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["HSTRLEN", key, field]);
  }

  /**
   * One `HSCAN` call: the next cursor (a string, `"0"` at the end) and the
   * page as `[field, value]` pairs (pairs rather than a record, so that a
   * field the scan returns twice stays visible, as in `hscanIterator()`).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [cursor, pairs] = await redis.hscan("user:1", 0, { match: "addr:*" });
   * for (const [field, value] of pairs) console.log(field, value);
   * ```
   */
  hscan(
    key: string,
    cursor: string | number,
    options?: Omit<ScanOptions, "type">,
  ): CommandResult<M, [string, [string, string][]], this> {
    return this.sendMapped(["HSCAN", key, cursor, ...scanArgs(options, "hscan")], toHashScanPage);
  }

  /**
   * `HRANDFIELD key`: one random field name, or `null` when the key is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const field = await redis.hrandfield("prizes");
   * ```
   */
  hrandfield(key: string): CommandResult<M, string | null, this>;
  /**
   * `HRANDFIELD key count`: up to `count` distinct field names; a negative
   * count returns exactly `-count` names, possibly repeated. `[]` when the key
   * is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const three = await redis.hrandfield("prizes", 3);
   * ```
   */
  hrandfield(
    key: string,
    count: number,
    options?: { withValues?: false },
  ): CommandResult<M, string[], this>;
  /**
   * `HRANDFIELD key count WITHVALUES`: `[field, value]` pairs on both
   * protocols (RESP3's nested pairs and RESP2's flat array alike).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * for (const [field, value] of await redis.hrandfield("prizes", 2, { withValues: true })) {
   *   console.log(field, value);
   * }
   * ```
   */
  hrandfield(
    key: string,
    count: number,
    options: { withValues: true },
  ): CommandResult<M, [string, string][], this>;
  hrandfield(
    key: string,
    count?: number,
    options?: { withValues?: boolean },
  ): CommandResult<M, string | null | string[] | [string, string][], this> {
    if (count === undefined) return this.sendMapped<string | null>(["HRANDFIELD", key]);
    if (options === undefined) return this.sendMapped<string[]>(["HRANDFIELD", key, count]);
    checkOptionKeys(options, ["withValues"], "hrandfield()");
    if (!options.withValues) return this.sendMapped<string[]>(["HRANDFIELD", key, count]);
    return this.sendMapped(["HRANDFIELD", key, count, "WITHVALUES"], toFieldPairs);
  }
}
