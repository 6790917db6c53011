/**
 * node-redis (`redis` on npm) with its default options.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createClient, RESP_TYPES } from "redis";
import type { BenchClient, ClientAdapter, Target } from "../types.ts";
import { packageVersion } from "./version.ts";
import { toNodeValue } from "./buffer.ts";

/** The two ways node-redis can pipeline 1,000 SETs. */
export type NodeRedisPipelineMode = "promise-all" | "exec-as-pipeline";

/**
 * How `pipelineSet` pipelines: `multi()…execAsPipeline()` (no MULTI/EXEC is
 * sent), or `Promise.all` of `set()` calls, which the client also writes
 * together. `exec-as-pipeline` was about twice as fast in an in-process A/B
 * (12 alternations of 20 pipelines of 1,000) on Deno and on Bun.
 */
export const pipelineMode: { value: NodeRedisPipelineMode } = { value: "exec-as-pipeline" };

/** What the adapter uses of a node-redis client; its own types are far wider. */
interface NodeRedisLike {
  connect(): Promise<unknown>;
  on(event: "error", listener: (error: unknown) => void): unknown;
  get(key: string): Promise<unknown>;
  set(key: string, value: string | Uint8Array): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown[]>;
  multi(): NodeRedisMultiLike;
  withTypeMapping(mapping: Record<number, unknown>): NodeRedisLike;
  close(): Promise<void>;
  destroy(): void;
}

interface NodeRedisMultiLike {
  set(key: string, value: string): NodeRedisMultiLike;
  execAsPipeline(): Promise<unknown[]>;
}

/** `createClient({ url })` or `createClient({ socket: { path } })`. */
export const adapter: ClientAdapter = {
  name: "node-redis",
  available: () => true,
  version: () => `node-redis ${packageVersion("redis")}`,
  note: () =>
    "node-redis: default options (RESP3 in v6); bytes via " +
    "`withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(k)`; pipeline via " +
    (pipelineMode.value === "exec-as-pipeline"
      ? "`multi().set(k, v)…execAsPipeline()` (about 2× faster than `Promise.all` of 1,000 `set()` calls)"
      : "`Promise.all` of 1,000 `set()` calls (auto-pipelined; `--node-redis-pipeline=promise-all`)") +
    ".",
  async create(target: Target): Promise<BenchClient> {
    const redis = createClient(
      target.unix
        ? { socket: { path: target.path, tls: false as const } }
        : { url: `redis://${target.host}:${target.port}` },
    ) as unknown as NodeRedisLike;
    redis.on("error", () => {}); // failures surface through the rejected commands
    try {
      await redis.connect();
    } catch (error) {
      redis.destroy();
      throw error;
    }
    // A view of the same connection whose bulk strings decode to Buffers.
    const bytes = redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const mode = pipelineMode.value;
    return {
      name: this.name,
      get: (key) => redis.get(key) as Promise<string | null>,
      getBuffer: (key) => bytes.get(key) as Promise<Uint8Array | null>,
      set: (key, value) => redis.set(key, toNodeValue(value)),
      mget: (keys) => redis.mGet(keys),
      pipelineSet: mode === "promise-all"
        ? async (entries) => {
          const promises = new Array<Promise<unknown>>(entries.length);
          for (let i = 0; i < entries.length; i++) {
            promises[i] = redis.set(entries[i][0], entries[i][1]);
          }
          await Promise.all(promises);
        }
        : async (entries) => {
          const multi = redis.multi();
          for (let i = 0; i < entries.length; i++) multi.set(entries[i][0], entries[i][1]);
          const replies = await multi.execAsPipeline();
          for (let i = 0; i < replies.length; i++) {
            if (replies[i] instanceof Error) throw replies[i];
          }
        },
      close: () => redis.close(),
    };
  },
};
