/**
 * The connection options shared by `connect`, `createPool` and `createCache`,
 * their validation (an unknown option or a bad value is a `TypeError` or
 * `RangeError` that names it), and `ClientInternals`, what a pool or a
 * strategy hands its clients besides them. The `retry` and `offlineQueue`
 * options are parsed in `retry.ts` and `offline_queue.ts`.
 *
 * @module
 */

import type { Command, DecoderLimits } from "../resp/types.ts";
import type { Connector, ConnectTarget, StreamConnector, TlsOptions } from "../net/transport.ts";
import { resolveConnector, type TargetResolver } from "../net/resolve.ts";
import { parseRedisUrl } from "../net/url.ts";
import { durationOption } from "../util/duration.ts";
import { checkOptionKeys } from "../util/options.ts";
import {
  type Breaker,
  type BreakerOptions,
  type BreakerSettings,
  resolveBreaker,
} from "./breaker.ts";
import { checkInteger, checkString } from "./_checks.ts";
import type { TrackingHooks } from "./tracking.ts";
import { checkHooks, type CommandHooks } from "./hooks.ts";
import { type RetryOptions, type RetryStrategy, retryStrategy } from "./retry.ts";
import {
  type OfflineQueueOptions,
  offlineQueueOptions,
  type ResolvedOfflineQueue,
} from "./offline_queue.ts";

/**
 * How to reach a server and how to talk to it. An unknown option is a
 * `TypeError` that names it.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * const redis = await connect({
 *   host: "10.0.0.5",
 *   port: 6380,
 *   username: "app",
 *   password: Deno.env.get("REDIS_PASSWORD"),
 *   db: 2,
 *   name: "api-worker",
 *   connectTimeout: 3_000,
 * });
 * ```
 */
export interface ConnectOptions {
  /** `redis://user:pass@host:6379/0`, `rediss://…` (TLS), `unix:///path.sock?db=1`. */
  url?: string;
  /**
   * Host name or IP address.
   *
   * @default {"127.0.0.1"}
   */
  host?: string;
  /**
   * TCP port.
   *
   * @default {6379}
   */
  port?: number;
  /** Unix socket path (instead of host and port). */
  path?: string;
  /** ACL user name (Redis 6+). */
  username?: string;
  /** Password, for `requirepass` or an ACL user. Never shown in errors. */
  password?: string;
  /**
   * Database number, selected after connecting.
   *
   * @default {0}
   */
  db?: number;
  /** Client name, set with the handshake (shown by `CLIENT LIST`). */
  name?: string;
  /** `true`, or TLS settings; `rediss://` implies `true`. */
  tls?: boolean | TlsOptions;
  /**
   * Milliseconds (or a duration string such as `"5s"`) allowed for the
   * socket, TLS and handshake together.
   *
   * @default {10000}
   */
  connectTimeout?: number | string;
  /**
   * Milliseconds (or a duration string) a command may wait for its reply;
   * `0` waits forever.
   *
   * @default {10000}
   */
  commandTimeout?: number | string;
  /**
   * RESP version to ask for; falls back to 2 when the server lacks `HELLO`.
   *
   * @default {3}
   */
  protocol?: 2 | 3;
  /** Reconnection backoff after the connection drops. */
  retry?: RetryOptions | RetryStrategy;
  /**
   * Most commands waiting for replies on one connection; past it a command
   * rejects at once with `ConnectionError` (not sent).
   *
   * @default {1000000}
   */
  maxInFlight?: number;
  /** Where commands wait while reconnecting; `false` rejects them at once. */
  offlineQueue?: OfflineQueueOptions | false;
  /**
   * Circuit breaker: after `failures` failures in a row within `window`,
   * commands fail at once with `CircuitOpenError` for `cooldown`, then one
   * probe decides. Off (`false`) on clients and pools unless given.
   *
   * @default {false}
   */
  breaker?: BreakerOptions | false;
  /**
   * Opens the socket yourself, as a `{ readable, writable }` stream pair.
   * Not needed on Deno, Bun and workerd (Cloudflare Workers), whose sockets
   * redcache opens by itself; required anywhere else.
   */
  transport?: StreamConnector;
  /** Bounds on what the server may send. */
  limits?: DecoderLimits;
  /**
   * Functions called when each command starts and ends (name, key count,
   * bytes, duration, error, server address), for tracing and metrics. None
   * by default, and then they cost nothing.
   */
  hooks?: CommandHooks;
}

/** Options after defaults and the URL have been applied. */
export interface ResolvedOptions {
  target: ConnectTarget;
  username?: string;
  password?: string;
  db: number;
  name?: string;
  connectTimeout: number;
  commandTimeout: number;
  protocol: 2 | 3;
  connector: Connector;
  limits: DecoderLimits;
  retry: RetryStrategy;
  offlineQueue: ResolvedOfflineQueue | false;
  maxInFlight: number;
  /** The client's own breaker settings (`undefined`: off). */
  breaker: BreakerSettings | undefined;
  /** A breaker shared with the other clients of a pool (from `ClientInternals`). */
  sharedBreaker: Breaker | undefined;
  /** Sent on every new connection after the handshake (from `ClientInternals`). */
  setupCommands: readonly Command[];
  /** The near cache's hooks: every connection tracks the keys it reads (from `ClientInternals`). */
  tracking: TrackingHooks | undefined;
  /** The `hooks` option; `undefined` when none is set. */
  hooks: CommandHooks | undefined;
}

