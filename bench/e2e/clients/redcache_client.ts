/**
 * redcache, one connection: `connect(url)`.
 *
 * @module
 */
import denoJson from "../../../deno.json" with { type: "json" };
import { connect, type RedisClient } from "../../../mod.ts";
import type { Pipeline } from "../../../mod.ts";
import type { BenchClient, ClientAdapter, Target } from "../types.ts";

/** The URL redcache takes for `target`. */
export function redcacheUrl(target: Target): string {
  return target.unix ? `unix://${target.path}` : `redis://${target.host}:${target.port}`;
}

/** Queues one `SET` per entry, sends them in one write and checks every reply. */
export async function execSetPipeline(pipeline: Pipeline, entries: [string, string][]) {
  for (let i = 0; i < entries.length; i++) pipeline.send(["SET", entries[i][0], entries[i][1]]);
  const replies = await pipeline.exec();
  for (let i = 0; i < replies.length; i++) {
    if (replies[i] instanceof Error) throw replies[i];
  }
}

/** Wraps a redcache client (or anything with the same command methods). */
export function wrapRedcache(
  name: string,
  redis: Pick<RedisClient, "get" | "set" | "mget" | "send" | "pipeline" | "close">,
): BenchClient {
  return {
    name,
    get: (key) => redis.get(key),
    getBuffer: (key) => redis.send<Uint8Array | null>(["GET", key], { bytes: true }),
    set: (key, value) => redis.set(key, value),
    mget: (keys) => redis.mget(...keys),
    pipelineSet: (entries) => execSetPipeline(redis.pipeline(), entries),
    close: () => redis.close(),
  };
}

/** `connect(url)`: one client, one socket. */
export const adapter: ClientAdapter = {
  name: "redcache client",
  available: () => true,
  version: () => `redcache ${denoJson.version} (working tree)`,
  note: () =>
    'redcache client: `connect(url)`, RESP3; bytes via `send(["GET", k], { bytes: true })`; ' +
    'pipeline via `client.pipeline().send(["SET", k, v])…exec()`.',
  async create(target: Target): Promise<BenchClient> {
    return wrapRedcache(this.name, await connect(redcacheUrl(target)));
  },
};
