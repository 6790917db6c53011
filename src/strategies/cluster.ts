/**
 * Redis Cluster: `connectCluster()` for raw commands, and the `cluster`
 * strategy of the cache.
 *
 * - The slot map comes from `CLUSTER SHARDS` (`CLUSTER SLOTS` on servers
 *   without it), asked of a known node or a seed; one refresh at a time, on
 *   errors and every 30 s.
 * - A command goes to the primary of its key's slot (CRC16 of the `{tag}`),
 *   over one lazily created pool per node; with `readFrom: "replica"`, reads
 *   go to the slot's replicas over connections in `READONLY` mode.
 * - `MOVED` updates the slot and sends again; `ASK` sends `ASKING` and the
 *   command on one connection of the target, leaving the map alone;
 *   `TRYAGAIN`, `CLUSTERDOWN` and lost connections wait (backoff), refresh
 *   the map and send again; a write that may have run is never sent twice.
 *   After `maxRedirects` redirections or retries, a `ClusterError`.
 *
 * @module
 */

import type { SendOptions, Settle } from "../client/connection.ts";
import { ClusterError, ConnectionError, ReplyError } from "../errors.ts";
import { Commands } from "../client/commands.ts";
import { commandName } from "../resp/encode.ts";
import { SETUP_COMMANDS } from "../client/options.ts";
import { Pipeline } from "../client/pipeline.ts";
import type { Transaction } from "../client/transaction.ts";
import { describeTarget } from "../net/transport.ts";
import { parseRedisUrl } from "../net/url.ts";
import { Pool, type PoolOptions } from "../pool/pool.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { RedisTarget } from "../client/target.ts";
import { checkReadFrom, type ReadFrom } from "./default.ts";
import { keySlot } from "./hash.ts";
import { firstKey, isReadCommand, type Router, sendVia } from "./router.ts";

/** Number of hash slots in a Redis Cluster. */
export const SLOTS = 16384;

/** How often the slot map is refreshed when nothing went wrong, in ms. */
const REFRESH_EVERY_MS = 30_000;
/** When the map lacks replicas that reads want, the next refresh comes this soon, in ms. */
const SOON_MS = 1_000;
/** The soonest a new refresh starts after the last one ended, in ms. */
const REFRESH_GAP_MS = 50;

/**
 * Options of `connectCluster()` (and of the cache's `cluster` strategy): the
 * pool options, which apply to every node, plus the seeds.
 *
 * @example
 * ```ts ignore
 * const cluster = connectCluster({
 *   urls: ["redis://10.0.0.1:7000", "redis://10.0.0.2:7000"],
 *   password: "secret",
 *   maxRedirects: 16,
 *   readFrom: "replica",
 * });
 * ```
 */
export interface ClusterOptions extends Omit<PoolOptions, "url" | "host" | "port" | "path"> {
  /** Seed nodes: any of the cluster's nodes (an array, or one comma-separated string). */
  urls: string[] | string;
  /**
   * Most redirections (`MOVED`, `ASK`) and retries (`TRYAGAIN`, `CLUSTERDOWN`,
   * lost connections) for one command before it fails with `ClusterError`.
   *
   * @default {16}
   */
  maxRedirects?: number;
  /**
   * `"primary"`, or `"replica"`/`"any"` to read from replicas (`READONLY`).
   *
   * @default {"primary"}
   */
  readFrom?: ReadFrom;
}

/** The nodes serving one slot range. */
interface Shard {
  primary: string;
  replicas: string[];
}

/** A value of a `CLUSTER SHARDS` entry (RESP3 map or RESP2 flat list). */
function field(entry: RedisReply, name: string): RedisReply | undefined {
  if (entry instanceof Map) return entry.get(name);
  if (Array.isArray(entry)) {
    for (let i = 0; i + 1 < entry.length; i += 2) if (entry[i] === name) return entry[i + 1];
  }
  return undefined;
}

