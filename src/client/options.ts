/**
 * The connection options shared by `connect`, `createPool` and `createCache`,
 * and their validation: an unknown option or a bad value is a `TypeError` or
 * `RangeError` that names it.
 *
 * @module
 */

import type { Command, DecoderLimits } from "../resp/types.ts";
import { bunConnector, bunGlobal } from "../net/bun.ts";
import { denoConnector } from "../net/deno.ts";
import { streamConnector } from "../net/streams.ts";
import type { Connector, ConnectTarget, StreamConnector, TlsOptions } from "../net/transport.ts";
import { parseRedisUrl } from "../net/url.ts";
import { durationOption } from "../util/duration.ts";
import { checkOptionKeys } from "../util/options.ts";
import {
  type Breaker,
  type BreakerOptions,
  type BreakerSettings,
  resolveBreaker,
} from "./breaker.ts";

/**
 * Reconnection backoff: full jitter, a delay drawn from 0 to
 * `min(max, base * 2^attempt)` milliseconds.
 *
 * @example
 * ```ts ignore
 * const redis = await connect({ retry: { base: 100, max: 5_000, attempts: 20 } });
 * ```
 */
export interface RetryOptions {
  /**
   * First backoff step, in milliseconds (or a duration string such as `"100ms"`).
   *
   * @default {50}
   */
  base?: number | string;
  /**
   * Longest delay between attempts, in milliseconds (or a duration string).
   *
   * @default {1000}
   */
  max?: number | string;
  /**
   * Attempts before giving up (the client then closes).
   *
   * @default {Infinity}
   */
  attempts?: number;
  /**
   * Milliseconds (or a duration string such as `"1m"`) of failing attempts,
   * counted from the first one, after which the client gives up and closes.
   *
   * @default {Infinity}
   */
  deadline?: number | string;
}

/**
 * Decides the delay before reconnection attempt `attempt` (1, 2, …) after
 * `error`; `false` gives up and closes the client.
 *
 * @example
 * ```ts ignore
 * const redis = await connect({ retry: (attempt) => (attempt > 10 ? false : attempt * 100) });
 * ```
 */
export type RetryStrategy = (attempt: number, error: Error) => number | false;

/**
 * Where commands wait while the client reconnects.
 *
 * @example
 * ```ts ignore
 * const redis = await connect({ offlineQueue: { max: 100, timeout: 500 } });
 * const failFast = await connect({ offlineQueue: false });
 * ```
 */
export interface OfflineQueueOptions {
  /**
   * Most commands held; more reject at once with `ConnectionError`.
   *
   * @default {10000}
   */
  max?: number;
  /**
   * Milliseconds (or a duration string) a command may wait, across failed
   * attempts, for the connection to come back; then it rejects with a
   * `TimeoutError` whose `outcomeUnknown` is false.
   *
   * @default {2000}
   */
  timeout?: number | string;
  /**
   * Most bytes of commands held (a single command always fits); more reject
   * at once with `ConnectionError`.
   *
   * @default {16777216} (16 MiB)
   */
  maxBytes?: number;
}

/**
 * How to reach a server and how to talk to it. An unknown option is a
 * `TypeError` that names it.
 *
 * @example
 * ```ts ignore
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
  /** Opens the socket yourself, as a `{ readable, writable }` stream pair. */
  transport?: StreamConnector;
  /** Bounds on what the server may send. */
  limits?: DecoderLimits;
}

/** `offlineQueue` after defaults, in milliseconds and bytes. */
export interface ResolvedOfflineQueue {
  max: number;
  timeout: number;
  maxBytes: number;
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
  /** A breaker shared with the other clients of a pool (internal). */
  sharedBreaker: Breaker | undefined;
  /** Sent on every new connection after the handshake (internal). */
  setup: readonly Command[];
}

/**
 * Internal: a function that decides the address of each connection attempt
 * (Sentinel asks its sentinels). Kept off the public option names; strategies
 * set it on the options they hand to a pool.
 */
export const RESOLVE_TARGET: unique symbol = Symbol("redcache.resolveTarget");

/**
 * Internal: commands every new connection sends after the handshake (a
 * cluster replica's `READONLY`). Off the public option names, like `RESOLVE_TARGET`.
 */
export const SETUP_COMMANDS: unique symbol = Symbol("redcache.setupCommands");

/**
 * Internal: the breaker a pool shares among its clients. The pool admits
 * commands; its clients only report connection attempts to it.
 */
export const SHARED_BREAKER: unique symbol = Symbol("redcache.sharedBreaker");

/** What `RESOLVE_TARGET` holds. */
export type TargetResolver = (target: ConnectTarget) => Promise<ConnectTarget>;

/** Wraps `connector` so that each attempt first asks `resolve` where to go. */
function resolvingConnector(connector: Connector, resolve: TargetResolver): Connector {
  return async (target, handlers) => connector(await resolve(target), handlers);
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
];

