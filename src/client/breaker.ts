/**
 * The circuit breaker: after `failures` failures in a row within `window`
 * ms (refused or timed-out connection attempts, commands that timed out,
 * also while waiting in the offline queue, or lost their connection; never a
 * reply error), the circuit opens and every
 * command fails at once for `cooldown` ms. Then one command goes through as
 * a probe (half-open): its success closes the circuit, its failure opens it
 * again. Any reply from the server closes it.
 *
 * @module
 */

import {
  CircuitOpenError,
  ConnectionError,
  ProtocolError,
  ReplyError,
  TimeoutError,
} from "../errors.ts";
import type { Settle } from "./send_options.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import { commandName } from "../resp/encode.ts";
import { durationOption } from "../util/duration.ts";

/**
 * Settings of the circuit breaker (`breaker` option of `connect`,
 * `createPool` and `createCache`). Durations are milliseconds or strings
 * such as `"10s"`.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * const pool = createPool({
 *   url: "redis://127.0.0.1:6379",
 *   breaker: { failures: 5, window: "10s", cooldown: "5s" },
 * });
 * ```
 */
export interface BreakerOptions {
  /**
   * Failures in a row that open the circuit.
   *
   * @default {5}
   */
  failures?: number;
  /**
   * The failures must all fall within this many milliseconds.
   *
   * @default {10000}
   */
  window?: number | string;
  /**
   * How long the circuit stays open before one probe is let through.
   *
   * @default {5000}
   */
  cooldown?: number | string;
}

/**
 * `closed` (commands flow), `open` (they fail at once), `half-open` (one
 * probe is out), or `off` when there is no breaker.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * await using pool = createPool({ url: "redis://127.0.0.1:6379", breaker: { failures: 5 } });
 * if (pool.stats().breaker === "open") console.warn("Redis is down");
 * ```
 */
export type BreakerState = "closed" | "open" | "half-open" | "off";

/** Resolved breaker settings. */
export interface BreakerSettings {
  failures: number;
  window: number;
  cooldown: number;
}

const BREAKER_KEYS = ["failures", "window", "cooldown"];

/** The defaults of a breaker turned on with `breaker: {}` (and the cache's). */
export const BREAKER_DEFAULTS: Readonly<BreakerSettings> = {
  failures: 5,
  window: 10_000,
  cooldown: 5_000,
};

/**
 * Reads the `breaker` option: `false`/`undefined` is off, an object turns it on.
 *
 * @throws {TypeError} For an unknown key or a bad value.
 */
export function resolveBreaker(option: unknown): BreakerSettings | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return { ...BREAKER_DEFAULTS };
  if (typeof option !== "object" || option === null) {
    throw new TypeError(
      'Invalid option "breaker": expected { failures, window, cooldown } or false',
    );
  }
  for (const key of Object.keys(option)) {
    if (!BREAKER_KEYS.includes(key)) {
      throw new TypeError(
        `Unknown option "${key.slice(0, 40)}" for breaker; expected one of ${
          BREAKER_KEYS.join(", ")
        }`,
      );
    }
  }
  const o = option as BreakerOptions;
  const failures = o.failures ?? BREAKER_DEFAULTS.failures;
  if (typeof failures !== "number" || !Number.isInteger(failures) || failures < 1) {
    throw new TypeError('Invalid option "breaker.failures": expected a whole number, 1 or more');
  }
  return {
    failures,
    window: durationOption(o.window ?? BREAKER_DEFAULTS.window, "breaker.window", 1, 2 ** 31 - 1),
    cooldown: durationOption(
      o.cooldown ?? BREAKER_DEFAULTS.cooldown,
      "breaker.cooldown",
      1,
      2 ** 31 - 1,
    ),
  };
}

/**
 * Whether `error`, the outcome of a command that was handed to a connection,
 * counts against the breaker: it timed out or lost its connection.
 */
export function countsAsFailure(error: unknown): boolean {
  if (error instanceof ReplyError || error instanceof CircuitOpenError) return false;
  return error instanceof TimeoutError || error instanceof ConnectionError ||
    error instanceof ProtocolError;
}

/**
 * Wraps a command's settle to tell the breaker how it ended. `sent` is set
 * once the command is handed to a connection: only then does a failure count.
 */
export class BreakerSettle implements Settle {
  sent = false;
  #breaker: Breaker;
  #inner: Settle;
  #probe: boolean;

