/**
 * The typed command surface, whole: `Commands<M>` stacks the data-type
 * classes (server, keys, expiry, strings, counters, hashes, lists, sets,
 * sorted sets, streams, bits, geo, scripting), each in a file of its own;
 * `AsyncCommands` adds what only a promise-returning surface can offer, the
 * scan iterators.
 *
 * Naming rule: a method is the Redis command's name in lowercase (`hgetall`,
 * `zrangestore`, `getdel`), as in ioredis and Bun's `RedisClient`. A
 * command with subcommands takes the subcommand first (`xgroup("CREATE", …)`,
 * `script("LOAD", …)`). Two suffixes only: `…Bytes` for a read that returns
 * `Uint8Array` (`getBytes`), `…Iterator` for an async iterator over a cursor
 * (`scanIterator`).
 *
 * @module
 */

import type { Command, RedisReply } from "../../resp/types.ts";
import type { SendOptions } from "../send_options.ts";
import type { CommandMode, ReplyMapper } from "./base.ts";
import { scanArgs, type ScanOptions, toScanPage } from "./keys.ts";
import { ScriptingCommands } from "./scripting.ts";
import { toNumber } from "./replies.ts";

/**
 * Every typed command, for a surface of mode `M`: `"async"` methods resolve
 * with the shaped reply, `"chain"` methods queue and return the pipeline.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.hset("user:1", { name: "Ada" });
 * const [user, n] = await redis.pipeline().hgetall("user:1").incr("n").exec();
 * ```
 */
export abstract class Commands<M extends CommandMode> extends ScriptingCommands<M> {
}

/**
 * The typed commands of a surface that answers with promises (client, pool,
 * pooled connection, cluster client), with the scan iterators.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * for await (const key of redis.scanIterator({ match: "session:*" })) console.log(key);
 * ```
 */
export abstract class AsyncCommands extends Commands<"async"> {
  /**
   * Sends a command and resolves with its decoded reply.
   *
   * @param command The command name and its arguments.
   * @param options `bytes`, `timeout`, `signal` and `block` for this command.
   */
  abstract send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T>;

  /**
   * Sends `command` and resolves with its reply, shaped by `map` when given.
   *
   * @param command The command and its arguments.
   * @param map Shapes the raw reply.
   * @param options `bytes`, `timeout`, `signal` and `block` for this command.
   */
  sendMapped<T = RedisReply>(
    command: Command,
    map?: ReplyMapper<T>,
    options?: SendOptions,
  ): Promise<T> {
    const reply = this.send<T>(command, options);
    return map === undefined ? reply : reply.then(map as (reply: unknown) => T);
  }

  /**
   * Every key that `SCAN` finds, page by page, as an async iterator. A key
   * may come twice if the keyspace changes meanwhile (a `SCAN` guarantee).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * for await (const key of redis.scanIterator({ match: "user:*", count: 500 })) console.log(key);
   * ```
   */
  async *scanIterator(options?: ScanOptions): AsyncGenerator<string, void, undefined> {
    const args = scanArgs(options, "scanIterator");
    let cursor = "0";
    do {
      const [next, keys] = await this.sendMapped(["SCAN", cursor, ...args], toScanPage<string[]>);
      cursor = next;
      yield* keys;
    } while (cursor !== "0");
  }

  /**
   * Every `[field, value]` of a hash that `HSCAN` finds, page by page.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * for await (const [field, value] of redis.hscanIterator("user:1")) console.log(field, value);
   * ```
   */
  async *hscanIterator(
    key: string,
    options?: ScanOptions,
  ): AsyncGenerator<[string, string], void, undefined> {
    for await (const page of this.#pages(["HSCAN", key], options, "hscanIterator")) {
      for (let i = 0; i + 1 < page.length; i += 2) yield [page[i], page[i + 1]];
    }
  }

  /**
   * Every member of a set that `SSCAN` finds, page by page.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * for await (const member of redis.sscanIterator("tags", { match: "a*" })) console.log(member);
   * ```
   */
  async *sscanIterator(
    key: string,
    options?: ScanOptions,
  ): AsyncGenerator<string, void, undefined> {
    for await (const page of this.#pages(["SSCAN", key], options, "sscanIterator")) yield* page;
  }

  /**
   * Every `{ member, score }` of a sorted set that `ZSCAN` finds, page by page.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * for await (const { member, score } of redis.zscanIterator("board")) console.log(member, score);
   * ```
   */
  async *zscanIterator(
    key: string,
    options?: ScanOptions,
  ): AsyncGenerator<{ member: string; score: number }, void, undefined> {
    for await (const page of this.#pages(["ZSCAN", key], options, "zscanIterator")) {
      for (let i = 0; i + 1 < page.length; i += 2) {
        yield { member: page[i], score: toNumber(page[i + 1]) };
      }
    }
  }

  async *#pages(
    command: readonly string[],
    options: ScanOptions | undefined,
    method: string,
  ): AsyncGenerator<string[], void, undefined> {
    const args = scanArgs(options, method);
    let cursor = "0";
    do {
      const [next, page] = await this.sendMapped(
        [command[0], command[1], cursor, ...args],
        toScanPage<string[]>,
      );
      cursor = next;
      yield page;
    } while (cursor !== "0");
  }
}
