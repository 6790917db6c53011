/**
 * Typed stream consumer-group commands: `XGROUP`, `XREADGROUP`, `XACK`, `XPENDING`, `XCLAIM`,
 * `XAUTOCLAIM` (`XINFO` is in `streams.ts`).
 *
 * @module
 */

import type { CommandMode, CommandResult, ReplyMapper } from "./base.ts";
import { toArray } from "./replies.ts";
import { readArgs, type XReadGroupOptions, type XReadStreams } from "./stream_args.ts";
import {
  xautoclaimCommand,
  type XAutoClaimOptions,
  xclaimCommand,
  type XClaimOptions,
  xgroupCommand,
  type XGroupCreateOptions,
  type XGroupSetIdOptions,
  type XGroupSubcommand,
  xpendingCommand,
  type XPendingOptions,
} from "./stream_group_args.ts";
import {
  type StreamEntry,
  type StreamGroupEntry,
  type StreamRead,
  toAutoClaim,
  toAutoClaimIds,
  toEntries,
  toGroupReads,
  toPendingEntries,
  toPendingSummary,
  type XAutoClaimIdsReply,
  type XAutoClaimReply,
  type XPendingEntry,
  type XPendingSummary,
} from "./stream_replies.ts";
import { StreamCommands } from "./streams.ts";

/**
 * Typed stream consumer-group commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.xgroup("CREATE", "events", "workers", "$", { mkstream: true });
 * ```
 */
export abstract class StreamGroupCommands<M extends CommandMode> extends StreamCommands<M> {
  /**
   * `XGROUP CREATE`: creates a consumer group that reads after `id` (`"$"`:
   * only new entries, `"0"`: the whole stream); `"OK"`. Rejects with
   * `BUSYGROUP` if it exists, and unless `mkstream` when the stream is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xgroup("CREATE", "jobs", "workers", "0", { mkstream: true });
   * ```
   */
  xgroup(
    subcommand: "CREATE",
    key: string,
    group: string,
    id: string,
    options?: XGroupCreateOptions,
  ): CommandResult<M, "OK", this>;
  /**
   * `XGROUP SETID`: moves the group's last-delivered ID; `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xgroup("SETID", "jobs", "workers", "0"); // deliver everything again
   * ```
   */
  xgroup(
    subcommand: "SETID",
    key: string,
    group: string,
    id: string,
    options?: XGroupSetIdOptions,
  ): CommandResult<M, "OK", this>;
  /**
   * `XGROUP DESTROY`: `true` if the group existed and was destroyed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xgroup("DESTROY", "jobs", "workers");
   * ```
   */
  xgroup(subcommand: "DESTROY", key: string, group: string): CommandResult<M, boolean, this>;
  /**
   * `XGROUP CREATECONSUMER`: `true` if the consumer was created, `false` if
   * it existed.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xgroup("CREATECONSUMER", "jobs", "workers", "w1");
   * ```
   */
  xgroup(
    subcommand: "CREATECONSUMER",
    key: string,
    group: string,
    consumer: string,
  ): CommandResult<M, boolean, this>;
  /**
   * `XGROUP DELCONSUMER`: deletes a consumer; the number of pending entries
   * it held (now lost to the group: claim them first).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xgroup("DELCONSUMER", "jobs", "workers", "w1");
   * ```
   */
  xgroup(
    subcommand: "DELCONSUMER",
    key: string,
    group: string,
    consumer: string,
  ): CommandResult<M, number, this>;
  xgroup(
    subcommand: XGroupSubcommand,
    key: string,
    group: string,
    arg?: string,
    options?: XGroupCreateOptions,
  ): CommandResult<M, unknown, this> {
    const [command, map] = xgroupCommand(subcommand, key, group, arg, options);
    return this.sendMapped(command, map);
  }

  /**
   * `XREADGROUP`: reads as `group`'s `consumer`, like `xread`: `{ key,
   * entries }` per stream, or `null` (no entry; with `block`, the time ran
   * out). ID `">"` gives entries never delivered to the group (and adds them
   * to the pending list unless `noack`); another ID re-reads the consumer's
   * own pending entries, where an entry deleted meanwhile has `fields: null`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const read = await redis.xreadgroup("workers", "w1", { jobs: ">" }, { count: 10, block: 5_000 });
   * for (const { id, fields } of read?.[0].entries ?? []) {
   *   console.log(fields);
   *   await redis.xack("jobs", "workers", id);
   * }
   * ```
   */
  xreadgroup(
    group: string,
    consumer: string,
    streams: XReadStreams,
    options?: XReadGroupOptions,
  ): CommandResult<M, StreamRead<StreamGroupEntry>[] | null, this> {
    const command = readArgs(
      ["XREADGROUP", "GROUP", group, consumer],
      streams,
      options,
      "xreadgroup",
    );
    const block = options?.block;
    return this.sendMapped(command, toGroupReads, block === undefined ? undefined : { block });
  }

