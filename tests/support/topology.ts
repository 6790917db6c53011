/**
 * Multi-process Redis topologies for integration tests: replicas, Sentinel groups and clusters,
 * built from {@linkcode startRedis} servers (127.0.0.1 only, temporary directories, killed by PID
 * on `stop()` and by the exit hook of `redis.ts`).
 *
 * ```ts
 * let primary: RedisServer, replica: RedisServer, group: SentinelGroup;
 * before(async () => {
 *   primary = await startRedis();
 *   replica = await startReplica(primary);
 *   group = await startSentinels(primary);
 * });
 * after(async () => {
 *   await group.stop();
 *   await Promise.all([replica.stop(), primary.stop()]);
 * });
 *
 * await using cluster = await startCluster(); // 3 primaries + 3 replicas
 * ```
 *
 * Every start function resolves only once the topology is fully formed (replication links up,
 * every Sentinel sees the master, its replicas and the other Sentinels, every cluster node agrees
 * on the cluster), so a failover can be triggered right away. Waits poll with short sleeps up to
 * a deadline and fail with the tail of the nodes' logs.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { type RedisOptions, type RedisServer, startRedis } from "./redis.ts";

const HOST = "127.0.0.1";
/** Default deadline of every wait. */
const WAIT_MS = 20_000;
const POLL_MS = 50;
/** Per-command timeout while polling (a SIGSTOPped node must not stall the poll). */
const CALL_MS = 1_000;

const execFileAsync = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Replicas

/**
 * Starts a `redis-server` replicating `primary` (`replicaof`, plus `masterauth` if `primary` has
 * `requirePass`). Unless `options.requirePass` says otherwise, the replica requires the primary's
 * password too, so that Sentinel's `auth-pass` and clients work for both. Resolves once the
 * replica reports `master_link_status:up` and the primary lists it as `online`.
 */
