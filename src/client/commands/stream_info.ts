/**
 * `XINFO STREAM`, `XINFO GROUPS` and `XINFO CONSUMERS`: the reply shapes,
 * with Redis's field names in camelCase, the same on RESP2 (flat arrays) and
 * RESP3 (maps), and the command builder. Not part of the command class chain.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { ReplyMapper } from "./base.ts";
import { toArray, toNumber, toRecord } from "./replies.ts";
import { type StreamEntry, toEntries, toEntry } from "./stream_replies.ts";

/**
 * What `XINFO STREAM` says of a stream in both its forms (short and `FULL`).
 *
 * @example
 * ```ts
 * import { connect, type XInfoStreamSummary } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const summary: XInfoStreamSummary = await redis.xinfo("STREAM", "events");
 * console.log(summary.length, summary.lastGeneratedId);
 * ```
 */
export interface XInfoStreamSummary {
  /** Number of entries. */
  length: number;
  /** Keys in the underlying radix tree. */
  radixTreeKeys: number;
  /** Nodes in the underlying radix tree. */
  radixTreeNodes: number;
  /** The ID of the last entry added (deleted or not). */
  lastGeneratedId: string;
  /** The highest ID ever deleted (Redis 7.0). */
  maxDeletedEntryId?: string;
  /** Entries ever added (Redis 7.0). */
  entriesAdded?: number;
  /** The ID of the first entry, as recorded (Redis 7.0). */
  recordedFirstEntryId?: string;
}

/**
 * `XINFO STREAM`, with Redis's field names in camelCase. Fields a newer
 * server adds come through the same way.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const { length, lastGeneratedId, firstEntry } = await redis.xinfo("STREAM", "events");
 * ```
 */
export interface XInfoStreamReply extends XInfoStreamSummary {
  /** Number of consumer groups. */
  groups: number;
  /** The first entry, or `null` when the stream is empty. */
  firstEntry: StreamEntry | null;
  /** The last entry, or `null` when the stream is empty. */
  lastEntry: StreamEntry | null;
}

/**
 * One consumer group of `XINFO GROUPS`, keys in camelCase.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * for (const group of await redis.xinfo("GROUPS", "jobs")) console.log(group.name, group.lag);
 * ```
 */
export interface XInfoGroupReply {
  /** The group's name. */
  name: string;
  /** Number of consumers. */
  consumers: number;
  /** Entries delivered and not acknowledged. */
  pending: number;
  /** The ID of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** Entries the group read (Redis 7.0; `null` when unknown). */
  entriesRead?: number | null;
  /** Entries still to deliver to the group (Redis 7.0; `null` when unknown). */
  lag?: number | null;
}

/**
 * One consumer of `XINFO CONSUMERS`, keys in camelCase.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const idle = await redis.xinfo("CONSUMERS", "jobs", "workers");
 * ```
 */
export interface XInfoConsumerReply {
  /** The consumer's name. */
  name: string;
  /** Entries delivered to it and not acknowledged. */
  pending: number;
  /** Milliseconds since it last interacted with the server. */
  idle: number;
  /** Milliseconds since its last successful read or claim (Redis 7.2). */
  inactive?: number;
}

/**
 * `XINFO STREAM … FULL`: the stream, its entries, and every group with its
 * pending entries and consumers; keys in camelCase, times in Unix
 * milliseconds.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const info = await redis.xinfo("STREAM", "jobs", { full: true, count: 10 });
 * for (const group of info.groups) console.log(group.name, group.pelCount);
 * ```
 */
export interface XInfoStreamFullReply extends XInfoStreamSummary {
  /** The entries (at most `count` of them), oldest first. */
  entries: StreamEntry[];
  /** The consumer groups. */
  groups: {
    name: string;
    lastDeliveredId: string;
    entriesRead?: number | null;
    lag?: number | null;
    pelCount: number;
    pending: { id: string; consumer: string; deliveryTime: number; deliveries: number }[];
    consumers: {
      name: string;
      seenTime: number;
      pelCount: number;
      pending: { id: string; deliveryTime: number; deliveries: number }[];
    }[];
  }[];
}

