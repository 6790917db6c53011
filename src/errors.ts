/**
 * The error classes that redcache throws. Every class sets `name`, accepts
 * `{ cause }`, and never carries a password in its message.
 *
 * @module
 */

/**
 * Base class of every error that redcache raises on its own behalf.
 *
 * @example
 * ```ts
 * import { connect, RedisError } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * try {
 *   await redis.get("k");
 * } catch (error) {
 *   if (error instanceof RedisError) console.log(error.name, error.message);
 * }
 * ```
 */
export class RedisError extends Error {
  /**
   * Creates a redcache error.
   *
   * @param message What failed and why.
   * @param options Standard error options such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RedisError";
  }
}

/**
 * An error reply from the server (`-ERR …`, `!…`), such as `WRONGTYPE` or
 * `NOAUTH`. As a top-level reply it rejects the command; inside an array (a
 * transaction or a pipeline) it is an element of the result.
 *
 * @example
 * ```ts
 * import { connect, ReplyError } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * try {
 *   await redis.incr("not-a-number");
 * } catch (error) {
 *   if (error instanceof ReplyError && error.code === "ERR") console.log(error.command); // "INCR"
 * }
 * ```
 */
export class ReplyError extends RedisError {
  /** The first word of the reply, e.g. `ERR`, `WRONGTYPE`, `NOAUTH`. */
  readonly code: string;
  /** The name of the command that got this reply, when known (never its arguments). */
  command?: string;

  /**
   * Creates a reply error from the server's message.
   *
   * @param message The server's error text, e.g. `WRONGTYPE Operation against a key …`.
   * @param options Standard error options such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ReplyError";
    const space = message.indexOf(" ");
    this.code = space < 0 ? message : message.slice(0, space);
  }
}

/**
 * The connection could not be made, or was lost. When `outcomeUnknown` is
 * true the command had already been written when the connection failed, so
 * the server may or may not have run it.
 *
 * @example
 * ```ts
 * import { connect, ConnectionError } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * try {
 *   await redis.incr("counter");
 * } catch (error) {
 *   if (error instanceof ConnectionError && !error.outcomeUnknown) {
 *     // never sent: safe to try again
 *   }
 * }
 * ```
 */
export class ConnectionError extends RedisError {
  /** True when the command was written before the failure: it may have run. */
  outcomeUnknown: boolean;

  /**
   * Creates a connection error.
   *
   * @param message What failed, e.g. `Connection to 127.0.0.1:6379 was closed`.
   * @param options Standard error options, plus `outcomeUnknown`.
   */
  constructor(message: string, options?: ErrorOptions & { outcomeUnknown?: boolean }) {
    super(message, options);
    this.name = "ConnectionError";
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
}

/**
 * An operation did not finish within its deadline (connect, command, or queue
 * wait). `outcomeUnknown` tells whether the command may have run.
 *
 * @example
 * ```ts
 * import { connect, TimeoutError } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const value = await redis.send(["GET", "k"], { timeout: 100 }).catch((error) => {
 *   if (error instanceof TimeoutError && !error.outcomeUnknown) return null; // never sent
 *   throw error;
 * });
 * ```
 */
export class TimeoutError extends RedisError {
  /**
   * True when the command had been written before it timed out: the server
   * may have run it (or may still run it). False when it never left the
   * client (it waited in the offline queue), and for connect timeouts.
   */
  outcomeUnknown: boolean;

  /**
   * Creates a timeout error.
   *
   * @param message What timed out and after how long.
   * @param options Standard error options, plus `outcomeUnknown`.
   */
  constructor(message: string, options?: ErrorOptions & { outcomeUnknown?: boolean }) {
    super(message, options);
    this.name = "TimeoutError";
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }
}

/**
 * The circuit breaker is open: the command failed at once, without being
 * sent (`outcomeUnknown` is false), because the server failed repeatedly.
 * `until` says when a probe will be let through.
 *
 * @example
 * ```ts
 * import { CircuitOpenError, connect } from "@redcache/redcache";
 *
 * await using redis = await connect({ url: "redis://127.0.0.1:6379", breaker: { failures: 5 } });
 * try {
 *   await redis.get("k");
 * } catch (error) {
 *   if (error instanceof CircuitOpenError) console.warn("Redis down until", new Date(error.until));
 * }
 * ```
 */
export class CircuitOpenError extends ConnectionError {
  /** When the circuit lets a probe through (epoch milliseconds). */
  until: number;

