/**
 * `strategy` and its options: validates them and builds the router that the
 * cache's Redis store sends through.
 *
 * @module
 */

import { CONNECT_OPTION_KEYS, resolveConnectOptions } from "../client/options.ts";
import { describeTarget } from "../net/transport.ts";
import { Pool } from "../pool/pool.ts";
import {
  connectOptionsOf,
  type PoolInternalOptions,
  type PoolOptions,
} from "../pool/pool_options.ts";
import { durationMs } from "../util/duration.ts";
import { ClusterClient } from "../cluster/cluster_client.ts";
import { checkReadFrom, type ReadFrom } from "../cluster/read_from.ts";
import { DefaultRouter } from "./default.ts";
import { FailoverRouter } from "./failover.ts";
import type { Router } from "./router.ts";
import { SentinelRouter } from "./sentinel.ts";
import { parseSentinels } from "./sentinel_list.ts";
import { ShardRouter } from "./shard.ts";
import { forwardEvents } from "../util/events.ts";

/**
 * Which servers serve which keys; see the README's "Strategies".
 *
 * @example
 * ```ts
 * import { createCache, type StrategyName } from "@redcache/redcache";
 *
 * const strategy: StrategyName = "shard";
 * await using cache = createCache({
 *   strategy,
 *   urls: ["redis://10.0.0.1:6379", "redis://10.0.0.2:6379", "redis://10.0.0.3:6379"],
 * });
 * ```
 */
export type StrategyName = "default" | "shard" | "herd" | "failover" | "sentinel" | "cluster";

/**
 * The options of the strategies (on top of the pool options, which apply to
 * every server).
 *
 * @example
 * ```ts
 * import { createCache } from "@redcache/redcache";
 *
 * const primary = "redis://10.0.0.1:6379";
 * createCache({ url: primary, replicas: ["redis://10.0.0.2:6379"], readFrom: "replica" });
 * createCache({ strategy: "herd", url: primary, herdTtl: "30s" });
 * const backup = "redis://10.0.0.3:6379";
 * createCache({ strategy: "failover", urls: [primary, backup], failbackAfter: "1m" });
 * createCache({ strategy: "sentinel", sentinels: ["10.0.0.1:26379"], masterName: "mymaster" });
 * ```
 */
export interface StrategyOptions {
  /**
   * `"default"` (one primary, optional replicas), `"shard"`, `"herd"`,
   * `"failover"`, `"sentinel"` or `"cluster"`.
   *
   * @default {"default"}
   */
  strategy?: StrategyName;
  /** default, herd: the replicas' URLs (reads go there with `readFrom`). */
  replicas?: string[] | string;
  /**
   * default, herd, sentinel: `"primary"`, `"replica"` or `"any"`.
   *
   * @default {"primary"}
   */
  readFrom?: ReadFrom;
  /** shard, failover: every server's URL; cluster: seed nodes (an array, or one comma-separated string). */
  urls?: string[] | string;
  /**
   * herd: how long a stale value is still served while one caller refreshes it
   * (ms or a duration).
   *
   * @default {60000}
   */
  herdTtl?: number | string;
  /**
   * herd: XFetch's β; above 0, reads refresh early, at random, as the soft
   * expiry nears (1 is the usual value).
   *
   * @default {0}
   */
  herdEarlyRefresh?: number;
  /**
   * failover: after moving off the first server, how long before checking it
   * again (ms or a duration).
   *
   * @default {30000}
   */
  failbackAfter?: number | string;
  /** sentinel: `"host:port"` or `redis://[user:pass@]host:port` of each sentinel. */
  sentinels?: string[] | string;
  /** sentinel: the name the sentinels monitor the primary under. */
  masterName?: string;
  /**
   * cluster: most redirections and retries for one command before a `ClusterError`.
   *
   * @default {16}
   */
  maxRedirects?: number;
}

/** The strategy option names, in the order the README lists them. */
export const STRATEGY_OPTION_KEYS: readonly string[] = [
  "strategy",
  "replicas",
  "readFrom",
  "urls",
  "herdTtl",
  "herdEarlyRefresh",
  "failbackAfter",
  "sentinels",
  "masterName",
  "maxRedirects",
];

const USES: Record<StrategyName, readonly string[]> = {
  default: ["replicas", "readFrom"],
  shard: ["urls"],
  herd: ["replicas", "readFrom", "herdTtl", "herdEarlyRefresh"],
  failover: ["urls", "failbackAfter"],
  sentinel: ["sentinels", "masterName", "readFrom"],
  cluster: ["urls", "maxRedirects", "readFrom"],
};

/** Options that name one server, which `urls` and `sentinels` replace. */
const ADDRESS_KEYS = ["url", "host", "port", "path"];

/** What `buildStrategy` makes. */
export interface BuiltStrategy {
  router: Router;
  /** What `cache.client` returns: the primary's pool, or the router when keys are spread. */
  client: Pool | Router;
  /** herd: stale values' lifetime in ms and β; undefined for other strategies. */
  herd?: { ttl: number; beta: number };
}

