/**
 * What the scripting commands share besides the class: option interfaces,
 * argument builders and reply shapers of `SCRIPT` and `FUNCTION`.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import { toArray, toRecord } from "./replies.ts";

/**
 * Options of `function("LOAD", code, options)`.
 *
 * @example
 * ```ts
 * import { connect, type FunctionLoadOptions } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const options: FunctionLoadOptions = { replace: true };
 * await redis.function("LOAD", "#!lua name=mylib\nredis.register_function('one', function() return 1 end)", options);
 * ```
 */
export interface FunctionLoadOptions {
  /** Replace a library of the same name (`REPLACE`) instead of failing. */
  replace?: boolean;
}

/**
 * Options of `function("LIST", options)`.
 *
 * @example
 * ```ts
 * import { connect, type FunctionListOptions } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const options: FunctionListOptions = { libraryName: "my*", withCode: true };
 * const libraries = await redis.function("LIST", options);
 * ```
 */
export interface FunctionListOptions {
  /** Only libraries whose name matches this glob-style pattern (`LIBRARYNAME`). */
  libraryName?: string;
  /** Include each library's source code as `libraryCode` (`WITHCODE`). */
  withCode?: boolean;
}

/**
 * One function of a library, as `FUNCTION LIST` describes it.
 *
 * @example
 * ```ts
 * import { connect, type FunctionInfo } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [library] = await redis.function("LIST", { libraryName: "mylib" });
 * const readOnly: FunctionInfo[] = library?.functions.filter((f) => f.flags.includes("no-writes")) ?? [];
 * ```
 */
export interface FunctionInfo {
  /** The name `FCALL` calls it by. */
  name: string;
  /** Its description, or `null` when it was registered without one. */
  description: string | null;
  /** Its flags (`"no-writes"`, `"allow-oom"`, …), possibly none. */
  flags: string[];
}

/**
 * One library, as `FUNCTION LIST` describes it, the same on RESP2 and RESP3.
 *
 * @example
 * ```ts
 * import { connect, type FunctionLibrary } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const libraries: FunctionLibrary[] = await redis.function("LIST");
 * for (const { libraryName, functions } of libraries) console.log(libraryName, functions.length);
 * ```
 */
export interface FunctionLibrary {
  /** The name given by the `#!lua name=…` line. */
  libraryName: string;
  /** The engine, `"LUA"`. */
  engine: string;
  /** The functions it registers. */
  functions: FunctionInfo[];
  /** Its source, only with `withCode: true`. */
  libraryCode?: string;
}

/** `[]`, or `[mode]` when `mode` is `"ASYNC"` or `"SYNC"` (a TypeError otherwise). */
export function flushArgs(mode: unknown, method: string): RedisArg[] {
  if (mode === undefined) return [];
  if (mode === "ASYNC" || mode === "SYNC") return [mode];
  throw new TypeError(`Invalid flush mode for ${method}: expected "ASYNC" or "SYNC"`);
}

/** The arguments of `FUNCTION LOAD` after the subcommand. */
export function functionLoadArgs(code: unknown, options: unknown): RedisArg[] {
  if (typeof code !== "string") throw new TypeError(`function("LOAD") expects the library code`);
  if (options === undefined) return [code];
  const { replace } = options as FunctionLoadOptions;
  checkOptionKeys(options as object, ["replace"], `function("LOAD")`);
  return replace ? ["REPLACE", code] : [code];
}

/** The arguments of `FUNCTION LIST` after the subcommand. */
export function functionListArgs(options: unknown): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options as object, ["libraryName", "withCode"], `function("LIST")`);
  const { libraryName, withCode } = options as FunctionListOptions;
  const args: RedisArg[] = [];
  if (libraryName !== undefined) args.push("LIBRARYNAME", libraryName);
  if (withCode) args.push("WITHCODE");
  return args;
}

function text(value: RedisReply | undefined): string {
  return value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);
}

function toFunctionInfo(reply: RedisReply): FunctionInfo {
  const fn = toRecord<RedisReply>(reply);
  return {
    name: text(fn.name),
    description: fn.description === null || fn.description === undefined
      ? null
      : text(fn.description),
    flags: toArray<RedisReply>(fn.flags).map(text),
  };
}

/** `FUNCTION LIST`: RESP2 flat arrays or RESP3 maps, as `FunctionLibrary` objects. */
export function toFunctionLibraries(reply: RedisReply): FunctionLibrary[] {
  return toArray<RedisReply>(reply).map((entry) => {
    const library = toRecord<RedisReply>(entry);
    const out: FunctionLibrary = {
      libraryName: text(library.library_name),
      engine: text(library.engine),
      functions: toArray<RedisReply>(library.functions).map(toFunctionInfo),
    };
    if (library.library_code !== undefined) out.libraryCode = text(library.library_code);
    return out;
  });
}
