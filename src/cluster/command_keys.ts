/**
 * What routing by key needs to know of a command: its first key, and whether
 * it only reads (so it may go to a replica, or be sent again after a failure).
 * Used by the cluster client and by the strategies' routers.
 *
 * @module
 */

import { commandName } from "../resp/encode.ts";
import type { Command, RedisArg } from "../resp/types.ts";
import { KEYLESS, NUMKEYS_AT } from "../client/key_count.ts";

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
  "ZREVRANK",
  "ZLEXCOUNT",
  "ZRANDMEMBER",
  "ZREVRANGEBYSCORE",
  "ZRANGEBYLEX",
  "ZUNION",
  "ZINTER",
  "ZDIFF",
  "ZINTERCARD",
  "SINTER",
  "SUNION",
  "SDIFF",
  "SINTERCARD",
  "SRANDMEMBER",
  "HSTRLEN",
  "HRANDFIELD",
  "LPOS",
  "LCS",
  "GETBIT",
  "BITCOUNT",
  "BITPOS",
  "BITFIELD_RO",
  "GEOPOS",
  "GEODIST",
  "GEOHASH",
  "GEOSEARCH",
  "XRANGE",
  "XREVRANGE",
  "XLEN",
  "XINFO",
  "XPENDING",
  "DUMP",
  "OBJECT",
  "SORT_RO",
  "EVAL_RO",
  "EVALSHA_RO",
  "FCALL_RO",
  "PING",
  "ECHO",
  "INFO",
  "TIME",
]);

/** Commands whose key follows a subcommand or an operation (`XINFO STREAM key`, `BITOP AND dest`). */
const KEY_SECOND = new Set(["XINFO", "XGROUP", "OBJECT", "BITOP"]);

/** True when `command` only reads. Pass `name` when it is already known. */
export function isReadCommand(command: Command, name: string = commandName(command)): boolean {
  return READS.has(name);
}

function keyText(arg: RedisArg): string {
  return arg instanceof Uint8Array ? new TextDecoder().decode(arg) : String(arg);
}

/**
 * The first key of `command` (the Redis convention: the first argument; the
 * first of the `numkeys` keys of `EVAL`, `ZUNION`, `LMPOP`, …; the key after
 * `STREAMS` of `XREAD`; the key after the subcommand of `XINFO`, `XGROUP`,
 * `OBJECT`, `BITOP`); `undefined` for commands without a key. Pass `name`
 * when it is already known.
 */
export function firstKey(
  command: Command,
  name: string = commandName(command),
): string | undefined {
  if (KEYLESS.has(name) || command.length < 2) return undefined;
  // ZUNIONSTORE and the like name their destination first, then numkeys.
  const numkeys = name.endsWith("STORE") ? undefined : NUMKEYS_AT.get(name);
  if (numkeys !== undefined) {
    const at = numkeys + 1;
    return Number(command[numkeys]) > 0 && command.length > at ? keyText(command[at]) : undefined;
  }
  if (name === "XREAD" || name === "XREADGROUP") {
    const streams = command.findIndex((arg, i) =>
      i > 0 && keyText(arg).toUpperCase() === "STREAMS"
    );
    return streams > 0 && command.length > streams + 1 ? keyText(command[streams + 1]) : undefined;
  }
  if (KEY_SECOND.has(name)) return command.length > 2 ? keyText(command[2]) : undefined;
  return keyText(command[1]);
}