function list(value: unknown, name: string): string[] {
  const items = typeof value === "string" ? value.split(",").map((s) => s.trim()) : value;
  if (
    !Array.isArray(items) || items.length === 0 ||
    items.some((item) => typeof item !== "string" || item === "")
  ) {
    throw new TypeError(
      `Invalid option "${name}": expected a non-empty list of URLs (an array, or comma-separated)`,
    );
  }
  return items;
}

/** A positive duration option: ms (fractions rounded up) or a string such as `"30s"`. */
function duration(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  let ms = NaN;
  if (typeof value === "number" && Number.isFinite(value)) ms = Math.ceil(value);
  else if (typeof value === "string") ms = durationMs(value);
  if (!(ms > 0) || ms > Number.MAX_SAFE_INTEGER) {
    throw new TypeError(`Invalid option "${name}": expected a positive duration (ms or "30s")`);
  }
  return ms;
}

function herdSettings(strategy: StrategyOptions): { ttl: number; beta: number } {
  const beta = strategy.herdEarlyRefresh ?? 0;
  if (typeof beta !== "number" || !(beta >= 0) || !Number.isFinite(beta)) {
    throw new TypeError('Invalid option "herdEarlyRefresh": expected a number, 0 or more');
  }
  return { ttl: duration(strategy.herdTtl, "herdTtl", 60_000), beta };
}

/** A shard's place on the ring: its address and database, never its credentials. */
function shardName(options: PoolOptions): string {
  const resolved = resolveConnectOptions(connectOptionsOf(options), CONNECT_OPTION_KEYS, "shard");
  return `${describeTarget(resolved.target)}/${resolved.db}`;
}

/**
 * Validates the strategy options (an option of another strategy is a
 * `TypeError`) and builds the router over `pool` options.
 */
export function buildStrategy(strategy: StrategyOptions, pool: PoolOptions): BuiltStrategy {
  const name = strategy.strategy ?? "default";
  if (!Object.hasOwn(USES, name)) {
    throw new TypeError(
      `Invalid option "strategy": ${JSON.stringify(name)?.slice(0, 40)} is not one of ${
        Object.keys(USES).join(", ")
      }`,
    );
  }
  for (const key of STRATEGY_OPTION_KEYS) {
    if (key === "strategy" || (strategy as Record<string, unknown>)[key] === undefined) continue;
    if (!USES[name].includes(key)) {
      const owners = Object.entries(USES).filter(([, keys]) => keys.includes(key)).map(([n]) => n);
      throw new TypeError(
        `Option "${key}" does not apply to strategy "${name}"; it is for ${owners.join(", ")}`,
      );
    }
  }
  const spread = name !== "default" && name !== "herd";
  if (spread) {
    const given = ADDRESS_KEYS.find((key) => (pool as Record<string, unknown>)[key] !== undefined);
    if (given !== undefined) {
      throw new TypeError(
        `Option "${given}" does not apply to strategy "${name}": give the servers in ${
          name === "sentinel" ? "sentinels" : "urls"
        }`,
      );
    }
  }
  switch (name) {
    case "shard": {
      const urls = list(strategy.urls, "urls");
      const names = urls.map((url) => shardName({ ...pool, url }));
      const pools = urls.map((url) => new Pool({ ...pool, url }));
      const router = new ShardRouter(names.map((n, i) => [n, pools[i]]));
      for (const p of pools) forwardEvents(p, router);
      return { router, client: router };
    }
    case "failover": {
      const urls = list(strategy.urls, "urls");
      const names = urls.map((url) =>
        describeTarget(resolveConnectOptions(connectOptionsOf({ ...pool, url })).target)
      );
      const failbackAfter = duration(strategy.failbackAfter, "failbackAfter", 30_000);
      const tracking = (pool as PoolInternalOptions).tracking;
      const pools = urls.map((url) => new Pool({ ...pool, url }));
      const router = new FailoverRouter(
        names.map((name, i) => [name, pools[i]]),
        failbackAfter,
        tracking && (() => tracking.moved()),
      );
      for (const p of pools) forwardEvents(p, router);
      return { router, client: router };
    }
    case "cluster": {
      const cluster = new ClusterClient({
        ...pool,
        urls: strategy.urls!,
        maxRedirects: strategy.maxRedirects,
        readFrom: strategy.readFrom,
      });
      return { router: cluster, client: cluster };
    }
    case "sentinel": {
      if (typeof strategy.masterName !== "string" || strategy.masterName === "") {
        throw new TypeError('Missing option "masterName" for strategy "sentinel"');
      }
      const router = new SentinelRouter({
        sentinels: parseSentinels(strategy.sentinels),
        masterName: strategy.masterName,
        readFrom: checkReadFrom(strategy.readFrom),
        pool,
      });
      return { router, client: router.primary as Pool };
    }
    default: {
      const herd = name === "herd" ? herdSettings(strategy) : undefined;
      const readFrom = checkReadFrom(strategy.readFrom);
      const replicaUrls = strategy.replicas === undefined
        ? []
        : list(strategy.replicas, "replicas");
      const primary = new Pool(pool);
      const replicas = replicaUrls.map((url) => new Pool({ ...pool, url }));
      // cache.client is the primary's pool: it emits the replicas' events too.
      for (const replica of replicas) forwardEvents(replica, primary);
      return { router: new DefaultRouter(primary, replicas, readFrom), client: primary, herd };
    }
  }
}
