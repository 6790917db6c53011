/**
 * The pool's API: `send` (shared, pipelined), `pipeline`/`multi` on one
 * shared connection, `use` (exclusive), pub/sub on a dedicated connection,
 * `reconnect`, `stats` and `close`. It knows two kinds of use:
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
 * the client's; the pool never holds more than `max` of them. Who is open,
 * lent out or closing is `membership.ts`'s job; the options are resolved in
 * `pool_options.ts`, the breaker admits in `pool_breaker.ts`, and
 * `pooled_connection.ts` is what `use()` lends.
 *
 * @module
 */

import { connectionGeneration, RedisClient } from "../client/client.ts";
import { EmittingCommands } from "../client/emitting_commands.ts";
import type { SendOptions, Settle } from "../client/send_options.ts";
import type { ClientInternals, ConnectOptions } from "../client/options.ts";
import type { Breaker } from "../client/breaker.ts";
import { checkOptionKeys } from "../util/options.ts";
import { Pipeline } from "../client/pipeline.ts";
import type { Dispatcher } from "../client/target.ts";
import { Transaction } from "../client/transaction.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { MessageListener, Subscription } from "../client/pubsub.ts";
import type { Timer } from "../util/timers.ts";
import type { Member } from "./members.ts";
import { Membership, poolClosedError } from "./membership.ts";
import { admitCommand } from "./pool_breaker.ts";
import {
  POOL_OPTION_KEYS,
  type PoolCloseOptions,
  type PoolInternalOptions,
  type PoolOptions,
  resolvePoolOptions,
} from "./pool_options.ts";
import { PooledConnection } from "./pooled_connection.ts";
import type { PoolStats } from "./pool_stats.ts";
import type { RedisEventMap } from "../client/events.ts";
import { emit } from "../util/events.ts";

export type { PoolStats };

/**
 * A bounded set of connections for shared, pipelined use (`send`) and for
 * exclusive use (`use`). Made by `createPool()`.
 *
 * @example
 * ```ts
 * import { createPool } from "@redcache/redcache";
 *
 * const pool = createPool({ url: "redis://127.0.0.1:6379", max: 16 });
 * await pool.set("k", "v");
 * await pool.use(async (conn) => {
 *   await conn.send(["BLPOP", "jobs", "5"], { timeout: 6_000 });
 * });
 * console.log(pool.stats());
 * await pool.close();
 * ```
 */
export class Pool extends EmittingCommands<RedisEventMap> implements Dispatcher {
  #connect: ConnectOptions;
  /** What each member gets besides its options (a shared breaker, a Sentinel's resolver, …). */
  #clientInternals: ClientInternals;
  /** The members, who holds them, and the callers waiting. */
  #membership: Membership;
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
  constructor(options: string | PoolInternalOptions, internals: ClientInternals);
  constructor(options: string | PoolInternalOptions = {}, internals: ClientInternals = {}) {
    super();
    const settings = resolvePoolOptions(options, internals);
    // Every member's events (but `end`) are the pool's too.
    settings.clientInternals = { ...settings.clientInternals, eventParent: this };
    this.#label = settings.label;
    this.#connect = settings.connect;
    this.#clientInternals = settings.clientInternals;
    this.#breaker = settings.breaker;
    this.#membership = new Membership(settings);
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

  /**
   * Queues a command on a shared connection; its outcome goes to `settle`. A
   * command with `block` (the server may hold it) gets a connection of its
   * own, so it holds up nobody else's replies.
   */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    if (options?.block !== undefined) {
      this.use((conn) => conn.send(command, options)).then(
        settle.resolve.bind(settle),
        (e) => settle.reject(e),
      );
      return;
    }
    if (this.#breaker !== undefined) {
      const admitted = admitCommand(this.#breaker, this.#label, command, settle);
      if (admitted === undefined) return;
      settle = admitted;
    }
    const member = this.#membership.shared();
    if (member !== undefined) {
      member.client.dispatch(command, settle, options);
      return;
    }
    if (this.#membership.closed) {
      settle.reject(poolClosedError());
      return;
    }
    // Every connection is lent out: wait for one to come back.
    this.#membership.wait().then(
      (m) => {
        m.client.dispatch(command, settle, options);
        this.#membership.release(m);
      },
      (error) => settle.reject(error),
    );
  }

