/**
 * A transport over any `{ readable, writable }` pair of Web streams.
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
      await writer.close().catch(() => {});
      try {
        pair.close?.();
      } catch { /* already closed */ }
      handlers.closed(failure);
    })();
    return {
      write: (chunk) => writer.write(chunk),
      close() {
        if (closing) return;
        closing = true;
        reader.cancel().catch(() => {});
      },
    };
  };
}
