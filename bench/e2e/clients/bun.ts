/**
 * Bun's native client, `Bun.RedisClient` (Bun only).
 *
 * @module
 */
import type { BenchClient, ClientAdapter, Target } from "../types.ts";

/** What the adapter uses of `Bun.RedisClient`. */
interface BunRedisClient {
  connect(): Promise<void>;
  close(): void;
  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Uint8Array | null>;
  set(key: string, value: string | Uint8Array): Promise<unknown>;
  mget(...keys: string[]): Promise<unknown[]>;
}

interface BunGlobal {
  version: string;
  revision?: string;
  RedisClient: new (url: string) => BunRedisClient;
}

function bun(): BunGlobal | undefined {
  return (globalThis as { Bun?: BunGlobal }).Bun;
}

/** `new Bun.RedisClient(url)` with its defaults (auto-pipelining on). */
export const adapter: ClientAdapter = {
  name: "Bun.RedisClient",
  available: () => typeof bun()?.RedisClient === "function",
  version: () => {
    const b = bun();
    return b
      ? `Bun.RedisClient (bun ${b.version}${b.revision ? `+${b.revision.slice(0, 9)}` : ""})`
      : "";
  },
  note: () =>
    "Bun.RedisClient: `new Bun.RedisClient(url)`, defaults (RESP3, auto-pipelining); bytes via " +
    "`getBuffer`; `mget(...keys)` (an array argument is refused); pipeline via `Promise.all` of " +
    "1,000 `set()` calls; Unix socket only as `redis+unix://` (not `unix://`).",
  async create(target: Target): Promise<BenchClient> {
    const b = bun();
    if (!b) throw new Error("Bun.RedisClient needs Bun");
    const redis = new b.RedisClient(
      target.unix ? `redis+unix://${target.path}` : `redis://${target.host}:${target.port}`,
    );
    try {
      await redis.connect();
    } catch (error) {
      redis.close();
      throw error;
    }
    return {
      name: this.name,
      get: (key) => redis.get(key),
      getBuffer: (key) => redis.getBuffer(key),
      set: (key, value) => redis.set(key, value),
      mget: (keys) => redis.mget(...keys),
      async pipelineSet(entries) {
        const promises = new Array<Promise<unknown>>(entries.length);
        for (let i = 0; i < entries.length; i++) {
          promises[i] = redis.set(entries[i][0], entries[i][1]);
        }
        await Promise.all(promises);
      },
      close: () => Promise.resolve(redis.close()),
    };
  },
};
