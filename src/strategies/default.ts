/**
 * The default strategy: one primary for writes, optional replicas for reads.
 *
 * Reads go where `readFrom` says. Replicas take turns (round robin); a
 * replica that fails a read (connection lost, timeout) is skipped for a
 * while and the read goes to the next one, then to the primary, so a dead
 * replica costs one retry, not an error.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import type { Command } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";
import type { ReadFrom } from "../cluster/read_from.ts";
import { sendVia } from "../cluster/send_via.ts";
import { BaseRouter } from "./base_router.ts";
import { isUnreachable, RetrySettle } from "./retry_settle.ts";

/** How long a replica that failed is left out before it is tried again. */
export const REPLICA_RETRY_AFTER_MS = 1_000;

/**
 * Reads spread over replicas (and the primary, for `"any"`), falling back
 * to the next candidate when one is unreachable.
 */
export class ReadBalancer implements RedisTarget {
  #primary: RedisTarget;
  #candidates: RedisTarget[];
  #downUntil: number[];
  #next = 0;

  /**
   * @param primary Where reads end up when no replica is healthy.
   * @param replicas The replicas.
   * @param withPrimary True to let the primary take its turn too (`"any"`).
   */
  constructor(primary: RedisTarget, replicas: readonly RedisTarget[], withPrimary: boolean) {
    this.#primary = primary;
    this.#candidates = withPrimary ? [primary, ...replicas] : [...replicas];
    this.#downUntil = this.#candidates.map(() => 0);
  }

  /** Replaces the replicas (Sentinel found new ones); health starts afresh. */
  setReplicas(replicas: readonly RedisTarget[], withPrimary: boolean): void {
    this.#candidates = withPrimary ? [this.#primary, ...replicas] : [...replicas];
    this.#downUntil = this.#candidates.map(() => 0);
  }

  send<T>(command: Command, options?: SendOptions): Promise<T> {
    return sendVia<T>(this, command, options);
  }

  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    const first = this.#pick(-1);
    if (first === -1) return this.#primary.dispatch(command, settle, options);
    let current = first;
    const retry = new RetrySettle(command, settle, options, (error) => {
      if (!isUnreachable(error) || current === -1) return undefined; // not a down server, or the primary failed too
      this.#downUntil[current] = Date.now() + REPLICA_RETRY_AFTER_MS;
      current = this.#pick(current);
      return current === -1 ? this.#primary : this.#candidates[current];
    });
    this.#candidates[first].dispatch(command, retry, options);
  }

  /** The next healthy candidate after `after` in turn order, or -1 for none. */
  #pick(after: number): number {
    const n = this.#candidates.length;
    const now = Date.now();
    const start = after === -1 ? this.#next++ : after + 1;
    if (this.#next >= n) this.#next = 0;
    const tries = after === -1 ? n : n - 1;
    for (let i = 0; i < tries; i++) {
      const index = (start + i) % n;
      if (index === after) continue;
      if (this.#downUntil[index] <= now) return index;
    }
    return -1;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * One primary and optional replicas. Every write, script and scan goes to
 * the primary; reads follow `readFrom`.
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * await using cache = createCache({
 *   url: "redis://10.0.0.1:6379",
 *   replicas: ["redis://10.0.0.2:6379"],
 *   readFrom: "replica",
 * });
 * ```
 */
export class DefaultRouter extends BaseRouter {
  #primary: RedisTarget;
  #replicas: RedisTarget[];
  #reads: RedisTarget;
  #nodes: readonly RedisTarget[];

  /**
   * @param primary The primary's pool.
   * @param replicas The replicas' pools (closed with the router).
   * @param readFrom Where reads go.
   */
  constructor(primary: RedisTarget, replicas: RedisTarget[], readFrom: ReadFrom) {
    super();
    this.#primary = primary;
    this.#replicas = replicas;
    this.#reads = readFrom === "primary" || replicas.length === 0 && readFrom !== "replica"
      ? primary
      : new ReadBalancer(primary, replicas, readFrom === "any");
    this.#nodes = [primary];
  }

  /** The primary's pool. */
  get primary(): RedisTarget {
    return this.#primary;
  }

  /** The balancer behind reads (the primary when reads stay there). */
  protected get reads(): RedisTarget {
    return this.#reads;
  }

  /** Replaces the replicas' pools (Sentinel); the old ones are closed. */
  protected async replaceReplicas(replicas: RedisTarget[], readFrom: ReadFrom): Promise<void> {
    const old = this.#replicas;
    this.#replicas = replicas;
    if (this.#reads instanceof ReadBalancer) {
      this.#reads.setReplicas(replicas, readFrom === "any");
    }
    await Promise.all(old.filter((r) => !replicas.includes(r)).map((r) => r.close()));
  }

  route(_key: string | undefined, read: boolean): RedisTarget {
    return read ? this.#reads : this.#primary;
  }

  nodes(): Promise<readonly RedisTarget[]> {
    return Promise.resolve(this.#nodes);
  }

  together(): RedisTarget {
    return this.#primary;
  }

  async close(): Promise<void> {
    await Promise.all([this.#primary, ...this.#replicas].map((target) => target.close()));
  }
}
