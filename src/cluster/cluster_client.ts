/**
 * The Redis Cluster client, `connectCluster()`: routes each command to the
 * node serving its key's slot, and is also the cache's router for
 * `strategy: "cluster"` (it meets the strategies' `Router` contract).
 *
 * - The slot map (`slot_map.ts`) comes from a known node or a seed; one
 *   refresh at a time, on errors and every 30 s.
 * - A command goes to the primary of its key's slot (CRC16 of the `{tag}`,
 *   `key_slot.ts`), over one lazily created pool per node (`node_pools.ts`);
 *   with `readFrom: "replica"`, reads go to the slot's replicas over
 *   connections in `READONLY` mode.
 * - `MOVED` updates the slot and sends again; `ASK` sends `ASKING` and the
 *   command on one connection of the target, leaving the map alone
 *   (`redirects.ts`); `TRYAGAIN`, `CLUSTERDOWN` and lost connections wait
 *   (backoff), refresh the map and send again; a write that may have run is
 *   never sent twice. After `maxRedirects` redirections or retries, a
 *   `ClusterError`.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/send_options.ts";
import { ClusterError, ConnectionError, ReplyError } from "../errors.ts";
import { EmittingCommands } from "../client/emitting_commands.ts";
import type { ScanOptions } from "../client/commands/keys.ts";
import { commandName } from "../resp/encode.ts";
import { Pipeline } from "../client/pipeline.ts";
import type { Pool } from "../pool/pool.ts";
import type { PoolInternalOptions } from "../pool/pool_options.ts";
import type { TrackingHooks } from "../client/tracking.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";
import { type ClusterOptions, clusterSettings } from "./cluster_options.ts";
import { firstKey, isReadCommand } from "./command_keys.ts";
import { keySlot, SLOTS } from "./key_slot.ts";
import { NodePools } from "./node_pools.ts";
import type { ReadFrom } from "./read_from.ts";
import { redirectTarget, retryDelay, Routed, sendAsking } from "./redirects.ts";
import { sendVia } from "./send_via.ts";
import { askAnyNode, type Shard, type SlotTable } from "./slot_map.ts";
import { SlotTarget } from "./slot_target.ts";
import { ClusterTransaction } from "./transaction.ts";
import type { RedisEventMap } from "../client/events.ts";
import { emit } from "../util/events.ts";
import { unrefTimeout } from "../util/timers.ts";

/** How often the slot map is refreshed when nothing went wrong, in ms. */
const REFRESH_EVERY_MS = 30_000;
/** When the map lacks replicas that reads want, the next refresh comes this soon, in ms. */
const SOON_MS = 1_000;
/** The soonest a new refresh starts after the last one ended, in ms. */
const REFRESH_GAP_MS = 50;

/**
 * A Redis Cluster client: routes each command to the node that serves its
 * key's slot, follows redirections, and survives resharding and failovers.
 * It is also the cache's router for `strategy: "cluster"`.
 *
 * @example
 * ```ts
 * import { connectCluster } from "@redcache/redcache";
 *
 * await using cluster = connectCluster({ urls: ["redis://127.0.0.1:7000"] });
 * await cluster.set("{user:1}:name", "Ada");
 * await cluster.send(["MGET", "{user:1}:name", "{user:1}:mail"]); // one slot: fine
 * const [a, b] = await cluster.pipeline().send(["GET", "a"]).send(["GET", "b"]).exec();
 * ```
 */
export class ClusterClient extends EmittingCommands<RedisEventMap> {
  #seeds: string[];
  #maxRedirects: number;
  #readFrom: ReadFrom;
  #slots: SlotTable | undefined;
  #nodePools: NodePools;
  #refreshing: Promise<void> | undefined;
  /** A near cache's hooks, when the cache has one. */
  #tracking: TrackingHooks | undefined;
  #refreshedAt = 0;
  /** The next periodic refresh of the slot map. */
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Commands waiting out a backoff before they are sent again. */
  #retryWaits = new Set<{ timer: ReturnType<typeof setTimeout>; routed: Routed }>();
  #slotTargets = new Map<number, RedisTarget>();
  #closed = false;
  /** Round-robin counter of replica reads. */
  #replicaTurn = 0;

  /**
   * Creates the client; `connectCluster()` is the usual way. Nothing connects
   * until the first command.
   *
   * @throws {TypeError} For a missing or malformed seed, or a bad option.
   */
  constructor(options: ClusterOptions) {
    super();
    const settings = clusterSettings(options);
    this.#seeds = settings.seeds;
    this.#maxRedirects = settings.maxRedirects;
    this.#readFrom = settings.readFrom;
    this.#nodePools = new NodePools(settings.pool, this);
    this.#tracking = (settings.pool as PoolInternalOptions).tracking;
    this.#poolFor(this.#seeds[0], false); // validates the pool options now
  }

