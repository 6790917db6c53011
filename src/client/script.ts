/**
 * `Script`: a Lua script run by its SHA1 (`EVALSHA`), sent whole (`EVAL`)
 * when the server does not know it yet (a new server, or after
 * `SCRIPT FLUSH`). The stores and the web layer's sessions use it.
 *
 * @module
 */

import type { RedisTarget } from "./target.ts";
import { ReplyError } from "../errors.ts";
import type { RedisArg } from "../resp/types.ts";

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A Lua script, loaded on first use. Routed by its first key, so a script
 * over one key (or keys of one slot) runs under every strategy.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 * import { Script } from "./script.ts";
 *
 * const GET_DEL = new Script("local v = redis.call('GET', KEYS[1]) redis.call('DEL', KEYS[1]) return v");
 * await using pool = createPool("redis://127.0.0.1:6379");
 * const value = await GET_DEL.run<string | null>(pool, ["k"], []);
 * ```
 */
export class Script {
  #source: string;
  #sha: Promise<string> | undefined;

  /** @param source The Lua source. */
  constructor(source: string) {
    this.#source = source;
  }

  /** Runs the script on `keys` with `args`. */
  async run<T>(
    target: RedisTarget,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<T> {
    this.#sha ??= sha1(this.#source);
    const sha = await this.#sha;
    try {
      return await target.send<T>(["EVALSHA", sha, keys.length, ...keys, ...args]);
    } catch (error) {
      if (!(error instanceof ReplyError) || error.code !== "NOSCRIPT") throw error;
      return await target.send<T>(["EVAL", this.#source, keys.length, ...keys, ...args]);
    }
  }
}