/** Builds the slot table from a `CLUSTER SHARDS` reply. */
function fromShards(reply: RedisReply[]): (Shard | undefined)[] {
  const slots = new Array<Shard | undefined>(SLOTS);
  for (const entry of reply) {
    const ranges = field(entry, "slots") as RedisReply[] | undefined;
    const nodes = (field(entry, "nodes") ?? []) as RedisReply[];
    let shard: Shard | undefined;
    const replicas: string[] = [];
    for (const node of nodes) {
      if (field(node, "health") !== "online") continue;
      const host = String(field(node, "ip") ?? field(node, "endpoint"));
      const port = Number(field(node, "port") ?? field(node, "tls-port"));
      const address = describeTarget({ host, port });
      if (field(node, "role") === "master") shard = { primary: address, replicas };
      else replicas.push(address);
    }
    if (shard === undefined || ranges === undefined) continue;
    for (let i = 0; i + 1 < ranges.length; i += 2) {
      for (let s = Number(ranges[i]); s <= Number(ranges[i + 1]); s++) slots[s] = shard;
    }
  }
  return slots;
}

/** Builds the slot table from a `CLUSTER SLOTS` reply. */
function fromSlots(reply: RedisReply[]): (Shard | undefined)[] {
  const slots = new Array<Shard | undefined>(SLOTS);
  for (const range of reply as RedisReply[][]) {
    const [start, end, primary, ...replicas] = range;
    const address = (node: RedisReply) => {
      const [host, port] = node as [string, number];
      return describeTarget({ host, port: Number(port) });
    };
    const shard: Shard = { primary: address(primary), replicas: replicas.map(address) };
    for (let s = Number(start); s <= Number(end); s++) slots[s] = shard;
  }
  return slots;
}

/** `host:port` from a MOVED/ASK reply, with the replying node's host when it is left out. */
function redirectTarget(error: ReplyError, from: string): [slot: number, address: string] {
  const [, slot, address] = error.message.split(" ");
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon) || from.slice(0, from.lastIndexOf(":"));
  return [Number(slot), `${host}:${address.slice(colon + 1)}`];
}

function parseSeeds(urls: unknown): string[] {
  const list = typeof urls === "string" ? urls.split(",").map((s) => s.trim()) : urls;
  if (!Array.isArray(list) || list.length === 0 || list.some((u) => typeof u !== "string")) {
    throw new TypeError('Invalid option "urls": expected the seed nodes\' URLs');
  }
  return list.map((url) => {
    const parsed = parseRedisUrl(url);
    if (parsed.path !== undefined) {
      throw new TypeError('Invalid option "urls": a cluster node needs a host and port');
    }
    return describeTarget({ host: parsed.host ?? "127.0.0.1", port: parsed.port ?? 6379 });
  });
}

/** One pending command, as it moves between nodes. */
class Routed implements Settle {
  attempts = 0;
  node = "";
  constructor(
    readonly cluster: ClusterClient,
    readonly command: Command,
    readonly settle: Settle,
    readonly options: SendOptions | undefined,
    readonly slot: number,
    readonly read: boolean,
  ) {}

  resolve(value: RedisReply): void {
    this.settle.resolve(value);
  }

  reject(error: Error): void {
    this.cluster.failed(this, error);
  }
}

/**
 * A Redis Cluster client: routes each command to the node that serves its
 * key's slot, follows redirections, and survives resharding and failovers.
 * It is also the cache's router for `strategy: "cluster"`.
 *
 * @example
 * ```ts ignore
 * import { connectCluster } from "@redcache/redcache";
 *
 * await using cluster = connectCluster({ urls: ["redis://127.0.0.1:7000"] });
 * await cluster.set("{user:1}:name", "Ada");
 * await cluster.send(["MGET", "{user:1}:name", "{user:1}:mail"]); // one slot: fine
 * const [a, b] = await cluster.pipeline().send(["GET", "a"]).send(["GET", "b"]).exec();
 * ```
 */