  /** Sends a command to the node serving its first key's slot. */
  send<T = RedisReply>(command: Command, options?: SendOptions): Promise<T> {
    return sendVia<T>(this, command, options);
  }

  /** Queues a command on the node serving its first key's slot. */
  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    const name = commandName(command);
    const key = firstKey(command, name);
    const read = this.#readFrom !== "primary" && isReadCommand(command, name);
    this.#route(
      new Routed(this, command, settle, options, key === undefined ? -1 : keySlot(key), read),
    );
  }

  /** A pipeline: each command goes to its slot's node; results in the caller's order. */
  pipeline(): Pipeline {
    return new Pipeline(this);
  }

  /**
   * A MULTI/EXEC transaction. Every key must be in one slot (use a `{tag}`);
   * otherwise `exec()` rejects with `ClusterError` and nothing runs.
   */
  multi(): ClusterTransaction {
    return new ClusterTransaction(this);
  }

  /** The target for the commands of one slot (the cache's router contract). */
  route(key: string | undefined, read: boolean): RedisTarget {
    const slot = key === undefined ? -1 : keySlot(key);
    const id = read && this.#readFrom !== "primary" ? slot + SLOTS + 1 : slot;
    let target = this.#slotTargets.get(id);
    if (target === undefined) {
      target = new SlotTarget(this, slot, read && this.#readFrom !== "primary");
      this.#slotTargets.set(id, target);
    }
    return target;
  }

  /** Every primary's pool (for SCAN and FLUSHDB), after loading the map. */
  async nodes(): Promise<readonly RedisTarget[]> {
    await this.#slotMapLoaded();
    const primaries = new Set<string>();
    for (const shard of this.#slots!) if (shard !== undefined) primaries.add(shard.primary);
    return [...primaries].map((address) => this.#poolFor(address, false));
  }

  /**
   * Every key that `SCAN` finds on every primary, node after node (a keyless `scan()` call
   * reaches one node only).
   */
  override async *scanIterator(options?: ScanOptions): AsyncGenerator<string, void, undefined> {
    for (const node of await this.nodes()) yield* (node as Pool).scanIterator(options);
  }

  /** The slot's target when every key is in one slot; `undefined` otherwise. */
  together(keys: readonly string[]): RedisTarget | undefined {
    const slot = keySlot(keys[0]);
    for (let i = 1; i < keys.length; i++) if (keySlot(keys[i]) !== slot) return undefined;
    return this.route(keys[0], false);
  }

  /** The primary serving `slot` now (`host:port`), loading the map if needed. */
  async primaryOf(slot: number): Promise<string | undefined> {
    await this.#slotMapLoaded();
    return this.#slots![slot]?.primary;
  }

  /** Loads the slot map again (at most one refresh runs at a time). */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedClientError());
    this.#refreshing ??= this.#loadSlotMap().finally(() => {
      this.#refreshing = undefined;
      this.#refreshedAt = Date.now();
    });
    return this.#refreshing;
  }

  /** Closes every node's connections. Commands waiting to be retried reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#refreshTimer);
    for (const entry of this.#retryWaits) {
      clearTimeout(entry.timer);
      entry.routed.settle.reject(this.#closedClientError());
    }
    this.#retryWaits.clear();
    await this.#refreshing?.catch(() => {});
    await this.#nodePools.close();
    emit(this, "end", { address: undefined, error: undefined });
  }

  /** Closes the client (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal The pool of the primary at `address` (for transactions). */
  poolOf(address: string): Pool {
    return this.#poolFor(address, false);
  }

  /** @internal Sends a command of a known slot (the slot targets' way in). */
  dispatchSlot(
    command: Command,
    settle: Settle,
    options: SendOptions | undefined,
    slot: number,
    read: boolean,
  ): void {
    this.#route(new Routed(this, command, settle, options, slot, read));
  }

  /** @internal A routed command failed on `routed.node`: redirect, retry or give up. */
  failed(routed: Routed, error: Error): void {
    if (this.#closed) return routed.settle.reject(error);
    const code = error instanceof ReplyError ? error.code : "";
    const redirect = code === "MOVED" || code === "ASK";
    const retry = code === "TRYAGAIN" || code === "CLUSTERDOWN" ||
      (error instanceof ConnectionError && (!error.outcomeUnknown || routed.read));
    if (!redirect && !retry) return routed.settle.reject(error);
    if (routed.options?.signal?.aborted) return routed.settle.reject(error);
    if (++routed.attempts > this.#maxRedirects) {
      return routed.settle.reject(
        new ClusterError(
          `Gave up on ${
            String(routed.command[0]).slice(0, 32)
          } for slot ${routed.slot} after ${this.#maxRedirects} redirections or retries: ${error.message}`,
          { cause: error, slot: routed.slot },
        ),
      );
    }
    if (code === "MOVED") {
      const [slot, address] = redirectTarget(error as ReplyError, routed.node);
      this.#applyMoved(slot, address);
      routed.node = address;
      this.#poolFor(address, false).dispatch(routed.command, routed, routed.options);
      return;
    }
    if (code === "ASK") {
      const [, address] = redirectTarget(error as ReplyError, routed.node);
      routed.node = address;
      sendAsking(this.#poolFor(address, false), routed);
      return;
    }
    // TRYAGAIN, CLUSTERDOWN, a lost or refused connection: wait, reload the map, send again.
    const delay = retryDelay(routed.attempts);
    const entry = {
      routed,
      timer: setTimeout(() => {
        this.#retryWaits.delete(entry);
        // No node answers at all: give up now rather than after every retry (a
        // cache with ignoreErrors then degrades to misses at once).
        this.refresh().then(() => this.#route(routed), () => routed.settle.reject(error));
      }, delay),
    };
    this.#retryWaits.add(entry);
  }

  #closedClientError(): ConnectionError {
    return new ConnectionError("The cluster client is closed");
  }

  /** Sends `routed` to the node the map names for its slot. */
  #route(routed: Routed): void {
    if (this.#closed) return routed.settle.reject(this.#closedClientError());
    if (this.#slots === undefined) {
      this.#slotMapLoaded().then(() => this.#route(routed), (error) => routed.settle.reject(error));
      return;
    }
    let address: string | undefined;
    if (routed.slot === -1) {
      address = this.#anyPrimary();
    } else {
      const shard = this.#slots[routed.slot];
      if (shard !== undefined) {
        address = routed.read && shard.replicas.length > 0
          ? this.#pickReplica(shard)
          : shard.primary;
      }
    }
    if (address === undefined) {
      return this.failed(
        routed,
        new ReplyError(`CLUSTERDOWN No node serves slot ${routed.slot} in the slot map`),
      );
    }
    routed.node = address;
    const replica = routed.read && address !== this.#slots[routed.slot]?.primary;
    this.#poolFor(address, replica).dispatch(routed.command, routed, routed.options);
  }

  #pickReplica(shard: Shard): string {
    const choices = this.#readFrom === "any" ? [shard.primary, ...shard.replicas] : shard.replicas;
    return choices[this.#replicaTurn++ % choices.length];
  }

  #anyPrimary(): string | undefined {
    for (const shard of this.#slots!) if (shard !== undefined) return shard.primary;
    return undefined;
  }

  /** A MOVED reply: that slot now lives at `address`; reload the rest in the background. */
  #applyMoved(slot: number, address: string): void {
    const slots = this.#slots;
    if (slots !== undefined && slots[slot]?.primary !== address) {
      const from = slots[slot]?.primary;
      slots[slot] = { primary: address, replicas: [] };
      // A near cache forgets what it read: the slot's keys now live elsewhere.
      this.#tracking?.moved();
      emit(this, "moved", { slot, from, to: address });
    }
    if (Date.now() - this.#refreshedAt > REFRESH_GAP_MS) this.refresh().catch(() => {});
  }

  /** Resolves once a slot map is loaded. */
  #slotMapLoaded(): Promise<void> {
    return this.#slots !== undefined ? Promise.resolve() : this.refresh();
  }

  /** Asks the known nodes, then the seeds, for the slot map. */
  async #loadSlotMap(): Promise<void> {
    const known = this.#slots === undefined
      ? []
      : [...new Set(this.#slots.filter((s) => s !== undefined).map((s) => s!.primary))];
    const slots = await askAnyNode([...new Set([...known, ...this.#seeds])], (address) => {
      if (this.#closed) throw this.#closedClientError();
      return this.#poolFor(address, false);
    });
    this.#slots = slots;
    this.#closeDepartedPools();
    // Replicas still syncing are left out: look again soon when reads want them.
    const missing = this.#readFrom !== "primary" && slots.some((s) => s?.replicas.length === 0);
    this.#scheduleRefresh(missing ? SOON_MS : REFRESH_EVERY_MS);
  }

  /** Closes the pools of nodes that are neither in the map nor seeds. */
  #closeDepartedPools(): void {
    const live = new Set(this.#seeds);
    for (const shard of this.#slots!) {
      if (shard === undefined) continue;
      live.add(shard.primary);
      for (const replica of shard.replicas) live.add(replica);
    }
    this.#nodePools.keepOnly(live);
  }

  #scheduleRefresh(after: number): void {
    clearTimeout(this.#refreshTimer);
    if (this.#closed) return; // a refresh that ended after close() schedules none
    this.#refreshTimer = unrefTimeout(() => this.refresh().catch(() => {}), after);
  }

  /** The pool of a node (`READONLY` connections for replica reads), made on first use. */
  #poolFor(address: string, replica: boolean): Pool {
    return this.#nodePools.get(address, replica);
  }
}
