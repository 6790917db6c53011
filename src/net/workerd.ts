/**
 * The workerd transport (Cloudflare Workers and anything running workerd):
 * `connect()` from `cloudflare:sockets`, whose sockets already are a pair of
 * Web streams, so `streams.ts` does the reading and writing.
 *
 * The module is loaded with a dynamic import of a specifier held in a
 * variable: Deno's type checker, Bun and bundlers leave it alone, and only
 * workerd, where it exists, ever resolves it.
 *
 * workerd cannot honour every TLS option: it trusts the CAs of its own
 * configuration (the `tlsOptions` of the Worker's outbound network service),
 * and its sockets offer neither client certificates nor a way to skip
 * verification. Those options are refused rather than ignored. A
 * `tls.serverName` other than the host is verified through `startTls()`.
 *
 * A socket belongs to the request that opened it. Used by another request,
 * it fails with an error that says so, marked `reconnect: false`: the client
 * closes rather than wait for a backoff timer, which workerd would drop with
 * the request that set it.
 *
 * @module
 */

import { streamConnector } from "./streams.ts";
import type { Connector, ConnectTarget, StreamPair, TransportHandlers } from "./transport.ts";

/** The part of a `cloudflare:sockets` socket that this transport uses. */
interface WorkerdSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves once connected (and, for TLS, verified); rejects when that fails. */
  readonly opened: Promise<unknown>;
  close(): Promise<void>;
  startTls(options?: { expectedServerHostname?: string }): WorkerdSocket;
}

/** The part of the `cloudflare:sockets` module that this transport uses. */
interface WorkerdSockets {
  connect(
    address: { hostname: string; port: number },
    options?: { secureTransport?: "off" | "on" | "starttls"; allowHalfOpen?: boolean },
  ): WorkerdSocket;
}

/**
 * In a variable, so that no type checker or bundler tries to resolve it
 * (`deno publish` warns that it cannot analyze the import: it is meant so).
 */
const SOCKETS_MODULE = "cloudflare:sockets";

let loaded: Promise<WorkerdSockets> | undefined;

/** Whether we run in workerd (its `navigator.userAgent` says so). */
export function isWorkerd(): boolean {
  return (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent ===
    "Cloudflare-Workers";
}

/**
 * Throws a `TypeError` naming the option when workerd's sockets cannot reach
 * `target` as asked: a Unix socket, or TLS with `caCerts`, `cert`, `key` or
 * `insecure`.
 */
export function checkWorkerdTarget(target: ConnectTarget): void {
  if (target.path !== undefined) {
    throw new TypeError(
      `Cannot connect to the Unix socket "${target.path}" in workerd: its sockets speak TCP only`,
    );
  }
  const tls = target.tls;
  if (tls === undefined) return;
  const refuse = (option: string, why: string) => {
    throw new TypeError(`Cannot use tls.${option} in workerd: ${why}`);
  };
  if (tls.caCerts !== undefined && tls.caCerts.length > 0) {
    refuse(
      "caCerts",
      "it trusts the CAs of its configuration (tlsOptions.trustedCertificates of the outbound network service)",
    );
  }
  if (tls.cert !== undefined) refuse("cert", "its sockets cannot present a client certificate");
  if (tls.key !== undefined) refuse("key", "its sockets cannot present a client certificate");
  if (tls.insecure) refuse("insecure", "its sockets always verify the server certificate");
}

/** Opens a socket with `cloudflare:sockets` and waits until it is connected. */
async function open(target: ConnectTarget): Promise<StreamPair> {
  checkWorkerdTarget(target);
  loaded ??= import(SOCKETS_MODULE) as Promise<WorkerdSockets>;
  const sockets = await loaded;
  const address = { hostname: target.host, port: target.port };
  const tls = target.tls;
  let socket: WorkerdSocket;
  if (tls === undefined) {
    socket = sockets.connect(address, { secureTransport: "off", allowHalfOpen: false });
  } else if (tls.serverName === undefined || tls.serverName === target.host) {
    socket = sockets.connect(address, { secureTransport: "on", allowHalfOpen: false });
  } else {
    // Verifying against another name than the host takes an upgrade, the only
    // place where cloudflare:sockets accepts the expected name.
    const plain = sockets.connect(address, { secureTransport: "starttls", allowHalfOpen: false });
    socket = plain.startTls({ expectedServerHostname: tls.serverName });
  }
  try {
    await socket.opened;
  } catch (error) {
    socket.close().catch(() => {});
    if (tls === undefined) throw error;
    // workerd tells a Worker no more than "internal error" or "cannot connect" for TLS failures.
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${reason} (TLS: the certificate must be trusted by the tlsOptions of workerd's outbound network service and valid for ${
        JSON.stringify(tls.serverName ?? target.host)
      }; workerd's log says more)`,
      { cause: error },
    );
  }
  return {
    readable: socket.readable,
    writable: socket.writable,
    close: () => void socket.close().catch(() => {}),
  };
}

/** workerd's words when a socket is used by another request than the one that opened it. */
const OTHER_REQUEST = /on behalf of a different request/;

/**
 * The error to report for a failed socket operation: workerd's own, or, when
 * the socket was opened by another request, one that says what to do about
 * it (marked `reconnect: false`, see `cannotReconnect`).
 */
function explain(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  if (!OTHER_REQUEST.test(original.message)) return original;
  const explained = new Error(
    "Cannot use a socket opened by another request: workerd ties each socket to the request that opened it, so create the client, pool or cache inside the request handler and close it there (ctx.waitUntil(cache.close()))",
    { cause: original },
  );
  return Object.assign(explained, { reconnect: false });
}

const streams = streamConnector(open);

/** Connects with `cloudflare:sockets`, imported on first use. */
export const workerdConnector: Connector = async (target, handlers: TransportHandlers) => {
  const transport = await streams(target, {
    data: (chunk) => handlers.data(chunk),
    closed: (error) => handlers.closed(error === undefined ? undefined : explain(error)),
  });
  const failed = (error: unknown): never => {
    throw explain(error);
  };
  return {
    write(chunk) {
      try {
        return transport.write(chunk)?.catch(failed);
      } catch (error) {
        return failed(error);
      }
    },
    close: () => transport.close(),
  };
};