export async function startReplica(
  primary: RedisServer,
  options: RedisOptions = {},
): Promise<RedisServer> {
  if (!primary.running) throw new Error(`startReplica: primary :${primary.port} is not running`);
  const password = primary.options.requirePass;
  const config = [
    `replicaof ${HOST} ${primary.port}`,
    ...(password ? [`masterauth ${JSON.stringify(password)}`] : []),
    ...(options.config ?? []),
  ];
  const replica = await startRedis({ requirePass: password, ...options, config });
  try {
    await poll(
      `replica :${replica.port} of :${primary.port}`,
      [replica, primary],
      WAIT_MS,
      async () => {
        const link = (await info(replica, "replication")).master_link_status;
        if (link !== "up") throw new Error(`replica: master_link_status:${link}`);
        const listed = replicasOf(await info(primary, "replication"));
        if (!listed.some((r) => r.port === replica.port && r.state === "online")) {
          throw new Error(`primary lists ${JSON.stringify(listed)}`);
        }
      },
    );
    return replica;
  } catch (error) {
    await replica.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Sentinel

/** Options for {@linkcode startSentinels}. */
export interface SentinelOptions {
  /** Number of Sentinels; default 3. */
  count?: number;
  /** Sentinels that must agree the master is down; default 2 (1 with a single Sentinel). */
  quorum?: number;
  /** Default `"mymaster"`. */
  masterName?: string;
  /** `sentinel down-after-milliseconds`; default 1000. */
  downAfter?: number;
  /** `sentinel failover-timeout` (ms); default 3000. */
  failoverTimeout?: number;
  /** `requirepass` of the Sentinels themselves (they use it among themselves too). */
  password?: string;
}

/** Sentinels monitoring one primary; see {@linkcode startSentinels}. */
export interface SentinelGroup {
  /** The Sentinel processes (`options.requirePass` is their password, so `cli()` works). */
  readonly sentinels: RedisServer[];
  /** `"127.0.0.1:PORT"` of each Sentinel. */
  readonly addresses: string[];
  readonly masterName: string;
  /** `"host:port"` of the master, as reported by the first running Sentinel that answers. */
  masterAddress(): Promise<string>;
  /**
   * Polls until every running Sentinel that answers reports the same master address, other
   * than `from`; returns it. Throws after `timeoutMs` (default 20 s).
   */
  waitForSwitch(from: string, timeoutMs?: number): Promise<string>;
  /**
   * Waits until every running Sentinel reports the same master, sees it up, sees each replica
   * that master lists as online (at least `replicas` of them, default 0) as a healthy candidate
   * for promotion, and sees every other running Sentinel. {@linkcode startSentinels}
   * ends with this. Call it after a failover before the next one (e.g. a failback, with
   * `replicas: 1`): Sentinel demotes a surviving old primary only ~10 s after the switch, and it
   * is eligible once the Sentinels saw it linked. Default timeout 20 s.
   */
  waitReady(options?: { replicas?: number; timeoutMs?: number }): Promise<void>;
  /** Stops every Sentinel (not the monitored servers). Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `count` Sentinels monitoring `primary` (`sentinel auth-pass` with its `requirePass`;
 * replicas must use the same password, as {@linkcode startReplica} does by default). Resolves once
 * {@linkcode SentinelGroup.waitReady} holds: every Sentinel sees the master, its replicas and the
 * other Sentinels, so that `SENTINEL FAILOVER` or a SIGKILL of the primary works right away.
 * Stop the group before the servers it monitors.
 */
export async function startSentinels(
  primary: RedisServer,
  options: SentinelOptions = {},
): Promise<SentinelGroup> {
  if (!primary.running) throw new Error(`startSentinels: primary :${primary.port} is not running`);
  const count = options.count ?? 3;
  const quorum = options.quorum ?? Math.min(2, count);
  const name = options.masterName ?? "mymaster";
  const primaryPass = primary.options.requirePass;
  const q = JSON.stringify;
  const config = [
    `sentinel monitor ${name} ${HOST} ${primary.port} ${quorum}`,
    `sentinel down-after-milliseconds ${name} ${options.downAfter ?? 1000}`,
    `sentinel failover-timeout ${name} ${options.failoverTimeout ?? 3000}`,
    `sentinel parallel-syncs ${name} 1`,
    ...(primaryPass ? [`sentinel auth-pass ${name} ${q(primaryPass)}`] : []),
    ...(options.password ? [`sentinel sentinel-pass ${q(options.password)}`] : []),
  ];
  const sentinels = await startAll(
    count,
    () => startRedis({ sentinel: true, requirePass: options.password, config }),
  );
  const running = () => sentinels.filter((s) => s.running);
  const askMaster = async (sentinel: RedisServer) =>
    address(await call(sentinel, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name]));
  let stopping: Promise<void> | undefined;
  const stop = () => stopping ??= stopAll(sentinels);
  const group: SentinelGroup = {
    sentinels,
    addresses: sentinels.map((s) => `${HOST}:${s.port}`),
    masterName: name,
    async masterAddress() {
      for (const sentinel of running()) {
        try {
          return await askMaster(sentinel);
        } catch { /* try the next one */ }
      }
      throw new Error(`no Sentinel of ${name} answered`);
    },
    waitForSwitch(from, timeoutMs = WAIT_MS) {
      return poll(`master of ${name} switched from ${from}`, sentinels, timeoutMs, async () => {
        const answers = await Promise.all(running().map((s) => askMaster(s).catch(() => "")));
        const seen = answers.filter(Boolean);
        const unique = [...new Set(seen)];
        if (unique.length !== 1 || unique[0] === from) {
          throw new Error(`Sentinels report ${JSON.stringify(seen)}`);
        }
        return unique[0];
      });
    },
    waitReady({ replicas = 0, timeoutMs = WAIT_MS } = {}) {
      const what = `Sentinels of ${name} ready (${replicas} replicas)`;
      return poll(
        what,
        [...sentinels, primary],
        timeoutMs,
        () => sentinelsReady(running(), name, primaryPass, replicas),
      );
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
  try {
    const replicas = replicasOf(await info(primary, "replication"));
    await group.waitReady({ replicas: replicas.filter((r) => r.state === "online").length });
    return group;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Throws (with the reason) unless `sentinels` are ready, see {@linkcode SentinelGroup.waitReady}. */
async function sentinelsReady(
  sentinels: RedisServer[],
  name: string,
  password: string | undefined,
  minReplicas: number,
): Promise<void> {
  const addresses = await Promise.all(
    sentinels.map(async (sentinel) =>
      address(await call(sentinel, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", name]))
    ),
  );
  const unique = [...new Set(addresses)];
  if (unique.length !== 1) throw new Error(`Sentinels report masters ${JSON.stringify(addresses)}`);
  const master = { port: Number(unique[0].split(":").at(-1)), options: { requirePass: password } };
  const replication = await info(master, "replication");
  if (replication.role !== "master") throw new Error(`${unique[0]} is ${replication.role}`);
  const replicas = replicasOf(replication).filter((r) => r.state === "online");
  if (replicas.length < minReplicas) {
    throw new Error(`${unique[0]} has ${replicas.length} replicas online, not ${minReplicas}`);
  }
  await Promise.all(sentinels.map(async (sentinel) => {
    const fail = (why: string) => new Error(`Sentinel :${sentinel.port}: ${why}`);
    const flags = record(await call(sentinel, ["SENTINEL", "MASTER", name])).flags;
    if (flags !== "master") throw fail(`master flags ${flags}`);
    const known = list(await call(sentinel, ["SENTINEL", "REPLICAS", name]));
    for (const { port } of replicas) {
      const replica = known.find((r) => Number(r.port) === port);
      // What Sentinel requires to promote it: up, answering PINGs, INFO not older than 30 s.
      const ok = replica?.flags === "slave" && Number(replica["last-ok-ping-reply"]) < 5000 &&
        Number(replica["info-refresh"]) < 30_000;
      if (!ok) throw fail(`replica :${port} is ${JSON.stringify(replica)}`);
    }
    const others = list(await call(sentinel, ["SENTINEL", "SENTINELS", name]));
    for (const other of sentinels.filter((s) => s !== sentinel)) {
      const entry = others.find((s) => Number(s.port) === other.port);
      if (entry?.flags !== "sentinel") {
        throw fail(`Sentinel :${other.port} is ${entry?.flags ?? "unknown"}`);
      }
    }
  }));
}

// ---------------------------------------------------------------------------------------------
// Cluster

/** Options for {@linkcode startCluster}. */
export interface ClusterOptions {
  /** Number of primaries (at least 3, `redis-cli --cluster create` insists); default 3. */
  primaries?: number;
  /** Replicas per primary; default 1. */
  replicasPerPrimary?: number;
  /** `cluster-node-timeout` (ms); default 1000. */
  nodeTimeout?: number;
  /** `requirepass` (and `masterauth`) of every node. */
  password?: string;
}

/** A running Redis Cluster; see {@linkcode startCluster}. */
export interface Cluster {
  /** Every node, in creation order (the first `primaries` started as primaries). */
  readonly nodes: RedisServer[];
  /** `redis://127.0.0.1:PORT` of every node. */
  readonly seeds: string[];
  /**
   * The running nodes whose `ROLE` is master, read once the cluster is settled: every running
   * node answers, and its `ROLE` agrees with what every node's `CLUSTER NODES` says of it (the
   * same check as {@linkcode Cluster.waitOk}, which it waits for). Default timeout 20 s.
   */
  primaries(timeoutMs?: number): Promise<RedisServer[]>;
  /** The running nodes whose `ROLE` is slave, read as {@linkcode Cluster.primaries} does. */
  replicas(timeoutMs?: number): Promise<RedisServer[]>;
  /** The running primary that currently serves `slot` (by its own `CLUSTER NODES`). */
  nodeForSlot(slot: number): Promise<RedisServer>;
  /**
   * Waits until every running node reports `cluster_state:ok`, sees every other running node
   * connected and healthy with the same role, and sees every slot served by a running primary
   * (so after a SIGKILL of a primary this waits for its replica's failover), and every replica of
   * a running primary has its link up, and every running node's `ROLE` agrees with the role the
   * cluster gives it. Nodes that are not running (`stop()`ped or killed) are otherwise ignored; a
   * running node must answer (not be SIGSTOPped). Default timeout 20 s.
   */
  waitOk(timeoutMs?: number): Promise<void>;
  /** Stops every node. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `primaries * (1 + replicasPerPrimary)` cluster nodes, joins them with
 * `redis-cli --cluster create` and resolves once {@linkcode Cluster.waitOk} holds, so that e.g.
 * `CLUSTER FAILOVER` on a replica works right away.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const primaryCount = options.primaries ?? 3;
  const perPrimary = options.replicasPerPrimary ?? 1;
  if (primaryCount < 3) throw new Error("startCluster: redis-cli needs at least 3 primaries");
  const nodes = await startAll(primaryCount * (1 + perPrimary), () =>
    startRedis({
      cluster: true,
      requirePass: options.password,
      config: [`cluster-node-timeout ${options.nodeTimeout ?? 1000}`],
    }));
  let stopping: Promise<void> | undefined;
  const stop = () => stopping ??= stopAll(nodes);
  // A node that did not answer once must not pass for a missing role: wait until all agree.
  const byRole = async (master: boolean, timeoutMs = WAIT_MS) => {
    const roles = await waitClusterOk(nodes, timeoutMs);
    return nodes.filter((node) => roles.get(node) === master);
  };
  const cluster: Cluster = {
    nodes,
    seeds: nodes.map((node) => node.url),
    primaries: (timeoutMs) => byRole(true, timeoutMs),
    replicas: (timeoutMs) => byRole(false, timeoutMs),
    async nodeForSlot(slot) {
      let best: { node: RedisServer; epoch: number } | undefined;
      for (const node of nodes.filter((n) => n.running)) {
        const self = await clusterNodes(node).then(
          (all) => all.find((n) => n.myself),
          () => undefined,
        );
        if (self?.master && self.slots.some(([a, b]) => a <= slot && slot <= b)) {
          if (!best || self.epoch > best.epoch) best = { node, epoch: self.epoch };
        }
      }
      if (!best) throw new Error(`no running primary serves slot ${slot}`);
      return best.node;
    },
    waitOk: async (timeoutMs = WAIT_MS) => void await waitClusterOk(nodes, timeoutMs),
    stop,
    [Symbol.asyncDispose]: stop,
  };
  try {
    const auth = options.password ? ["--no-auth-warning", "-a", options.password] : [];
    const args = [
      ...auth,
      "--cluster",
      "create",
      ...nodes.map((node) => `${HOST}:${node.port}`),
      "--cluster-replicas",
      String(perPrimary),
      "--cluster-yes",
    ];
    try {
      await execFileAsync("redis-cli", args, { encoding: "utf8", timeout: WAIT_MS });
    } catch (error) {
      const { stdout = "", stderr = "", message } = error as Error & Record<string, string>;
      const output = `${stdout}\n${stderr}`.trim().split("\n").slice(-25).join("\n");
      throw new Error(`redis-cli --cluster create failed: ${message}\n${output}`);
    }
    await cluster.waitOk();
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Polls until the cluster is settled (see {@linkcode Cluster.waitOk}); resolves with whether each
 * running node is a master.
 */
function waitClusterOk(
  nodes: RedisServer[],
  timeoutMs: number,
): Promise<Map<RedisServer, boolean>> {
  return poll("cluster ok", nodes, timeoutMs, async () => {
    const alive = nodes.filter((node) => node.running);
    const views = await Promise.all(alive.map(async (node) => {
      const state = (await clusterInfo(node)).cluster_state;
      if (state !== "ok") throw new Error(`:${node.port} cluster_state:${state}`);
      const role = ((await call(node, ["ROLE"])) as Reply[])[0];
      return { node, role, entries: await clusterNodes(node) };
    }));
    // Each node as it sees itself: id, and role (master id for a replica).
    const selves = new Map(views.map(({ node, role, entries }) => {
      const self = entries.find((e) => e.myself);
      if (!self) throw new Error(`:${node.port} CLUSTER NODES has no myself`);
      if (role !== (self.master ? "master" : "slave")) {
        throw new Error(`:${node.port} answers ROLE ${role} but is ${self.line}`);
      }
      return [node.port, self];
    }));
    for (const { node, entries } of views) {
      for (const [port, self] of selves) {
        const entry = entries.find((e) => e.id === self.id);
        const ok = entry && entry.port === port && entry.connected && entry.healthy &&
          entry.master === self.master && entry.masterId === self.masterId;
        if (!ok) {
          throw new Error(`:${node.port} sees :${port} as ${entry?.line ?? "nothing"}`);
        }
      }
      // A killed primary's slots must have moved to a running node (its replica's failover).
      for (const entry of entries.filter((e) => e.slots.length > 0)) {
        if (![...selves.values()].some((self) => self.id === entry.id)) {
          throw new Error(`:${node.port} sees slots on a node that is down: ${entry.line}`);
        }
      }
    }
    await Promise.all(views.map(async ({ node }) => {
      const self = selves.get(node.port)!;
      if (self.master) return;
      const primary = [...selves].find(([, s]) => s.id === self.masterId);
      if (!primary) return; // its primary is not running
      const link = (await info(node, "replication")).master_link_status;
      if (link !== "up") throw new Error(`replica :${node.port}: master_link_status:${link}`);
    }));
    return new Map(views.map(({ node }) => [node, selves.get(node.port)!.master]));
  });
}

interface NodeEntry {
  id: string;
  port: number;
  myself: boolean;
  master: boolean;
  /** Primary's id, for a replica. */
  masterId?: string;
  /** No fail, fail?, handshake or noaddr flag. */
  healthy: boolean;
  connected: boolean;
  epoch: number;
  slots: Array<[number, number]>;
  line: string;
}

async function clusterNodes(node: RedisServer): Promise<NodeEntry[]> {
  const text = String(await call(node, ["CLUSTER", "NODES"]));
  return text.trim().split("\n").map((line) => {
    const [id, addr, flagList, masterId, , , epoch, link, ...slots] = line.split(" ");
    const flags = flagList.split(",");
    return {
      id,
      port: Number(addr.split("@")[0].split(":").at(-1)),
      myself: flags.includes("myself"),
      master: flags.includes("master"),
      masterId: masterId === "-" ? undefined : masterId,
      healthy: !flags.some((f) => ["fail", "fail?", "handshake", "noaddr"].includes(f)),
      connected: link === "connected",
      epoch: Number(epoch),
      slots: slots.filter((s) => !s.startsWith("[")).map((s) => {
        const [from, to = from] = s.split("-").map(Number);
        return [from, to];
      }),
      line,
    };
  });
}

async function clusterInfo(node: RedisServer): Promise<Record<string, string>> {
  return fields(String(await call(node, ["CLUSTER", "INFO"])));
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Starts `count` servers in parallel; if any fails, stops the others and rethrows. */
async function startAll(
  count: number,
  start: () => Promise<RedisServer>,
): Promise<RedisServer[]> {
  const results = await Promise.allSettled(Array.from({ length: count }, start));
  const started = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    await stopAll(started);
    throw (failed as PromiseRejectedResult).reason;
  }
  return started;
}

async function stopAll(servers: RedisServer[]): Promise<void> {
  await Promise.all(servers.map((server) => server.stop()));
}

/**
 * Calls `check` every {@linkcode POLL_MS} until it resolves; a rejection means "not yet" and is
 * reported (with the tails of the servers' logs) if the deadline passes.
 */
async function poll<T>(
  what: string,
  servers: RedisServer[],
  timeoutMs: number,
  check: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      return await check();
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      const logs = await Promise.all(servers.map(logTail));
      throw new Error(
        `${what}: not reached within ${timeoutMs} ms (last: ${last})${logs.join("")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The last lines of a server's log, for error messages. */
async function logTail(server: RedisServer): Promise<string> {
  const log = await readFile(join(server.dir, "redis.log"), "utf8").catch(() => "(no log)");
  const state = server.running ? `pid ${server.pid}` : "not running";
  return `\n--- :${server.port} (${state}) redis.log:\n${
    log.trimEnd().split("\n").slice(-12).join("\n")
  }`;
}

/** `INFO <section>` as key/value pairs. */
async function info(server: Target, section: string): Promise<Record<string, string>> {
  return fields(String(await call(server, ["INFO", section])));
}

function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** The `slaveN:ip=..,port=..,state=..` entries of `INFO replication`. */
function replicasOf(replication: Record<string, string>): Array<{ port: number; state: string }> {
  return Object.entries(replication).filter(([key]) => /^slave\d+$/.test(key)).map(([, value]) => {
    const kv = Object.fromEntries(value.split(",").map((pair) => pair.split("=")));
    return { port: Number(kv.port), state: kv.state };
  });
}

/** A flat `[field, value, ...]` reply as an object. */
function record(reply: Reply): Record<string, string> {
  const items = reply as Reply[];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < items.length; i += 2) out[String(items[i])] = String(items[i + 1]);
  return out;
}

function list(reply: Reply): Array<Record<string, string>> {
  return (reply as Reply[]).map(record);
}

function address(reply: Reply): string {
  if (!Array.isArray(reply) || reply.length !== 2) throw new Error(`no master address: ${reply}`);
  return `${reply[0]}:${reply[1]}`;
}

// ---------------------------------------------------------------------------------------------
// A minimal RESP2 client: one connection per command, bounded by a timeout.

type Reply = string | number | null | Error | Reply[];

/** What {@linkcode call} needs of a server. */
type Target = Pick<RedisServer, "port" | "options">;

/** Sends `args` (after `AUTH` with the server's `requirePass`) on a fresh connection. */
async function call(server: Target, args: string[], timeoutMs = CALL_MS): Promise<Reply> {
  const password = server.options.requirePass;
  const commands = password ? [["AUTH", password], args] : [args];
  const socket = net.connect({ host: HOST, port: server.port });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const replies = await new Promise<Reply[]>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`:${server.port} ${args.join(" ")}: no reply in ${timeoutMs} ms`)),
        timeoutMs,
      );
      let buffer = Buffer.alloc(0);
      const replies: Reply[] = [];
      socket.on("error", reject);
      socket.once("close", () => reject(new Error(`:${server.port} closed the connection`)));
      socket.on("data", (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        try {
          for (let parsed; replies.length < commands.length && (parsed = parse(buffer, 0));) {
            replies.push(parsed[0]);
            buffer = buffer.subarray(parsed[1]);
          }
        } catch (error) {
          reject(error);
        }
        if (replies.length === commands.length) resolve(replies);
      });
      socket.write(commands.map(encode).join(""));
    });
    const error = replies.find((reply) => reply instanceof Error);
    if (error) throw new Error(`:${server.port} ${args.join(" ")}: ${(error as Error).message}`);
    return replies.at(-1)!;
  } finally {
    clearTimeout(timer);
    socket.destroy();
    await closed;
  }
}

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/** Parses one reply at `pos`: `[reply, next position]`, or undefined if incomplete. */
function parse(buffer: Buffer, pos: number): [Reply, number] | undefined {
  const end = buffer.indexOf("\r\n", pos);
  if (end < 0) return undefined;
  const line = buffer.toString("utf8", pos + 1, end);
  let next = end + 2;
  switch (String.fromCharCode(buffer[pos])) {
    case "+":
      return [line, next];
    case "-":
      return [new Error(line), next];
    case ":":
      return [Number(line), next];
    case "$": {
      const length = Number(line);
      if (length < 0) return [null, next];
      if (buffer.length < next + length + 2) return undefined;
      return [buffer.toString("utf8", next, next + length), next + length + 2];
    }
    case "*": {
      const length = Number(line);
      if (length < 0) return [null, next];
      const items: Reply[] = [];
      for (let i = 0; i < length; i++) {
        const item = parse(buffer, next);
        if (!item) return undefined;
        items.push(item[0]);
        next = item[1];
      }
      return [items, next];
    }
    default:
      throw new Error(`unexpected RESP reply: ${JSON.stringify(line)}`);
  }
}

/** How many times `command` ran on each of `servers`, added up (`INFO commandstats`). */
export async function commandCalls(
  servers: RedisServer | RedisServer[],
  command: string,
): Promise<number> {
  let total = 0;
  for (const server of Array.isArray(servers) ? servers : [servers]) {
    const info = await server.cli("INFO", "commandstats");
    const pattern = new RegExp(`^cmdstat_${command.toLowerCase()}:calls=(\\d+)`, "m");
    total += Number(pattern.exec(info)?.[1] ?? 0);
  }
  return total;
}
