/**
 * `connectCluster()`, the usual way to make a `ClusterClient`.
 *
 * @module
 */

import type { ClusterOptions } from "./cluster_options.ts";
import { ClusterClient } from "./cluster_client.ts";

/**
 * Connects to a Redis Cluster through its seed nodes. The slot map loads on
 * the first command; commands follow redirections and failovers by themselves.
 *
 * @example
 * ```ts
 * import { connectCluster } from "@redcache/redcache";
 *
 * await using cluster = connectCluster({
 *   urls: ["redis://127.0.0.1:7000", "redis://127.0.0.1:7001"],
 * });
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
