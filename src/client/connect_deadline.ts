/**
 * The deadline of opening a connection: `connectTimeout` for the socket, TLS
 * and handshake together, or the client closing while it opens.
 *
 * @module
 */

import { ConnectionError, TimeoutError } from "../errors.ts";

/** A promise that rejects when time is up or `signal` aborts; `clear()` stops both. */
export interface ConnectDeadline {
  promise: Promise<never>;
  clear(): void;
}

/**
 * Starts the deadline of opening a connection to `label`: rejects with
 * `TimeoutError` after `ms`, or with `ConnectionError` when `signal` aborts
 * (at once if it has).
 */
export function connectDeadline(
  label: string,
  ms: number,
  signal: AbortSignal | undefined,
): ConnectDeadline {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(`Cannot connect to ${label}: no answer within ${ms} ms`));
    }, ms);
    onAbort = () =>
      reject(new ConnectionError(`Cannot connect to ${label}: the client was closed`));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
  });
  return {
    promise,
    clear() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort!);
    },
  };
}