  constructor(breaker: Breaker, inner: Settle, probe: boolean) {
    this.#breaker = breaker;
    this.#inner = inner;
    this.#probe = probe;
  }

  resolve(value: RedisReply): void {
    this.#breaker.success();
    this.#inner.resolve(value);
  }

  reject(error: Error): void {
    // A command that timed out counts even if it never left the offline queue: against a server
    // that accepts connections but never answers, the connection attempts alone fail only once
    // per connectTimeout, too seldom to fill the window.
    const counts = (this.sent || error instanceof TimeoutError) && countsAsFailure(error);
    if (error instanceof ReplyError) this.#breaker.success();
    else if (counts) this.#breaker.failure(error);
    else if (this.#probe) this.#breaker.release();
    this.#inner.reject(error);
  }
}

/** Called on every change of state, with the failure that opened the circuit, if any. */
export type BreakerListener = (state: BreakerState, cause: Error | undefined) => void;

/** One circuit, shared by the clients of a pool. */
export class Breaker {
  readonly settings: BreakerSettings;
  #state: "closed" | "open" | "half-open" = "closed";
  #failures = 0;
  #firstFailure = 0;
  #openUntil = 0;
  #lastError: Error | undefined;
  /** What the last counted failure came from (to count a lost connection once). */
  #lastEvent: unknown;
  #listeners = new Set<BreakerListener>();

  constructor(settings: BreakerSettings) {
    this.settings = settings;
  }

  /** `closed`, `open` or `half-open`. */
  get state(): "closed" | "open" | "half-open" {
    return this.#state;
  }

  /** When an open circuit lets a probe through (epoch ms); 0 when not open. */
  get openUntil(): number {
    return this.#state === "open" ? this.#openUntil : 0;
  }

  /** Listens to changes of state; returns a function that stops listening. */
  onChange(listener: BreakerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Asks to send a command: `{ probe }` when it may go (`probe` tells whether
   * it is the half-open probe), else the error to fail it with.
   */
  admit(command: Command | string, target: string): { probe: boolean } | CircuitOpenError {
    if (this.#state === "closed") return NOT_PROBE;
    const now = Date.now();
    if (this.#state === "open" && now >= this.#openUntil) {
      this.#move("half-open", undefined);
      return PROBE;
    }
    const until = this.#state === "open" ? this.#openUntil : now;
    const name = typeof command === "string" ? command : commandName(command);
    return new CircuitOpenError(
      `Cannot send ${name}: the circuit breaker for ${target} is open until ${
        new Date(until).toISOString()
      }${
        this.#state === "half-open" ? " (a probe is out)" : ""
      } after ${this.settings.failures} failures${
        this.#lastError ? ` (${this.#lastError.message})` : ""
      }`,
      { cause: this.#lastError, until },
    );
  }

  /** The server answered. */
  success(): void {
    this.#failures = 0;
    if (this.#state !== "closed") this.#move("closed", undefined);
  }

  /**
   * A failure that counts (see `countsAsFailure`). The commands a lost
   * connection carried fail with one shared cause: they count once.
   */
  failure(error: Error): void {
    const event = error.cause ?? error;
    if (event === this.#lastEvent) return;
    this.#lastEvent = event;
    const now = Date.now();
    this.#lastError = error;
    if (this.#state === "half-open") {
      this.#open(now, error);
      return;
    }
    if (this.#state === "open") return;
    if (this.#failures === 0 || now - this.#firstFailure > this.settings.window) {
      this.#failures = 0;
      this.#firstFailure = now;
    }
    if (++this.#failures >= this.settings.failures) this.#open(now, error);
  }

  /** The probe ended without a verdict (aborted, not sent): let another one go. */
  release(): void {
    if (this.#state === "half-open") {
      this.#state = "open";
      this.#openUntil = 0;
    }
  }

  #open(now: number, error: Error): void {
    this.#failures = 0;
    this.#openUntil = now + this.settings.cooldown;
    this.#move("open", error);
  }

  #move(state: "closed" | "open" | "half-open", cause: Error | undefined): void {
    this.#state = state;
    for (const listener of this.#listeners) {
      try {
        listener(state, cause);
      } catch { /* a listener must not break the client */ }
    }
  }
}

const PROBE = { probe: true };
const NOT_PROBE = { probe: false };