/**
 * Internal: what the pool and the strategies give a client besides its
 * `ConnectOptions` (not public options: applications never set them).
 */
export interface ClientInternals {
  /** Decides the address of each connection attempt (Sentinel asks its sentinels). */
  resolveTarget?: TargetResolver;
  /** Commands every new connection sends after the handshake (a cluster replica's `READONLY`). */
  setupCommands?: readonly Command[];
  /**
   * The breaker a pool shares among its clients: the pool admits commands,
   * its clients only report their connection attempts to it.
   */
  sharedBreaker?: Breaker;
  /**
   * A near cache's hooks: every connection runs `CLIENT TRACKING ON` after
   * the handshake and reports invalidations and its own end to them.
   */
  tracking?: TrackingHooks;
  /** Where the client's events are forwarded too (its pool), except `end`. */
  eventParent?: object;
}

/** The option names `connect` accepts. */
export const CONNECT_OPTION_KEYS: readonly string[] = [
  "url",
  "host",
  "port",
  "path",
  "username",
  "password",
  "db",
  "name",
  "tls",
  "connectTimeout",
  "commandTimeout",
  "protocol",
  "retry",
  "offlineQueue",
  "maxInFlight",
  "breaker",
  "transport",
  "limits",
  "hooks",
];

/** Default-mode tracking: the server remembers the keys each connection reads. */
const TRACKING_ON: Command = ["CLIENT", "TRACKING", "ON"];

const TLS_KEYS = ["caCerts", "serverName", "cert", "key", "insecure"];
const LIMIT_KEYS = ["maxBulkLength", "maxElements", "maxDepth", "maxLineLength"];

/**
 * Resolves `connect`'s argument: a URL string, or options with an optional
 * `url` whose parts the other options override. `known` and `where` name the
 * accepted options and the caller in errors; `internals` is what a pool or a
 * strategy gives its clients besides the options.
 */
export function resolveConnectOptions(
  input: string | ConnectOptions,
  known: readonly string[] = CONNECT_OPTION_KEYS,
  where = "connect()",
  internals: ClientInternals = {},
): ResolvedOptions {
  const options: ConnectOptions = typeof input === "string" ? { url: input } : input ?? {};
  if (typeof options !== "object") {
    throw new TypeError(
      `Invalid argument for ${where}: expected a URL string or an options object`,
    );
  }
  checkOptionKeys(options, known, where);
  const fromUrl = options.url !== undefined ? parseRedisUrl(options.url) : {};
  const pick = <K extends keyof ConnectOptions & keyof typeof fromUrl>(key: K) =>
    options[key] !== undefined ? options[key] : fromUrl[key];

  const path = checkString(pick("path"), "path");
  const host = checkString(pick("host"), "host") ?? "127.0.0.1";
  const port = checkInteger(pick("port") ?? 6379, "port", 1, 65535);
  const db = checkInteger(pick("db") ?? 0, "db", 0, 2 ** 31 - 1);
  const connectTimeout = durationOption(
    pick("connectTimeout") ?? 10_000,
    "connectTimeout",
    1,
    2 ** 31 - 1,
  );
  const commandTimeout = durationOption(
    pick("commandTimeout") ?? 10_000,
    "commandTimeout",
    0,
    2 ** 31 - 1,
  );
  const protocol = pick("protocol") ?? 3;
  if (protocol !== 2 && protocol !== 3) {
    throw new TypeError('Invalid option "protocol": expected 2 or 3');
  }

  let tls: TlsOptions | undefined;
  const tlsOption = options.tls !== undefined ? options.tls : fromUrl.tls;
  if (tlsOption === true) tls = {};
  else if (tlsOption !== undefined && tlsOption !== false) {
    if (typeof tlsOption !== "object" || tlsOption === null) {
      throw new TypeError('Invalid option "tls": expected true, false or an object');
    }
    checkOptionKeys(tlsOption, TLS_KEYS, "tls");
    tls = { ...tlsOption };
  }
  if (tls !== undefined && path !== undefined) {
    throw new TypeError("Cannot use TLS over a Unix socket: drop tls or path");
  }
  const limits = options.limits ?? {};
  checkOptionKeys(limits, LIMIT_KEYS, "limits");
  for (const key of LIMIT_KEYS) {
    const value = (limits as Record<string, unknown>)[key];
    if (value !== undefined) checkInteger(value, `limits.${key}`, 1, 2 ** 32);
  }
  if (options.transport !== undefined && typeof options.transport !== "function") {
    throw new TypeError(
      'Invalid option "transport": expected a function returning { readable, writable }',
    );
  }
  const target = { host, port, path, tls };
  return {
    target,
    username: checkString(pick("username"), "username"),
    password: checkString(pick("password"), "password"),
    db,
    name: checkString(pick("name"), "name"),
    connectTimeout,
    commandTimeout,
    protocol,
    connector: resolveConnector(options.transport || undefined, internals.resolveTarget, target),
    limits,
    retry: retryStrategy(options.retry),
    maxInFlight: checkInteger(options.maxInFlight ?? 1_000_000, "maxInFlight", 1, 2 ** 31 - 1),
    setupCommands: internals.tracking === undefined
      ? internals.setupCommands ?? []
      : [...internals.setupCommands ?? [], TRACKING_ON],
    tracking: internals.tracking,
    offlineQueue: offlineQueueOptions(options.offlineQueue),
    breaker: resolveBreaker(options.breaker),
    sharedBreaker: internals.sharedBreaker,
    hooks: checkHooks(options.hooks),
  };
}
