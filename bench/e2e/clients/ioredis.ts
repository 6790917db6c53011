/**
 * ioredis with its default options (no auto-pipelining).
 *
 * @module
 */
import { Redis } from "ioredis";
import type { BenchClient, ClientAdapter, Target } from "../types.ts";
import { packageVersion } from "./version.ts";
import { toNodeValue } from "./buffer.ts";

/** `new Redis({ host, port })` or `new Redis({ path })`. */
export const adapter: ClientAdapter = {
  name: "ioredis",
  available: () => true,
  version: () => `ioredis ${packageVersion("ioredis")}`,
  note: () =>
    "ioredis: default options (RESP3 is its default in v6; `enableAutoPipelining: false`); " +
    "bytes via `getBuffer`; " +
    "pipeline via `redis.pipeline().set(k, v)…exec()`.",
  async create(target: Target): Promise<BenchClient> {
    const redis = target.unix
      ? new Redis({ path: target.path, lazyConnect: true })
      : new Redis({ host: target.host, port: target.port, lazyConnect: true });
    redis.on("error", () => {}); // failures surface through the rejected commands
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    return {
      name: this.name,
      get: (key) => redis.get(key),
      getBuffer: (key) => redis.getBuffer(key),
      set: (key, value) => redis.set(key, toNodeValue(value)),
      mget: (keys) => redis.mget(keys),
      async pipelineSet(entries) {
        const pipeline = redis.pipeline();
        for (let i = 0; i < entries.length; i++) pipeline.set(entries[i][0], entries[i][1]);
        const results = await pipeline.exec();
        if (results === null) throw new Error("ioredis pipeline.exec() returned null");
        for (let i = 0; i < results.length; i++) {
          if (results[i][0]) throw results[i][0];
        }
      },
      async close() {
        await redis.quit();
      },
    };
  },
};
