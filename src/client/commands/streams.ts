/**
 * Typed stream commands: `XADD`, `XRANGE`, `XREVRANGE`, `XREAD`, `XLEN`, `XTRIM`, `XDEL`,
 * `XSETID`, `XINFO`.
 *
 * @module
 */

import type { CommandMode, CommandResult } from "./base.ts";
import { SortedRangeCommands } from "./sorted_ranges.ts";
import {
  countArgs,
  readArgs,
  xaddCommand,
  type XAddFields,
  type XAddOptions,
  type XReadOptions,
  type XReadStreams,
  xsetidCommand,
  type XSetIdOptions,
  xtrimCommand,
  type XTrimOptions,
} from "./stream_args.ts";
import {
  xinfoCommand,
  type XInfoConsumerReply,
  type XInfoGroupReply,
  type XInfoStreamFullReply,
  type XInfoStreamReply,
  type XInfoSubcommand,
} from "./stream_info.ts";
import { type StreamEntry, type StreamRead, toEntries, toStreamReads } from "./stream_replies.ts";

/**
 * Typed stream commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const id = await redis.xadd("events", "*", { type: "signup" });
 * ```
 */
export abstract class StreamCommands<M extends CommandMode> extends SortedRangeCommands<M> {
  /**
   * `XADD`: appends an entry and gives its ID. `id` is `"*"` (the server
   * picks one), `"<ms>-*"` or an explicit ID higher than the last one.
   * `fields` is an object or `[field, value]` pairs. `maxlen`/`minid` trim
   * the stream in the same call (`approximate: true` for `~`, `limit` with it).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const id = await redis.xadd("events", "*", { type: "signup", user: 42 }, { maxlen: 1000 });
   * await redis.xadd("events", "1700000000000-0", [["type", "import"]]);
   * ```
   */
  xadd(
    key: string,
    id: string,
    fields: XAddFields,
    options?: XAddOptions & { nomkstream?: false },
  ): CommandResult<M, string, this>;
  /**
   * `XADD` with `nomkstream` (`NOMKSTREAM`): the new entry's ID, or `null`
   * when the stream is missing (nothing is created).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const id = await redis.xadd("events", "*", { type: "click" }, { nomkstream: true });
   * if (id === null) console.log("no such stream");
   * ```
   */
  xadd(
    key: string,
    id: string,
    fields: XAddFields,
    options: XAddOptions,
  ): CommandResult<M, string | null, this>;
  xadd(
    key: string,
    id: string,
    fields: XAddFields,
    options?: XAddOptions,
  ): CommandResult<M, string | null, this> {
    return this.sendMapped<string | null>(xaddCommand(key, id, fields, options));
  }

  /**
   * `XRANGE`: the entries from `start` to `end` (`-` and `+` for the ends,
   * `(id` exclusive), oldest first, as `{ id, fields }`; `[]` when the key
   * is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const page = await redis.xrange("events", "-", "+", { count: 100 });
   * const next = await redis.xrange("events", `(${page.at(-1)?.id ?? "0"}`, "+", { count: 100 });
   * ```
   */
  xrange(
    key: string,
    start: string,
    end: string,
    options?: { count?: number },
  ): CommandResult<M, StreamEntry[], this> {
    return this.sendMapped(["XRANGE", key, start, end, ...countArgs(options, "xrange")], toEntries);
  }

  /**
   * `XREVRANGE`: like `xrange`, newest first; note that `end` comes before
   * `start`, as in Redis.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [latest] = await redis.xrevrange("events", "+", "-", { count: 1 });
   * ```
   */
  xrevrange(
    key: string,
    end: string,
    start: string,
    options?: { count?: number },
  ): CommandResult<M, StreamEntry[], this> {
    const command = ["XREVRANGE", key, end, start, ...countArgs(options, "xrevrange")];
    return this.sendMapped(command, toEntries);
  }

  /**
   * `XLEN`: the number of entries (`0` when the key is missing).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const backlog = await redis.xlen("events");
   * ```
   */
  xlen(key: string): CommandResult<M, number, this> {
    return this.sendMapped<number>(["XLEN", key]);
  }

