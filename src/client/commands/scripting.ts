/**
 * Typed scripting commands: `EVAL`, `EVALSHA` (and their `_RO` forms),
 * `SCRIPT`, `FCALL`, `FCALL_RO` and `FUNCTION`. For a script run by its SHA1
 * with the fallback to `EVAL` done for you, see `defineScript`.
 *
 * @module
 */

import { toBooleans } from "./replies.ts";
import type { RedisArg, RedisReply } from "../../resp/types.ts";
import type { CommandMode, CommandResult } from "./base.ts";
import { GeoCommands } from "./geo.ts";
import {
  flushArgs,
  type FunctionLibrary,
  functionListArgs,
  type FunctionListOptions,
  functionLoadArgs,
  type FunctionLoadOptions,
  toFunctionLibraries,
} from "./scripting_args.ts";

/**
 * Typed scripting commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.eval("return ARGV[1]", [], ["hi"]);
 * ```
 */
export abstract class ScriptingCommands<M extends CommandMode> extends GeoCommands<M> {
  /**
   * `EVAL`: runs a Lua script with its keys and arguments; the raw reply.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const n = await redis.eval<number>("return redis.call('INCR', KEYS[1])", ["hits"]);
   * ```
   */
  eval<T = RedisReply>(
    script: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["EVAL", script, keys.length, ...keys, ...args]);
  }

  /**
   * `EVALSHA`: runs a script the server already has, by its SHA1; the raw
   * reply. Rejects with a `NOSCRIPT` `ReplyError` when the server lacks it.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const sha = await redis.script("LOAD", "return 1");
   * await redis.evalsha<number>(sha); // 1
   * ```
   */
  evalsha<T = RedisReply>(
    sha: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["EVALSHA", sha, keys.length, ...keys, ...args]);
  }

  /**
   * `EVAL_RO`: runs a read-only Lua script (a write inside it fails); may be
   * served by a replica. The raw reply.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const len = await redis.eval_ro<number>("return redis.call('STRLEN', KEYS[1])", ["name"]);
   * ```
   */
  eval_ro<T = RedisReply>(
    script: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["EVAL_RO", script, keys.length, ...keys, ...args]);
  }

  /**
   * `EVALSHA_RO`: runs a read-only script the server already has, by its
   * SHA1; the raw reply.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const sha = await redis.script("LOAD", "return redis.call('GET', KEYS[1])");
   * const value = await redis.evalsha_ro<string | null>(sha, ["name"]);
   * ```
   */
  evalsha_ro<T = RedisReply>(
    sha: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["EVALSHA_RO", sha, keys.length, ...keys, ...args]);
  }

  /**
   * `SCRIPT LOAD`: stores a script in the server's script cache; resolves
   * with its SHA1 (lowercase hex), for `evalsha`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const sha = await redis.script("LOAD", "return ARGV[1]");
   * ```
   */
  script(subcommand: "LOAD", source: string): CommandResult<M, string, this>;
  /**
   * `SCRIPT EXISTS`: whether the script cache holds each SHA1, one boolean
   * per SHA1, in order.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const sha = await redis.script("LOAD", "return 1");
   * const [known] = await redis.script("EXISTS", sha); // true
   * ```
   */
  script(subcommand: "EXISTS", ...shas: string[]): CommandResult<M, boolean[], this>;
  /**
   * `SCRIPT FLUSH`: empties the script cache (`"ASYNC"` in the background,
   * `"SYNC"` at once; the server's default when omitted); `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.script("FLUSH", "SYNC"); // "OK"
   * ```
   */
  script(subcommand: "FLUSH", mode?: "ASYNC" | "SYNC"): CommandResult<M, "OK", this>;
  script(
    subcommand: "LOAD" | "EXISTS" | "FLUSH",
    ...args: (string | undefined)[]
  ): CommandResult<M, unknown, this> {
    switch (subcommand) {
      case "LOAD":
        if (typeof args[0] !== "string") {
          throw new TypeError(`script("LOAD") expects the script source`);
        }
        return this.sendMapped<string>(["SCRIPT", "LOAD", args[0]]);
      case "EXISTS":
        return this.sendMapped(["SCRIPT", "EXISTS", ...(args as string[])], toBooleans);
      case "FLUSH":
        return this.sendMapped<"OK">(["SCRIPT", "FLUSH", ...flushArgs(args[0], `script("FLUSH")`)]);
      default:
        throw new TypeError(
          `Unknown subcommand "${String(subcommand).slice(0, 20)}" for script(): ` +
            `expected LOAD, EXISTS or FLUSH`,
        );
    }
  }

  /**
   * `FCALL`: calls a function of a loaded library with its keys and
   * arguments; the raw reply.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.function("LOAD", "#!lua name=counter\nredis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)", { replace: true });
   * const n = await redis.fcall<number>("bump", ["hits"]);
   * ```
   */
  fcall<T = RedisReply>(
    name: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["FCALL", name, keys.length, ...keys, ...args]);
  }

  /**
   * `FCALL_RO`: calls a function registered with the `no-writes` flag; may
   * be served by a replica. The raw reply.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.function("LOAD", "#!lua name=reader\nredis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}", { replace: true });
   * const value = await redis.fcall_ro<string | null>("peek", ["name"]);
   * ```
   */
  fcall_ro<T = RedisReply>(
    name: string,
    keys: readonly string[] = [],
    args: readonly RedisArg[] = [],
  ): CommandResult<M, T, this> {
    return this.sendMapped<T>(["FCALL_RO", name, keys.length, ...keys, ...args]);
  }

  /**
   * `FUNCTION LOAD`: loads a library (its code starts with
   * `#!lua name=<library>`); resolves with the library's name. Fails when a
   * library of that name exists, unless `{ replace: true }`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const code = "#!lua name=mylib\nredis.register_function('one', function() return 1 end)";
   * await redis.function("LOAD", code, { replace: true }); // "mylib"
   * ```
   */
  function(
    subcommand: "LOAD",
    code: string,
    options?: FunctionLoadOptions,
  ): CommandResult<M, string, this>;
  /**
   * `FUNCTION DELETE`: deletes a library and its functions; `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.function("DELETE", "mylib");
   * ```
   */
  function(subcommand: "DELETE", library: string): CommandResult<M, "OK", this>;
  /**
   * `FUNCTION FLUSH`: deletes every library (`"ASYNC"` in the background,
   * `"SYNC"` at once; the server's default when omitted); `"OK"`.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.function("FLUSH", "SYNC");
   * ```
   */
  function(subcommand: "FLUSH", mode?: "ASYNC" | "SYNC"): CommandResult<M, "OK", this>;
  /**
   * `FUNCTION LIST`: the loaded libraries, each as
   * `{ libraryName, engine, functions: [{ name, description, flags }], libraryCode? }`
   * (`description` is `null` when none was given; `libraryCode` only with
   * `withCode: true`), the same on RESP2 and RESP3.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [lib] = await redis.function("LIST", { libraryName: "mylib", withCode: true });
   * console.log(lib?.functions.map((f) => f.name), lib?.libraryCode);
   * ```
   */
  function(
    subcommand: "LIST",
    options?: FunctionListOptions,
  ): CommandResult<M, FunctionLibrary[], this>;
  function(
    subcommand: "LOAD" | "DELETE" | "FLUSH" | "LIST",
    first?: string | FunctionListOptions,
    options?: FunctionLoadOptions,
  ): CommandResult<M, unknown, this> {
    switch (subcommand) {
      case "LOAD":
        return this.sendMapped<string>(["FUNCTION", "LOAD", ...functionLoadArgs(first, options)]);
      case "DELETE":
        if (typeof first !== "string") {
          throw new TypeError(`function("DELETE") expects a library name`);
        }
        return this.sendMapped<"OK">(["FUNCTION", "DELETE", first]);
      case "FLUSH":
        return this.sendMapped<"OK">([
          "FUNCTION",
          "FLUSH",
          ...flushArgs(first, `function("FLUSH")`),
        ]);
      case "LIST":
        return this.sendMapped(
          ["FUNCTION", "LIST", ...functionListArgs(first)],
          toFunctionLibraries,
        );
      default:
        throw new TypeError(
          `Unknown subcommand "${String(subcommand).slice(0, 20)}" for function(): ` +
            `expected LOAD, DELETE, FLUSH or LIST`,
        );
    }
  }
}
