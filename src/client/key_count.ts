/**
 * Which arguments of a command are keys, as far as the command hooks and the
 * routers need to know: the commands that name no key, and how many keys a
 * command names, read from its shape (no round trip to `COMMAND INFO`).
 *
 * @module
 */

import type { Command } from "../resp/types.ts";

/** Commands with no key, or whose first argument is not a key. */
export const KEYLESS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "PING",
  "ECHO",
  "INFO",
  "TIME",
  "SCAN",
  "KEYS",
  "DBSIZE",
  "RANDOMKEY",
  "FLUSHDB",
  "FLUSHALL",
  "SELECT",
  "CLIENT",
  "CONFIG",
  "SCRIPT",
  "FUNCTION",
  "COMMAND",
  "ROLE",
  "WAIT",
  "PUBLISH",
  "MULTI",
  "EXEC",
  "DISCARD",
  "HELLO",
  "AUTH",
  "DEBUG",
  "MEMORY",
  "LASTSAVE",
  "SAVE",
  "BGSAVE",
]);

/** Commands whose every argument is a key. */
const ALL_KEYS = /* @__PURE__ */ new Set([
  "DEL",
  "UNLINK",
  "EXISTS",
  "TOUCH",
  "MGET",
  "WATCH",
  "SDIFF",
  "SINTER",
  "SUNION",
  "SDIFFSTORE",
  "SINTERSTORE",
  "SUNIONSTORE",
  "PFCOUNT",
  "PFMERGE",
]);

/** Commands whose first two arguments are keys (a source and a destination). */
const TWO_KEYS = /* @__PURE__ */ new Set([
  "RENAME",
  "RENAMENX",
  "COPY",
  "SMOVE",
  "LMOVE",
  "BLMOVE",
  "RPOPLPUSH",
  "BRPOPLPUSH",
  "ZRANGESTORE",
  "GEOSEARCHSTORE",
]);

/** Where the `numkeys` argument is, for commands that count their keys themselves. */
export const NUMKEYS_AT: ReadonlyMap<string, number> = /* @__PURE__ */ new Map([
  ["EVAL", 2],
  ["EVALSHA", 2],
  ["EVAL_RO", 2],
  ["EVALSHA_RO", 2],
  ["FCALL", 2],
  ["FCALL_RO", 2],
  ["ZUNION", 1],
  ["ZINTER", 1],
  ["ZDIFF", 1],
  ["ZINTERCARD", 1],
  ["SINTERCARD", 1],
  ["LMPOP", 1],
  ["ZMPOP", 1],
  ["BLMPOP", 2],
  ["BZMPOP", 2],
  ["ZUNIONSTORE", 2], // and the destination
  ["ZINTERSTORE", 2],
  ["ZDIFFSTORE", 2],
]);

/**
 * How many keys `command` names (`name` is its upper-case name): every
 * argument of DEL, EXISTS, MGET, …; half of MSET's; all but the timeout of
 * BLPOP and the like; `numkeys` of EVAL, FCALL, ZUNION, LMPOP, …; the
 * streams of XREAD; 2 for RENAME, COPY, LMOVE, …; 0 for commands without a
 * key; 1 for any other command with an argument.
 */
export function keyCount(command: Command, name: string): number {
  const n = command.length - 1;
  if (n <= 0 || KEYLESS.has(name)) return 0;
  if (ALL_KEYS.has(name)) return n;
  const at = NUMKEYS_AT.get(name);
  if (at !== undefined) {
    const keys = Number(command[at]);
    if (!(keys >= 0)) return 0;
    return name.endsWith("STORE") ? keys + 1 : keys;
  }
  if (TWO_KEYS.has(name)) return Math.min(n, 2);
  switch (name) {
    case "MSET":
    case "MSETNX":
      return n >> 1;
    case "BLPOP":
    case "BRPOP":
    case "BZPOPMIN":
    case "BZPOPMAX":
      return n - 1;
    case "XREAD":
    case "XREADGROUP": {
      for (let i = 1; i < command.length; i++) {
        const arg = command[i];
        if (typeof arg === "string" && arg.toUpperCase() === "STREAMS") {
          return (command.length - i - 1) >> 1;
        }
      }
      return 0;
    }
  }
  return 1;
}
