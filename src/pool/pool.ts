/**
 * The hand-written pool. It knows two kinds of use:
 *
 * - shared (`send`): one Redis connection carries thousands of pipelined
 *   commands, so commands go to the least busy open connection, and a new one
 *   opens only when those are busy beyond a threshold;
 * - exclusive (`use`): MULTI/EXEC with WATCH, blocking commands and the like
 *   get a connection of their own until the callback settles. A connection
 *   handed back in a state another caller must not inherit (inside MULTI,
 *   subscribed, another database, replaced mid-use) is closed, not reused.
 *
 * Each member is a `RedisClient`, so reconnection and the offline queue are
 * the client's; the pool never holds more than `max` of them.
 *
 * @module
 */

import { connectionGeneration, RedisClient } from "../client/client.ts";
import { Commands } from "../client/commands.ts";
import type { SendOptions, Settle } from "../client/send_options.ts";
import { CircuitOpenError, ConnectionError, PoolTimeoutError } from "../errors.ts";
import { checkOptionKeys } from "../util/options.ts";
import {
  type ClientInternals,
  CONNECT_OPTION_KEYS,
  type ConnectOptions,
  resolveConnectOptions,
} from "../client/options.ts";
import {
  Breaker,
  type BreakerListener,
  BreakerSettle,
  type BreakerState,
  resolveBreaker,
} from "../client/breaker.ts";
import { durationOption } from "../util/duration.ts";
import { Pipeline } from "../client/pipeline.ts";
import type { Dispatcher } from "../client/target.ts";
import { Transaction } from "../client/transaction.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { MessageListener, Subscription } from "../client/pubsub.ts";
import { Deque } from "../util/deque.ts";
import { type Timer, unrefTimeout } from "../util/timers.ts";

/**
 * Pool settings, on top of the connection options.
 *
 * @example
 * ```ts ignore
 * const pool = createPool({ url: "redis://127.0.0.1:6379", max: 16, min: 2, idleTimeout: 60_000 });
 * ```
 */
export interface PoolOptions extends ConnectOptions {
  /**
   * Most connections open at once.
   *
   * @default {10}
   */
  max?: number;
  /**
   * Connections kept open even when idle.
   *
   * @default {0}
   */
  min?: number;
  /**
   * Milliseconds (or a duration string such as `"5s"`) to wait for a free
   * connection before `PoolTimeoutError`.
   *
   * @default {10000}
   */
  acquireTimeout?: number | string;
  /**
   * Milliseconds (or a duration string) after which an idle connection
   * beyond `min` is closed; `0` never.
   *
   * @default {30000}
   */
  idleTimeout?: number | string;
  /**
   * Milliseconds (or a duration string such as `"1h"`) after which a
   * connection is replaced once idle; `0` never.
   *
   * @default {0}
   */
  maxLifetime?: number | string;
  /**
   * A connection idle longer than this (milliseconds or a duration string)
   * is checked with PING before `use()` lends it.
   *
   * @default {5000}
   */
  healthCheckAfter?: number | string;
}

/**
 * What `pool.stats()` reports.
 *
 * @example
 * ```ts ignore
 * const { size, idle, inUse, waiting, pending } = pool.stats();
 * ```
 */
export interface PoolStats {
  /** Connections open or opening. */
  size: number;
  /** Connections neither lent out nor carrying commands. */
  idle: number;
  /** Connections lent out by `use()`. */
  inUse: number;
  /** Callers waiting for a connection. */
  waiting: number;
  /** Commands sent and not yet answered, across connections. */
  pending: number;
  /** The circuit breaker: `closed`, `open`, `half-open`, or `off` (the default). */
  breaker: BreakerState;
}

/**
 * Options of `pool.close()`.
 *
 * @example
 * ```ts ignore
 * await pool.close({ timeout: 2_000 });
 * ```
 */
export interface PoolCloseOptions {
  /**
   * Milliseconds to wait for running commands and lent connections before
   * closing the sockets anyway.
   *
   * @default {5000}
   */
  timeout?: number;
}

/** The option names `createPool` accepts. */
export const POOL_OPTION_KEYS: readonly string[] = [
  ...CONNECT_OPTION_KEYS,
  "max",
  "min",
  "acquireTimeout",
  "idleTimeout",
  "maxLifetime",
  "healthCheckAfter",
];