  /**
   * Creates a circuit-open error.
   *
   * @param message Which circuit is open and until when.
   * @param options Standard error options, plus `until`.
   */
  constructor(message: string, options?: ErrorOptions & { until?: number }) {
    super(message, { ...options, outcomeUnknown: false });
    this.name = "CircuitOpenError";
    this.until = options?.until ?? 0;
  }
}

/**
 * The server sent bytes that are not valid RESP; the connection is closed and
 * every waiting command rejects with it.
 *
 * @example
 * ```ts
 * import { connect, ProtocolError } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const reply = await redis.get("k").catch((error) => error);
 * if (reply instanceof ProtocolError) console.error("Not a Redis server?", reply.message);
 * ```
 */
export class ProtocolError extends RedisError {
  /**
   * Creates a protocol error.
   *
   * @param message What was wrong with the bytes received.
   * @param options Standard error options such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

/**
 * No pool connection became free within `acquireTimeout`.
 *
 * @example
 * ```ts
 * import { createPool, PoolTimeoutError } from "@redcache/redcache";
 *
 * await using pool = createPool({ url: "redis://127.0.0.1:6379", max: 4, acquireTimeout: "2s" });
 * const reply = await pool.use((conn) => conn.send(["BLPOP", "jobs", "1"])).catch((error) => {
 *   if (error instanceof PoolTimeoutError) return null; // every connection stayed busy
 *   throw error;
 * });
 * ```
 */
export class PoolTimeoutError extends RedisError {
  /**
   * Creates a pool timeout error.
   *
   * @param message How long the caller waited and how busy the pool was.
   * @param options Standard error options such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PoolTimeoutError";
  }
}

/**
 * A value could not be serialized, deserialized, compressed or decompressed.
 *
 * @example
 * ```ts
 * import { createCache, SerializationError } from "@redcache/redcache";
 *
 * await using cache = createCache("redis://127.0.0.1:6379/1");
 * try {
 *   await cache.set("big", 10n); // JSON has no BigInt
 * } catch (error) {
 *   if (error instanceof SerializationError) console.error(error.message);
 * }
 * ```
 */
export class SerializationError extends RedisError {
  /**
   * Creates a serialization error.
   *
   * @param message What could not be converted and why.
   * @param options Standard error options such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SerializationError";
  }
}

/**
 * A Redis Cluster command could not be placed: too many redirections or
 * retries (`maxRedirects`), no node serving its slot, or a transaction whose
 * keys span several slots.
 *
 * @example
 * ```ts
 * import { ClusterError, connectCluster } from "@redcache/redcache";
 *
 * await using cluster = connectCluster({ urls: ["redis://127.0.0.1:7000"] });
 * try {
 *   await cluster.multi().send(["SET", "{a}", "1"]).send(["SET", "{b}", "2"]).exec();
 * } catch (error) {
 *   if (error instanceof ClusterError) console.error("Keys in different slots", error.slot);
 * }
 * ```
 */
export class ClusterError extends RedisError {
  /** The hash slot of the command's key, or -1. */
  slot: number;

  /**
   * Creates a cluster error.
   *
   * @param message What could not be done, with the slot and the last reply.
   * @param options Standard error options, plus the `slot`.
   */
  constructor(message: string, options?: ErrorOptions & { slot?: number }) {
    super(message, options);
    this.name = "ClusterError";
    this.slot = options?.slot ?? -1;
  }
}
