/**
 * The options of `connectCluster()` (and of the cache's `cluster` strategy):
 * their type, and their checking into the settings the cluster client runs on.
 *
 * @module
 */

import { describeTarget } from "../net/transport.ts";
import { parseRedisUrl } from "../net/url.ts";
import type { PoolOptions } from "../pool/pool_options.ts";
import { checkReadFrom, type ReadFrom } from "./read_from.ts";

/**
 * Options of `connectCluster()` (and of the cache's `cluster` strategy): the
 * pool options, which apply to every node, plus the seeds.
 *
 * @example
 * ```ts
 * import { connectCluster } from "@redcache/redcache";
 *
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

/** Checked cluster options: what the cluster client runs on. */
export interface ClusterSettings {
  /** The seeds' addresses (`host:port`). */
  seeds: string[];
  maxRedirects: number;
  readFrom: ReadFrom;
  /** The pool options of every node (no address). */
  pool: PoolOptions;
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

/**
 * Checks the cluster's own options (the pool options are checked when the
 * first pool is made).
 *
 * @throws {TypeError} For a missing or malformed seed, an address option, or a bad option.
 */
export function clusterSettings(options: ClusterOptions): ClusterSettings {
  const { urls, maxRedirects, readFrom, ...pool } = options;
  const seeds = parseSeeds(urls);
  for (const key of ["url", "host", "port", "path"]) {
    if ((pool as Record<string, unknown>)[key] !== undefined) {
      throw new TypeError(`Option "${key}" does not apply to a cluster: give the seeds in urls`);
    }
  }
  const redirects = maxRedirects ?? 16;
  if (!Number.isInteger(redirects) || redirects < 0) {
    throw new TypeError('Invalid option "maxRedirects": expected a whole number, 0 or more');
  }
  return { seeds, maxRedirects: redirects, readFrom: checkReadFrom(readFrom), pool };
}
