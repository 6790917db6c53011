/**
 * `defineScript`: a Lua script defined once and called on any surface by its
 * SHA1 (`EVALSHA`), sent whole (`EVAL`) only where the server does not know
 * it: a new server, a cluster node that never saw it, or after
 * `SCRIPT FLUSH`. The cache's stores and the web sessions use it too.
 *
 * @module
 */

import { ReplyError } from "../../errors.ts";
import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import { CommandBase } from "../commands/base.ts";
import { AsyncCommands, type Commands } from "../commands/commands.ts";
import { Pipeline } from "../pipeline.ts";
import type { SendOptions } from "../send_options.ts";
import type { RedisTarget } from "../target.ts";
import { SCRIPT_SOURCE, type ScriptSourceOption } from "./script_fallback.ts";

/**
 * Options of `defineScript`.
 *
 * @example
 * ```ts
 * import { defineScript, type ScriptOptions } from "@redcache/redcache";
 *
 * const options: ScriptOptions = { keys: 1, readOnly: true };
 * const strlen = defineScript<number>("return redis.call('STRLEN', KEYS[1])", options);
 * ```
 */
export interface ScriptOptions {
  /** How many keys every call passes (`KEYS`); a call with another count is a `TypeError`. */
  keys: number;
  /**
   * Run as `EVALSHA_RO`/`EVAL_RO`: the script may not write, and a replica
   * may serve it (a cluster client with `readFrom: "replica"`).
   *
   * @default {false}
   */
  readOnly?: boolean;
}

/**
 * A script made by `defineScript`: call it with a surface, the keys and the
 * arguments. On a client, pool, pooled connection, cluster client or router
 * it resolves with the script's reply; on a pipeline or transaction it
 * queues the call and returns the pipeline, whose `exec()` holds the reply.
 *
 * @example
 * ```ts
 * import { connect, defineScript, type Script } from "@redcache/redcache";
 *
 * const getdelIfEquals: Script<number> = defineScript<number>(
 *   "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
 *   { keys: 1 },
 * );
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const deleted = await getdelIfEquals(redis, ["lock"], ["token-1"]); // 1 or 0
 * const [reply] = await getdelIfEquals(redis.pipeline(), ["lock"], ["token-1"]).exec();
 * ```
 */
export interface Script<T = RedisReply> {
  /**
   * Queues the script on a pipeline or transaction and returns it.
   *
   * @param target A `Pipeline`, `Transaction` or `ClusterTransaction`.
   * @param keys Exactly as many keys as the script was defined with.
   * @param args The script's arguments (`ARGV`).
   * @throws {TypeError} When `keys` has another length than the script's `keys`.
   */
  <C extends Commands<"chain">>(target: C, keys: readonly string[], args?: readonly RedisArg[]): C;
  /**
   * Runs the script and resolves with its reply.
   *
   * @param target A client, pool, pooled connection, cluster client or router.
   * @param keys Exactly as many keys as the script was defined with.
   * @param args The script's arguments (`ARGV`).
   * @throws {TypeError} When `keys` has another length than the script's `keys`.
   */
  (
    target: Pick<RedisTarget, "send">,
    keys: readonly string[],
    args?: readonly RedisArg[],
  ): Promise<T>;
  /** The Lua source. */
  readonly source: string;
  /** How many keys every call passes. */
  readonly keys: number;
  /** Whether it runs as `EVALSHA_RO`/`EVAL_RO`. */
  readonly readOnly: boolean;
  /** Its SHA1 (lowercase hex), the name `EVALSHA` and `SCRIPT EXISTS` know it by. */
  sha(): Promise<string>;
}

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function ignore(): void {}

