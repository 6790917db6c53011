/**
 * The client's reconnection policy beyond the `retry` option: which failed
 * handshakes are refusals (an answer, not an outage) and how long to wait
 * after one, and how long a retired connection may finish its commands.
 *
 * @module
 */

import { ReplyError } from "../errors.ts";

/** How long a retired connection may keep finishing its commands before it is closed. */
export const RETIRE_GRACE_MS = 1000;

/** First wait after a refused handshake; it doubles with each refusal in a row. */
const REFUSED_BASE_MS = 2_000;
/** Longest wait between refused handshakes. */
const REFUSED_MAX_MS = 60_000;

/** Replies that say "try later": an outage, not a refusal. */
const TRANSIENT_CODES = new Set(["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"]);

/**
 * The server answered the handshake with an error that waiting a few
 * milliseconds will not fix (refused credentials or permissions, a bad `db`):
 * not an outage. Replies that say "try later" (LOADING, BUSY…) are an outage.
 */
export function isRefusal(error: Error): boolean {
  return error instanceof ReplyError && !TRANSIENT_CODES.has(error.code);
}

/** A command's own copy of a refused handshake's error. */
export function refusalError(error: ReplyError): ReplyError {
  const copy = new ReplyError(error.message, { cause: error });
  copy.command = error.command;
  return copy;
}

/**
 * The wait before the next attempt after `refusals` refusals in a row
 * (seconds, not milliseconds: no storm), or `delay` if that is longer.
 */
export function refusedBackoff(delay: number, refusals: number): number {
  return Math.max(delay, Math.min(REFUSED_MAX_MS, REFUSED_BASE_MS * 2 ** refusals));
}