/** The connection options among pool options (for a one-off connection). */
export function connectOptionsOf(options: PoolOptions): ConnectOptions {
  const picked: Record<string | symbol, unknown> = {};
  for (const key of CONNECT_OPTION_KEYS) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked as ConnectOptions;
}

/**
 * Internal: a listener of the pool's breaker (the cache reports each
 * transition once). Off the public option names.
 */
export const BREAKER_LISTENER: unique symbol = Symbol("redcache.breakerListener");

/** Commands waiting on one connection before the pool opens another. */
const BUSY_THRESHOLD = 256;

interface Member {
  client: RedisClient;
  held: boolean;
  createdAt: number;
  lastUsed: number;
}

interface Waiter {
  resolve(member: Member): void;
  reject(error: Error): void;
  timer: Timer | undefined;
  done: boolean;
}

function checkCount(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new TypeError(`Invalid option "${name}": expected a whole number, ${min} or more`);
  }
  return value;
}

/**
 * A connection lent by `pool.use()`. It tracks the commands that change a
 * connection's state so the pool knows whether it can lend it again.
 *
 * @example
 * ```ts ignore
 * await pool.use(async (conn) => {
 *   await conn.send(["WATCH", "balance"]);
 *   const balance = Number(await conn.get("balance"));
 *   await conn.multi().send(["SET", "balance", balance + 10]).exec(); // null if balance changed
 * });
 * ```
 */
export class PooledConnection extends Commands implements Dispatcher {
  #client: RedisClient;
  #released = false;
  #inMulti = false;
  #watching = false;
  #dirty = false;

  /** Made by `pool.use()`. */
  constructor(client: RedisClient) {
    super();
    this.#client = client;
  }

  /**
   * Sends a command on this connection alone.
   *
   * @param command The command name and its arguments.
   * @param options `bytes`, `timeout` and `signal` for this command.
   */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.dispatch(command, { resolve: resolve as (value: RedisReply) => void, reject }, options)
    );
  }

  /** Queues a command whose outcome goes to `settle`. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    if (this.#released) {
      settle.reject(new Error("Cannot use a pooled connection after use() returned"));
      return;
    }
    this.#track(command);
    this.#client.dispatch(command, settle, options);
  }

  /** Starts a pipeline on this connection. */
  pipeline(): Pipeline {
    return new Pipeline(this);
  }

  /** Starts a MULTI/EXEC transaction on this connection (after WATCH, if any). */
  multi(): Transaction {
    return new Transaction(this);
  }

  /** True when the pool must close this connection rather than lend it again. */
  get dirty(): boolean {
    return this.#dirty || this.#inMulti;
  }

  /** True after WATCH without EXEC, DISCARD or UNWATCH. */
  get watching(): boolean {
    return this.#watching;
  }

  /** Ends the loan. */
  release(): void {
    this.#released = true;
  }

  #track(command: Command): void {
    const name = typeof command[0] === "string" ? command[0].toUpperCase() : "";
    switch (name) {
      case "MULTI":
        this.#inMulti = true;
        break;
      case "EXEC":
      case "DISCARD":
        this.#inMulti = false;
        this.#watching = false;
        break;
      case "WATCH":
        this.#watching = true;
        break;
      case "UNWATCH":
        this.#watching = false;
        break;
      case "SELECT":
      case "SUBSCRIBE":
      case "PSUBSCRIBE":
      case "SSUBSCRIBE":
      case "MONITOR":
      case "RESET":
      case "HELLO":
      case "AUTH":
      case "QUIT":
        this.#dirty = true;
        break;
      case "CLIENT": {
        const sub = typeof command[1] === "string" ? command[1].toUpperCase() : "";
        if (sub === "REPLY" || sub === "TRACKING" || sub === "SETNAME") this.#dirty = true;
        break;
      }
    }
  }
}

/**
 * A bounded set of connections for shared, pipelined use (`send`) and for
 * exclusive use (`use`). Made by `createPool()`.
 *
 * @example
 * ```ts ignore
 * const pool = createPool({ url: "redis://127.0.0.1:6379", max: 16 });
 * await pool.set("k", "v");
 * await pool.use(async (conn) => {
 *   await conn.send(["BLPOP", "jobs", "5"], { timeout: 6_000 });
 * });
 * console.log(pool.stats());
 * await pool.close();
 * ```
 */
