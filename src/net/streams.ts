/**
 * A transport over any `{ readable, writable }` pair of Web streams. Closing
 * it calls the pair's `close()` and aborts the writable side at once, so a
 * peer that stopped reading cannot hold the socket open.
 *
 * @module
 */

import type { Connector, StreamConnector, Transport, TransportHandlers } from "./transport.ts";

/** Adapts a function that opens a stream pair into a `Connector`. */
export function streamConnector(open: StreamConnector): Connector {
  return async (target, handlers: TransportHandlers): Promise<Transport> => {
    const pair = await open(target);
    const reader = pair.readable.getReader();
    const writer = pair.writable.getWriter();
    let closing = false;
    /**
     * Lets go of the socket without waiting for writes still queued to a peer
     * that may never read them (a graceful `writer.close()` would wait).
     */
    const release = () => {
      try {
        pair.close?.();
      } catch { /* already closed */ }
      writer.abort().catch(() => {});
    };
    (async () => {
      let failure: Error | undefined;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          handlers.data(value);
        }
      } catch (error) {
        if (!closing) failure = error instanceof Error ? error : new Error(String(error));
      }
      closing = true;
      release();
      handlers.closed(failure);
    })();
    return {
      write: (chunk) => writer.write(chunk),
      close() {
        if (closing) return;
        closing = true;
        reader.cancel().catch(() => {});
        release();
      },
    };
  };
}
