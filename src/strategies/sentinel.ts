/**
 * The sentinel strategy: Redis Sentinel tells where the primary is.
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

import { RedisClient } from "../client/client.ts";
import { connect } from "../client/connect.ts";
import type { SendOptions, Settle } from "../client/send_options.ts";
import { ConnectionError, ReplyError } from "../errors.ts";
import type { ConnectOptions } from "../client/options.ts";
import type { TargetResolver } from "../net/resolve.ts";
import { type ConnectTarget, describeTarget } from "../net/transport.ts";
import { parseRedisUrl } from "../net/url.ts";
import { durationOption } from "../util/duration.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import { connectOptionsOf, Pool, type PoolOptions } from "../pool/pool.ts";
import type { RedisTarget } from "../client/target.ts";
import type { ReadFrom } from "../cluster/read_from.ts";
import { sendVia } from "../cluster/send_via.ts";
import { DefaultRouter } from "./default.ts";
import { RetrySettle } from "./router.ts";

/** Where the sentinels are, and how to log in to them. */
export interface SentinelList {
  targets: ConnectTarget[];
  username?: string;
  password?: string;
}

/**
 * Parses the `sentinels` option: `"host:port"` or `redis://[user:pass@]host:port`
 * (`rediss://` for TLS) entries, as an array or one comma-separated string.
 */
export function parseSentinels(option: unknown): SentinelList {
  const entries = typeof option === "string" ? option.split(",") : option;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new TypeError(
      'Invalid option "sentinels": expected a list of "host:port" or redis:// URLs',
    );
  }
  const list: SentinelList = { targets: [] };
  for (const raw of entries) {
    if (typeof raw !== "string" || raw.trim() === "") {
      throw new TypeError('Invalid option "sentinels": every entry must be "host:port" or a URL');
    }
    const entry = raw.trim();
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `redis://${entry}`;
    let parsed;
    try {
      parsed = parseRedisUrl(url);
    } catch (error) {
      throw new TypeError(
        `Invalid option "sentinels": ${
          (error as Error).message.replace(/^Invalid Redis URL: /, "")
        }`,
      );
    }
    if (parsed.path !== undefined || parsed.host === undefined) {
      throw new TypeError('Invalid option "sentinels": a sentinel needs a host and a port');
    }
    list.targets.push({
      host: parsed.host,
      port: parsed.port ?? 26379,
      tls: parsed.tls ? {} : undefined,
    });
    list.username ??= parsed.username;
    list.password ??= parsed.password;
  }
  return list;
}

/** The most a sentinel may take to connect or answer, in ms: there are others to ask. */
const SENTINEL_TIMEOUT_MS = 2_000;

/** How long a primary address found and checked is trusted without asking again, in ms. */
const TRUST_MS = 1_000;

/** The value of `field` in a `SENTINEL REPLICAS` entry (a RESP3 map or a RESP2 flat list). */
function field(entry: RedisReply, name: string): string | undefined {
  if (entry instanceof Map) {
    const value = entry.get(name);
    return value === undefined ? undefined : String(value);
  }
  if (Array.isArray(entry)) {
    for (let i = 0; i + 1 < entry.length; i += 2) {
      if (entry[i] === name) return String(entry[i + 1]);
    }
  }
  return undefined;
}

/**
 * Asks the sentinels where the primary and the replicas are, and listens for
 * `+switch-master`.
 */
export class SentinelWatcher {
  #list: SentinelList;
  #masterName: string;
  #sentinelOptions: ConnectOptions;
  #dataOptions: ConnectOptions;
  #next = 0;
  #primary: { target: ConnectTarget; at: number } | undefined;
  #finding: Promise<ConnectTarget> | undefined;
  #subscriber: RedisClient | undefined;
  #onSwitch: () => void;
  #closed = false;

