/**
 * What the list commands (`ListCommands`, `BlockingListCommands`) share: their
 * option and reply types, argument builders and reply shapers. Not part of the
 * command class chain.
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";

/**
 * The end of a list a command pops from or pushes to (`LMOVE`, `LMPOP`, `BLMOVE`, `BLMPOP`).
 *
 * @example
 * ```ts
 * import { connect, type ListSide } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const from: ListSide = "RIGHT";
 * await redis.lmove("jobs", "working", from, "LEFT");
 * ```
 */
export type ListSide = "LEFT" | "RIGHT";

/**
 * Where `LINSERT` puts the element: before or after the pivot.
 *
 * @example
 * ```ts
 * import { connect, type ListInsertPosition } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const where: ListInsertPosition = "AFTER";
 * await redis.linsert("letters", where, "a", "b");
 * ```
 */
export type ListInsertPosition = "BEFORE" | "AFTER";

/**
 * Options of `LPOS`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const last = await redis.lpos("letters", "a", { rank: -1 }); // number | null
 * const all = await redis.lpos("letters", "a", { count: 0, maxlen: 1000 }); // number[]
 * ```
 */
export interface LposOptions {
  /** Which match to return: `1` the first, `2` the second, `-1` the last, …; not `0`. */
  rank?: number;
  /** Return up to this many positions as an array (`0`: all of them). */
  count?: number;
  /** Compare at most this many elements (`0`: the whole list). */
  maxlen?: number;
}

/**
 * Options of `LMPOP` and `BLMPOP`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const popped = await redis.lmpop(["urgent", "normal"], "LEFT", { count: 10 });
 * ```
 */
export interface LmpopOptions {
  /** Pop up to this many elements (more than 0). @default 1 */
  count?: number;
}

/**
 * One element popped by `BLPOP` or `BRPOP`, with the key of the list it came from.
 *
 * @example
 * ```ts
 * import { connect, type PoppedElement } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const job: PoppedElement | null = await redis.blpop(["urgent", "normal"], 5);
 * if (job !== null) console.log(job.key, job.element);
 * ```
 */
export interface PoppedElement {
  /** The list the element was popped from. */
  key: string;
  /** The element. */
  element: string;
}

/**
 * The elements popped by `LMPOP` or `BLMPOP`, with the key of the list they came from.
 *
 * @example
 * ```ts
 * import { connect, type PoppedElements } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const batch: PoppedElements | null = await redis.lmpop(["jobs"], "LEFT", { count: 5 });
 * if (batch !== null) console.log(batch.key, batch.elements);
 * ```
 */
export interface PoppedElements {
  /** The list the elements were popped from. */
  key: string;
  /** The elements, in the order they were popped. */
  elements: string[];
}

const LPOS_KEYS = ["rank", "count", "maxlen"];
const LMPOP_KEYS = ["count"];

/** The `RANK`/`COUNT`/`MAXLEN` arguments of `LPOS`, checked. */
export function lposArgs(options: LposOptions | undefined): RedisArg[] {
  if (options === undefined) return [];
  checkOptionKeys(options, LPOS_KEYS, "lpos()");
  const args: RedisArg[] = [];
  if (options.rank !== undefined) args.push("RANK", options.rank);
  if (options.count !== undefined) args.push("COUNT", options.count);
  if (options.maxlen !== undefined) args.push("MAXLEN", options.maxlen);
  return args;
}

/** `numkeys key… LEFT|RIGHT [COUNT n]` of `LMPOP` and `BLMPOP`, checked. */
export function lmpopArgs(
  keys: readonly string[],
  side: ListSide,
  options: LmpopOptions | undefined,
  method: string,
): RedisArg[] {
  const args: RedisArg[] = [keys.length, ...keys, side];
  if (options === undefined) return args;
  checkOptionKeys(options, LMPOP_KEYS, `${method}()`);
  if (options.count !== undefined) args.push("COUNT", options.count);
  return args;
}

/** `[key, element]` → `{ key, element }`; `null` (a timeout) stays `null`. */
export function toPoppedElement(reply: RedisReply): PoppedElement | null {
  if (reply === null) return null;
  const [key, element] = reply as [string, string];
  return { key, element };
}

/** `[key, [element, …]]` → `{ key, elements }`; `null` (nothing to pop) stays `null`. */
export function toPoppedElements(reply: RedisReply): PoppedElements | null {
  if (reply === null) return null;
  const [key, elements] = reply as [string, string[]];
  return { key, elements };
}