  /**
   * `XDEL`: the number of entries deleted.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xdel("events", "1-0", "2-0");
   * ```
   */
  xdel(key: string, ...ids: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["XDEL", key, ...ids]);
  }

  /**
   * `XTRIM`: evicts entries beyond `maxlen`, or below `minid`; the number
   * evicted. `approximate: true` trims with `~` (`limit` needs it).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xtrim("events", { maxlen: 1000 });
   * await redis.xtrim("events", { minid: `${Date.now() - 86_400_000}-0`, approximate: true });
   * ```
   */
  xtrim(key: string, options: XTrimOptions): CommandResult<M, number, this> {
    return this.sendMapped<number>(xtrimCommand(key, options));
  }

  /**
   * `XREAD`: the entries after the given IDs, as `{ key, entries }` per
   * stream that has some (the same on RESP2 and RESP3, in the order Redis
   * gives), or `null` when none has any; with `block`, `null` when that
   * many milliseconds passed with no entry (`0` waits forever). `"$"` reads
   * only entries added after the call.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * let last = "$";
   * const read = await redis.xread({ events: last }, { block: 5_000, count: 100 });
   * for (const { entries } of read ?? []) {
   *   for (const entry of entries) last = entry.id;
   * }
   * ```
   */
  xread(
    streams: XReadStreams,
    options?: XReadOptions,
  ): CommandResult<M, StreamRead[] | null, this> {
    const command = readArgs(["XREAD"], streams, options, "xread");
    const block = options?.block;
    return this.sendMapped(
      command,
      toStreamReads,
      block === undefined ? undefined : { block },
    );
  }

  /**
   * `XSETID`: sets the stream's last ID (and, Redis 7.0, its entries-added
   * counter and highest deleted ID); `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xsetid("events", "1700000000000-0");
   * ```
   */
  xsetid(key: string, lastId: string, options?: XSetIdOptions): CommandResult<M, "OK", this> {
    return this.sendMapped<"OK">(xsetidCommand(key, lastId, options));
  }

  /**
   * `XINFO STREAM`: the stream's length, radix-tree size, last IDs, group
   * count, first and last entries, keys in camelCase (see
   * {@linkcode XInfoStreamReply}).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const { length, lastEntry } = await redis.xinfo("STREAM", "events");
   * ```
   */
  xinfo(subcommand: "STREAM", key: string): CommandResult<M, XInfoStreamReply, this>;
  /**
   * `XINFO STREAM … FULL [COUNT n]`: the stream with its entries (10 unless
   * `count`; `0`: all) and its groups, their pending entries and consumers.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const { entries, groups } = await redis.xinfo("STREAM", "events", { full: true, count: 0 });
   * ```
   */
  xinfo(
    subcommand: "STREAM",
    key: string,
    options: { full: true; count?: number },
  ): CommandResult<M, XInfoStreamFullReply, this>;
  /**
   * `XINFO GROUPS`: each consumer group as `{ name, consumers, pending,
   * lastDeliveredId, entriesRead, lag }`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const groups = await redis.xinfo("GROUPS", "jobs");
   * ```
   */
  xinfo(subcommand: "GROUPS", key: string): CommandResult<M, XInfoGroupReply[], this>;
  /**
   * `XINFO CONSUMERS`: each consumer of a group as `{ name, pending, idle }`
   * (`inactive` too on Redis 7.2).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const consumers = await redis.xinfo("CONSUMERS", "jobs", "workers");
   * ```
   */
  xinfo(
    subcommand: "CONSUMERS",
    key: string,
    group: string,
  ): CommandResult<M, XInfoConsumerReply[], this>;
  xinfo(
    subcommand: XInfoSubcommand,
    key: string,
    arg?: string | { full: true; count?: number },
  ): CommandResult<M, unknown, this> {
    const [command, map] = xinfoCommand(subcommand, key, arg);
    return this.sendMapped(command, map);
  }
}