  /**
   * `XACK`: removes entries from the group's pending list; how many were
   * pending.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.xack("jobs", "workers", "1-0", "2-0");
   * ```
   */
  xack(key: string, group: string, ...ids: string[]): CommandResult<M, number, this> {
    return this.sendMapped<number>(["XACK", key, group, ...ids]);
  }

  /**
   * `XPENDING` summary: `{ count, smallest, largest, consumers: [{ name,
   * pending }] }` (`smallest`/`largest` `null` and `consumers` empty when
   * nothing is pending).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const { count } = await redis.xpending("jobs", "workers");
   * ```
   */
  xpending(key: string, group: string): CommandResult<M, XPendingSummary, this>;
  /**
   * `XPENDING` extended form: the pending entries in `start`…`end` (at most
   * `count`, optionally of one `consumer`, idle at least `idle` ms) as `{ id,
   * consumer, idle, deliveries }`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const stuck = await redis.xpending("jobs", "workers", {
   *   start: "-",
   *   end: "+",
   *   count: 100,
   *   idle: 60_000,
   * });
   * ```
   */
  xpending(
    key: string,
    group: string,
    options: XPendingOptions,
  ): CommandResult<M, XPendingEntry[], this>;
  xpending(
    key: string,
    group: string,
    options?: XPendingOptions,
  ): CommandResult<M, XPendingSummary | XPendingEntry[], this> {
    if (options === undefined) return this.sendMapped(["XPENDING", key, group], toPendingSummary);
    return this.sendMapped(xpendingCommand(key, group, options), toPendingEntries);
  }

  /**
   * `XCLAIM … JUSTID`: the IDs claimed (delivery counters untouched).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const ids = await redis.xclaim("jobs", "workers", "w2", 60_000, ["1-0"], { justId: true });
   * ```
   */
  xclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    ids: readonly string[],
    options: XClaimOptions & { justId: true },
  ): CommandResult<M, string[], this>;
  /**
   * `XCLAIM`: gives `consumer` the pending entries among `ids` idle for at
   * least `minIdleMs`; the claimed entries as `{ id, fields }`. Entries
   * deleted from the stream are left out and dropped from the pending list
   * (Redis 7.0).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const entries = await redis.xclaim("jobs", "workers", "w2", 60_000, ["1-0", "2-0"]);
   * ```
   */
  xclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    ids: readonly string[],
    options?: XClaimOptions & { justId?: false },
  ): CommandResult<M, StreamEntry[], this>;
  xclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    ids: readonly string[],
    options?: XClaimOptions,
  ): CommandResult<M, StreamEntry[] | string[], this> {
    const command = xclaimCommand([key, group, consumer, minIdleMs], ids, options);
    const map: ReplyMapper<StreamEntry[] | string[]> = options?.justId
      ? toArray<string>
      : toEntries;
    return this.sendMapped(command, map);
  }

  /**
   * `XAUTOCLAIM … JUSTID`: like `xautoclaim`, with `ids` instead of `entries`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const { ids } = await redis.xautoclaim("jobs", "workers", "w2", 60_000, "0", { justId: true });
   * ```
   */
  xautoclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    start: string,
    options: XAutoClaimOptions & { justId: true },
  ): CommandResult<M, XAutoClaimIdsReply, this>;
  /**
   * `XAUTOCLAIM`: claims for `consumer` the pending entries idle for at least
   * `minIdleMs`, scanning from `start`: `{ next, entries, deleted }`, where
   * `next` is the `start` of the next call (`"0-0"` when done) and `deleted`
   * the pending IDs no longer in the stream (dropped from the pending list).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * let start = "0";
   * do {
   *   const page = await redis.xautoclaim("jobs", "workers", "w2", 60_000, start, { count: 50 });
   *   for (const entry of page.entries) console.log(entry.fields);
   *   start = page.next;
   * } while (start !== "0-0");
   * ```
   */
  xautoclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    start: string,
    options?: XAutoClaimOptions & { justId?: false },
  ): CommandResult<M, XAutoClaimReply, this>;
  xautoclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    start: string,
    options?: XAutoClaimOptions,
  ): CommandResult<M, XAutoClaimReply | XAutoClaimIdsReply, this> {
    const command = xautoclaimCommand([key, group, consumer, minIdleMs, start], options);
    const map: ReplyMapper<XAutoClaimReply | XAutoClaimIdsReply> = options?.justId
      ? toAutoClaimIds
      : toAutoClaim;
    return this.sendMapped(command, map);
  }
}