  /**
   * @param list The sentinels.
   * @param masterName The name the sentinels monitor the primary under.
   * @param common Timeouts and TLS settings shared by every connection.
   * @param dataOptions How to log in to the data nodes (for the `ROLE` check).
   * @param onSwitch Called when a sentinel announces a new primary.
   */
  constructor(
    list: SentinelList,
    masterName: string,
    common: ConnectOptions,
    dataOptions: ConnectOptions,
    onSwitch: () => void,
  ) {
    this.#list = list;
    this.#masterName = masterName;
    this.#sentinelOptions = {
      connectTimeout: Math.min(
        durationOption(
          common.connectTimeout ?? SENTINEL_TIMEOUT_MS,
          "connectTimeout",
          1,
          2 ** 31 - 1,
        ),
        SENTINEL_TIMEOUT_MS,
      ),
      commandTimeout: Math.min(
        durationOption(
          common.commandTimeout ?? SENTINEL_TIMEOUT_MS,
          "commandTimeout",
          0,
          2 ** 31 - 1,
        ),
        SENTINEL_TIMEOUT_MS,
      ),
      username: list.username,
      password: list.password,
      protocol: common.protocol,
    };
    this.#dataOptions = dataOptions;
    this.#onSwitch = onSwitch;
  }

  /** Starts listening for failovers (lazily, with the first connection). */
  listen(): void {
    if (this.#subscriber !== undefined || this.#closed) return;
    // Each connection attempt goes to the next sentinel: a dead one is left behind.
    const rotate: TargetResolver = () => Promise.resolve(this.#sentinel(this.#next++));
    const subscriber = new RedisClient(this.#sentinelOptions, { resolveTarget: rotate });
    this.#subscriber = subscriber;
    subscriber.subscribe("+switch-master", (message) => {
      if (message.split(" ")[0] !== this.#masterName) return;
      this.#primary = undefined;
      this.#onSwitch();
    }).catch(() => {/* retried on reconnect; discovery still works by asking */});
  }

  /** Forgets the primary's address: the next connection asks again. */
  invalidate(): void {
    this.#primary = undefined;
  }

  /** The primary's address, asked of the sentinels and checked with `ROLE`. */
  primary(): Promise<ConnectTarget> {
    const known = this.#primary;
    if (known !== undefined && Date.now() - known.at < TRUST_MS) {
      return Promise.resolve(known.target);
    }
    this.listen();
    this.#finding ??= this.#findPrimary().finally(() => (this.#finding = undefined));
    return this.#finding;
  }

  /** The replicas the sentinels consider up. */
  async replicas(): Promise<ConnectTarget[]> {
    const entries = await this.#ask<RedisReply[]>(["SENTINEL", "REPLICAS", this.#masterName]);
    const found: ConnectTarget[] = [];
    for (const entry of entries ?? []) {
      const flags = field(entry, "flags") ?? "";
      if (/s_down|o_down|disconnected/.test(flags)) continue;
      const host = field(entry, "ip");
      const port = Number(field(entry, "port"));
      if (host !== undefined && Number.isInteger(port)) {
        found.push({ host, port });
      }
    }
    return found;
  }

  async #findPrimary(): Promise<ConnectTarget> {
    const address = await this.#ask<[string, string] | null>([
      "SENTINEL",
      "GET-MASTER-ADDR-BY-NAME",
      this.#masterName,
    ]);
    if (address === null) {
      throw new ConnectionError(`No sentinel knows a primary named "${this.#masterName}"`);
    }
    const target: ConnectTarget = { host: address[0], port: Number(address[1]) };
    const role = await this.#once<RedisReply[]>(
      { ...this.#dataOptions, host: target.host, port: target.port },
      ["ROLE"],
    );
    if (role[0] !== "master") {
      throw new ConnectionError(
        `${describeTarget(target)}, named by the sentinels, is not a primary (yet): its role is ${
          String(role[0])
        }`,
      );
    }
    this.#primary = { target, at: Date.now() };
    return target;
  }

  #sentinel(index: number): ConnectTarget {
    return this.#list.targets[index % this.#list.targets.length];
  }

  /** Asks the sentinels in turn, from the last one that answered, until one does. */
  async #ask<T>(command: Command): Promise<T> {
    let last: Error | undefined;
    const count = this.#list.targets.length;
    for (let i = 0; i < count; i++) {
      const index = (this.#next + i) % count;
      const target = this.#sentinel(index);
      try {
        const reply = await this.#once<T>(
          { ...this.#sentinelOptions, host: target.host, port: target.port, tls: target.tls },
          command,
        );
        this.#next = index;
        return reply;
      } catch (error) {
        last = error as Error;
      }
    }
    throw new ConnectionError(
      `No sentinel answered (${count} tried): ${last?.message ?? "unknown error"}`,
      { cause: last },
    );
  }

  /** One command on a short-lived connection. */
  async #once<T>(options: ConnectOptions, command: Command): Promise<T> {
    if (this.#closed) throw new ConnectionError("The sentinel watcher is closed");
    const client = await connect({ ...options, retry: { attempts: 0 }, offlineQueue: false });
    try {
      return await client.send<T>(command);
    } finally {
      await client.close();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#subscriber?.close();
  }
}

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
 * ```ts ignore
 * const cache = createCache({
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
      () => this.#switched(),
    );
    this.#watcher = ref.watcher = watcher;
    this.#pool = options.pool;
    this.#readFrom = options.readFrom;
    this.#writes = new ReadonlyRetry(primary, () => this.#switched());
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
  #switched(): void {
    if (this.#closed) return;
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
          next.set(
            name,
            this.#replicaPools.get(name) ??
              new Pool({ ...this.#pool, host: target.host, port: target.port }),
          );
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
  #switched: () => void;

  constructor(primary: RedisTarget, switched: () => void) {
    this.#primary = primary;
    this.#switched = switched;
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
        this.#switched();
        return this.#primary;
      }),
      options,
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