/** `radix-tree-keys` → `radixTreeKeys`. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A record from a RESP3 map or RESP2 flat array, its keys in camelCase. */
function camelRecord(reply: RedisReply): Record<string, RedisReply> {
  const out: Record<string, RedisReply> = Object.create(null);
  for (const [key, value] of Object.entries(toRecord<RedisReply>(reply))) out[camel(key)] = value;
  return out;
}

/** `XINFO STREAM` → {@linkcode XInfoStreamReply}. */
export function toXInfoStream(reply: RedisReply): XInfoStreamReply {
  const info = camelRecord(reply) as Record<string, unknown>;
  for (const name of ["firstEntry", "lastEntry"]) {
    const entry = info[name] as RedisReply;
    if (name in info) info[name] = entry === null ? null : toEntry(entry);
  }
  return info as unknown as XInfoStreamReply;
}

/** `XINFO GROUPS`/`CONSUMERS`: a list of records with camelCase keys. */
export function toXInfoList<T>(reply: RedisReply): T[] {
  return toArray<RedisReply>(reply).map((item) => camelRecord(item) as T);
}

/** `XINFO STREAM … FULL` → {@linkcode XInfoStreamFullReply}. */
export function toXInfoStreamFull(reply: RedisReply): XInfoStreamFullReply {
  const info = camelRecord(reply) as Record<string, unknown>;
  info.entries = toEntries(info.entries as RedisReply);
  info.groups = toArray<RedisReply>(info.groups as RedisReply).map((item) => {
    const group = camelRecord(item) as Record<string, unknown>;
    group.pending = toArray<RedisReply[]>(group.pending as RedisReply).map((p) => ({
      id: String(p[0]),
      consumer: String(p[1]),
      deliveryTime: toNumber(p[2]),
      deliveries: toNumber(p[3]),
    }));
    group.consumers = toArray<RedisReply>(group.consumers as RedisReply).map((c) => {
      const consumer = camelRecord(c) as Record<string, unknown>;
      consumer.pending = toArray<RedisReply[]>(consumer.pending as RedisReply).map((p) => ({
        id: String(p[0]),
        deliveryTime: toNumber(p[1]),
        deliveries: toNumber(p[2]),
      }));
      return consumer;
    });
    return group;
  });
  return info as unknown as XInfoStreamFullReply;
}

/** The `XINFO` subcommands `xinfo()` takes. */
export type XInfoSubcommand = "STREAM" | "GROUPS" | "CONSUMERS";

/** `XINFO STREAM key [FULL [COUNT n]]`, `XINFO GROUPS key`, `XINFO CONSUMERS key group`, shaped. */
export function xinfoCommand(
  subcommand: XInfoSubcommand,
  key: string,
  arg: string | { full: true; count?: number } | undefined,
): [RedisArg[], ReplyMapper<unknown>] {
  const sub = String(subcommand).toUpperCase();
  if (sub === "GROUPS") return [["XINFO", sub, key], toXInfoList];
  if (sub === "CONSUMERS") {
    if (typeof arg !== "string") throw new TypeError('xinfo("CONSUMERS") needs a group name');
    return [["XINFO", sub, key, arg], toXInfoList];
  }
  if (sub !== "STREAM") throw new TypeError(`Unknown subcommand "${sub.slice(0, 20)}" for xinfo()`);
  if (arg === undefined) return [["XINFO", sub, key], toXInfoStream];
  checkOptionKeys(arg as object, ["full", "count"], 'xinfo("STREAM")');
  const { full, count } = arg as { full: boolean; count?: number };
  if (full !== true) throw new TypeError('xinfo("STREAM") takes { full: true } or nothing');
  const command: RedisArg[] = ["XINFO", sub, key, "FULL"];
  if (count !== undefined) command.push("COUNT", count);
  return [command, toXInfoStreamFull];
}