export class ClusterClient extends Commands implements Router {
  #seeds: string[];
  #pool: PoolOptions;
  #maxRedirects: number;
  #readFrom: ReadFrom;
  #slots: (Shard | undefined)[] | undefined;
  #pools = new Map<string, Pool>();
  #replicaPools = new Map<string, Pool>();
  #refreshing: Promise<void> | undefined;
  #refreshedAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waiting = new Set<{ timer: ReturnType<typeof setTimeout>; routed: Routed }>();
  #targets = new Map<number, RedisTarget>();
  #closed = false;
  #next = 0;

  /**
   * Creates the client; `connectCluster()` is the usual way. Nothing connects
   * until the first command.
   *
   * @throws {TypeError} For a missing or malformed seed, or a bad option.
   */
  constructor(options: ClusterOptions) {
    super();
    const { urls, maxRedirects, readFrom, ...pool } = options;
    this.#seeds = parseSeeds(urls);
    for (const key of ["url", "host", "port", "path"]) {
      if ((pool as Record<string, unknown>)[key] !== undefined) {
        throw new TypeError(`Option "${key}" does not apply to a cluster: give the seeds in urls`);
      }
    }
    this.#maxRedirects = maxRedirects ?? 16;
    if (!Number.isInteger(this.#maxRedirects) || this.#maxRedirects < 0) {
      throw new TypeError('Invalid option "maxRedirects": expected a whole number, 0 or more');
    }
    this.#readFrom = checkReadFrom(readFrom);
    this.#pool = pool;
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
    let target = this.#targets.get(id);
    if (target === undefined) {
      target = new SlotTarget(this, slot, read && this.#readFrom !== "primary");
      this.#targets.set(id, target);
    }
    return target;
  }

  /** Every primary's pool (for SCAN and FLUSHDB), after loading the map. */
  async nodes(): Promise<readonly RedisTarget[]> {
    await this.#ready();
    const primaries = new Set<string>();
    for (const shard of this.#slots!) if (shard !== undefined) primaries.add(shard.primary);
    return [...primaries].map((address) => this.#poolFor(address, false));
  }

  /** The slot's target when every key is in one slot; `undefined` otherwise. */
  together(keys: readonly string[]): RedisTarget | undefined {
    const slot = keySlot(keys[0]);
    for (let i = 1; i < keys.length; i++) if (keySlot(keys[i]) !== slot) return undefined;
    return this.route(keys[0], false);
  }

  /** The primary serving `slot` now (`host:port`), loading the map if needed. */
  async primaryOf(slot: number): Promise<string | undefined> {
    await this.#ready();
    return this.#slots![slot]?.primary;
  }

  /** Loads the slot map again (at most one refresh runs at a time). */
  refresh(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError());
    this.#refreshing ??= this.#load().finally(() => {
      this.#refreshing = undefined;
      this.#refreshedAt = Date.now();
    });
    return this.#refreshing;
  }

  /** Closes every node's connections. Commands waiting to be retried reject. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const entry of this.#waiting) {
      clearTimeout(entry.timer);
      entry.routed.settle.reject(this.#closedError());
    }
    this.#waiting.clear();
    await this.#refreshing?.catch(() => {});
    await Promise.all(
      [...this.#pools.values(), ...this.#replicaPools.values()].map((p) => p.close()),
    );
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
      this.#moved(slot, address);
      routed.node = address;
      this.#poolFor(address, false).dispatch(routed.command, routed, routed.options);
      return;
    }
    if (code === "ASK") {
      const [, address] = redirectTarget(error as ReplyError, routed.node);
      routed.node = address;
      this.#asking(routed, address);
      return;
    }
    // TRYAGAIN, CLUSTERDOWN, a lost or refused connection: wait, reload the map, send again.
    const delay = Math.min(1_000, 25 * 2 ** routed.attempts);
    const entry = {
      routed,
      timer: setTimeout(() => {
        this.#waiting.delete(entry);
        // No node answers at all: give up now rather than after every retry (a
        // cache with ignoreErrors then degrades to misses at once).
        this.refresh().then(() => this.#route(routed), () => routed.settle.reject(error));
      }, delay),
    };
    this.#waiting.add(entry);
  }

  #closedError(): ConnectionError {
    return new ConnectionError("The cluster client is closed");
  }

  /** Sends `routed` to the node the map names for its slot. */
  #route(routed: Routed): void {
    if (this.#closed) return routed.settle.reject(this.#closedError());
    if (this.#slots === undefined) {
      this.#ready().then(() => this.#route(routed), (error) => routed.settle.reject(error));
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
    return choices[this.#next++ % choices.length];
  }

  #anyPrimary(): string | undefined {
    for (const shard of this.#slots!) if (shard !== undefined) return shard.primary;
    return undefined;
  }

  /** `ASKING` then the command, on one connection of `address`; the map stays. */
  #asking(routed: Routed, address: string): void {
    const pool = this.#poolFor(address, false);
    pool.use(async (connection) => {
      const [, reply] = await connection.pipeline()
        .send(["ASKING"])
        .send(routed.command, routed.options)
        .exec();
      return reply;
    }).then(
      (reply) => reply instanceof ReplyError ? routed.reject(reply) : routed.resolve(reply),
      (error) => routed.reject(error),
    );
  }

  /** A MOVED reply: that slot now lives at `address`; reload the rest in the background. */
  #moved(slot: number, address: string): void {
    const slots = this.#slots;
    if (slots !== undefined && slots[slot]?.primary !== address) {
      slots[slot] = { primary: address, replicas: [] };
    }
    if (Date.now() - this.#refreshedAt > REFRESH_GAP_MS) this.refresh().catch(() => {});
  }

  /** Resolves once a slot map is loaded. */
  #ready(): Promise<void> {
    return this.#slots !== undefined ? Promise.resolve() : this.refresh();
  }

  /** Asks the known nodes, then the seeds, for the slot map. */
  async #load(): Promise<void> {
    const known = this.#slots === undefined
      ? []
      : [...new Set(this.#slots.filter((s) => s !== undefined).map((s) => s!.primary))];
    const candidates = [...new Set([...known, ...this.#seeds])];
    let last: Error | undefined;
    for (const address of candidates) {
      if (this.#closed) throw this.#closedError();
      const pool = this.#poolFor(address, false);
      try {
        let slots;
        try {
          slots = fromShards(
            await pool.send<RedisReply[]>(["CLUSTER", "SHARDS"], { timeout: 2_000 }),
          );
        } catch (error) {
          if (!(error instanceof ReplyError) || !/unknown|ERR/i.test(error.code)) throw error;
          slots = fromSlots(
            await pool.send<RedisReply[]>(["CLUSTER", "SLOTS"], { timeout: 2_000 }),
          );
        }
        if (!slots.some((s) => s !== undefined)) {
          throw new ClusterError(`${address} serves no slot`);
        }
        this.#slots = slots;
        this.#forgetGone();
        // Replicas still syncing are left out: look again soon when reads want them.
        const missing = this.#readFrom !== "primary" && slots.some((s) => s?.replicas.length === 0);
        this.#arm(missing ? SOON_MS : REFRESH_EVERY_MS);
        return;
      } catch (error) {
        last = error as Error;
      }
    }
    throw new ConnectionError(
      `Cannot load the cluster's slot map from any of ${candidates.length} nodes: ${last?.message}`,
      { cause: last },
    );
  }

  /** Closes the pools of nodes that are neither in the map nor seeds. */
  #forgetGone(): void {
    const live = new Set(this.#seeds);
    for (const shard of this.#slots!) {
      if (shard === undefined) continue;
      live.add(shard.primary);
      for (const replica of shard.replicas) live.add(replica);
    }
    for (const map of [this.#pools, this.#replicaPools]) {
      for (const [address, pool] of map) {
        if (!live.has(address)) {
          map.delete(address);
          void pool.close();
        }
      }
    }
  }

  #arm(after: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.refresh().catch(() => {}), after);
    (this.#timer as { unref?: () => void }).unref?.();
    if (typeof Deno !== "undefined" && typeof this.#timer === "number") {
      Deno.unrefTimer(this.#timer);
    }
  }

  /** The pool of a node (`READONLY` connections for replica reads), made on first use. */
  #poolFor(address: string, replica: boolean): Pool {
    const pools = replica ? this.#replicaPools : this.#pools;
    let pool = pools.get(address);
    if (pool === undefined) {
      const colon = address.lastIndexOf(":");
      const host = address.slice(0, colon).replace(/^\[|\]$/g, "");
      const options = {
        ...this.#pool,
        host,
        port: Number(address.slice(colon + 1)),
      } as PoolOptions;
      if (replica) (options as Record<symbol, unknown>)[SETUP_COMMANDS] = [["READONLY"]];
      pool = new Pool(options);
      pools.set(address, pool);
    }
    return pool;
  }
}

/** The commands of one slot (reads or writes), as the cache's store sees them. */
class SlotTarget implements RedisTarget {
  constructor(readonly cluster: ClusterClient, readonly slot: number, readonly read: boolean) {}

  send<T>(command: Command, options?: SendOptions): Promise<T> {
    return sendVia<T>(this, command, options);
  }

  dispatch(command: Command, settle: Settle, options?: SendOptions): void {
    if (this.slot === -1) return this.cluster.dispatch(command, settle, options);
    this.cluster.dispatchSlot(
      command,
      settle,
      options,
      this.slot,
      this.read && isReadCommand(command),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A MULTI/EXEC transaction on a cluster: every key in one slot.
 *
 * @example
 * ```ts ignore
 * const results = await cluster.multi()
 *   .send(["INCR", "{cart:7}:items"])
 *   .send(["EXPIRE", "{cart:7}:items", 3600])
 *   .exec();
 * ```
 */
export class ClusterTransaction {
  #cluster: ClusterClient;
  #commands: { command: Command; options?: SendOptions }[] = [];

  /** Made by `cluster.multi()`. */
  constructor(cluster: ClusterClient) {
    this.#cluster = cluster;
  }

  /** Queues a command; returns the transaction for chaining. */
  send(command: Command, options?: SendOptions): this {
    this.#commands.push({ command, options });
    return this;
  }

  /**
   * Runs the commands in MULTI/EXEC on the node of their slot; `null` when a
   * WATCHed key changed.
   *
   * @throws {ClusterError} When the keys span several slots (nothing is sent).
   */
  async exec(): Promise<(RedisReply | ReplyError)[] | null> {
    const commands = this.#commands;
    this.#commands = [];
    const slots = new Set<number>();
    for (const { command } of commands) {
      const key = firstKey(command);
      if (key !== undefined) slots.add(keySlot(key));
    }
    if (slots.size > 1) {
      throw new ClusterError(
        `A transaction needs every key in one slot, but these keys are in slots ${
          [...slots].slice(0, 5).join(", ")
        }: give them a common {tag}`,
      );
    }
    const [slot] = slots;
    const address = await this.#cluster.primaryOf(slot ?? 0);
    if (address === undefined) {
      throw new ClusterError(`No node serves slot ${slot}`, { slot });
    }
    const transaction: Transaction = this.#cluster.poolOf(address).multi();
    for (const { command, options } of commands) transaction.send(command, options);
    return await transaction.exec();
  }
}

/**
 * Connects to a Redis Cluster through its seed nodes. The slot map loads on
 * the first command; commands follow redirections and failovers by themselves.
 *
 * @example
 * ```ts ignore
 * import { connectCluster } from "@redcache/redcache";
 *
 * await using cluster = connectCluster({ urls: ["redis://127.0.0.1:7000", "redis://127.0.0.1:7001"] });
 * await cluster.set("greeting", "hello");
 * await cluster.get("greeting"); // "hello"
 * ```
 *
 * @param options The seeds (`urls`), `maxRedirects`, `readFrom`, and pool options for every node.
 * @returns The client.
 * @throws {TypeError} For a missing or malformed seed, or a bad option.
 */
export function connectCluster(options: ClusterOptions): ClusterClient {
  return new ClusterClient(options);
}
