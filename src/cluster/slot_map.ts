/**
 * The slot map: which nodes serve each of the 16384 slots, read from a
 * node's `CLUSTER SHARDS` reply (`CLUSTER SLOTS` on servers without it).
 *
 * @module
 */

import type { RedisTarget } from "../client/target.ts";
import { ClusterError, ConnectionError, ReplyError } from "../errors.ts";
import { describeTarget } from "../net/transport.ts";
import type { RedisReply } from "../resp/types.ts";
import { SLOTS } from "./key_slot.ts";

/** The nodes serving one slot range (`host:port` addresses). */
export interface Shard {
  primary: string;
  replicas: string[];
}

/** The shard of every slot; `undefined` where no node serves it. */
export type SlotTable = (Shard | undefined)[];

/** A value of a `CLUSTER SHARDS` entry (RESP3 map or RESP2 flat list). */
function field(entry: RedisReply, name: string): RedisReply | undefined {
  if (entry instanceof Map) return entry.get(name);
  if (Array.isArray(entry)) {
    for (let i = 0; i + 1 < entry.length; i += 2) if (entry[i] === name) return entry[i + 1];
  }
  return undefined;
}

/** Builds the slot table from a `CLUSTER SHARDS` reply. */
function fromShards(reply: RedisReply[]): SlotTable {
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
function fromSlots(reply: RedisReply[]): SlotTable {
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

/**
 * Asks one node (at `address`, through `node`) for the slot map.
 *
 * @throws {ClusterError} When the node serves no slot.
 */
export async function askSlotMap(node: RedisTarget, address: string): Promise<SlotTable> {
  let slots;
  try {
    slots = fromShards(
      await node.send<RedisReply[]>(["CLUSTER", "SHARDS"], { timeout: 2_000 }),
    );
  } catch (error) {
    if (!(error instanceof ReplyError) || !/unknown|ERR/i.test(error.code)) throw error;
    slots = fromSlots(
      await node.send<RedisReply[]>(["CLUSTER", "SLOTS"], { timeout: 2_000 }),
    );
  }
  if (!slots.some((s) => s !== undefined)) {
    throw new ClusterError(`${address} serves no slot`);
  }
  return slots;
}

/**
 * Asks the nodes at `candidates` in turn for the slot map, until one answers.
 * `nodeOf` gives the target of an address (and may throw to stop, e.g. once closed).
 *
 * @throws {ConnectionError} When none answers.
 */
export async function askAnyNode(
  candidates: readonly string[],
  nodeOf: (address: string) => RedisTarget,
): Promise<SlotTable> {
  let last: Error | undefined;
  for (const address of candidates) {
    const node = nodeOf(address);
    try {
      return await askSlotMap(node, address);
    } catch (error) {
      last = error as Error;
    }
  }
  throw new ConnectionError(
    `Cannot load the cluster's slot map from any of ${candidates.length} nodes: ${last?.message}`,
    { cause: last },
  );
}
