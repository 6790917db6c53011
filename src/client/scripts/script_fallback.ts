/**
 * The `NOSCRIPT` fallback of a pipelined `EVALSHA`: a symbol-keyed send
 * option carries the script's source (so `checkSendOptions` never sees it),
 * and the pipeline wraps that command's `Settle` so that a `NOSCRIPT` reply
 * sends the same call again as `EVAL` on the same dispatcher, settling the
 * pipeline's slot with the outcome of the retry.
 *
 * @module
 */

import { ReplyError } from "../../errors.ts";
import type { Command } from "../../resp/types.ts";
import type { SendOptions, Settle } from "../send_options.ts";
import type { Dispatcher } from "../target.ts";

/** A send option: the Lua source behind an `EVALSHA`/`EVALSHA_RO` command. */
export const SCRIPT_SOURCE: unique symbol = Symbol("redcache.scriptSource");

/** The send option above, as a type to spread into `SendOptions`. */
export interface ScriptSourceOption {
  [SCRIPT_SOURCE]?: string;
}

/** `EVALSHA sha n …` as `EVAL source n …` (`EVALSHA_RO` as `EVAL_RO`). */
export function evalCommand(command: Command, source: string): Command {
  return [command[0] === "EVALSHA_RO" ? "EVAL_RO" : "EVAL", source, ...command.slice(2)];
}

/**
 * `settle`, or, when `options` carry a script source, a `Settle` that answers
 * a `NOSCRIPT` error by dispatching the `EVAL` form of `command` to `target`
 * with `settle` itself (so it is retried once).
 */
export function withScriptFallback(
  target: Dispatcher,
  command: Command,
  settle: Settle,
  options: SendOptions | undefined,
): Settle {
  const source = (options as ScriptSourceOption | undefined)?.[SCRIPT_SOURCE];
  if (source === undefined) return settle;
  return {
    resolve: (value) => settle.resolve(value),
    reject: (error) => {
      if (error instanceof ReplyError && error.code === "NOSCRIPT") {
        target.dispatch(evalCommand(command, source), settle, options);
      } else {
        settle.reject(error);
      }
    },
  };
}
