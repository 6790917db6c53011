/**
 * Asking Redis Sentinel: where the primary is (`SENTINEL
 * GET-MASTER-ADDR-BY-NAME`, checked with `ROLE`), which replicas are up
 * (`SENTINEL REPLICAS`), and a subscription to `+switch-master` that
 * announces failovers. A sentinel that is down is skipped for the next one.
 *
 * Credentials in a sentinel's URL are the sentinels'; the data nodes' are
 * used only for the `ROLE` check.
 *
 * @module
 */

import { RedisClient } from "../client/client.ts";
import { connect } from "../client/connect.ts";
import { ConnectionError } from "../errors.ts";
import type { ConnectOptions } from "../client/options.ts";
import type { TargetResolver } from "../net/resolve.ts";
import { type ConnectTarget, describeTarget } from "../net/transport.ts";
import { durationOption } from "../util/duration.ts";
import type { Command, RedisReply } from "../resp/types.ts";
import type { SentinelList } from "./sentinel_list.ts";
import type { SwitchMasterDetail } from "../client/events.ts";

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
  #onSwitch: (detail: SwitchMasterDetail) => void;
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
    onSwitch: (detail: SwitchMasterDetail) => void,
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
      // "<master name> <old ip> <old port> <new ip> <new port>"
      const [name, oldHost, oldPort, newHost, newPort] = message.split(" ");
      if (name !== this.#masterName) return;
      this.#primary = undefined;
      this.#onSwitch({
        masterName: name,
        from: describeTarget({ host: oldHost, port: Number(oldPort) }),
        to: describeTarget({ host: newHost, port: Number(newPort) }),
      });
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
    const entries = await this.#askSentinels<RedisReply[]>([
      "SENTINEL",
      "REPLICAS",
      this.#masterName,
    ]);
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
    const address = await this.#askSentinels<[string, string] | null>([
      "SENTINEL",
      "GET-MASTER-ADDR-BY-NAME",
      this.#masterName,
    ]);
    if (address === null) {
      throw new ConnectionError(`No sentinel knows a primary named "${this.#masterName}"`);
    }
    const target: ConnectTarget = { host: address[0], port: Number(address[1]) };
    const role = await this.#sendOnce<RedisReply[]>(
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
  async #askSentinels<T>(command: Command): Promise<T> {
    let last: Error | undefined;
    const count = this.#list.targets.length;
    for (let i = 0; i < count; i++) {
      const index = (this.#next + i) % count;
      const target = this.#sentinel(index);
      try {
        const reply = await this.#sendOnce<T>(
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
  async #sendOnce<T>(options: ConnectOptions, command: Command): Promise<T> {
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
