/**
 * The sentinel strategy: Redis Sentinel tells where the primary is. This
 * file is the router; asking the sentinels is `sentinel_watcher.ts`'s job and
 * reading the `sentinels` option `sentinel_list.ts`'s.
 *
 * - Each connection attempt of the primary's pool asks a sentinel
 *   (`SENTINEL GET-MASTER-ADDR-BY-NAME`), then checks the answer with `ROLE`;
 *   a sentinel that is down is skipped for the next one.
 * - A subscription to `+switch-master` on a sentinel moves the pool to the new
 *   primary as soon as a failover is announced.
 * - A write refused with `READONLY` (the old primary was demoted under us)
 *   sends the pool to the new primary and the write again, once.
 * - With `readFrom: "replica"`/`"any"`, replicas come from `SENTINEL REPLICAS`,
 *   found again after each switch.
 *
 * Credentials in a sentinel's URL are the sentinels'; `username`/`password`
 * (or the pool options) are the data nodes'.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import { ReplyError } from "../errors.ts";
import type { TargetResolver } from "../net/resolve.ts";
import { describeTarget } from "../net/transport.ts";
import type { Command } from "../resp/types.ts";
import { Pool } from "../pool/pool.ts";
import {
  connectOptionsOf,
  type PoolInternalOptions,
  type PoolOptions,
} from "../pool/pool_options.ts";
import type { RedisTarget } from "../client/target.ts";
import type { ReadFrom } from "../cluster/read_from.ts";
import { sendVia } from "../cluster/send_via.ts";
import { DefaultRouter } from "./default.ts";
import { RetrySettle } from "./retry_settle.ts";
import type { SentinelList } from "./sentinel_list.ts";
import { SentinelWatcher } from "./sentinel_watcher.ts";
import { emit, forwardEvents } from "../util/events.ts";

/** Options of the sentinel strategy. */
export interface SentinelRouterOptions {
  /** The sentinels. */
  sentinels: SentinelList;
  /** The name the sentinels monitor the primary under. */
  masterName: string;
  /** Where reads go. */
  readFrom: ReadFrom;
  /** Pool options for the data nodes (no address: the sentinels give it). */
  pool: PoolOptions;
}

/**
 * A primary (and replicas) found and followed through Redis Sentinel.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({
 *   strategy: "sentinel",
 *   sentinels: ["10.0.0.1:26379", "10.0.0.2:26379", "10.0.0.3:26379"],
 *   masterName: "mymaster",
 *   password: "data-node-secret",
 * });
 * ```
 */
export class SentinelRouter extends DefaultRouter {
  #watcher: SentinelWatcher;
  #pool: PoolOptions;
  #readFrom: ReadFrom;
  #writes: RedisTarget;
  #replicaPools = new Map<string, Pool>();
  #refreshing: Promise<void> | undefined;
  #closed = false;

  /** @param options Sentinels, master name, `readFrom` and the data nodes' pool options. */
  constructor(options: SentinelRouterOptions) {
    const ref: { watcher?: SentinelWatcher } = {};
    // The data nodes' TLS settings stay; only the address comes from the sentinels.
    const resolve: TargetResolver = async (target) => ({
      ...target,
      ...await ref.watcher!.primary(),
    });
    const primary = new Pool({
      ...options.pool,
      host: `${options.masterName} (via sentinel)`,
    } as PoolOptions, { resolveTarget: resolve });
    super(primary, [], options.readFrom);
    const watcher = new SentinelWatcher(
      options.sentinels,
      options.masterName,
      options.pool,
      connectOptionsOf(options.pool),
      (detail) => {
        this.#followFailover();
        // cache.client is the primary's pool: the event is its.
        emit(primary, "switch-master", detail);
      },
    );
    this.#watcher = ref.watcher = watcher;
    this.#pool = options.pool;
    this.#readFrom = options.readFrom;
    this.#writes = new ReadonlyRetry(primary, () => this.#followFailover());
    if (options.readFrom !== "primary") this.#refreshReplicas();
  }

  /** The sentinels' view, for tests and tools. */
  get watcher(): SentinelWatcher {
    return this.#watcher;
  }

  override route(key: string | undefined, read: boolean): RedisTarget {
    return read ? super.route(key, true) : this.#writes;
  }

  override together(): RedisTarget {
    return this.#writes;
  }

  /** A failover happened (announced, or seen as READONLY): follow it. */
  #followFailover(): void {
    if (this.#closed) return;
    // A near cache forgets what it read: the old primary's answers no longer count.
    (this.#pool as PoolInternalOptions).tracking?.moved();
    this.#watcher.invalidate();
    (this.primary as Pool).reconnect();
    if (this.#readFrom !== "primary") this.#refreshReplicas();
  }

  #refreshReplicas(): void {
    this.#refreshing ??= (async () => {
      try {
        const found = await this.#watcher.replicas();
        if (this.#closed) return;
        const next = new Map<string, Pool>();
        for (const target of found) {
          const name = describeTarget(target);
          let pool = this.#replicaPools.get(name);
          if (pool === undefined) {
            pool = new Pool({ ...this.#pool, host: target.host, port: target.port });
            forwardEvents(pool, this.primary); // the primary's pool emits the replicas' events too
          }
          next.set(name, pool);
        }
        this.#replicaPools = next;
        await this.replaceReplicas([...next.values()], this.#readFrom);
      } catch { /* reads fall back to the primary; the next switch tries again */ }
    })().finally(() => (this.#refreshing = undefined));
  }

  override async close(): Promise<void> {
    this.#closed = true;
    await this.#refreshing;
    await Promise.all([
      super.close(),
      ...[...this.#replicaPools.values()].map((p) => p.close()),
      this.#watcher.close(),
    ]);
  }
}

/** Sends writes to the primary; after `READONLY`, follows the switch and sends once more. */
class ReadonlyRetry implements RedisTarget {
  #primary: RedisTarget;
  #followFailover: () => void;

  constructor(primary: RedisTarget, switched: () => void) {
    this.#primary = primary;
    this.#followFailover = switched;
  }

  send<T>(command: Command, options?: SendOptions): Promise<T> {
    return sendVia<T>(this, command, options);
  }

  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    let retried = false;
    this.#primary.dispatch(
      command,
      new RetrySettle(command, settle, options, (error) => {
        if (retried || !(error instanceof ReplyError) || error.code !== "READONLY") {
          return undefined;
        }
        retried = true;
        this.#followFailover();
        return this.#primary;
      }),
      options,
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
