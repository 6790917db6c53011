/**
 * Reply shapes of the stream commands and the shapers that build them, the
 * same on RESP2 (flat arrays) and RESP3 (maps): entries as `{ id, fields }`,
 * `XREAD` as `{ key, entries }[]`, `XINFO` as objects with camelCase keys.
 * Not part of the command class chain.
 *
 * @module
 */

import type { RedisReply } from "../../resp/types.ts";
import { toArray, toNumber, toRecord } from "./replies.ts";

/**
 * A stream entry: its ID and its fields as a record.
 *
 * @example
 * ```ts
 * import { connect, type StreamEntry } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const entries: StreamEntry[] = await redis.xrange("events", "-", "+");
 * for (const { id, fields } of entries) console.log(id, fields.type);
 * ```
 */
export interface StreamEntry {
  /** The entry ID, `<milliseconds>-<sequence>`. */
  id: string;
  /** The entry's fields and values. */
  fields: Record<string, string>;
}

/**
 * An entry read by `XREADGROUP`: its `fields` are `null` when the entry was
 * deleted from the stream (`XDEL`, trimming) while it was still pending, which
 * only a read of the pending history (an ID other than `">"`) shows.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const read = await redis.xreadgroup("workers", "w1", { jobs: "0" });
 * for (const { id, fields } of read?.[0].entries ?? []) {
 *   if (fields === null) await redis.xack("jobs", "workers", id); // deleted meanwhile
 * }
 * ```
 */
export interface StreamGroupEntry {
  /** The entry ID. */
  id: string;
  /** The entry's fields, or `null` if it was deleted while pending. */
  fields: Record<string, string> | null;
}

/**
 * The entries `XREAD` or `XREADGROUP` read from one stream.
 *
 * @example
 * ```ts
 * import { connect, type StreamRead } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const read: StreamRead[] | null = await redis.xread({ events: "0" });
 * for (const { key, entries } of read ?? []) console.log(key, entries.length);
 * ```
 */
export interface StreamRead<E = StreamEntry> {
  /** The stream's key. */
  key: string;
  /** Its entries, oldest first. */
  entries: E[];
}

/**
 * The summary form of `XPENDING`: how many entries are pending in a group,
 * the lowest and highest of their IDs (`null` when none), and how many each
 * consumer holds.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const { count, consumers } = await redis.xpending("jobs", "workers");
 * ```
 */
export interface XPendingSummary {
  /** Entries delivered and not acknowledged. */
  count: number;
  /** The lowest pending ID, or `null`. */
  smallest: string | null;
  /** The highest pending ID, or `null`. */
  largest: string | null;
  /** Each consumer holding pending entries, with how many. */
  consumers: { name: string; pending: number }[];
}

/**
 * One pending entry of the extended form of `XPENDING`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [first] = await redis.xpending("jobs", "workers", { start: "-", end: "+", count: 1 });
 * if (first && first.deliveries > 5) console.log("poison message", first.id);
 * ```
 */
export interface XPendingEntry {
  /** The entry ID. */
  id: string;
  /** The consumer it was last delivered to. */
  consumer: string;
  /** Milliseconds since its last delivery. */
  idle: number;
  /** How many times it was delivered. */
  deliveries: number;
}

/**
 * What `XAUTOCLAIM` gives: the cursor for the next call (`"0-0"` when the
 * scan is over), the claimed entries, and the IDs it found deleted from the
 * stream (removed from the pending list, Redis 7.0).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const { next, entries, deleted } = await redis.xautoclaim("jobs", "workers", "w2", 60_000, "0");
 * ```
 */
export interface XAutoClaimReply {
  /** The start ID of the next call; `"0-0"` when the whole pending list was scanned. */
  next: string;
  /** The claimed entries. */
  entries: StreamEntry[];
  /** Pending IDs no longer in the stream, now removed from the pending list. */
  deleted: string[];
}

/**
 * What `XAUTOCLAIM … JUSTID` gives: like {@linkcode XAutoClaimReply} with
 * the claimed IDs instead of the entries.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const { ids } = await redis.xautoclaim("jobs", "workers", "w2", 0, "0", { justId: true });
 * ```
 */
export interface XAutoClaimIdsReply {
  /** The start ID of the next call; `"0-0"` when the whole pending list was scanned. */
  next: string;
  /** The claimed IDs. */
  ids: string[];
  /** Pending IDs no longer in the stream, now removed from the pending list. */
  deleted: string[];
}

/** `[id, [field, value, …]]` → `{ id, fields }` (`fields` `null` for a deleted entry). */
export function toEntry(reply: RedisReply): StreamGroupEntry {
  const [id, fields] = reply as [RedisReply, RedisReply];
  return { id: String(id), fields: fields === null ? null : toRecord<string>(fields) };
}

/** An array of entries. */
export function toEntries(reply: RedisReply): StreamEntry[] {
  return toArray<RedisReply>(reply).map(toEntry) as StreamEntry[];
}

/** `XREADGROUP`: a RESP3 map or RESP2 `[[key, entries], …]` → `{ key, entries }[]`; `null` stays. */
export function toGroupReads(reply: RedisReply): StreamRead<StreamGroupEntry>[] | null {
  if (reply === null) return null;
  const pairs: [RedisReply, RedisReply][] = reply instanceof Map
    ? [...reply]
    : (reply as RedisReply[][]).map((pair) => [pair[0], pair[1]]);
  return pairs.map(([key, entries]) => ({
    key: String(key),
    entries: toArray<RedisReply>(entries).map(toEntry),
  }));
}

/** `XREAD`: as {@linkcode toGroupReads}; an entry read by `XREAD` always has its fields. */
export const toStreamReads = toGroupReads as (reply: RedisReply) => StreamRead[] | null;

/** `[count, smallest, largest, [[consumer, "n"], …] | null]` → {@linkcode XPendingSummary}. */
export function toPendingSummary(reply: RedisReply): XPendingSummary {
  const [count, smallest, largest, consumers] = reply as RedisReply[];
  return {
    count: toNumber(count),
    smallest: smallest === null ? null : String(smallest),
    largest: largest === null ? null : String(largest),
    consumers: toArray<RedisReply[]>(consumers).map(([name, pending]) => ({
      name: String(name),
      pending: toNumber(pending),
    })),
  };
}

/** `[[id, consumer, idle, deliveries], …]` → {@linkcode XPendingEntry}s. */
export function toPendingEntries(reply: RedisReply): XPendingEntry[] {
  return toArray<RedisReply[]>(reply).map(([id, consumer, idle, deliveries]) => ({
    id: String(id),
    consumer: String(consumer),
    idle: toNumber(idle),
    deliveries: toNumber(deliveries),
  }));
}

/** `XAUTOCLAIM`: `[next, entries, deleted]`. */
export function toAutoClaim(reply: RedisReply): XAutoClaimReply {
  const [next, entries, deleted] = reply as RedisReply[];
  return { next: String(next), entries: toEntries(entries), deleted: toArray<string>(deleted) };
}

/** `XAUTOCLAIM … JUSTID`: `[next, ids, deleted]`. */
export function toAutoClaimIds(reply: RedisReply): XAutoClaimIdsReply {
  const [next, ids, deleted] = reply as RedisReply[];
  return { next: String(next), ids: toArray<string>(ids), deleted: toArray<string>(deleted) };
}
