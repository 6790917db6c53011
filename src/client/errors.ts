/**
 * The error classes that redcache throws. Every class sets `name`, accepts
 * `{ cause }`, and never carries a password in its message.
 *
 * @module
 */

/** Base class of every error that redcache raises on its own behalf. */
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

/** An operation did not finish within its deadline (connect, command, or queue wait). */
export class TimeoutError extends RedisError {
  /**
   * Creates a timeout error.
   *
   * @param message What timed out and after how long.
   * @param options Standard error options such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
  }
}

/** The server sent bytes that are not valid RESP; the connection is closed. */
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

/** No pool connection became free within `acquireTimeout`. */
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

/** A value could not be serialized, deserialized, compressed or decompressed. */
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
