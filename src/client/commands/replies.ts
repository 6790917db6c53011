/**
 * Reply shapers shared by the typed commands: the same value on RESP2 and
 * RESP3 (a record from a map or a flat array, numbers from score strings,
 * arrays from sets).
 *
 * @module
 */

import type { RedisReply } from "../../resp/types.ts";

/** `1` → `true`, anything else → `false` (`EXPIRE`, `SISMEMBER`, …). */
export function toBoolean(reply: RedisReply): boolean {
  return reply === 1 || reply === true;
}

/** Booleans from an array (or set) of 0/1 flags (`SMISMEMBER`, `SCRIPT EXISTS`). */
export function toBooleans(reply: RedisReply): boolean[] {
  return toArray<RedisReply>(reply).map(toBoolean);
}

/** A number from an integer, a double or a RESP2 numeric string; `null` stays `null`. */
export function toNumberOrNull(reply: RedisReply): number | null {
  if (reply === null) return null;
  return typeof reply === "number" ? reply : Number(reply);
}

/** A number from an integer, a double or a RESP2 numeric string (`inf` → `Infinity`). */
export function toNumber(reply: RedisReply): number {
  if (typeof reply === "number") return reply;
  if (typeof reply === "bigint") return Number(reply);
  const text = String(reply);
  if (text === "inf" || text === "+inf") return Infinity;
  if (text === "-inf") return -Infinity;
  return Number(text);
}

/** An array from an array or a RESP3 set (`SMEMBERS`, `SUNION`, …). */
export function toArray<T = string>(reply: RedisReply): T[] {
  if (Array.isArray(reply)) return reply as T[];
  if (reply instanceof Set) return [...reply] as T[];
  if (reply === null) return [];
  return [reply] as T[];
}

/** A plain object from a RESP3 map or a RESP2 flat `[field, value, …]` array. */
export function toRecord<V = string>(reply: RedisReply): Record<string, V> {
  const out: Record<string, V> = Object.create(null);
  if (reply instanceof Map) {
    for (const [k, v] of reply) out[String(k)] = v as V;
  } else if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1] as V;
  }
  return out;
}

/** `[key, value]` pairs from a RESP3 map, a RESP2 flat array, or an array of pairs. */
export function toPairs(reply: RedisReply): [RedisReply, RedisReply][] {
  const out: [RedisReply, RedisReply][] = [];
  if (reply instanceof Map) {
    for (const entry of reply) out.push(entry);
  } else if (Array.isArray(reply)) {
    if (reply.length > 0 && Array.isArray(reply[0])) {
      for (const pair of reply as RedisReply[][]) out.push([pair[0], pair[1]]);
    } else {
      for (let i = 0; i + 1 < reply.length; i += 2) out.push([reply[i], reply[i + 1]]);
    }
  }
  return out;
}