  /** A pipeline whose commands all go to one shared connection, in one write. */
  pipeline(): Pipeline {
    return new Pipeline(this.#stickyDispatcher());
  }

  /**
   * A MULTI/EXEC transaction on one shared connection. Safe without `use()`:
   * MULTI, the commands and EXEC leave together, so nothing interleaves. For
   * WATCH, use `use()`.
   */
  multi(): Transaction {
    return new Transaction(this.#stickyDispatcher());
  }

  /**
   * Lends a connection to `fn` alone, and takes it back when `fn` settles,
   * whether it resolved or threw.
   *
   * @param fn Receives the connection; its result is `use()`'s result.
   * @throws {PoolTimeoutError} When no connection frees up within `acquireTimeout`.
   */
  async use<T>(fn: (connection: PooledConnection) => T | Promise<T>): Promise<T> {
    const member = await this.#membership.acquire();
    const lease = new PooledConnection(member.client);
    const generation = connectionGeneration(member.client);
    try {
      return await fn(lease);
    } finally {
      lease.release();
      // A client still connecting at the start (generation 0) may connect once meanwhile.
      const replaced = connectionGeneration(member.client) > Math.max(generation, 1);
      if (lease.dirty || replaced || member.client.state === "closed") {
        this.#membership.discard(member);
      } else {
        if (lease.watching) member.client.dispatch(["UNWATCH"], { resolve() {}, reject() {} });
        this.#membership.release(member);
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
    if (this.#membership.closed) throw poolClosedError();
    return this.#subscriber ??= new RedisClient(this.#connect, this.#clientInternals);
  }

  /**
   * Moves every connection to a new socket, each after finishing the
   * commands it carries (see `RedisClient.reconnect`). Strategies call it
   * when the server behind the address changed, e.g. after a failover.
   *
   * @example
   * ```ts
   * import { createPool } from "@redcache/redcache";
   *
   * await using pool = createPool("redis://127.0.0.1:6379");
   * pool.reconnect();
   * ```
   */
  reconnect(): void {
    for (const member of this.#membership.members) member.client.reconnect();
    this.#subscriber?.reconnect();
  }

  /** Sizes of the pool right now. */
  stats(): PoolStats {
    let idle = 0;
    let inUse = 0;
    let pending = 0;
    for (const m of this.#membership.members) {
      const p = m.client.pending;
      pending += p;
      if (m.held) inUse++;
      else if (p === 0) idle++;
    }
    return {
      size: this.#membership.members.length,
      idle,
      inUse,
      waiting: this.#membership.waiting,
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
    this.#closedPromise ??= this.#drainAndClose(options.timeout ?? 5_000);
    return this.#closedPromise;
  }

  /** Closes the pool (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #drainAndClose(timeout: number): Promise<void> {
    this.#membership.close();
    // A PING answered means every command sent before it was answered too.
    const drained = Promise.all(
      this.#membership.members.map((m) =>
        m.held ? undefined : m.client.send(["PING"], { timeout: 0 }).catch(() => {})
      ),
    );
    let timer: Timer | undefined;
    await Promise.race([
      drained.then(() => this.#membership.untilNoneLent()),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout))),
    ]);
    clearTimeout(timer);
    const members = this.#membership.removeAll();
    await Promise.all([...members.map((m) => m.client.close()), this.#subscriber?.close()]);
    this.#membership.endNoneLentWait();
    emit(this, "end", { address: this.#label, error: undefined });
  }

  /** A dispatcher that picks one shared member on its first command and sticks to it. */
  #stickyDispatcher(): Dispatcher {
    let member: Member | undefined;
    let pending: Promise<Member> | undefined;
    return {
      dispatch: (command, settle, options) => {
        if (this.#breaker !== undefined) {
          const admitted = admitCommand(this.#breaker, this.#label, command, settle);
          if (admitted === undefined) return;
          settle = admitted;
        }
        member ??= this.#membership.shared();
        if (member !== undefined) return member.client.dispatch(command, settle, options);
        if (this.#membership.closed) return settle.reject(poolClosedError());
        pending ??= this.#membership.wait().then((m) => {
          member = m;
          queueMicrotask(() => this.#membership.release(m));
          return m;
        });
        pending.then((m) => m.client.dispatch(command, settle, options), (e) => settle.reject(e));
      },
    };
  }
}

/**
 * Creates a connection pool.
 *
 * @example
 * ```ts
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
  // The public option names only (the constructor also takes the internal ones).
  if (typeof options === "object" && options !== null) {
    checkOptionKeys(options, POOL_OPTION_KEYS, "createPool()");
  }
  return new Pool(options);
}
