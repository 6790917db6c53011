/**
 * The Bun transport: `Bun.connect` for TCP, Unix sockets and TLS. Bun hands
 * over data through callbacks, which feed the decoder directly (no stream in
 * between); writes that the kernel does not take at once wait for `drain`.
 *
 * Closing never waits for the peer: `end()` on a TLS socket sends close_notify
 * and keeps the socket open until the peer answers, which a stopped or
 * partitioned server never does. So `close()` closes the file descriptor at
 * once (a FIN; TLS sends its close_notify without waiting for the reply) and,
 * should Bun still hold the socket (e.g. behind unsent ciphertext to a peer
 * that stopped reading), resets it shortly after.
 *
 * @module
 */

import type { Connector, ConnectTarget, Transport, TransportHandlers } from "./transport.ts";

/** The part of Bun's socket that this transport uses. */
interface BunSocket {
  write(data: Uint8Array): number;
  end(): void;
  /** Closes the file descriptor now, without waiting for the peer (Bun 1.1+). */
  close?(): void;
  terminate?(): void;
  setNoDelay?(noDelay?: boolean): boolean;
}

interface BunSocketHandlers {
  open?(socket: BunSocket): void;
  data(socket: BunSocket, data: Uint8Array): void;
  drain(socket: BunSocket): void;
  close(socket: BunSocket, error?: Error): void;
  error(socket: BunSocket, error: Error): void;
  connectError?(socket: BunSocket, error: Error): void;
  end(socket: BunSocket): void;
  handshake?(socket: BunSocket, success: boolean, authorizationError: Error | null): void;
}

interface BunConnectOptions {
  hostname?: string;
  port?: number;
  unix?: string;
  tls?: {
    ca?: string[];
    serverName?: string;
    cert?: string;
    key?: string;
    rejectUnauthorized?: boolean;
  };
  socket: BunSocketHandlers;
}

/** The part of the `Bun` global that this transport uses. */
export interface BunGlobal {
  connect(options: BunConnectOptions): Promise<BunSocket>;
}

/** Returns `Bun` when running on Bun. */
export function bunGlobal(): BunGlobal | undefined {
  return (globalThis as { Bun?: BunGlobal }).Bun;
}

function options(target: ConnectTarget, socket: BunSocketHandlers): BunConnectOptions {
  if (target.path !== undefined) return { unix: target.path, socket };
  const tls = target.tls;
  if (tls === undefined) return { hostname: target.host, port: target.port, socket };
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new TypeError(
      "Cannot use a TLS client certificate without its key: pass both tls.cert and tls.key",
    );
  }
  return {
    hostname: target.host,
    port: target.port,
    tls: {
      ca: tls.caCerts,
      serverName: tls.serverName ?? target.host,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: !tls.insecure,
    },
    socket,
  };
}

/** Milliseconds a closing socket may take before it is reset. */
const CLOSE_GRACE_MS = 20;

/**
 * Closes `socket` without waiting for the peer; resets it if Bun has not let
 * go of it within {@linkcode CLOSE_GRACE_MS}. `isClosed` tells whether the
 * `close` handler ran.
 */
function shut(socket: BunSocket, isClosed: () => boolean): void {
  try {
    if (socket.close !== undefined) socket.close();
    else socket.end();
  } catch { /* already closed */ }
  if (isClosed() || socket.terminate === undefined) return;
  const timer = setTimeout(() => {
    if (isClosed()) return;
    try {
      socket.terminate!();
    } catch { /* already closed */ }
  }, CLOSE_GRACE_MS);
  (timer as { unref?: () => void }).unref?.();
}

/** Connects with Bun's own socket API. */
export const bunConnector: Connector = (target, handlers: TransportHandlers) => {
  const bun = bunGlobal();
  if (bun === undefined) return Promise.reject(new TypeError("Bun.connect is not available"));
  return new Promise<Transport>((resolve, reject) => {
    let settled = false;
    /** The transport was handed to the connection: only then does it hear of the close. */
    let handedOver = false;
    let closed = false;
    let failure: Error | undefined;
    /** Bytes the kernel did not take yet, and who waits for them. */
    let backlog: Uint8Array | undefined;
    let drained: (() => void) | undefined;
    let drainFailed: ((error: Error) => void) | undefined;
    let socketRef: BunSocket | undefined;
    let handshakeDone = false;
    /** Resolves once the socket is open and, for TLS, verified. */
    const ready = () => {
      if (settled || socketRef === undefined) return;
      if (opts.tls !== undefined && !handshakeDone) return;
      settled = true;
      handedOver = true;
      resolve(transport);
    };

    const fail = (error: Error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
      failure ??= error;
    };

    const transport: Transport = {
      write(chunk) {
        if (closed) return Promise.reject(failure ?? new Error("Socket is closed"));
        const written = socketRef!.write(chunk);
        if (written === chunk.length) return;
        backlog = chunk.subarray(Math.max(written, 0));
        return new Promise<void>((res, rej) => {
          drained = res;
          drainFailed = rej;
        });
      },
      close() {
        if (closed || socketRef === undefined) return;
        shut(socketRef, () => closed);
      },
    };

    const socketHandlers: BunSocketHandlers = {
      data(_socket, data) {
        handlers.data(data);
      },
      drain(socket) {
        if (backlog === undefined) return;
        const written = socket.write(backlog);
        if (written < backlog.length) {
          backlog = backlog.subarray(Math.max(written, 0));
          return;
        }
        backlog = undefined;
        const done = drained;
        drained = drainFailed = undefined;
        done?.();
      },
      handshake(socket, success, authorizationError) {
        if (!success || authorizationError) {
          fail(authorizationError ?? new Error("TLS handshake failed"));
          shut(socket, () => closed);
          return;
        }
        handshakeDone = true;
        ready();
      },
      error(_socket, error) {
        fail(error);
      },
      connectError(_socket, error) {
        fail(error);
      },
      end(socket) {
        // The peer is done: so are we (no half-open socket, no wait for close_notify).
        shut(socket, () => closed);
      },
      close(_socket, error) {
        if (closed) return;
        closed = true;
        if (error) failure ??= error;
        if (!settled) {
          settled = true;
          reject(failure ?? new Error("Socket closed while connecting"));
        }
        const rej = drainFailed;
        drained = drainFailed = undefined;
        backlog = undefined;
        rej?.(failure ?? new Error("Socket closed"));
        // A socket that failed while connecting rejects the connect; nobody owns it yet.
        if (handedOver) handlers.closed(failure);
      },
    };

    let opts: BunConnectOptions;
    try {
      opts = options(target, socketHandlers);
    } catch (error) {
      reject(error);
      return;
    }
    bun.connect(opts).then((socket) => {
      socketRef = socket;
      socket.setNoDelay?.(true);
      if (settled) {
        // The handshake failed before connect() resolved.
        shut(socket, () => closed);
        return;
      }
      ready();
    }, fail);
  });
};