/**
 * Defines a Lua script to call on any surface by its SHA1. Nothing is sent
 * (or hashed) until the first call.
 *
 * - On a client, pool, pooled connection, cluster client or router: sends
 *   `EVALSHA`; on `NOSCRIPT` (a server or cluster node that never saw the
 *   script, or one after `SCRIPT FLUSH`) sends the same call as `EVAL`,
 *   which also caches the script there for the next call. A cluster client
 *   routes both by the first key.
 * - On a `Pipeline`: queues `EVALSHA`; a `NOSCRIPT` reply makes the pipeline
 *   send that one call again as `EVAL` on the same connection, and
 *   `exec()` resolves with its reply in the call's place. The retried call
 *   runs after the pipeline's other commands, so a command queued after it
 *   on the same keys sees the keys before the script ran.
 * - On a `Transaction` or `ClusterTransaction`: queues `EVAL`. A `NOSCRIPT`
 *   inside `EXEC` could not be retried, and `EVAL` cannot get one (it needs
 *   no `SCRIPT` permission either, and sends the source once, as
 *   `SCRIPT LOAD` would).
 * - The first call on a pipeline, before the SHA1 is computed
 *   (`crypto.subtle`, asynchronous), queues `EVAL` as well.
 *
 * @param source The Lua source.
 * @param options `keys` (how many keys each call passes) and `readOnly`.
 * @returns The script, to call as `script(target, keys, args)`.
 * @throws {TypeError} When an option is unknown or `keys` is not a whole number, 0 or more.
 *
 * @example A capped counter, on a client, a pipeline and a transaction
 * ```ts
 * import { connect, defineScript } from "@redcache/redcache";
 *
 * const incrCapped = defineScript<number>(
 *   "local n = redis.call('INCR', KEYS[1]) if n > tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) return tonumber(ARGV[1]) end return n",
 *   { keys: 1 },
 * );
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const n = await incrCapped(redis, ["visits"], [10]);
 * const replies = await incrCapped(redis.pipeline(), ["visits"], [10]).get("visits").exec();
 * const results = await incrCapped(redis.multi(), ["visits"], [10]).exec();
 * ```
 */
export function defineScript<T = RedisReply>(source: string, options: ScriptOptions): Script<T> {
  if (typeof source !== "string") throw new TypeError("defineScript() expects the Lua source");
  if (typeof options !== "object" || options === null) {
    throw new TypeError("defineScript() expects options with the number of keys: { keys }");
  }
  checkOptionKeys(options, ["keys", "readOnly"], "defineScript()");
  const count = options.keys;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new TypeError(
      `Invalid option "keys" for defineScript(): expected a whole number, 0 or more`,
    );
  }
  const readOnly = options.readOnly === true;
  const evalName = readOnly ? "EVAL_RO" : "EVAL";
  const shaName = readOnly ? "EVALSHA_RO" : "EVALSHA";
  const fallback: SendOptions & ScriptSourceOption = { [SCRIPT_SOURCE]: source };
  let sha: string | undefined;
  let hashing: Promise<string> | undefined;

  const digest = (): Promise<string> =>
    hashing ??= sha1(source).then((hex) => (sha = hex), (error) => {
      hashing = undefined;
      throw error;
    });

  async function run(target: Pick<RedisTarget, "send">, tail: RedisArg[]): Promise<T> {
    const hex = sha ?? await digest();
    try {
      return await target.send<T>([shaName, hex, ...tail]);
    } catch (error) {
      if (!(error instanceof ReplyError) || error.code !== "NOSCRIPT") throw error;
      return await target.send<T>([evalName, source, ...tail]);
    }
  }

  function call(
    target: Commands<"chain"> | Pick<RedisTarget, "send">,
    keys: readonly string[],
    args: readonly RedisArg[] = [],
  ): Commands<"chain"> | Promise<T> {
    if (!Array.isArray(keys) || keys.length !== count) {
      throw new TypeError(
        `This script takes ${count} key${count === 1 ? "" : "s"}, but the call passed ${
          Array.isArray(keys) ? keys.length : "no array"
        }`,
      );
    }
    const tail: RedisArg[] = [count, ...keys, ...args];
    if (target instanceof AsyncCommands || !(target instanceof CommandBase)) {
      return run(target as Pick<RedisTarget, "send">, tail);
    }
    if (sha === undefined) digest().catch(ignore); // ready for the next call
    if (sha !== undefined && target instanceof Pipeline) {
      return target.sendMapped([shaName, sha, ...tail], undefined, fallback);
    }
    return target.sendMapped([evalName, source, ...tail]);
  }

  return Object.assign(call, { source, keys: count, readOnly, sha: digest }) as Script<T>;
}