const RETRY_KEYS = ["base", "max", "attempts", "deadline"];
const OFFLINE_KEYS = ["max", "timeout", "maxBytes"];

function checkPositive(value: unknown, name: string, allowInfinity = false): number {
  if (
    typeof value !== "number" || !(value >= 0) ||
    (!Number.isFinite(value) && !(allowInfinity && value === Infinity))
  ) {
    throw new TypeError(`Invalid option "${name}": expected a number, 0 or more`);
  }
  return value;
}

/** Turns the `retry` option into a strategy function. */
function retryStrategy(option: RetryOptions | RetryStrategy | undefined): RetryStrategy {
  if (typeof option === "function") return option;
  if (option !== undefined && (typeof option !== "object" || option === null)) {
    throw new TypeError(
      'Invalid option "retry": expected { base, max, attempts, deadline } or a function',
    );
  }
  checkOptionKeys(option ?? {}, RETRY_KEYS, "retry");
  const base = durationOption(option?.base ?? 50, "retry.base", 0, 2 ** 31 - 1);
  const max = durationOption(option?.max ?? 1000, "retry.max", 0, 2 ** 31 - 1);
  const attempts = checkPositive(option?.attempts ?? Infinity, "retry.attempts", true);
  const deadline = durationOption(option?.deadline ?? Infinity, "retry.deadline", 0, Infinity);
  let firstFailure = 0;
  return (attempt) => {
    if (attempt === 1) firstFailure = Date.now();
    if (attempt > attempts || Date.now() - firstFailure > deadline) return false;
    const cap = Math.min(max, base * 2 ** Math.min(attempt, 30));
    return Math.max(1, Math.round(Math.random() * cap));
  };
}

function offlineQueue(
  option: OfflineQueueOptions | false | undefined,
): ResolvedOfflineQueue | false {
  if (option === false) return false;
  if (option !== undefined && (typeof option !== "object" || option === null)) {
    throw new TypeError('Invalid option "offlineQueue": expected { max, timeout } or false');
  }
  checkOptionKeys(option ?? {}, OFFLINE_KEYS, "offlineQueue");
  return {
    max: checkInteger(option?.max ?? 10_000, "offlineQueue.max", 0, 2 ** 31 - 1),
    timeout: durationOption(option?.timeout ?? 2_000, "offlineQueue.timeout", 0, 2 ** 31 - 1),
    maxBytes: checkInteger(
      option?.maxBytes ?? 16 * 1024 * 1024,
      "offlineQueue.maxBytes",
      0,
      2 ** 53 - 1,
    ),
  };
}

const TLS_KEYS = ["caCerts", "serverName", "cert", "key", "insecure"];
const LIMIT_KEYS = ["maxBulkLength", "maxElements", "maxDepth", "maxLineLength"];

function checkInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`Invalid option "${name}": expected a whole number, got ${typeof value}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`Invalid option "${name}": ${value} is not between ${min} and ${max}`);
  }
  return value;
}

function checkString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new TypeError(`Invalid option "${name}": expected a string`);
  return value;
}

function withResolver(connector: Connector, resolve: TargetResolver | undefined): Connector {
  return resolve === undefined ? connector : resolvingConnector(connector, resolve);
}

/** Picks the socket API of the runtime we are on. */
export function defaultConnector(): Connector {
  if (typeof (globalThis as { Deno?: { connect?: unknown } }).Deno?.connect === "function") {
    return denoConnector;
  }
  if (bunGlobal() !== undefined) return bunConnector;
  return () =>
    Promise.reject(
      new TypeError("No socket API found in this runtime: pass the transport option to open one"),
    );
}

/**
 * Resolves `connect`'s argument: a URL string, or options with an optional
 * `url` whose parts the other options override.
 */
export function resolveConnectOptions(
  input: string | ConnectOptions,
  known: readonly string[] = CONNECT_OPTION_KEYS,
  where = "connect()",
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
  return {
    target: { host, port, path, tls },
    username: checkString(pick("username"), "username"),
    password: checkString(pick("password"), "password"),
    db,
    name: checkString(pick("name"), "name"),
    connectTimeout,
    commandTimeout,
    protocol,
    connector: withResolver(
      options.transport ? streamConnector(options.transport) : defaultConnector(),
      (options as { [RESOLVE_TARGET]?: TargetResolver })[RESOLVE_TARGET],
    ),
    limits,
    retry: retryStrategy(options.retry),
    maxInFlight: checkInteger(options.maxInFlight ?? 1_000_000, "maxInFlight", 1, 2 ** 31 - 1),
    setup: (options as { [SETUP_COMMANDS]?: Command[] })[SETUP_COMMANDS] ?? [],
    offlineQueue: offlineQueue(options.offlineQueue),
    breaker: resolveBreaker(options.breaker),
    sharedBreaker: (options as { [SHARED_BREAKER]?: Breaker })[SHARED_BREAKER],
  };
}
