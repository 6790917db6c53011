/**
 * The Deno transport: `Deno.connect` for TCP and Unix sockets,
 * `Deno.connectTls` / `Deno.startTls` for TLS. Reads go into one reusable
 * buffer, since the decoder copies only what it keeps.
 *
 * @module
 */

import type { Connector, ConnectTarget, Transport, TransportHandlers } from "./transport.ts";

const READ_SIZE = 256 * 1024;

async function open(target: ConnectTarget): Promise<Deno.Conn> {
  if (target.path !== undefined) {
    return await Deno.connect({ transport: "unix", path: target.path });
  }
  const tls = target.tls;
  if (tls === undefined) {
    const conn = await Deno.connect({ hostname: target.host, port: target.port });
    conn.setNoDelay(true);
    return conn;
  }
  if (tls.insecure) {
    throw new TypeError(
      "Cannot turn off TLS verification on Deno: pass the server's CA in tls.caCerts, or run Deno with --unsafely-ignore-certificate-errors",
    );
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new TypeError(
      "Cannot use a TLS client certificate without its key: pass both tls.cert and tls.key",
    );
  }
  const pair = tls.cert !== undefined ? { cert: tls.cert, key: tls.key! } : {};
  let conn: Deno.TlsConn;
  if (tls.serverName !== undefined && tls.serverName !== target.host) {
    if (tls.cert !== undefined) {
      throw new TypeError("Cannot combine tls.serverName with a client certificate on Deno");
    }
    const tcp = await Deno.connect({ hostname: target.host, port: target.port });
    tcp.setNoDelay(true);
    conn = await Deno.startTls(tcp, { hostname: tls.serverName, caCerts: tls.caCerts });
  } else {
    conn = await Deno.connectTls({
      hostname: target.host,
      port: target.port,
      caCerts: tls.caCerts,
      ...pair,
    });
  }
  try {
    await conn.handshake();
  } catch (error) {
    conn.close();
    throw error;
  }
  return conn;
}

/** Connects with Deno's own socket API. */
export const denoConnector: Connector = async (target, handlers: TransportHandlers) => {
  const conn = await open(target);
  let closing = false;
  (async () => {
    const buffer = new Uint8Array(READ_SIZE);
    let failure: Error | undefined;
    try {
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) break;
        handlers.data(buffer.subarray(0, n));
      }
    } catch (error) {
      if (!closing) failure = error instanceof Error ? error : new Error(String(error));
    }
    if (!closing) {
      closing = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    }
    handlers.closed(failure);
  })();
  const transport: Transport = {
    async write(chunk) {
      let offset = 0;
      while (offset < chunk.length) offset += await conn.write(chunk.subarray(offset));
    },
    close() {
      if (closing) return;
      closing = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  };
  return transport;
};