export class Pool extends Commands implements Dispatcher {
  #connect: ConnectOptions;
  /** What each member gets besides its options (a shared breaker, a Sentinel's resolver, …). */
  #clientInternals: ClientInternals;
  #max: number;
  #min: number;
  #acquireTimeout: number;
  #idleTimeout: number;
  #maxLifetime: number;
  #healthCheckAfter: number;
  #members: Member[] = [];
  /** Members closed but whose sockets may not be gone yet: they still count toward `max`. */
  #closing = 0;
  #waiters = new Deque<Waiter>();
  #sweepTimer: Timer | undefined;
  #closed = false;
  #closedPromise: Promise<void> | undefined;
  /** The connection for pub/sub, opened on the first subscription (outside `max`). */
  #subscriber: RedisClient | undefined;
  /** One circuit for all members (`breaker` option), or none. */
  #breaker: Breaker | undefined;
  #label: string;

  /**
   * Creates a pool; connections open as they are needed (`min` at once).
   *
   * @param options Connection options plus `max`, `min`, `acquireTimeout`,
   *   `idleTimeout`, `maxLifetime` and `healthCheckAfter`.
   * @throws {TypeError} For an unknown option or a malformed URL.
   */
  constructor(options?: string | PoolOptions);
  /**
   * Internal: a pool of a strategy, whose members get `internals` besides
   * their options (a Sentinel's address resolver, a replica's `READONLY`).
   *
   * @ignore
   */
  constructor(options: string | PoolOptions, internals: ClientInternals);
  constructor(options: string | PoolOptions = {}, internals: ClientInternals = {}) {
    super();
    const all: PoolOptions = typeof options === "string" ? { url: options } : { ...options };
    checkOptionKeys(all, POOL_OPTION_KEYS, "createPool()");
    const { max, min, acquireTimeout, idleTimeout, maxLifetime, healthCheckAfter, ...connect } =
      all;
    const resolved = resolveConnectOptions(connect, CONNECT_OPTION_KEYS, "createPool()"); // validate now
    const target = resolved.target;
    this.#label = target.path ?? `${target.host}:${target.port}`;
    const breaker = resolveBreaker(connect.breaker);
    this.#connect = connect;
    this.#clientInternals = internals;
    if (breaker !== undefined) {
      this.#breaker = new Breaker(breaker);
      const listener = (all as { [BREAKER_LISTENER]?: BreakerListener })[BREAKER_LISTENER];
      if (listener !== undefined) this.#breaker.onChange(listener);
      // The members report their connection attempts to the pool's breaker; the pool admits.
      this.#connect = { ...connect, breaker: undefined };
      this.#clientInternals = { ...internals, sharedBreaker: this.#breaker };
    }
    this.#max = checkCount(max ?? 10, "max", 1);
    this.#min = checkCount(min ?? 0, "min", 0);
    if (this.#min > this.#max) {
      throw new RangeError(`Invalid option "min": ${this.#min} is more than max`);
    }
    const ms = (value: unknown, name: string) => durationOption(value, name, 0, 2 ** 31 - 1);
    this.#acquireTimeout = ms(acquireTimeout ?? 10_000, "acquireTimeout");
    this.#idleTimeout = ms(idleTimeout ?? 30_000, "idleTimeout");
    this.#maxLifetime = ms(maxLifetime ?? 0, "maxLifetime");
    this.#healthCheckAfter = ms(healthCheckAfter ?? 5_000, "healthCheckAfter");
    for (let i = 0; i < this.#min; i++) this.#grow();
    this.#armSweep();
  }

  /**
   * Sends a command on a shared connection, pipelined with other callers'.
   *
   * @param command The command name and its arguments.
   * @param options `bytes`, `timeout` and `signal` for this command.
   */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.dispatch(command, { resolve: resolve as (value: RedisReply) => void, reject }, options)
    );
  }

  /** Queues a command on a shared connection; its outcome goes to `settle`. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    if (this.#breaker !== undefined) {
      const admitted = this.#admit(command, settle);
      if (admitted === undefined) return;
      settle = admitted;
    }
    const member = this.#shared();
    if (member !== undefined) {
      member.client.dispatch(command, settle, options);
      return;
    }
    if (this.#closed) {
      settle.reject(this.#closedError());
      return;
    }
    // Every connection is lent out: wait for one to come back.
    this.#wait().then(
      (m) => {
        m.client.dispatch(command, settle, options);
        this.#release(m);
      },
      (error) => settle.reject(error),
    );
  }

  /**
   * Asks the breaker whether `command` may go: the settle that reports its
   * outcome to the breaker, or `undefined` after failing it at once.
   */
  #admit(command: Command, settle: Settle): Settle | undefined {
    const admitted = this.#breaker!.admit(command, this.#label);
    if (admitted instanceof CircuitOpenError) {
      settle.reject(admitted);
      return undefined;
    }
    return new BreakerSettle(this.#breaker!, settle, admitted.probe);
  }

  /** A pipeline whose commands all go to one shared connection, in one write. */
  pipeline(): Pipeline {
    return new Pipeline(this.#sticky());
  }

  /**
   * A MULTI/EXEC transaction on one shared connection. Safe without `use()`:
   * MULTI, the commands and EXEC leave together, so nothing interleaves. For
   * WATCH, use `use()`.
   */
  multi(): Transaction {
    return new Transaction(this.#sticky());
  }

  /**
   * Lends a connection to `fn` alone, and takes it back when `fn` settles,
   * whether it resolved or threw.
   *
   * @param fn Receives the connection; its result is `use()`'s result.
   * @throws {PoolTimeoutError} When no connection frees up within `acquireTimeout`.
   */
  async use<T>(fn: (connection: PooledConnection) => T | Promise<T>): Promise<T> {
    const member = await this.#acquire();
    const lease = new PooledConnection(member.client);
    const generation = connectionGeneration(member.client);
    try {
      return await fn(lease);
    } finally {
      lease.release();
      // A client still connecting at the start (generation 0) may connect once meanwhile.
      const replaced = connectionGeneration(member.client) > Math.max(generation, 1);
      if (lease.dirty || replaced || member.client.state === "closed") {
        this.#discard(member);
      } else {
        if (lease.watching) member.client.dispatch(["UNWATCH"], { resolve() {}, reject() {} });
        this.#release(member);
      }
    }
  }

  /**
   * Subscribes to channels on the pool's dedicated pub/sub connection (opened
   * on first use, not counted in `max`), restored after reconnects.
   *
   * @param channels One channel or several.
   * @param listener Receives `(message, channel)`; without one, iterate the subscription.
   */
  subscribe(channels: string | string[], listener?: MessageListener): Promise<Subscription> {
    return this.#pubsubClient().subscribe(channels, listener);
  }

  /**
   * Subscribes to channel patterns on the dedicated pub/sub connection.
   *
   * @param patterns One pattern or several, e.g. `news.*`.
   * @param listener Receives `(message, channel, pattern)`.
   */
  psubscribe(patterns: string | string[], listener?: MessageListener): Promise<Subscription> {
    return this.#pubsubClient().psubscribe(patterns, listener);
  }

  #pubsubClient(): RedisClient {
    if (this.#closed) throw this.#closedError();
    return this.#subscriber ??= new RedisClient(this.#connect, this.#clientInternals);
  }

  /**
   * Moves every connection to a new socket, each after finishing the
   * commands it carries (see `RedisClient.reconnect`). Strategies call it
   * when the server behind the address changed, e.g. after a failover.
   *
   * @example
   * ```ts ignore
   * pool.reconnect();
   * ```
   */
  reconnect(): void {
    for (const member of this.#members) member.client.reconnect();
    this.#subscriber?.reconnect();
  }

  /** Sizes of the pool right now. */
  stats(): PoolStats {
    let idle = 0;
    let inUse = 0;
    let pending = 0;
    for (const m of this.#members) {
      const p = m.client.pending;
      pending += p;
      if (m.held) inUse++;
      else if (p === 0) idle++;
    }
    return {
      size: this.#members.length,
      idle,
      inUse,
      waiting: this.#waiters.size,
      pending,
      breaker: this.#breaker?.state ?? "off",
    };
  }

  /**
   * Stops lending, rejects callers still waiting for a connection, waits for
   * running commands and lent connections up to `timeout`, then closes
   * every connection (commands still waiting then reject with `ConnectionError`).
   */
  close(options: PoolCloseOptions = {}): Promise<void> {
    checkOptionKeys(options, ["timeout"], "pool.close()");
    this.#closedPromise ??= this.#close(options.timeout ?? 5_000);
    return this.#closedPromise;
  }

  /** Closes the pool (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(timeout: number): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#sweepTimer);
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) {
      if (w.done) continue;
      w.done = true;
      clearTimeout(w.timer);
      w.reject(this.#closedError());
    }
    // A PING answered means every command sent before it was answered too.
    const drained = Promise.all(
      this.#members.map((m) =>
        m.held ? undefined : m.client.send(["PING"], { timeout: 0 }).catch(() => {})
      ),
    );
    let timer: Timer | undefined;
    await Promise.race([
      drained.then(() => this.#heldReleased()),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout))),
    ]);
    clearTimeout(timer);
    const members = this.#members;
    this.#members = [];
    await Promise.all([...members.map((m) => m.client.close()), this.#subscriber?.close()]);
    this.#heldWaiter?.();
  }

  #heldWaiter: (() => void) | undefined;

  /** Resolves once no connection is lent out. */
  #heldReleased(): Promise<void> {
    if (!this.#members.some((m) => m.held)) return Promise.resolve();
    return new Promise((resolve) => (this.#heldWaiter = resolve));
  }

  #closedError(): Error {
    return new ConnectionError("Cannot acquire a connection as the pool is closed");
  }

  /** Opens one more member (the caller checked the limit). */
  #grow(): Member {
    const now = Date.now();
    const member: Member = {
      client: new RedisClient(this.#connect, this.#clientInternals),
      held: false,
      createdAt: now,
      lastUsed: now,
    };
    this.#members.push(member);
    return member;
  }

  #canGrow(): boolean {
    return !this.#closed && this.#members.length + this.#closing < this.#max;
  }

  /**
   * The first member not lent out whose queue is under the threshold, else
   * the least busy one, opening another when all are busy. A
   * member that is not connected is used only when none is: its commands
   * would wait in its offline queue.
   */
  #shared(): Member | undefined {
    let best: Member | undefined;
    let bestPending = Infinity;
    let fallback: Member | undefined;
    let opening = false;
    for (const m of this.#members) {
      if (m.held) continue;
      const state = m.client.state;
      if (state !== "ready") {
        if (state === "connecting") opening = true;
        if (state !== "closed" && fallback === undefined) fallback = m;
        continue;
      }
      // Fill in order rather than spread: fewer sockets each carry bigger writes.
      const p = m.client.pending;
      if (p < BUSY_THRESHOLD) {
        best = m;
        bestPending = p;
        break;
      }
      if (p < bestPending) {
        best = m;
        bestPending = p;
      }
    }
    if (this.#closed) return undefined;
    // Busy beyond the threshold: open one more (one at a time) for the next callers.
    if (best !== undefined && bestPending >= BUSY_THRESHOLD && !opening && this.#canGrow()) {
      this.#grow();
    }
    best ??= fallback ?? (this.#canGrow() ? this.#grow() : undefined);
    // Idle time counts from when a member last went from no work to some:
    // a member with commands in flight is not idle, so busy ones skip the clock.
    if (best !== undefined && best.client.pending === 0) best.lastUsed = Date.now();
    return best;
  }

  /** A dispatcher that picks one shared member on its first command and sticks to it. */
  #sticky(): Dispatcher {
    let member: Member | undefined;
    let pending: Promise<Member> | undefined;
    return {
      dispatch: (command, settle, options) => {
        if (this.#breaker !== undefined) {
          const admitted = this.#admit(command, settle);
          if (admitted === undefined) return;
          settle = admitted;
        }
        member ??= this.#shared();
        if (member !== undefined) return member.client.dispatch(command, settle, options);
        if (this.#closed) return settle.reject(this.#closedError());
        pending ??= this.#wait().then((m) => {
          member = m;
          queueMicrotask(() => this.#release(m));
          return m;
        });
        pending.then((m) => m.client.dispatch(command, settle, options), (e) => settle.reject(e));
      },
    };
  }

  /** Takes a member for exclusive use: an idle one, a new one, or the next one released. */
  async #acquire(): Promise<Member> {
    for (;;) {
      if (this.#closed) throw this.#closedError();
      // An open circuit lends nothing: use() fails at once, like send().
      if (this.#breaker !== undefined && this.#breaker.state !== "closed") {
        const admitted = this.#breaker.admit("use()", this.#label);
        if (admitted instanceof CircuitOpenError) throw admitted;
        // The probe: a connection that works closes the circuit.
        this.#breaker.release();
      }
      let member = this.#idleMember();
      if (member === undefined && this.#canGrow()) member = this.#grow();
      if (member === undefined) member = await this.#wait();
      member.held = true;
      if (!await this.#healthy(member)) {
        member.held = false;
        this.#discard(member);
        continue;
      }
      member.lastUsed = Date.now();
      return member;
    }
  }

  /** A member not lent out, with the fewest commands in flight. */
  #idleMember(): Member | undefined {
    let best: Member | undefined;
    for (const m of this.#members) {
      if (m.held || m.client.state === "closed") continue;
      if (best === undefined || m.client.pending < best.client.pending) best = m;
      if (m.client.pending === 0 && m.client.state === "ready") return m;
    }
    return best;
  }

  /** PINGs a member that sat idle past `healthCheckAfter`. */
  async #healthy(member: Member): Promise<boolean> {
    if (member.client.state === "closed") return false;
    if (Date.now() - member.lastUsed < this.#healthCheckAfter) return true;
    try {
      await member.client.send(["PING"], { timeout: Math.min(this.#acquireTimeout || 1000, 1000) });
      return true;
    } catch {
      return false;
    }
  }

  #wait(): Promise<Member> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined, done: false };
      if (this.#acquireTimeout > 0) {
        waiter.timer = setTimeout(() => {
          if (waiter.done) return;
          waiter.done = true;
          const { inUse } = this.stats();
          reject(
            new PoolTimeoutError(
              `Cannot acquire a connection within ${this.#acquireTimeout} ms: ` +
                `${inUse} of ${this.#max} connections are in use, ${this.#waiters.size} callers waiting`,
            ),
          );
        }, this.#acquireTimeout);
      }
      this.#waiters.push(waiter);
    });
  }

  /** Hands a member back: straight to the next waiter, if any. */
  #release(member: Member): void {
    member.held = false;
    member.lastUsed = Date.now();
    for (let w = this.#waiters.shift(); w !== undefined; w = this.#waiters.shift()) {
      if (w.done) continue;
      w.done = true;
      clearTimeout(w.timer);
      member.held = true;
      w.resolve(member);
      return;
    }
    if (this.#heldWaiter !== undefined && !this.#members.some((m) => m.held)) this.#heldWaiter();
  }

  /** Closes a member and, if someone waits, opens a replacement for them. */
  #discard(member: Member): void {
    const index = this.#members.indexOf(member);
    if (index < 0) return;
    this.#members.splice(index, 1);
    this.#closing++;
    member.client.close().finally(() => {
      this.#closing--;
      this.#refill();
    });
    if (this.#heldWaiter !== undefined && !this.#members.some((m) => m.held)) this.#heldWaiter();
  }

  /** Gives waiters new members while there is room, and keeps `min` open. */
  #refill(): void {
    if (this.#closed) return;
    while (this.#waiters.size > 0 && this.#canGrow()) {
      const w = this.#waiters.shift()!;
      if (w.done) continue;
      w.done = true;
      clearTimeout(w.timer);
      const member = this.#grow();
      member.held = true;
      w.resolve(member);
    }
    while (this.#members.length + this.#closing < this.#min) this.#grow();
  }

  #armSweep(): void {
    const period = Math.min(
      this.#idleTimeout || Infinity,
      this.#maxLifetime || Infinity,
    );
    if (period === Infinity || this.#closed) return;
    this.#sweepTimer = unrefTimeout(() => {
      this.#sweep();
      this.#armSweep();
    }, Math.max(100, Math.floor(period / 2)));
  }

  /** Closes members idle past `idleTimeout` (beyond `min`) or older than `maxLifetime`. */
  #sweep(): void {
    const now = Date.now();
    for (const m of [...this.#members]) {
      if (m.held || m.client.pending > 0) continue;
      const old = this.#maxLifetime > 0 && now - m.createdAt >= this.#maxLifetime;
      const idle = this.#idleTimeout > 0 && now - m.lastUsed >= this.#idleTimeout &&
        this.#members.length > this.#min;
      if (old || idle || m.client.state === "closed") this.#discard(m);
    }
  }
}

/**
 * Creates a connection pool.
 *
 * @example
 * ```ts ignore
 * import { createPool } from "@redcache/redcache";
 *
 * await using pool = createPool({ url: "redis://127.0.0.1:6379", max: 16, acquireTimeout: 5_000 });
 * await pool.send(["SET", "k", "v"]); // shared, pipelined
 * const n = await pool.use(async (conn) => {
 *   await conn.send(["WATCH", "n"]);
 *   const next = Number(await conn.get("n")) + 1;
 *   return (await conn.multi().send(["SET", "n", next]).exec()) ? next : null;
 * });
 * ```
 *
 * @param options A URL, or connection options plus pool settings.
 * @returns A pool; connections open as they are needed.
 * @throws {TypeError} For an unknown option or a malformed URL.
 */
export function createPool(options: string | PoolOptions = {}): Pool {
  return new Pool(options);
}
