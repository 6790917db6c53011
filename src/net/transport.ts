/**
 * The transport contract: the one thing a runtime must provide to carry RESP.
 * The Deno, Bun and Web-streams adapters beside this file implement it;
 * `resolve.ts` picks the one to use.
 *
 * @module
 */

/**
 * TLS settings. Certificate and host name verification are on unless `insecure`.
 * In workerd, only `serverName` applies: workerd trusts the CAs of its own
 * configuration and has no client certificates, so the other options are a
 * `TypeError` there.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * declare const caPem: string; // e.g. await Deno.readTextFile("ca.pem")
 * await using redis = await connect({
 *   url: "rediss://cache:6380",
 *   tls: { caCerts: [caPem], serverName: "cache.internal" },
 * });
 * ```
 */
export interface TlsOptions {
  /** Extra trusted CA certificates, PEM encoded. */
  caCerts?: string[];
  /** The name to verify the certificate against (and send as SNI), when not the host. */
  serverName?: string;
  /** Client certificate chain for mutual TLS, PEM encoded. */
  cert?: string;
  /** Client private key for mutual TLS, PEM encoded. */
  key?: string;
  /**
   * Skip certificate verification. Only for tests against self-signed servers.
   *
   * @default {false}
   */
  insecure?: boolean;
}

/**
 * Where a transport connects: a TCP host and port, or a Unix socket path.
 *
 * @example
 * ```ts
 * import type { ConnectTarget } from "@redcache/redcache";
 *
 * const target: ConnectTarget = { host: "127.0.0.1", port: 6379 };
 * ```
 */
export interface ConnectTarget {
  /** Host name or IP address (ignored when `path` is set). */
  host: string;
  /** TCP port (ignored when `path` is set). */
  port: number;
  /** Unix socket path. */
  path?: string;
  /** TLS settings, when the connection is encrypted. */
  tls?: TlsOptions;
}

/** Callbacks from a transport to the connection that owns it. */
export interface TransportHandlers {
  /** Bytes arrived. `chunk` is only valid during the call. */
  data(chunk: Uint8Array): void;
  /** The socket closed, by either side; `error` when it failed. Called once. */
  closed(error?: Error): void;
}

/** An open socket as the connection sees it. */
export interface Transport {
  /**
   * Writes `chunk`. When a promise is returned, `chunk` must stay unchanged
   * until it settles; otherwise the transport is already done with it.
   */
  write(chunk: Uint8Array): void | Promise<void>;
  /** Closes the socket; `handlers.closed` follows. */
  close(): void;
}

/** Opens a transport to `target`, reporting to `handlers`. */
export type Connector = (target: ConnectTarget, handlers: TransportHandlers) => Promise<Transport>;

/**
 * A socket as a pair of Web streams, as edge runtimes and `Deno.Conn` provide.
 *
 * @example
 * ```ts
 * import type { StreamPair } from "@redcache/redcache";
 *
 * const pair: StreamPair = await Deno.connect({ port: 6379 });
 * ```
 */
export interface StreamPair {
  /** Bytes from the server. */
  readable: ReadableStream<Uint8Array>;
  /** Bytes to the server. */
  writable: WritableStream<Uint8Array>;
  /** Releases the socket, if the streams alone do not. */
  close?(): void;
}

/**
 * Opens a socket as a pair of Web streams: the `transport` option of `connect`,
 * for runtimes other than Deno, Bun and workerd (whose sockets redcache opens
 * by itself), or to wrap or route the socket yourself.
 *
 * @example
 * ```ts
 * import { connect, type StreamConnector } from "@redcache/redcache";
 *
 * const transport: StreamConnector = (target) =>
 *   Deno.connect({ hostname: target.host, port: target.port });
 * await using redis = await connect({ url: "redis://127.0.0.1:6379", transport });
 * ```
 */
export type StreamConnector = (target: ConnectTarget) => StreamPair | Promise<StreamPair>;

/**
 * Whether `error` (or one of its causes) is marked `reconnect: false` by a
 * transport: the client was used where its socket cannot serve, and a client
 * that reconnected would only fail the same way later. workerd's adapter
 * marks the use of a socket by another request than the one that opened it.
 *
 * @example
 * ```ts
 * import { cannotReconnect } from "./transport.ts";
 *
 * const misuse = Object.assign(new Error("socket of another request"), { reconnect: false });
 * cannotReconnect(new Error("Connection lost", { cause: misuse })); // true
 * ```
 */
export function cannotReconnect(error: Error | undefined): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    if ((cause as { reconnect?: unknown }).reconnect === false) return true;
    cause = cause.cause;
  }
  return false;
}

/** Describes a target for messages: host and port or path, never credentials. */
export function describeTarget(target: ConnectTarget): string {
  if (target.path !== undefined) return target.path;
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}
