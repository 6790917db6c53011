/**
 * What routing by key needs to know of a command: its first key, and whether
 * it only reads (so it may go to a replica, or be sent again after a failure).
 * Used by the cluster client and by the strategies' routers.
 *
 * @module
 */

import { commandName } from "../resp/encode.ts";
import type { Command, RedisArg } from "../resp/types.ts";
import { KEYLESS } from "../client/key_count.ts";

/** Commands that only read: safe to send to a replica, and to send again after a failure. */
const READS = new Set([
  "GET",
  "MGET",
  "GETRANGE",
  "STRLEN",
  "EXISTS",
  "TTL",
  "PTTL",
  "EXPIRETIME",
  "PEXPIRETIME",
  "TYPE",
  "SCAN",
  "KEYS",
  "DBSIZE",
  "RANDOMKEY",
  "HGET",
  "HMGET",
  "HGETALL",
  "HKEYS",
  "HVALS",
  "HLEN",
  "HEXISTS",
  "HSCAN",
  "LRANGE",
  "LLEN",
  "LINDEX",
  "SMEMBERS",
  "SISMEMBER",
  "SMISMEMBER",
  "SCARD",
  "SSCAN",
  "ZRANGE",
  "ZRANGEBYSCORE",
  "ZREVRANGE",
  "ZSCORE",
  "ZMSCORE",
  "ZCARD",
  "ZCOUNT",
  "ZRANK",
  "ZSCAN",
  "EVAL_RO",
  "EVALSHA_RO",
  "PING",
  "ECHO",
  "INFO",
  "TIME",
]);

/** True when `command` only reads. Pass `name` when it is already known. */
export function isReadCommand(command: Command, name: string = commandName(command)): boolean {
  return READS.has(name);
}

function keyText(arg: RedisArg): string {
  return arg instanceof Uint8Array ? new TextDecoder().decode(arg) : String(arg);
}

/**
 * The first key of `command` (the Redis convention: the first argument, or
 * the first of the `numkeys` keys of EVAL-family commands); `undefined` for
 * commands without a key. Pass `name` when it is already known.
 */
export function firstKey(
  command: Command,
  name: string = commandName(command),
): string | undefined {
  if (KEYLESS.has(name) || command.length < 2) return undefined;
  if (name.startsWith("EVAL") || name.startsWith("FCALL")) {
    return Number(command[2]) > 0 && command.length > 3 ? keyText(command[3]) : undefined;
  }
  return keyText(command[1]);
}
